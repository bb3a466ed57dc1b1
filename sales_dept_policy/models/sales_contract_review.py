# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sales_approval_mixin import WORKFLOW_FIELDS as _WORKFLOW_FIELDS

#: ORD-1/2: what an order rests on, and the steps of its review
CONTRACT_KINDS = [
    ("contract", "Formal Contract"),
    ("no_contract", "No Contract"),
    ("phone_fax", "Order by Phone or Fax"),
]
_STEPS = {
    # ORD-1: 业务部经理确认审核, then 总经办审批
    "contract": ("manager", "general_manager"),
    # ORD-2: the sales manager or the general manager's office
    "no_contract": ("confirm",),
    "phone_fax": ("confirm",),
}


class SalesContractReview(models.Model):
    """ORD-1/2: the review of what an order rests on, before production starts.

    A formal contract is reviewed by a sales manager, then approved by the general
    manager's office (the general managers and deputies), with the signed contract
    attached (required to submit; kept on the order once approved). An order
    without a formal contract (the customer will not sign one, or an order by
    phone or fax) is approved by a sales manager or the general manager's office.
    Made by the order's own button from the order; the one approval flow decides
    it (never the order's salesperson, APR-4).

    Access: the order's salesperson reads and files the reviews of their orders;
    sales managers and general managers read all and decide.
    """

    _name = "sales.contract.review"
    _description = "Sales Contract Review"
    _inherit = ["sales.approval.mixin"]
    _order = "id desc"

    #: APR-5: the order and its kind are the order's, never the client's
    _policy_protected_fields = _WORKFLOW_FIELDS | {
        "order_id",
        "contract_kind",
        "terms_fingerprint",
    }

    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade")
    contract_kind = fields.Selection(
        CONTRACT_KINDS,
        required=True,
        help="ORD-1/2: a formal contract, no contract, or an order by phone or fax.",
    )
    user_id = fields.Many2one(
        related="order_id.user_id", string="Salesperson", store=True, index=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    amount_untaxed = fields.Monetary(related="order_id.amount_untaxed")
    currency_id = fields.Many2one(related="order_id.currency_id")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "sales_contract_review_attachment_rel",
        "review_id",
        "attachment_id",
        string="Signed Contract",
        help="ORD-1: the signed contract, required before a formal contract is submitted; "
        "kept on the order once approved.",
    )
    terms_fingerprint = fields.Char(
        readonly=True,
        copy=False,
        help="CRD-5: the hash of the order's prices, quantities, discounts and terms when "
        "the review was submitted: for a major contract, the review confirms these terms.",
    )
    is_major_contract = fields.Boolean(related="order_id.is_major_contract")
    note = fields.Text(help="What the reviewers should know of the terms agreed.")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "A contract review is requested from its order (ORD-1, APR-5): use "
                    "Request Contract Review on the quotation."
                )
            )
        return super().create(vals_list)

    @api.depends("order_id", "contract_kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["contract_kind"]._description_selection(self.env))
        for review in self:
            review.display_name = (
                f"{review.order_id.name or ''} ({kinds.get(review.contract_kind, '')})"
            )

    def _approval_steps(self):
        return _STEPS.get(self.contract_kind, ())

    def _get_approvers(self):
        # ORD-1: the sales manager reviews, then the general manager's office (the
        # general managers and deputies) approves; ORD-2: either approves
        return self._step_approvers()

    def _get_concerned_users(self):
        return self.order_id.user_id

    def _check_submit(self):
        self.ensure_one()
        if self.contract_kind == "contract" and not self.attachment_ids:
            raise ValidationError(
                self.env._(
                    "Attach the signed contract to %(review)s before submitting it (ORD-1).",
                    review=self.display_name,
                )
            )

    def _prepare_submit_vals(self):
        # CRD-5: what the reviewers confirm is the order as it is when submitted
        return {"terms_fingerprint": self.order_id.sudo()._terms_fingerprint()}

    def _on_approved(self):
        for review in self:
            # ORD-1: the signed contract is kept with the order (as superuser: the
            # deciders need not write the order's attachments)
            for attachment in review.sudo().attachment_ids:
                attachment.copy({"res_model": "sale.order", "res_id": review.order_id.id})
            review.order_id.message_post(
                body=self.env._(
                    "%(kind)s approved by %(user)s (ORD-1/2).",
                    kind=dict(self._fields["contract_kind"]._description_selection(self.env))[
                        review.contract_kind
                    ],
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _on_rejected(self):
        for review in self:
            review.order_id.message_post(
                body=self.env._(
                    "Contract review rejected by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=review.reject_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
