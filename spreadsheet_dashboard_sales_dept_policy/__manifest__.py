# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Spreadsheet dashboard for sales policy",
    "summary": "The Sales Policy dashboard: targets, activity, overdue balances, "
    "requests waiting for a decision and expenses against budget",
    "version": "19.0.1.0.0",
    "category": "Hidden",
    "license": "LGPL-3",
    "author": "Sales Policy Team",
    "website": "https://github.com/sales-policy/sales_dept_policy",
    "depends": ["spreadsheet_dashboard", "sales_dept_policy"],
    "data": [
        "data/dashboards.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "spreadsheet_dashboard_sales_dept_policy/static/tests/tours/*.js",
        ],
    },
    "auto_install": ["sales_dept_policy"],
    "installable": True,
}
