# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..policy import budget as bud


class SalesExpenseBudgetRevision(models.Model):
    """BUD-1: a revision of an approved expense budget, as QTA-6 revises targets.

    A sales manager proposes new amounts for the months not over yet, with a
    reason; a general manager approves it (never for their own budget, APR-4);
    approval writes the new amounts into the budget, and the revision keeps the
    previous figures: the budget's revisions are its history. Access: as the
    budget (a salesperson reads the revisions of their own budget).
    """

    _name = "sales.expense.budget.revision"
    _description = "Sales Expense Budget Revision"
    _inherit = ["sales.approval.mixin"]
    _order = "id desc"
    _check_company_auto = True

    budget_id = fields.Many2one(
        "sales.expense.budget", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        related="budget_id.user_id", string="Salesperson", store=True, index=True
    )
    year = fields.Integer(related="budget_id.year", store=True)
    company_id = fields.Many2one(related="budget_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="budget_id.currency_id")
    reason = fields.Text(required=True, tracking=True, help="BUD-1: why the budget changes.")
    line_ids = fields.One2many(
        "sales.expense.budget.revision.line", "revision_id", string="Revised Months"
    )
    old_total = fields.Monetary(string="Previous Total", compute="_compute_totals")
    new_total = fields.Monetary(string="Revised Total", compute="_compute_totals")

    @api.depends("budget_id")
    def _compute_display_name(self):
        for revision in self:
            revision.display_name = self.env._(
                "Revision of %(budget)s", budget=revision.budget_id.display_name or ""
            )

    @api.depends("line_ids.old_amount", "line_ids.new_amount")
    def _compute_totals(self):
        for revision in self:
            revision.old_total = sum(revision.line_ids.mapped("old_amount"))
            revision.new_total = sum(revision.line_ids.mapped("new_amount"))

    @api.model
    def _prepare_lines(self, budget, today):
        """BUD-1: a revision proposes the months not over yet at their amounts."""
        return [
            fields.Command.create({"budget_line_id": line.id, "new_amount": line.amount})
            for line in budget.line_ids.sorted(lambda ln: (ln.month, ln.kind))
            if bud.revisable(line.month, today)
        ]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env["res.users"]._sales_policy_current_is_manager():
            raise UserError(self.env._("Only a sales manager revises a budget (BUD-1)."))
        return super().create(vals_list)

    def _get_approvers(self):
        return self.env.ref("sales_dept_policy.group_general_manager").sudo().all_user_ids

    def _get_concerned_users(self):
        return self.budget_id.user_id

    def _check_submit(self):
        self.ensure_one()
        if self.budget_id.state != "approved":
            raise ValidationError(self.env._("Only an approved budget is revised (BUD-1)."))
        if not self.line_ids:
            raise ValidationError(self.env._("Add the months to revise before submitting (BUD-1)."))
        today = fields.Date.context_today(self)
        if any(not bud.revisable(line.month, today) for line in self.line_ids):
            raise ValidationError(self.env._("Only the months not over yet are revised (BUD-1)."))
        # one revision decided at a time: each keeps the figures it changed
        pending = self.search_count(
            [
                ("budget_id", "=", self.budget_id.id),
                ("state", "=", "submitted"),
                ("id", "!=", self.id),
            ],
            limit=1,
        )
        if pending:
            raise ValidationError(
                self.env._(
                    "%(budget)s has a revision waiting for a decision: one at a time (BUD-1).",
                    budget=self.budget_id.display_name,
                )
            )
        # the previous figures are the budget's as submitted: computed while a draft
        self.line_ids.flush_recordset(["old_amount"])

    def _on_approved(self):
        kinds = self.env["sales.expense.budget.line"]._kind_labels()
        for revision in self:
            changes = []
            for line in revision.line_ids:
                if line.budget_line_id.amount != line.new_amount:
                    changes.append(
                        f"{line.month.strftime('%Y-%m')} {kinds.get(line.kind, '')}: "
                        f"{revision.currency_id.format(line.old_amount)} → "
                        f"{revision.currency_id.format(line.new_amount)}"
                    )
                # the approved budget's lines are locked (APR-3): only an approved
                # revision writes them
                line.budget_line_id._write_amount(line.new_amount)
            revision.budget_id.message_post(
                body=self.env._(
                    "Budget revised (BUD-1), approved by %(user)s. Reason: %(reason)s. "
                    "Changes: %(changes)s",
                    user=self.env.user.name,
                    reason=revision.reason,
                    changes="; ".join(changes) or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )


class SalesExpenseBudgetRevisionLine(models.Model):
    """BUD-1: one month and kind of a revision: the previous amount, kept, and the
    revised one."""

    _name = "sales.expense.budget.revision.line"
    _description = "Sales Expense Budget Revision Line"
    _inherit = ["sales.policy.guard"]
    _order = "revision_id, month, kind"

    revision_id = fields.Many2one(
        "sales.expense.budget.revision", required=True, index=True, ondelete="cascade"
    )
    budget_line_id = fields.Many2one(
        "sales.expense.budget.line", string="Month and Kind", required=True, ondelete="cascade"
    )
    month = fields.Date(related="budget_line_id.month", store=True)
    kind = fields.Selection(related="budget_line_id.kind", store=True)
    currency_id = fields.Many2one(related="revision_id.currency_id")
    old_amount = fields.Monetary(
        string="Previous Budget",
        compute="_compute_old_amount",
        store=True,
        precompute=True,
        help="BUD-1: the month's budget before the revision; kept once it is submitted.",
    )
    new_amount = fields.Monetary(string="Revised Budget")

    @api.depends("budget_line_id.amount")
    def _compute_old_amount(self):
        for line in self:
            if line.revision_id.state in (False, "draft"):
                line.old_amount = line.budget_line_id.amount
            else:
                # submitted or decided: the figures it changed stay as they were
                line.old_amount = line.old_amount

    @api.constrains("new_amount")
    def _check_new_amount(self):
        if any(line.new_amount < 0 for line in self):
            raise ValidationError(self.env._("A budget amount cannot be negative (BUD-1)."))

    @api.constrains("budget_line_id", "revision_id")
    def _check_budget_line(self):
        for line in self:
            if line.budget_line_id.budget_id != line.revision_id.budget_id:
                raise ValidationError(
                    self.env._("A revision revises the lines of its own budget (BUD-1).")
                )

    def _check_revision_draft(self, revisions):
        if not self.env.su and any(revision.state != "draft" for revision in revisions):
            raise ValidationError(self.env._("A submitted revision is locked (APR-3)."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_policy_write(vals_list)
        self._check_revision_draft(
            self.env["sales.expense.budget.revision"].browse(
                [vals["revision_id"] for vals in vals_list if vals.get("revision_id")]
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_policy_write([vals], allow_su=False)
        self._check_revision_draft(self.revision_id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        self._check_revision_draft(self.revision_id)
