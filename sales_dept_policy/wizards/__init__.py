from . import sales_export_wizard_mixin  # isort: split

from . import (
    sales_activity_export_wizard,
    sales_approval_reject_wizard,
    sales_assessment_export_wizard,
    sales_balance_export_wizard,
    sales_collection_export_wizard,
    sales_deposit_release_wizard,
    sales_expense_export_wizard,
    sales_finance_export_wizard,
    sales_target_export_wizard,
    sales_trip_export_wizard,
)
