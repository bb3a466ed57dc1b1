# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesCreditGradeChange(models.Model):
    """CRD-6: a proposed change of a customer's credit grade.

    Access: salespersons propose for the customers they read and see their own
    proposals; sales managers see all; general managers and the finance manager
    (Accounting administrators) decide, never their own proposal (APR-4).
    Approval sets the grade and the customer's payment terms; the old grade
    stays on the request, which is the grade's history.
    """

    _name = "sales.credit.grade.change"
    _description = "Credit Grade Change"
    _inherit = ["sales.approval.mixin"]
    _order = "id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        domain=[("customer_archive", "=", True), ("parent_id", "=", False)],
        tracking=True,
    )
    old_grade_id = fields.Many2one(
        "sales.credit.grade",
        string="Current Grade",
        compute="_compute_old_grade_id",
        store=True,
        readonly=True,
        help="The grade when the request was made; kept once decided.",
    )
    new_grade_id = fields.Many2one(
        "sales.credit.grade", string="Proposed Grade", required=True, tracking=True
    )
    reason = fields.Text(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.depends("partner_id")
    def _compute_old_grade_id(self):
        for change in self:
            if change.state == "draft":
                change.old_grade_id = change.partner_id.credit_grade_id

    @api.depends("partner_id", "new_grade_id")
    def _compute_display_name(self):
        for change in self:
            change.display_name = self.env._(
                "%(partner)s: grade %(old)s → %(new)s",
                partner=change.partner_id.display_name or "",
                old=change.old_grade_id.code or "-",
                new=change.new_grade_id.code or "-",
            )

    @api.constrains("partner_id")
    def _check_partner(self):
        for change in self:
            partner = change.partner_id
            if not partner.customer_archive or partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "A credit grade is proposed for a customer archive (a company or an "
                        "individual, not a contact): %(partner)s is not one (CRD-6).",
                        partner=partner.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # ARC-4: a grade is proposed for a customer the proposer may read
        self._check_readable_customers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_readable_customers([vals])
        return super().write(vals)

    def _get_approvers(self):
        return (
            self.env.ref("sales_dept_policy.group_general_manager").sudo().all_user_ids
            | self.env.ref("account.group_account_manager").sudo().all_user_ids
        ).filtered(lambda u: not u.share)

    def _get_concerned_users(self):
        return self.create_uid

    def _check_submit(self):
        self.ensure_one()
        if self.new_grade_id == self.partner_id.credit_grade_id:
            raise ValidationError(
                self.env._(
                    "%(partner)s already has grade %(grade)s (CRD-6).",
                    partner=self.partner_id.display_name,
                    grade=self.new_grade_id.code,
                )
            )
        if not (self.reason or "").strip():
            raise ValidationError(self.env._("Give the reason for the grade change (CRD-6)."))

    def _on_approved(self):
        for change in self:
            # keep the grade the customer had when it was decided
            change._approval_write({"old_grade_id": change.partner_id.credit_grade_id.id})
            # the deciders (general manager, finance manager) read archives but do
            # not edit them (ARC-3): the approved grade and its payment terms are
            # written as superuser, on this customer only (CRD-6).
            change.partner_id.sudo().write(
                {
                    "credit_grade_id": change.new_grade_id.id,
                    "property_payment_term_id": change.new_grade_id.payment_term_id.id,
                }
            )
            # posted as the decider, who may not write the customer (see above)
            change.partner_id.sudo().message_post(
                author_id=self.env.user.partner_id.id,
                body=self.env._(
                    "Credit grade %(old)s → %(new)s, approved by %(user)s. Reason: %(reason)s",
                    old=change.old_grade_id.code or "-",
                    new=change.new_grade_id.code,
                    user=self.env.user.name,
                    reason=change.reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
