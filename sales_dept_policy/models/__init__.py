# the mixins first, in this order: the models below inherit them
from . import sales_policy_guard, sales_territory_work_mixin  # isort: split

from . import sales_approval_mixin  # isort: split

from . import sales_report_mixin  # isort: split

from . import (
    account_move,
    calendar_event,
    hr_employee,
    hr_expense,
    mail_activity,
    mail_message,
    product_template,
    res_company,
    res_config_settings,
    res_partner,
    res_users,
    sale_order,
    sales_activity_count,
    sales_activity_target,
    sales_archive_access_request,
    sales_assessment,
    sales_collection_plan,
    sales_contract_review,
    sales_credit_grade,
    sales_credit_grade_change,
    sales_daily_report,
    sales_expense_budget,
    sales_expense_budget_revision,
    sales_meeting,
    sales_monthly_report,
    sales_order_deviation,
    sales_policy_demo,
    sales_target,
    sales_target_revision,
    sales_territory,
    sales_travel_level,
    sales_travel_per_diem_rate,
    sales_travel_transport_class,
    sales_trip,
    sales_visit,
    sales_visit_plan,
    stock_move,
    stock_picking,
)
