# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesApprovalRejectWizard(models.TransientModel):
    """Asks the approver why a request is rejected (APR-1).

    The rejection itself, with every guard, is the request's ``action_reject``;
    the wizard only names requests of the policy's approval flow.
    """

    _name = "sales.approval.reject.wizard"
    _description = "Reject a Sales Policy Request"

    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_ids = fields.Json(string="Records", required=True, readonly=True)
    reason = fields.Text(required=True, help="Why the request is rejected; posted on its chatter.")

    @api.model
    def _approval_models(self):
        return self.env.registry.descendants(["sales.approval.mixin"], "_inherit") - {
            "sales.approval.mixin"
        }

    def _requests(self):
        """The requests to reject, or a clear refusal for anything else (APR-1)."""
        self.ensure_one()
        ids = self.res_ids if isinstance(self.res_ids, list) else [self.res_ids]
        if (
            self.res_model not in self._approval_models()
            or self.env[self.res_model]._abstract
            or not ids
            or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
        ):
            raise UserError(
                self.env._(
                    "Only requests of the Sales Policy approval flow are rejected here (APR-1)."
                )
            )
        records = self.env[self.res_model].browse(ids).exists()
        if len(records) != len(set(ids)):
            raise UserError(self.env._("The request to reject no longer exists (APR-1)."))
        return records

    def action_confirm(self):
        self._requests().action_reject(reason=self.reason or "")
        return {"type": "ir.actions.act_window_close"}
