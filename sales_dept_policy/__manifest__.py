# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Sales Department Policy",
    "summary": "Sales department regulations: confidential customer archives, "
    "approvals, credit grades, targets, visits and travel standards",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "Sales Policy Team",
    "website": "https://github.com/sales-policy/sales_dept_policy",
    "depends": ["sale_management", "hr_expense", "mail"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/sales_dept_policy_groups.xml",
        "security/ir.model.access.csv",
        "data/ir_config_parameter_data.xml",
        "data/ir_cron_data.xml",
        "data/ir_sequence_data.xml",
        "wizards/sales_approval_reject_wizard_views.xml",
        "views/res_partner_views.xml",
        "views/sales_archive_access_request_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "security/sales_dept_policy_rules.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/sales_archive_access_request_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "application": True,
    "installable": True,
}
