from . import (
    sales_activity_progress,
    sales_assessment_ranking,
    sales_balance_report,
    sales_expense_report,
    sales_target_report,
    xlsx_base,
)
