# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .sales_approval_mixin import WORKFLOW_FIELDS as _WORKFLOW_FIELDS


class SalesOrderDeviation(models.Model):
    """CRD-5: one role's approval of an order's deviation from the policy.

    An order below the pricelist, above the discount limit or with other terms
    needs a ``manager`` request; a major contract a ``general_manager`` one as
    well. A request approves the order as it was when requested (its
    fingerprint): a later change of prices or terms needs a new approval.

    Access: the order's salesperson creates and reads the requests of their
    orders; sales managers read all; the approvers of the role decide, never
    for an order of their own or a request they submitted (APR-4).
    """

    _name = "sales.order.deviation"
    _description = "Sales Order Deviation Approval"
    _inherit = ["sales.approval.mixin"]
    _order = "id desc"

    #: APR-5: what is approved is the order as the policy read it
    _policy_protected_fields = _WORKFLOW_FIELDS | {
        "order_id",
        "role",
        "reason_details",
        "fingerprint",
    }

    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one(
        related="order_id.user_id", string="Salesperson", store=True, index=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    amount_untaxed = fields.Monetary(related="order_id.amount_untaxed")
    currency_id = fields.Many2one(related="order_id.currency_id")
    role = fields.Selection(
        selection=[("manager", "Sales Manager"), ("general_manager", "General Manager")],
        string="Approver Role",
        required=True,
    )
    reason_details = fields.Json(
        readonly=True,
        help="CRD-5: the order's reasons when it was requested, as the policy's codes.",
    )
    reasons = fields.Text(compute="_compute_reasons", help="Why the order needed approval (CRD-5).")
    fingerprint = fields.Char(readonly=True, copy=False)
    company_id = fields.Many2one(related="order_id.company_id", store=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "A deviation approval is requested from its order, with the order's "
                    "own figures (CRD-5, APR-5): use Request Approval on the quotation."
                )
            )
        return super().create(vals_list)

    @api.depends("reason_details")
    @api.depends_context("lang")
    def _compute_reasons(self):
        for request in self:
            request.reasons = (
                self.env["sale.order"]._deviation_text(request.reason_details) or False
            )

    @api.depends("order_id", "role")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for request in self:
            request.display_name = f"{request.order_id.name or ''} ({roles.get(request.role, '')})"

    def _get_approvers(self):
        group = {
            "manager": "sales_dept_policy.group_sales_manager",
            "general_manager": "sales_dept_policy.group_general_manager",
        }[self.role]
        return self.env.ref(group).sudo().all_user_ids

    def _get_concerned_users(self):
        return self.order_id.user_id

    def _approval_title(self):
        return self.env._(
            "Deviation on %(order)s: %(reasons)s",
            order=self.order_id.name,
            reasons=(self.reasons or "").replace("\n", "; "),
        )

    def _post_on_order(self, body):
        for request in self:
            request.order_id.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _on_approved(self):
        for request in self:
            request._post_on_order(
                self.env._(
                    "Deviation approved by %(user)s (%(role)s): %(reasons)s",
                    user=self.env.user.name,
                    role=dict(self._fields["role"]._description_selection(self.env))[request.role],
                    reasons=(request.reasons or "").replace("\n", "; "),
                )
            )

    def _on_rejected(self):
        for request in self:
            request._post_on_order(
                self.env._(
                    "Deviation rejected by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=request.reject_reason,
                )
            )
