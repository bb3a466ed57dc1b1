// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// VIS-1, VIS-2, VIS-5: a salesperson plans a visit, reports it and submits the
// report. The data and the checks of the result are in tests/test_tours.py.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";
import {
    clickHeaderButton,
    openPolicyMenu,
    pickMany2one,
} from "@sales_dept_policy/../tests/tours/tour_utils";

registry.category("web_tour.tours").add("sales_dept_policy_visit_tour", {
    url: "/odoo",
    steps: () => [
        ...openPolicyMenu(
            "sales_dept_policy.sales_policy_menu_activities",
            "sales_dept_policy.sales_visit_menu"
        ),
        {
            content: "The visits are shown in their calendar",
            trigger: ".o_action_manager .o_calendar_view",
        },
        {
            content: "Show the visits as a list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Plan a new visit",
            trigger: ".o_list_view:has(th[data-name=kind]) .o_list_button_add",
            run: "click",
        },
        ...pickMany2one("partner_id", "SDP Own", "SDP Own Customer Co"),
        {
            content: "An on-site visit the customer asked for (VIS-3)",
            trigger: ".o_field_widget[name=customer_requested] input",
            run: "check",
        },
        {
            content: "Name the contact person",
            trigger: ".o_field_widget[name=contact_name] input",
            run: "edit Manager Wu",
        },
        {
            content: "Say what the visit is for (VIS-1)",
            trigger: ".o_field_widget[name=purpose] textarea",
            run: "edit Present the spring range",
        },
        ...stepUtils.saveForm(),
        {
            content: "The visit is planned",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=planned]",
        },
        {
            content: "Open the report page",
            trigger: ".o_notebook .nav-link[name=report]",
            run: "click",
        },
        {
            content: "Write the outcome (VIS-2)",
            trigger: ".o_field_widget[name=outcome] textarea",
            run: "edit Agreed on the spring prices",
        },
        {
            content: "Note the customer's requests, one a line (VIS-5)",
            trigger: ".o_field_widget[name=customer_requests] textarea",
            async run({ edit }) {
                // two lines: two follow-up activities
                await edit("Send samples\nQuote 200 units");
            },
        },
        {
            content: "Mark the report urgent (VIS-2)",
            trigger: ".o_field_widget[name=urgent] input",
            run: "check",
        },
        ...clickHeaderButton("action_done", "done"),
        {
            content: "The visit counts toward the targets (VIS-3)",
            trigger: ".o_form_view .ribbon span:contains(Effective)",
        },
        ...clickHeaderButton("action_submit", "submitted"),
        {
            content: "The chatter tells the manager was sent the urgent report",
            trigger: ".o-mail-Message .o-mail-Message-body:contains(URGENT.)",
        },
    ],
});
