# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..policy import targets as qta


class SalesTargetRevision(models.Model):
    """QTA-6: a quarterly revision of the remaining months of an approved target.

    A sales manager proposes new amounts for the months not started yet, with a
    reason; a general manager approves (never for their own target); approval
    writes the new split, and the revision keeps the previous figures. The
    year's total does not change.
    """

    _name = "sales.target.revision"
    _description = "Sales Target Revision"
    _inherit = ["sales.approval.mixin"]
    _order = "id desc"

    target_id = fields.Many2one("sales.target", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one(related="target_id.user_id", store=True, index=True)
    reason = fields.Text(required=True, tracking=True)
    line_ids = fields.One2many("sales.target.revision.line", "revision_id", string="Months")
    currency_id = fields.Many2one(related="target_id.currency_id")
    company_id = fields.Many2one(related="target_id.company_id", store=True, index=True)

    @api.depends("target_id")
    def _compute_display_name(self):
        for revision in self:
            revision.display_name = self.env._(
                "Revision of %(target)s", target=revision.target_id.display_name or ""
            )

    def _get_approvers(self):
        return self.env.ref("sales_dept_policy.group_general_manager").sudo().all_user_ids

    def _get_concerned_users(self):
        return self.target_id.user_id

    @api.model
    def _prepare_lines(self, target, today):
        return [
            fields.Command.create({"period_id": period.id, "new_amount": period.target_amount})
            for period in target.period_ids.sorted("date_from")
            if period.date_from > today
        ]

    def _check_submit(self):
        self.ensure_one()
        if self.target_id.state != "approved":
            raise ValidationError(self.env._("Only an approved target is revised (QTA-6)."))
        today = fields.Date.context_today(self)
        if any(line.period_id.date_from <= today for line in self.line_ids):
            raise ValidationError(
                self.env._("Only the months not started yet are revised (QTA-6).")
            )
        gap = qta.split_error(
            self.line_ids.mapped("new_amount"), sum(self.line_ids.mapped("old_amount"))
        )
        if gap is not None:
            raise ValidationError(
                self.env._(
                    "The revised months must keep the year's total: %(gap)s off (QTA-6).", gap=gap
                )
            )

    def _on_approved(self):
        for revision in self:
            for line in revision.line_ids:
                # the approved target's months are locked (APR-3): only an approved
                # revision writes them
                line.period_id._write_split(line.new_amount)
            revision.target_id.message_post(
                body=self.env._(
                    "Monthly split revised (QTA-6), approved by %(user)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    reason=revision.reason,
                ),
                subtype_xmlid="mail.mt_note",
            )


class SalesTargetRevisionLine(models.Model):
    _name = "sales.target.revision.line"
    _description = "Sales Target Revision Month"
    _order = "revision_id, period_id"

    revision_id = fields.Many2one(
        "sales.target.revision", required=True, index=True, ondelete="cascade"
    )
    period_id = fields.Many2one("sales.target.period", string="Month", required=True)
    date_from = fields.Date(related="period_id.date_from")
    currency_id = fields.Many2one(related="revision_id.currency_id")
    old_amount = fields.Monetary(
        string="Previous Target",
        compute="_compute_old_amount",
        store=True,
        help="The month's target when the revision was drafted; kept once decided (QTA-6).",
    )
    new_amount = fields.Monetary(string="Revised Target")

    @api.depends("period_id")
    def _compute_old_amount(self):
        for line in self:
            if line.revision_id.state in (False, "draft") or not line.old_amount:
                line.old_amount = line.period_id.target_amount

    @api.constrains("new_amount")
    def _check_new_amount(self):
        if any(line.new_amount < 0 for line in self):
            raise ValidationError(self.env._("A month's target cannot be negative (QTA-3)."))

    def _check_revision_draft(self, revisions):
        if not self.env.su and any(revision.state != "draft" for revision in revisions):
            raise ValidationError(self.env._("A submitted revision is locked (APR-3)."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_revision_draft(
            self.env["sales.target.revision"].browse(
                [vals["revision_id"] for vals in vals_list if vals.get("revision_id")]
            )
        )
        if not self.env.su and any("old_amount" in vals for vals in vals_list):
            raise UserError(self.env._("The previous target is the month's own (QTA-6, APR-5)."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_revision_draft(self.revision_id)
        if not self.env.su and "old_amount" in vals:
            raise UserError(self.env._("The previous target is the month's own (QTA-6, APR-5)."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        self._check_revision_draft(self.revision_id)

    @api.constrains("period_id", "revision_id")
    def _check_period(self):
        for line in self:
            if line.period_id.target_id != line.revision_id.target_id:
                raise ValidationError(
                    self.env._("A revision revises the months of its own target (QTA-6).")
                )
