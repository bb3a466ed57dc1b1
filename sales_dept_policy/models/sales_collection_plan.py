# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..policy import collections as ord6

#: ORD-6: what a plan's identity is made of: one plan per salesperson and month
_PLAN_KEY_FIELDS = ("user_id", "month", "company_id")


def _collection_flush(env):
    """Flush what the collection queries read, so they see the pending writes."""
    env["account.partial.reconcile"].flush_model()
    env["account.move.line"].flush_model(["move_id", "journal_id", "date"])
    env["account.move"].flush_model()
    env["account.journal"].flush_model(["type"])


class SalesCollectionPlan(models.Model):
    """ORD-6: a salesperson's monthly collection plan (业务员应收账款回收计划表) and
    the month's collection report (本月应收账款回收月报表).

    The plan lists which of the salesperson's invoices they will collect in the
    month, how much and by when; the sales manager reviews it (the approval flow,
    APR-1..5: never the salesperson themself). The report is the same record once
    the month runs: each line sets what came in against what was planned, and
    the plan shows what the salesperson collected outside it.

    Money received is the payments' own (QTA-4, ORD-6): the part of an invoice
    paid by an entry of a bank or cash journal, on the payment's date, in company
    currency; a credit note reconciled with the invoice is no collection. The one
    source is ``sales.target.period._collected_rows_sql``.

    Access: a salesperson reads and files their own plans (record rules on
    ``user_id``) and only for themselves; sales managers read all, file them for
    their team and review them; approved plans and their lines are locked (APR-3).
    """

    _name = "sales.collection.plan"
    _description = "Collection Plan"
    _inherit = ["sales.approval.mixin"]
    _order = "month desc, user_id, id desc"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="ORD-6: whose plan it is: a salesperson files their own; the invoices planned "
        "are theirs (the invoice's salesperson).",
    )
    month = fields.Date(
        required=True,
        index=True,
        default=lambda self: ord6.month_start(fields.Date.context_today(self)),
        tracking=True,
        help="ORD-6: the month planned, kept as its first day (any day given is taken as "
        "its month).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    line_ids = fields.One2many(
        "sales.collection.plan.line", "plan_id", string="Planned Collections"
    )
    note = fields.Text(help="What the salesperson wants the manager to know of the month.")
    planned_total = fields.Monetary(
        string="Planned",
        compute="_compute_totals",
        store=True,
        help="ORD-6: the sum of the amounts planned on the lines.",
    )
    received_total = fields.Monetary(
        string="Received in Plan",
        compute="_compute_totals",
        store=True,
        help="ORD-6: what the payments brought in during the month on the planned invoices "
        "(bank and cash only; credit notes are not collections).",
    )
    difference_total = fields.Monetary(
        string="Difference",
        compute="_compute_totals",
        store=True,
        help="ORD-6: planned minus received; below zero, more came in than was planned.",
    )
    received_outside_plan = fields.Monetary(
        string="Collected Outside the Plan",
        compute="_compute_collected",
        help="ORD-6: what the salesperson collected in the month on invoices that are not "
        "in the plan.",
    )
    collected_total = fields.Monetary(
        string="Collected in the Month",
        compute="_compute_collected",
        help="ORD-6: everything the salesperson collected in the month, planned or not "
        "(the collected amount of their targets, QTA-4).",
    )
    eligible_invoice_ids = fields.Many2many(
        "account.move",
        string="Plannable Invoices",
        compute="_compute_eligible_invoice_ids",
        help="ORD-6: the salesperson's posted customer invoices open at the start of the "
        "month or due in it: the ones a line may plan.",
    )

    _user_month_company_uniq = models.Constraint(
        "UNIQUE (user_id, month, company_id)",
        "One collection plan per salesperson and month (ORD-6).",
    )
    _month_first_day = models.Constraint(
        "CHECK (EXTRACT(DAY FROM month) = 1)",
        "A collection plan's month is kept as its first day (ORD-6).",
    )

    @api.depends("user_id", "month")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "Collection plan %(month)s · %(user)s",
                month=ord6.month_label(plan.month),
                user=plan.user_id.name or "",
            )

    @api.depends("line_ids.planned_amount", "line_ids.received_amount")
    def _compute_totals(self):
        for plan in self:
            planned = sum(plan.line_ids.mapped("planned_amount"))
            received = sum(plan.line_ids.mapped("received_amount"))
            plan.planned_total = planned
            plan.received_total = received
            plan.difference_total = ord6.difference(planned, received)

    @api.depends("user_id", "month", "company_id", "line_ids.invoice_id")
    def _compute_collected(self):
        """ORD-6: one query for all the plans: the salespeople's month collections by
        invoice, split into the plan's invoices and the others."""
        collected = self._collected_by_plan_key()
        for plan in self:
            by_invoice = collected.get(plan._plan_key(), {})
            in_plan, outside = ord6.split_collected(
                by_invoice, plan.line_ids.invoice_id._origin.ids
            )
            plan.received_outside_plan = outside
            plan.collected_total = in_plan + outside

    @api.depends("user_id", "month", "company_id")
    def _compute_eligible_invoice_ids(self):
        plannable = self._plannable_invoices()
        Invoice = self.env["account.move"]
        for index, plan in enumerate(self):
            plan.eligible_invoice_ids = Invoice.browse(sorted(plannable.get(index, ())))

    # ------------------------------------------------------------------
    # The month's figures, from the records
    # ------------------------------------------------------------------
    def _plan_key(self):
        self.ensure_one()
        return (self.company_id.id, self.user_id.id, self.month)

    def _collected_by_plan_key(self):
        """ORD-6: ``{(company, salesperson, month): {invoice id: amount}}``: the money
        the payments brought in during each plan's month on its salesperson's invoices,
        in one query over the one source of collected cash (QTA-4)."""
        plans = self.filtered(lambda p: p.user_id and p.month and p.company_id)
        if not plans:
            return {}
        _collection_flush(self.env)
        start = min(plans.mapped("month"))
        end = ord6.next_month_start(max(plans.mapped("month")))
        rows = self.env.execute_query(
            SQL(
                """
                SELECT c.company_id, c.user_id, date_trunc('month', c.date)::date,
                       c.invoice_id, SUM(c.amount)
                  FROM (%s) c
                 WHERE c.user_id = ANY(%s) AND c.company_id = ANY(%s)
                   AND c.date >= %s AND c.date < %s
                 GROUP BY 1, 2, 3, 4
                """,
                self.env["sales.target.period"]._collected_rows_sql(),
                plans.user_id.ids,
                plans.company_id.ids,
                start,
                end,
            )
        )
        collected = defaultdict(dict)
        for company_id, user_id, month, invoice_id, amount in rows:
            collected[company_id, user_id, month][invoice_id] = amount
        return collected

    def _plannable_invoices(self, invoice_ids=None):
        """ORD-6: the invoices each plan of ``self`` may plan, by the plan's index in
        ``self``: the salesperson's posted customer invoices of the plan's company,
        open at the start of the month or due in it (``policy.collections
        .is_plannable``). One query for all the plans; ``invoice_ids`` narrows it to
        those invoices (the check of lines)."""
        keys = [
            (index, plan.user_id.id, plan.company_id.id, plan.month)
            for index, plan in enumerate(self)
            if plan.user_id and plan.company_id and plan.month
        ]
        if not keys:
            return {}
        _collection_flush(self.env)
        narrow = SQL("AND inv.id = ANY(%s)", list(invoice_ids)) if invoice_ids else SQL()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT k.idx, inv.id, COALESCE(inv.invoice_date, inv.date),
                       inv.invoice_date_due,
                       inv.amount_total_signed - COALESCE(paid.amount, 0.0), k.month_start
                  FROM unnest(%s::int[], %s::int[], %s::int[], %s::date[])
                       AS k(idx, user_id, company_id, month_start)
                  JOIN account_move inv
                    ON inv.invoice_user_id = k.user_id
                   AND inv.company_id = k.company_id
                   AND inv.move_type = 'out_invoice'
                   AND inv.state = 'posted'
                   %s
                  LEFT JOIN LATERAL (
                        -- what was settled before the month started, whatever settled
                        -- it (a payment or a credit note): the residual on its first day
                        SELECT SUM(apr.amount) AS amount
                          FROM account_move_line inv_line
                          JOIN account_partial_reconcile apr ON apr.debit_move_id = inv_line.id
                          JOIN account_move_line other ON other.id = apr.credit_move_id
                         WHERE inv_line.move_id = inv.id AND other.date < k.month_start
                  ) paid ON TRUE
                """,
                [key[0] for key in keys],
                [key[1] for key in keys],
                [key[2] for key in keys],
                [key[3] for key in keys],
                narrow,
            )
        )
        plannable = defaultdict(set)
        for index, invoice_id, invoice_date, due_date, residual, month in rows:
            if ord6.is_plannable(invoice_date, due_date, float(residual or 0.0), month):
                plannable[index].add(invoice_id)
        return plannable

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("user_id", "month", "company_id")
    def _check_lines_in_month(self):
        """ORD-6: a plan whose salesperson, month or company changed keeps only lines
        that fit it."""
        self.line_ids._check_invoice()
        self.line_ids._check_planned_date()

    def _plan_exists_error(self, user_id, month, company_id):
        # the names only, for the message: the company may be one the user is not in
        return ValidationError(
            self.env._(
                "%(user)s already has a collection plan for %(month)s in %(company)s: one "
                "plan per salesperson and month (ORD-6).",
                user=self.env["res.users"].sudo().browse(user_id).name,
                month=ord6.month_label(month),
                company=self.env["res.company"].sudo().browse(company_id).name,
            )
        )

    def _check_unique_month(self, keys):
        """ORD-6: one plan per salesperson, month and company. ``keys``: the
        ``(user, month, company)`` of the plans about to be written, with the plans
        they belong to (empty for new ones)."""
        self._check_unique_keys(keys, _PLAN_KEY_FIELDS, self._plan_exists_error)

    def _check_filer(self, vals_list):
        """ORD-6: a salesperson files their own plan; a sales manager files them for
        the team."""
        self._check_filed_by_owner(
            vals_list,
            self.env._(
                "A salesperson files their own collection plan (ORD-6); a sales "
                "manager files them for the team."
            ),
        )

    @api.model
    def _normalise_vals(self, vals):
        """ORD-6: a plan's month is its first day, whatever day was given."""
        if vals.get("month"):
            vals = dict(vals, month=ord6.month_start(fields.Date.to_date(vals["month"])))
        return vals

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # whose plan, which month: checked like the values sent, defaults included
        vals_list = [
            self._normalise_vals(vals)
            for vals in self._with_key_defaults(vals_list, _PLAN_KEY_FIELDS)
        ]
        self._check_filer(vals_list)
        self._check_unique_month(
            [(self._key_of(vals, _PLAN_KEY_FIELDS), self.browse()) for vals in vals_list]
        )
        return super().create(vals_list)

    def write(self, vals):
        vals = self._normalise_vals(vals)
        self._check_filer([vals])
        if set(_PLAN_KEY_FIELDS) & set(vals):
            self._check_unique_month(
                [(self._key_of(vals, _PLAN_KEY_FIELDS, plan), plan) for plan in self]
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Approval (APR-1..5): the sales manager reviews
    # ------------------------------------------------------------------
    def _approval_steps(self):
        return ("manager",)

    def _get_approvers(self):
        # ORD-6: the sales manager reviews the month's plan (业务部经理)
        return self._step_approvers()

    def _get_concerned_users(self):
        return self.user_id

    def _check_submit(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(
                self.env._(
                    "Add the invoices to collect to %(plan)s before submitting it (ORD-6).",
                    plan=self.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_add_open_invoices(self):
        """ORD-6: add a line for each of the salesperson's plannable invoices still
        open and not planned yet: the open amount, by the due date moved into the
        month."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "%(plan)s is submitted or decided and locked (APR-3): invoices are "
                    "added to a draft only.",
                    plan=self.display_name,
                )
            )
        self.check_access("write")
        plannable = self._plannable_invoices().get(0, set())
        invoices = self.env["account.move"].browse(
            sorted(plannable - set(self.line_ids.invoice_id.ids))
        )
        open_invoices = invoices.filtered(
            lambda inv: (
                not inv.company_currency_id.is_zero(inv.amount_residual_signed)
                and inv.amount_residual_signed > 0
            )
        )
        if not open_invoices:
            raise UserError(
                self.env._(
                    "No open invoice of %(user)s is left to plan for %(month)s (ORD-6).",
                    user=self.user_id.name,
                    month=ord6.month_label(self.month),
                )
            )
        self.env["sales.collection.plan.line"].create(
            [
                {
                    "plan_id": self.id,
                    "invoice_id": invoice.id,
                    "planned_amount": invoice.amount_residual_signed,
                    "planned_date": ord6.clamp_to_month(invoice.invoice_date_due, self.month),
                }
                for invoice in open_invoices.sorted(lambda inv: (inv.invoice_date_due, inv.id))
            ]
        )
        return True


class SalesCollectionPlanLine(models.Model):
    """ORD-6: one invoice of a collection plan: how much, by when, and what came in.

    ``received_amount`` is computed, never typed: the bank and cash amounts
    reconciled with the invoice whose payment date lies in the plan's month, in
    company currency; recomputed when the invoice's reconciliations change, for
    all the lines at once in one query.
    Access: as its plan (record rules on ``plan_id.user_id``); locked once the plan
    is submitted (APR-3).
    """

    _name = "sales.collection.plan.line"
    _description = "Collection Plan Line"
    _inherit = ["sales.policy.guard"]
    _order = "plan_id, planned_date, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "sales.collection.plan", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id", store=True)
    user_id = fields.Many2one(
        related="plan_id.user_id", string="Salesperson", store=True, index=True
    )
    month = fields.Date(related="plan_id.month", store=True, index=True)
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status", store=True)
    invoice_id = fields.Many2one(
        "account.move",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain=[("move_type", "=", "out_invoice"), ("state", "=", "posted")],
        help="ORD-6: a posted customer invoice of the plan's salesperson, open at the start "
        "of the month or due in it.",
    )
    partner_id = fields.Many2one(
        related="invoice_id.commercial_partner_id", string="Customer", store=True, index=True
    )
    invoice_date_due = fields.Date(related="invoice_id.invoice_date_due", string="Due Date")
    amount_total = fields.Monetary(
        related="invoice_id.amount_total_signed",
        string="Invoice Total",
        currency_field="currency_id",
    )
    amount_residual = fields.Monetary(
        related="invoice_id.amount_residual_signed",
        string="Open Amount",
        currency_field="currency_id",
        help="What is still open on the invoice now, for information.",
    )
    planned_amount = fields.Monetary(
        compute="_compute_planned_amount",
        store=True,
        readonly=False,
        precompute=True,
        help="ORD-6: how much of the invoice the salesperson plans to collect in the month: "
        "above zero, at most the invoice's total. Proposed as its open amount.",
    )
    planned_date = fields.Date(
        compute="_compute_planned_date",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="ORD-6: by when it is to be collected, inside the plan's month. Proposed as the "
        "invoice's due date, moved into the month.",
    )
    received_amount = fields.Monetary(
        string="Received",
        compute="_compute_received_amount",
        store=True,
        help="ORD-6: what the payments (bank or cash entries) reconciled with the invoice "
        "brought in during the plan's month, in company currency. A credit note is not a "
        "collection.",
    )
    difference = fields.Monetary(
        compute="_compute_difference",
        store=True,
        help="ORD-6: planned minus received; below zero, more came in than was planned.",
    )

    _plan_invoice_uniq = models.Constraint(
        "UNIQUE (plan_id, invoice_id)", "An invoice is planned once in a plan (ORD-6)."
    )

    @api.depends("invoice_id")
    def _compute_planned_amount(self):
        for line in self:
            line.planned_amount = max(line.invoice_id.amount_residual_signed, 0.0)

    @api.depends("invoice_id", "plan_id.month")
    def _compute_planned_date(self):
        for line in self:
            month = line.plan_id.month
            due = line.invoice_id.invoice_date_due
            line.planned_date = ord6.clamp_to_month(due, month) if month else due

    @api.depends(
        "invoice_id",
        "plan_id.month",
        # a payment reconciled or unreconciled with the invoice: a partial made or
        # removed, and the invoice's open amount recomputed after it
        "invoice_id.line_ids.matched_credit_ids.amount",
        "invoice_id.amount_residual",
    )
    def _compute_received_amount(self):
        """ORD-6: one query for all the lines, over the one source of collected cash."""
        received = self._received_by_invoice_month()
        for line in self:
            key = (line.invoice_id._origin.id, line.plan_id.month)
            line.received_amount = received.get(key, 0.0)

    @api.depends("planned_amount", "received_amount")
    def _compute_difference(self):
        for line in self:
            line.difference = ord6.difference(line.planned_amount, line.received_amount)

    def _received_by_invoice_month(self):
        """``{(invoice id, month): amount}``: the bank and cash amounts reconciled
        with the lines' invoices, by the month of the payment's date (QTA-4)."""
        lines = self.filtered(lambda ln: ln.invoice_id._origin and ln.plan_id.month)
        if not lines:
            return {}
        _collection_flush(self.env)
        months = lines.plan_id.mapped("month")
        rows = self.env.execute_query(
            SQL(
                """
                SELECT c.invoice_id, date_trunc('month', c.date)::date, SUM(c.amount)
                  FROM (%s) c
                 WHERE c.invoice_id = ANY(%s) AND c.date >= %s AND c.date < %s
                 GROUP BY 1, 2
                """,
                self.env["sales.target.period"]._collected_rows_sql(),
                lines.invoice_id._origin.ids,
                min(months),
                ord6.next_month_start(max(months)),
            )
        )
        return {(invoice_id, month): amount for invoice_id, month, amount in rows}

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    def _invoice_label(self):
        """The invoice's name when the user may read it (an invoice of another
        salesperson is not shown)."""
        self.ensure_one()
        invoice = self.invoice_id
        if invoice.has_access("read"):
            return invoice.display_name
        return self.env._("an invoice you may not read")

    @api.constrains("invoice_id", "plan_id")
    def _check_invoice(self):
        """ORD-6: a line plans a posted customer invoice of the plan's salesperson,
        open at the start of the month or due in it (one query for all lines)."""
        lines = self.filtered("plan_id")
        plans = lines.plan_id
        plannable = plans._plannable_invoices(lines.invoice_id.ids)
        index_of = {plan.id: index for index, plan in enumerate(plans)}
        label = self._fields["invoice_id"].get_description(self.env)["string"]
        for line in lines:
            if line.invoice_id.id not in plannable.get(index_of[line.plan_id.id], ()):
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(invoice)s cannot be planned in %(plan)s (ORD-6): a plan "
                        "holds posted customer invoices of %(user)s, open at the start of the "
                        "month or due in it.",
                        field=label,
                        invoice=line._invoice_label(),
                        plan=line.plan_id.display_name,
                        user=line.plan_id.user_id.name,
                    )
                )

    @api.constrains("planned_amount", "invoice_id")
    def _check_planned_amount(self):
        label = self._fields["planned_amount"].get_description(self.env)["string"]
        for line in self:
            error = ord6.planned_amount_error(line.planned_amount, line.amount_total)
            if error == "not_positive":
                raise ValidationError(
                    self.env._(
                        "%(field)s of %(invoice)s must be above zero (ORD-6).",
                        field=label,
                        invoice=line._invoice_label(),
                    )
                )
            if error == "above_total":
                raise ValidationError(
                    self.env._(
                        "%(field)s of %(invoice)s (%(amount)s) is above the invoice's total "
                        "%(total)s (ORD-6).",
                        field=label,
                        invoice=line._invoice_label(),
                        amount=line.planned_amount,
                        total=line.amount_total,
                    )
                )

    @api.constrains("planned_date", "plan_id")
    def _check_planned_date(self):
        label = self._fields["planned_date"].get_description(self.env)["string"]
        for line in self:
            if not ord6.in_month(line.planned_date, line.plan_id.month):
                raise ValidationError(
                    self.env._(
                        "%(field)s of %(invoice)s (%(date)s) is outside the month of %(plan)s "
                        "(ORD-6).",
                        field=label,
                        invoice=line._invoice_label(),
                        date=line.planned_date,
                        plan=line.plan_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: the lines of a submitted or decided plan are locked (APR-3)
    # ------------------------------------------------------------------
    def _check_plan_draft(self, plans):
        plans._check_lines_editable(
            self.env._(
                "%(plan)s is %(state)s and locked (APR-3): its planned collections "
                "change on a draft only."
            ),
            "plan",
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_policy_write(vals_list)
        self._check_plan_draft(
            self.env["sales.collection.plan"].browse(
                [vals["plan_id"] for vals in vals_list if vals.get("plan_id")]
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_policy_write([vals], allow_su=False)
        if "plan_id" in vals and any(line.plan_id.id != vals["plan_id"] for line in self):
            raise UserError(self.env._("A planned collection stays on its plan (ORD-6)."))
        self._check_plan_draft(self.plan_id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        # a cancelled plan may be deleted with its lines (APR-3 keeps decided ones)
        self._check_plan_draft(self.plan_id.filtered(lambda p: p.state != "cancelled"))
