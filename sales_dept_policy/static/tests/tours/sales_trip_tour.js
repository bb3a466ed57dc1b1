// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// TRV-1, TRV-6, TRV-13: a salesperson claims the hotel of an approved trip above
// the standard and requests a new trip; their manager approves the trip, then caps
// the claim line to the standard and approves it. The data and the checks of the
// result are in tests/test_tours.py.
import { formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";
import {
    clickHeaderButton,
    openMenu,
    openPolicyMenu,
    pickMany2one,
} from "@sales_dept_policy/../tests/tours/tour_utils";

const { DateTime } = luxon;

registry.category("web_tour.tours").add("sales_dept_policy_trip_traveller_tour", {
    url: "/odoo",
    steps: () => {
        // in ten days, 08:30 to 18:00 two days later, in the browser's time
        const departure = DateTime.local()
            .plus({ days: 10 })
            .set({ hour: 8, minute: 30, second: 0, millisecond: 0 });
        const arrival = departure.plus({ days: 2 }).set({ hour: 18, minute: 0 });
        return [
            ...openPolicyMenu(
                "sales_dept_policy.sales_policy_menu_travel",
                "sales_dept_policy.sales_trip_menu"
            ),
            // TRV-13: the claim of the approved trip to Suzhou
            {
                content: "Open the approved trip to Suzhou",
                trigger: ".o_list_view .o_data_row .o_data_cell[name=destination]:contains(Suzhou)",
                run: "click",
            },
            {
                content: "Open its claim lines",
                trigger: ".o-form-buttonbox button[name=action_open_expenses]",
                run: "click",
            },
            {
                content: "Add a claim line",
                trigger: ".o_list_view .o_list_button_add",
                run: "click",
            },
            {
                content: "Describe the expense",
                trigger: ".o_form_view .o_field_widget[name=name] input",
                run: "edit SDP Tour Hotel",
            },
            ...pickMany2one("product_id", "Travel Lodging", "Travel Lodging"),
            {
                content: "A lodging line of the trip: two nights",
                trigger: ".o_field_widget[name=nights] input",
                run: "edit 2",
            },
            {
                content: "Claim 200 for them",
                trigger: ".o_field_widget[name=total_amount_currency] input",
                run: "edit 200 && press Enter",
            },
            {
                content: "The form says what the standard allows before saving (TRV-13)",
                trigger:
                    ".o_form_view .alert-warning:contains(Above the travel standard):contains(TRV-6)",
            },
            ...stepUtils.saveForm(),
            {
                content: "Allowed: 2 nights at the staff cap of 60",
                trigger:
                    ".o_form_view .alert-warning .o_field_widget[name=policy_amount]:contains(120.00)",
            },
            {
                content: "The traveller cannot cap their own line (TRV-13)",
                trigger:
                    ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_policy_cap]))",
            },
            ...clickHeaderButton("action_submit", "submitted"),
            // TRV-1: a new trip, requested before travel
            openMenu(
                "sales_dept_policy.sales_policy_menu_travel",
                "sales_dept_policy.sales_trip_menu"
            ),
            {
                content: "Request a new trip",
                trigger:
                    ".o_list_view:has(.o_data_cell[name=destination]:contains(Suzhou)) .o_list_button_add",
                run: "click",
            },
            {
                content: "The traveller is the salesperson (TRV-1)",
                trigger: ".o_field_widget[name=employee_id] input:value(SDP Tour Salesperson)",
            },
            {
                content: "Name the destination",
                trigger: ".o_field_widget[name=destination] input",
                run: "edit Hangzhou",
            },
            ...pickMany2one("partner_id", "SDP Own", "SDP Own Customer Co"),
            {
                content: "Planned departure",
                trigger: ".o_field_widget[name=planned_departure] input",
                run: `edit ${formatDateTime(departure)} && press Enter`,
            },
            {
                content: "Planned return",
                trigger: ".o_field_widget[name=planned_return] input",
                run: `edit ${formatDateTime(arrival)} && press Enter`,
            },
            {
                content: "Open the purpose page",
                trigger: ".o_notebook .nav-link[name=purpose]",
                run: "click",
            },
            {
                content: "Say whom the salesperson sees and why (TRV-1)",
                trigger: ".o_field_widget[name=purpose] textarea",
                run: "edit Present the spring range to SDP Own Customer Co",
            },
            ...stepUtils.saveForm(),
            ...clickHeaderButton("action_submit", "submitted"),
            {
                content: "The manager decides it",
                trigger: ".o_field_widget[name=manager_user_id]:contains(SDP Tour Manager)",
            },
        ];
    },
});

registry.category("web_tour.tours").add("sales_dept_policy_trip_manager_tour", {
    url: "/odoo",
    steps: () => [
        ...openPolicyMenu(
            "sales_dept_policy.sales_policy_menu_approvals",
            "sales_dept_policy.sales_trip_menu_to_decide"
        ),
        {
            content: "Open the salesperson's trip to Hangzhou",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=destination]:contains(Hangzhou)",
            run: "click",
        },
        ...clickHeaderButton("action_approve", "approved"),
        {
            content: "The chatter records the approval",
            trigger: ".o-mail-Message .o-mail-Message-body:contains(Approved by SDP Tour Manager)",
        },
        // TRV-13: the hotel of the trip to Suzhou, above the lodging standard
        openMenu(
            "sales_dept_policy.sales_policy_menu_travel",
            "sales_dept_policy.sales_trip_expense_menu"
        ),
        {
            content: "Open the hotel claimed above the standard",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=name]:contains(SDP Tour Hotel)",
            run: "click",
        },
        {
            content: "The form says the line is above the standard and what is allowed",
            trigger:
                ".o_form_view .alert-warning:contains(Above the travel standard):contains(TRV-6)",
        },
        {
            content: "No approval above the standard (TRV-13)",
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_approve]))",
        },
        {
            content: "Cap the line to the standard",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_policy_cap]",
            run: "click",
        },
        {
            content: "The warning is gone once capped",
            trigger: ".o_form_view:not(:has(.alert-warning:contains(Above the travel standard)))",
        },
        ...clickHeaderButton("action_approve", "approved"),
    ],
});
