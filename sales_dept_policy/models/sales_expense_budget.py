# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..policy import budget as bud

#: BUD-1: the kinds of a budget line (the selection; Odoo translates the labels)
KIND_SELECTION = list(bud.KIND_LABELS)


#: BUD-2: what a trip or a claim does to its month's budget before it is approved
#: (``sales.trip.budget_status``, ``hr.expense.budget_status``)
BUDGET_STATUS = [
    ("within", "Within Budget"),
    ("over", "Over Budget"),
    ("no_budget_gm", "No Budget: General Manager"),
    ("no_budget_block", "No Budget: Blocked"),
    ("no_budget_allow", "No Budget: Allowed"),
]


class SalesExpenseBudget(models.Model):
    """BUD-1: a salesperson's sales expense budget for a year (部门费用预算).

    Split into lines by month and kind (travel, entertainment, other); set by the
    sales manager, approved by the general manager on the one approval flow
    (APR-1..5; never for their own budget) and locked once approved (APR-3). An
    approved budget changes only through a revision (``sales.expense.budget.revision``):
    a new request with its reason, approved by the general manager, which keeps the
    previous figures. The department's budget is the sum of its salespeople's.

    What consumes it (BUD-2) comes from the records, never typed: each line's
    committed (approved trips not yet settled, at their estimate) and actual
    (approved claims) amounts, in company currency.

    Access: a salesperson reads their own budgets (record rules on ``user_id``);
    sales managers read, set and submit all; the general managers approve.
    """

    _name = "sales.expense.budget"
    _description = "Sales Expense Budget"
    _inherit = ["sales.approval.mixin"]
    _order = "year desc, user_id, id desc"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        domain=[("share", "=", False)],
        tracking=True,
        help="BUD-1: whose budget it is: their approved trips and claims consume it.",
    )
    year = fields.Integer(
        required=True,
        index=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    line_ids = fields.One2many("sales.expense.budget.line", "budget_id", string="Months", copy=True)
    revision_ids = fields.One2many(
        "sales.expense.budget.revision", "budget_id", string="Revisions", readonly=True
    )
    revision_count = fields.Integer(compute="_compute_revision_count")
    note = fields.Text(help="What the sales manager wants the general manager to know.")
    amount_total = fields.Monetary(
        string="Budget",
        compute="_compute_amounts",
        store=True,
        aggregator="sum",
        help="BUD-1: the year's budget: the sum of its months and kinds.",
    )
    amount_travel = fields.Monetary(
        string="Travel", compute="_compute_amounts", store=True, aggregator="sum"
    )
    amount_entertainment = fields.Monetary(
        string="Entertainment", compute="_compute_amounts", store=True, aggregator="sum"
    )
    amount_other = fields.Monetary(
        string="Other", compute="_compute_amounts", store=True, aggregator="sum"
    )
    committed_total = fields.Monetary(
        string="Committed",
        compute="_compute_consumption",
        help="BUD-2: the estimates of the approved trips whose claim is not settled yet.",
    )
    actual_total = fields.Monetary(
        string="Actual",
        compute="_compute_consumption",
        help="BUD-2: the approved claims, in company currency.",
    )
    remaining_total = fields.Monetary(
        string="Remaining",
        compute="_compute_consumption",
        help="BUD-2: budget − committed − actual; below zero, over the budget.",
    )

    _user_year_company_uniq = models.Constraint(
        "UNIQUE (user_id, year, company_id)",
        "One expense budget per salesperson and year (BUD-1).",
    )

    @api.depends("user_id", "year")
    def _compute_display_name(self):
        for budget in self:
            budget.display_name = self.env._(
                "Budget %(year)s · %(user)s", year=budget.year or "", user=budget.user_id.name or ""
            )

    @api.depends("line_ids.amount", "line_ids.kind")
    def _compute_amounts(self):
        for budget in self:
            by_kind = defaultdict(float)
            for line in budget.line_ids:
                by_kind[line.kind] += line.amount
            budget.amount_total = sum(by_kind.values())
            budget.amount_travel = by_kind["travel"]
            budget.amount_entertainment = by_kind["entertainment"]
            budget.amount_other = by_kind["other"]

    def _compute_consumption(self):
        lines = self.line_ids
        # one batch for all the budgets' lines (BUD-2)
        lines.mapped("remaining")
        for budget in self:
            committed = sum(budget.line_ids.mapped("committed"))
            actual = sum(budget.line_ids.mapped("actual"))
            budget.committed_total = committed
            budget.actual_total = actual
            budget.remaining_total = bud.remaining(budget.amount_total, committed, actual)

    def _compute_revision_count(self):
        for budget in self:
            budget.revision_count = len(budget.revision_ids)

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    @api.constrains("year")
    def _check_year(self):
        for budget in self:
            if not 2000 <= budget.year <= 2999:
                raise ValidationError(
                    self.env._("Year %(year)s of a budget is not valid (BUD-1).", year=budget.year)
                )

    def _check_unique_year(self, vals_list):
        """BUD-1: one budget per salesperson and year in a company, said by name
        before the unique constraint (the last guard) would. ``vals_list``:
        ``[(vals, budget)]``, the budget empty for a new one."""
        self._check_unique_keys(
            [
                (
                    (
                        vals.get("user_id", budget.user_id.id),
                        vals.get("year", budget.year),
                        vals.get("company_id", budget.company_id.id or self.env.company.id),
                    ),
                    budget,
                )
                for vals, budget in vals_list
            ],
            ("user_id", "year", "company_id"),
            self._duplicate_error,
        )

    def _duplicate_error(self, user_id, year, _company_id):
        return ValidationError(
            self.env._(
                "%(user)s already has an expense budget for %(year)s: one budget per "
                "salesperson and year; revise it instead (BUD-1).",
                user=self.env["res.users"].sudo().browse(user_id).name,
                year=year,
            )
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        defaults = self.default_get(["year", "company_id"])
        vals_list = [{**defaults, **vals} for vals in vals_list]
        if all(vals.get("state", "draft") == "draft" for vals in vals_list):
            # (a request made in a decided state is the flow's to refuse first, APR-5)
            self._check_unique_year([(vals, self.browse()) for vals in vals_list])
        budgets = super().create(vals_list)
        for budget in budgets.filtered(lambda b: not b.line_ids):
            budget._create_lines()
        return budgets

    def write(self, vals):
        if {"user_id", "year", "company_id"} & set(vals):
            self._check_unique_year([(vals, budget) for budget in self])
        return super().write(vals)

    def _create_lines(self):
        """BUD-1: a new budget has a line for each month and kind, at zero, for the
        manager to fill in (made by the policy, on a draft only)."""
        self.ensure_one()
        self.env["sales.expense.budget.line"].sudo().create(
            [
                {"budget_id": self.id, "month": month, "kind": kind, "amount": 0.0}
                for month in bud.year_months(self.year)
                for kind in bud.KINDS
            ]
        )

    # ------------------------------------------------------------------
    # Approval (APR-1..5): the general manager approves
    # ------------------------------------------------------------------
    def _get_approvers(self):
        return self.env.ref("sales_dept_policy.group_general_manager").sudo().all_user_ids

    def _get_concerned_users(self):
        return self.user_id

    def _check_submit(self):
        self.ensure_one()
        if not self.line_ids or self.currency_id.is_zero(self.amount_total):
            raise UserError(
                self.env._(
                    "Set the amounts of %(budget)s before submitting it (BUD-1).",
                    budget=self.display_name,
                )
            )

    def _on_approved(self):
        for budget in self:
            budget.message_post(
                body=self.env._(
                    "Budget of %(amount)s approved by %(user)s: locked; an approved budget "
                    "changes only through a revision (BUD-1, APR-3).",
                    amount=budget.currency_id.format(budget.amount_total),
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_revise(self):
        """BUD-1: open a revision of the approved budget's months not over yet."""
        self.ensure_one()
        if not self.env["res.users"]._sales_policy_current_is_manager():
            raise UserError(self.env._("Only a sales manager revises a budget (BUD-1)."))
        if self.state != "approved":
            raise UserError(
                self.env._(
                    "%(budget)s is not approved: change its draft instead (BUD-1).",
                    budget=self.display_name,
                )
            )
        Revision = self.env["sales.expense.budget.revision"]
        revision = Revision.create(
            {
                "budget_id": self.id,
                "reason": self.env._("Budget review"),
                "line_ids": Revision._prepare_lines(self, fields.Date.context_today(self)),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.expense.budget.revision",
            "res_id": revision.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_open_revisions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Revisions"),
            "res_model": "sales.expense.budget.revision",
            "view_mode": "list,form",
            "domain": [("budget_id", "=", self.id)],
            "context": {"create": False},
        }

    @api.model
    def _department_total(self, year):
        """BUD-1: the department's budget of the year: the sum of the approved budgets
        (of the current company)."""
        groups = self._read_group(
            [
                ("year", "=", year),
                ("state", "=", "approved"),
                ("company_id", "=", self.env.company.id),
            ],
            [],
            ["amount_total:sum"],
        )
        return groups[0][0] or 0.0


class SalesExpenseBudgetLine(models.Model):
    """BUD-1..3: one month and kind of a budget, against what consumes it.

    ``amount`` is set by the sales manager on a draft (an approved budget changes
    through a revision only); ``committed``, ``actual`` and ``remaining`` are
    computed from the records, never typed, for all the lines at once: the
    approved trips of the salesperson departing in the month commit their estimate
    until their claim is settled (travel); the approved claims (``hr.expense``) of
    the month and kind are actual, a trip's claims in its month as travel.
    Access: as its budget (record rules on ``user_id``).
    """

    _name = "sales.expense.budget.line"
    _description = "Sales Expense Budget Line"
    _inherit = ["sales.policy.guard"]
    _order = "budget_id, month, kind"
    _check_company_auto = True

    #: BUD-2: the figures come from the records, never from a client
    _policy_protected_fields = frozenset({"committed", "actual", "remaining", "over_budget"})

    budget_id = fields.Many2one(
        "sales.expense.budget",
        string="Expense Budget",
        required=True,
        index=True,
        ondelete="cascade",
    )
    user_id = fields.Many2one(
        related="budget_id.user_id", string="Salesperson", store=True, index=True
    )
    year = fields.Integer(related="budget_id.year", store=True, index=True)
    company_id = fields.Many2one(related="budget_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="budget_id.currency_id", store=True)
    budget_state = fields.Selection(
        related="budget_id.state", string="Budget Status", store=True, index=True
    )
    month = fields.Date(
        required=True,
        index=True,
        help="BUD-1: the month, kept as its first day (any day given is taken as its month).",
    )
    kind = fields.Selection(KIND_SELECTION, required=True, index=True)
    amount = fields.Monetary(string="Budget", aggregator="sum")
    committed = fields.Monetary(
        compute="_compute_consumption",
        help="BUD-2: the estimates of the salesperson's approved trips departing in the "
        "month whose claim is not settled yet (less what their approved claims spent).",
    )
    actual = fields.Monetary(
        compute="_compute_consumption",
        help="BUD-2: the salesperson's approved claims of the month and kind, in company "
        "currency (a trip's claims count in the trip's month, as travel).",
    )
    remaining = fields.Monetary(
        compute="_compute_consumption",
        help="BUD-2: budget − committed − actual; below zero, over the budget.",
    )
    over_budget = fields.Boolean(compute="_compute_consumption")

    _budget_month_kind_uniq = models.Constraint(
        "UNIQUE (budget_id, month, kind)", "A budget has one line per month and kind (BUD-1)."
    )
    _month_first_day = models.Constraint(
        "CHECK (EXTRACT(DAY FROM month) = 1)",
        "A budget line's month is kept as its first day (BUD-1).",
    )
    _amount_positive = models.Constraint(
        "CHECK (amount >= 0)", "A budget amount cannot be negative (BUD-1)."
    )

    @api.depends("budget_id", "month", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for line in self:
            month = line.month.strftime("%Y-%m") if line.month else ""
            line.display_name = f"{line.user_id.name or ''} · {month} · {kinds.get(line.kind, '')}"

    @api.depends("budget_id.user_id", "budget_id.company_id", "month", "kind", "amount")
    def _compute_consumption(self):
        lines = self.filtered(lambda ln: ln.budget_id.user_id and ln.month and ln.kind)
        consumed = {}
        if lines:
            consumed = self._consumption(
                lines.company_id.ids,
                lines.user_id.ids,
                min(lines.mapped("month")),
                bud.next_month_start(max(lines.mapped("month"))),
            )
        for line in self:
            committed, actual = consumed.get(line._key(), (0.0, 0.0))
            line.committed = committed
            line.actual = actual
            line.remaining = bud.remaining(line.amount, committed, actual)
            line.over_budget = line.currency_id.compare_amounts(line.remaining, 0.0) < 0

    def _key(self):
        self.ensure_one()
        return (self.company_id.id, self.user_id.id, self.month, self.kind)

    # ------------------------------------------------------------------
    # What consumes the budgets (BUD-2): one source for the lines, the checks
    # before approval and the report
    # ------------------------------------------------------------------
    @api.model
    def _consumption(self, company_ids, user_ids, start, end):
        """BUD-2: ``{(company, user, month, kind): (committed, actual)}`` for the months
        from ``start`` (included) to ``end`` (excluded), in two grouped queries: the
        approved trips' commitments (travel) and the approved claims.

        The figures of the salespeople's trips and claims are read as superuser:
        their budget is shown to whoever reads it (the salesperson, the managers),
        and a manager does not read every claim of the team; only sums leave here."""
        if not (company_ids and user_ids and start and end):
            return {}
        result = defaultdict(lambda: [0.0, 0.0])
        trips = (
            self.env["sales.trip"]
            .sudo()
            ._read_group(
                [
                    ("state", "=", "approved"),
                    ("budget_committed", "!=", 0),
                    ("user_id", "in", list(user_ids)),
                    ("company_id", "in", list(company_ids)),
                    ("budget_month", ">=", start),
                    ("budget_month", "<", end),
                ],
                ["company_id", "user_id", "budget_month:month"],
                ["budget_committed:sum"],
            )
        )
        for company, user, month, amount in trips:
            result[company.id, user.id, fields.Date.to_date(month), "travel"][0] += amount
        expenses = (
            self.env["hr.expense"]
            .sudo()
            ._read_group(
                [
                    ("budget_actual", "!=", 0),
                    ("budget_user_id", "in", list(user_ids)),
                    ("company_id", "in", list(company_ids)),
                    ("budget_month", ">=", start),
                    ("budget_month", "<", end),
                ],
                ["company_id", "budget_user_id", "budget_month:month", "budget_kind"],
                ["budget_actual:sum"],
            )
        )
        for company, user, month, kind, amount in expenses:
            result[company.id, user.id, fields.Date.to_date(month), kind][1] += amount
        return {key: tuple(values) for key, values in result.items()}

    @api.model
    def _approved_amounts(self, keys):
        """BUD-2: ``{(company, user, month, kind): amount}`` of the approved budgets'
        lines for ``keys`` (a key without an approved line has no budget). Read as
        superuser: the check before approval is made for whoever decides."""
        keys = [key for key in keys if all(key)]
        if not keys:
            return {}
        lines = self.sudo().search_fetch(
            [
                ("budget_state", "=", "approved"),
                ("company_id", "in", list({k[0] for k in keys})),
                ("user_id", "in", list({k[1] for k in keys})),
                ("month", "in", list({k[2] for k in keys})),
            ],
            ["company_id", "user_id", "month", "kind", "amount"],
        )
        wanted = set(keys)
        return {line._key(): line.amount for line in lines if line._key() in wanted}

    @api.model
    def _missing_policy(self):
        """BUD-2: the setting for a month without a budget (block, gm, allow)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("sales_dept_policy.budget_missing_policy", bud.DEFAULT_MISSING_POLICY)
        )
        return bud.missing_policy(value)

    @api.model
    def _check_items(self, items, cumulative=True):
        """BUD-2: the checks (``policy.budget.Check``) of approving ``items``, a list of
        ``((company, user, month, kind), amount)``, in order. ``cumulative``: each
        item's month counts what the items before it add (a batch approved together is
        checked as a whole); else each is checked alone (what a form shows). Three
        queries for the whole list."""
        keys = {key for key, _amount in items if all(key)}
        if not keys:
            return [None] * len(items)
        budgets = self._approved_amounts(keys)
        months = [key[2] for key in keys]
        consumed = self._consumption(
            [key[0] for key in keys],
            [key[1] for key in keys],
            min(months),
            bud.next_month_start(max(months)),
        )
        policy = self._missing_policy()
        added = defaultdict(float)
        checks = []
        for key, amount in items:
            if not all(key):
                checks.append(None)
                continue
            committed, actual = consumed.get(key, (0.0, 0.0))
            check = bud.check(amount, budgets.get(key), committed + actual + added[key], policy)
            checks.append(check)
            if cumulative:
                added[key] += max(amount, 0.0)
        return checks

    @api.model
    def _status_sentence(self, check):
        """The check's status in the reader's language."""
        if not check:
            return False
        return self.env._(bud.STATUSES[check.status])

    @api.model
    def _budget_used_rows(self, date_from, date_to):
        """BUD-3 for the quarterly and annual meeting agendas (MTG-2: budget used).

        One row per salesperson over the months from ``date_from``'s to ``date_to``'s
        (both included), in the current company and its currency, sorted by name::

            {"user_id": int, "user_name": str, "budget": float, "committed": float,
             "actual": float, "used": float (committed + actual), "remaining": float,
             "signed": float, "expense_per_10k": float or None}

        Figures of the personal expense report (``sales.expense.report``): approved
        budgets, approved trips and claims, signed sales as the targets count them.
        The caller's rights apply (a salesperson gets their own row only); the agenda
        job, which writes for every attendee, calls it as superuser."""
        start = bud.month_start(fields.Date.to_date(date_from))
        end = bud.month_start(fields.Date.to_date(date_to))
        groups = self.env["sales.expense.report"]._read_group(
            [
                ("date", ">=", start),
                ("date", "<=", end),
                ("company_id", "=", self.env.company.id),
            ],
            ["user_id"],
            ["budget:sum", "committed:sum", "actual:sum", "signed:sum"],
        )
        rows = []
        for user, budget, committed, actual, signed in groups:
            rows.append(
                {
                    "user_id": user.id,
                    "user_name": user.name or "",
                    "budget": budget,
                    "committed": committed,
                    "actual": actual,
                    "used": committed + actual,
                    "remaining": bud.remaining(budget, committed, actual),
                    "signed": signed,
                    "expense_per_10k": bud.expense_per_sales_unit(actual, signed),
                }
            )
        return sorted(rows, key=lambda row: (row["user_name"], row["user_id"]))

    # ------------------------------------------------------------------
    # CRUD: the lines of a submitted or decided budget are locked (APR-3)
    # ------------------------------------------------------------------
    def _check_budget_draft(self, budgets):
        budgets._check_lines_editable(
            self.env._(
                "%(budget)s is %(state)s and locked (APR-3): its amounts change on a "
                "draft, or through a revision once approved (BUD-1)."
            ),
            "budget",
        )

    @api.model
    def _normalise_vals(self, vals):
        if vals.get("month"):
            vals = dict(vals, month=bud.month_start(fields.Date.to_date(vals["month"])))
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        self._check_policy_write(vals_list)
        vals_list = [self._normalise_vals(vals) for vals in vals_list]
        self._check_budget_draft(
            self.env["sales.expense.budget"].browse(
                [vals["budget_id"] for vals in vals_list if vals.get("budget_id")]
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_policy_write([vals], allow_su=False)
        vals = self._normalise_vals(vals)
        if "budget_id" in vals and any(line.budget_id.id != vals["budget_id"] for line in self):
            raise UserError(self.env._("A budget line stays on its budget (BUD-1)."))
        self._check_budget_draft(self.budget_id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        self._check_budget_draft(self.budget_id.filtered(lambda b: b.state != "cancelled"))

    def _write_amount(self, amount):
        """The policy's write of an approved line's amount (BUD-1): an approved
        revision, after its checks. Private: no client reaches it."""
        if amount < 0:
            raise ValidationError(self.env._("A budget amount cannot be negative (BUD-1)."))
        return super().write({"amount": amount})

    @api.constrains("month", "budget_id")
    def _check_month_in_year(self):
        for line in self:
            if line.month and line.month.year != line.budget_id.year:
                raise ValidationError(
                    self.env._(
                        "Month %(month)s is outside the year %(year)s of %(budget)s (BUD-1).",
                        month=line.month.strftime("%Y-%m"),
                        year=line.budget_id.year,
                        budget=line.budget_id.display_name,
                    )
                )

    @api.model
    def _kind_labels(self):
        return dict(self._fields["kind"]._description_selection(self.env))
