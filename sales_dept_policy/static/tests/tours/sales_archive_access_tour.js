// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// ARC-5: an employee asks to read a customer's archive they cannot read, naming
// it with the "Add Customer" picker; a general manager approves. The data and the
// checks of the result are in tests/test_tours.py.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";
import { clickHeaderButton, openPolicyMenu } from "@sales_dept_policy/../tests/tours/tour_utils";

registry.category("web_tour.tours").add("sales_dept_policy_access_request_tour", {
    url: "/odoo",
    steps: () => [
        ...openPolicyMenu(
            "sales_dept_policy.sales_policy_menu_customers",
            "sales_dept_policy.sales_archive_access_request_menu"
        ),
        {
            content: "Request access to a customer archive",
            trigger: ".o_list_view:has(th[data-name=partner_names]) .o_list_button_add",
            run: "click",
        },
        {
            content: "Type three letters of the customer's name",
            trigger: ".o_field_widget[name=partner_pick_id] input",
            run: "edit SDP Other",
        },
        {
            content: "Pick the customer one cannot read",
            trigger:
                ".o_field_widget[name=partner_pick_id] .o-autocomplete--dropdown-item a:contains(SDP Other Customer Co)",
            run: "click",
        },
        {
            content: "The request names the customer",
            trigger: ".o_field_widget[name=partner_names]:contains(SDP Other Customer Co)",
        },
        {
            content: "Say why the archive is needed",
            trigger: ".o_field_widget[name=reason] textarea",
            run: "edit Preparing the delivery of the spring order",
        },
        ...stepUtils.saveForm(),
        {
            content: "The customer is still named once saved",
            trigger: ".o_field_widget[name=partner_names]:contains(SDP Other Customer Co)",
        },
        ...clickHeaderButton("action_submit", "submitted"),
        {
            content: "The general managers decide it",
            trigger: ".o_field_widget[name=approver_ids]:contains(SDP Tour GM)",
        },
    ],
});

registry.category("web_tour.tours").add("sales_dept_policy_access_approve_tour", {
    url: "/odoo",
    steps: () => [
        ...openPolicyMenu(
            "sales_dept_policy.sales_policy_menu_approvals",
            "sales_dept_policy.sales_archive_access_request_menu_to_decide"
        ),
        {
            content: "Open the employee's request",
            trigger:
                ".o_list_view .o_data_row:has(.o_data_cell[name=partner_names]:contains(SDP Other Customer Co))" +
                " .o_data_cell[name=requester_id]",
            run: "click",
        },
        {
            content: "The request is the employee's",
            trigger: ".o_field_widget[name=requester_id]:contains(SDP Tour Employee)",
        },
        ...clickHeaderButton("action_approve", "approved"),
        {
            content: "The decision is recorded on the request",
            trigger: ".o_field_widget[name=decided_by_id]:contains(SDP Tour GM)",
        },
    ],
});
