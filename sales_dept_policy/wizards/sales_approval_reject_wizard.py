# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SalesApprovalRejectWizard(models.TransientModel):
    """Asks the approver why a request is rejected (APR-1).

    The rejection itself, with every guard, is the request's ``action_reject``.
    """

    _name = "sales.approval.reject.wizard"
    _description = "Reject a Sales Policy Request"

    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_ids = fields.Json(string="Records", required=True, readonly=True)
    reason = fields.Text(required=True, help="Why the request is rejected; posted on its chatter.")

    def action_confirm(self):
        self.ensure_one()
        records = self.env[self.res_model].browse(self.res_ids or [])
        records.action_reject(reason=self.reason or "")
        return {"type": "ir.actions.act_window_close"}
