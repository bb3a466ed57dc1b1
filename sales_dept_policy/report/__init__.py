from . import sales_activity_progress, sales_target_report, xlsx_base
