from . import sales_approval_reject_wizard
