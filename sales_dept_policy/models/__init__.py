from . import (
    res_config_settings,
    res_partner,
    res_users,
    sale_order,
    sales_approval_mixin,
    sales_archive_access_request,
    sales_credit_grade,
    sales_credit_grade_change,
    sales_order_deviation,
    sales_target,
    sales_target_revision,
    sales_territory,
)
