# the guard first: the models below inherit it
from . import sales_policy_guard  # isort: split

from . import (
    hr_employee,
    hr_expense,
    mail_message,
    res_config_settings,
    res_partner,
    res_users,
    sale_order,
    sales_activity_target,
    sales_approval_mixin,
    sales_archive_access_request,
    sales_credit_grade,
    sales_credit_grade_change,
    sales_order_deviation,
    sales_target,
    sales_target_report,
    sales_target_revision,
    sales_territory,
    sales_travel_level,
    sales_trip,
    sales_visit,
    sales_visit_plan,
)
