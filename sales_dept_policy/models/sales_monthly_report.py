# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..policy import collections as ord6
from ..policy import meetings as mtg
from .sales_approval_mixin import WORKFLOW_FIELDS
from .sales_collection_plan import _collection_flush


def _orders_flush(env):
    """Flush what the orders' figures read (``sale.report`` is a view over the orders),
    so that they see the pending writes (a confirmation, a date)."""
    env["sale.order"].flush_model()
    env["sale.order.line"].flush_model()
    env["res.partner"].flush_model(["commercial_partner_id"])


#: MTG-3: what a report's identity is made of: one plan and one summary per
#: salesperson, month and company
_REPORT_KEY_FIELDS = ("kind", "user_id", "month", "company_id")

#: MTG-3: the month's actuals of a summary, filled from the records (never typed)
_FIGURE_FIELDS = (
    "actual_signed",
    "actual_collected",
    "new_customers",
    "effective_visits",
    "target_amount",
    "attainment",
    "rating",
)

#: MTG-3: what a summary line takes from the plan line it reports on
_EXPECTED_FIELDS = ("expected_orders", "expected_collections", "activities")


class SalesMonthlyReport(models.Model):
    """MTG-3: a salesperson's monthly sales plan (月销售工作计划表) or monthly summary
    (月销售工作总结表).

    The plan lists the month's key customers, the orders and collections expected
    from each and the main activities. The summary sets the month's actuals,
    computed from the records (signed, collected, new customers, effective
    visits, the month's target, its attainment and rating: the sources of the
    targets' months, QTA-4/5, and of the visits, VIS-3), against the plan of the
    same month, line by line, and says what went well, what did not and what comes
    next. The sales manager reviews both before the monthly meeting (the approval
    flow, APR-1..5, never the salesperson themself).

    The actuals are computed when the summary is made, when the salesperson
    refreshes them and when it is submitted; once submitted they stay as
    reviewed (APR-3). Nobody types them (APR-5).

    Access: a salesperson reads and files their own reports (record rules on
    ``user_id``) and only for themselves; sales managers read all, file them for
    their team and review them; approved reports and their lines are locked.
    """

    _name = "sales.monthly.report"
    _description = "Monthly Sales Plan or Summary"
    _inherit = ["sales.approval.mixin"]
    _order = "month desc, user_id, kind, id desc"
    _check_company_auto = True

    #: APR-5: the flow's fields and the month's actuals are the policy's
    _policy_protected_fields = WORKFLOW_FIELDS | frozenset(_FIGURE_FIELDS)

    kind = fields.Selection(
        selection=[("plan", "Monthly Plan"), ("summary", "Monthly Summary")],
        required=True,
        default="plan",
        index=True,
        tracking=True,
        help="MTG-3: a plan (月销售工作计划表) before the month, a summary (月销售工作总结表) "
        "after it.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="MTG-3: whose plan or summary it is: a salesperson files their own.",
    )
    month = fields.Date(
        required=True,
        index=True,
        default=lambda self: ord6.month_start(fields.Date.context_today(self)),
        tracking=True,
        help="MTG-3: the month planned or summarised, kept as its first day.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    line_ids = fields.One2many(
        "sales.monthly.report.line", "report_id", string="Key Customers", copy=True
    )
    main_activities = fields.Text(
        help="MTG-3: the month's main activities (visits, trade fairs, tenders, follow-ups).",
    )
    went_well = fields.Text(
        string="What Went Well", help="MTG-3: what was done against the plan and worked."
    )
    went_wrong = fields.Text(
        string="What Did Not Go Well",
        help="MTG-3: what was planned and not done, or did not work, and why.",
    )
    next_steps = fields.Text(help="MTG-3: what comes next, for the next month's plan.")
    plan_id = fields.Many2one(
        "sales.monthly.report",
        string="The Month's Plan",
        compute="_compute_plan_id",
        help="MTG-3: the plan of the same salesperson and month, which a summary reports on.",
    )
    expected_orders_total = fields.Monetary(
        string="Expected Orders",
        compute="_compute_totals",
        store=True,
        help="MTG-3: the orders expected from the key customers (the plan's lines).",
    )
    expected_collections_total = fields.Monetary(
        string="Expected Collections",
        compute="_compute_totals",
        store=True,
        help="MTG-3: the collections expected from the key customers (the plan's lines).",
    )
    # MTG-3: the month's actuals of a summary (QTA-4/5, VIS-3), from the records
    actual_signed = fields.Monetary(
        string="Signed",
        compute="_compute_figures",
        store=True,
        help="QTA-4: the untaxed amount of the salesperson's orders confirmed in the month, "
        "in company currency.",
    )
    actual_collected = fields.Monetary(
        string="Collected",
        compute="_compute_figures",
        store=True,
        help="QTA-4: the customer payments received in the month against the "
        "salesperson's invoices (bank and cash, not credit notes).",
    )
    new_customers = fields.Integer(
        compute="_compute_figures",
        store=True,
        help="QTA-4: customers whose first confirmed order falls in the month.",
    )
    effective_visits = fields.Integer(
        compute="_compute_figures",
        store=True,
        help="VIS-3: the salesperson's visit records of the month that count (effective).",
    )
    target_amount = fields.Monetary(
        string="Month's Target",
        compute="_compute_figures",
        store=True,
        help="QTA-3: the month's part of the salesperson's approved targets.",
    )
    attainment = fields.Float(
        compute="_compute_figures",
        store=True,
        aggregator="avg",
        help="QTA-5: signed / the month's target.",
    )
    rating = fields.Selection(
        selection=[("S", "S"), ("A", "A"), ("B", "B"), ("C", "C")],
        compute="_compute_figures",
        store=True,
        help="QTA-5: S, A, B or C by the attainment thresholds of the Settings.",
    )

    _kind_user_month_company_uniq = models.Constraint(
        "UNIQUE (kind, user_id, month, company_id)",
        "One monthly plan and one monthly summary per salesperson and month (MTG-3).",
    )
    _month_first_day = models.Constraint(
        "CHECK (EXTRACT(DAY FROM month) = 1)",
        "A monthly report's month is kept as its first day (MTG-3).",
    )

    @api.depends("kind", "user_id", "month")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for report in self:
            report.display_name = self.env._(
                "%(kind)s %(month)s · %(user)s",
                kind=kinds.get(report.kind, ""),
                month=ord6.month_label(report.month),
                user=report.user_id.name or "",
            )

    @api.depends("kind", "user_id", "month", "company_id")
    def _compute_plan_id(self):
        """MTG-3: the plans of the summaries' months, in one search."""
        summaries = self.filtered(lambda r: r.kind == "summary" and r.user_id and r.month)
        plans = {}
        if summaries:
            found = self.search(
                [
                    ("kind", "=", "plan"),
                    ("user_id", "in", summaries.user_id.ids),
                    ("month", "in", list(set(summaries.mapped("month")))),
                    ("company_id", "in", summaries.company_id.ids),
                ]
            )
            plans = {(p.user_id.id, p.month, p.company_id.id): p for p in found}
        for report in self:
            key = (report.user_id.id, report.month, report.company_id.id)
            report.plan_id = plans.get(key) if report in summaries else False

    @api.depends("line_ids.expected_orders", "line_ids.expected_collections")
    def _compute_totals(self):
        for report in self:
            report.expected_orders_total = sum(report.line_ids.mapped("expected_orders"))
            report.expected_collections_total = sum(report.line_ids.mapped("expected_collections"))

    @api.depends("kind", "user_id", "month", "company_id")
    def _compute_figures(self):
        """MTG-3: the summaries' actuals, for all of them at once: the targets' months'
        batch queries (QTA-4), one grouped count of the visits, one of the targets."""
        summaries = self.filtered(
            lambda r: r.kind == "summary" and r.user_id and r.month and r.company_id
        )
        figures = summaries._month_figures()
        empty = dict.fromkeys(_FIGURE_FIELDS, 0)
        empty["rating"] = False
        for report in self:
            values = figures.get(report._report_key()) if report in summaries else None
            report.update(values or empty)

    # ------------------------------------------------------------------
    # The month's figures, from the records
    # ------------------------------------------------------------------
    def _report_key(self):
        self.ensure_one()
        return (self.company_id.id, self.user_id.id, self.month)

    def _month_figures(self):
        """MTG-3: ``{(company, salesperson, month): {field: value}}`` of the reports of
        ``self``: signed, collected and new customers from the targets' months' own
        sources (``sales.target.period``, QTA-4), effective visits (VIS-3), the month's
        target of the approved targets and its rating (QTA-5). Months are the
        company's (its time zone). A handful of grouped queries per company."""
        figures = {}
        if not self:
            return figures
        _orders_flush(self.env)
        _collection_flush(self.env)
        self.env["sales.visit"].flush_model()
        Period = self.env["sales.target.period"]
        thresholds = Period._rating_thresholds()
        for company, reports in self.grouped("company_id").items():
            tz = company._sales_policy_tz()
            users = reports.user_id
            start = min(reports.mapped("month"))
            end = ord6.next_month_start(max(reports.mapped("month")))
            local = Period.with_context(tz=tz)
            signed = local._signed_by_user_month(users, start, end)
            collected = local._collected_by_user_month(users, start, end)
            new = local._new_customers_by_user_month(users, start, end)
            visits = self._effective_visits_by_user_month(company, users, start, end, tz)
            targets = self._targets_by_user_month(company, users, start, end)
            for report in reports:
                key = report._report_key()
                _company, user_id, month = key
                row = mtg.figure_row(
                    signed.get(key, 0.0),
                    collected.get(key, 0.0),
                    targets.get((user_id, month), 0.0),
                    thresholds,
                )
                figures[key] = {
                    "actual_signed": row["signed"],
                    "actual_collected": row["collected"],
                    "new_customers": new.get(key, 0),
                    "effective_visits": visits.get((user_id, month), 0),
                    "target_amount": row["target"],
                    "attainment": row["attainment"] or 0.0,
                    "rating": row["rating"],
                }
        return figures

    @api.model
    def _effective_visits_by_user_month(self, company, users, start, end, tz):
        """VIS-3: ``{(user, month): count}`` of the effective visit records, by the
        local month of their date (a day's margin each side: the column is UTC)."""
        groups = (
            self.env["sales.visit"]
            .with_context(tz=tz)
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("user_id", "in", users.ids),
                    ("is_effective", "=", True),
                    ("date_planned", ">=", fields.Datetime.to_datetime(start - timedelta(days=1))),
                    ("date_planned", "<", fields.Datetime.to_datetime(end + timedelta(days=1))),
                ],
                ["user_id", "date_planned:month"],
                ["__count"],
            )
        )
        return {(user.id, month.date()): count for user, month, count in groups}

    @api.model
    def _targets_by_user_month(self, company, users, start, end):
        """QTA-3: ``{(user, month): amount}``: the months of the approved targets."""
        groups = self.env["sales.target.period"]._read_group(
            [
                ("company_id", "=", company.id),
                ("user_id", "in", users.ids),
                ("target_id.state", "=", "approved"),
                ("date_from", ">=", start),
                ("date_from", "<", end),
            ],
            ["user_id", "date_from:day"],
            ["target_amount:sum"],
        )
        return {(user.id, ord6.month_start(day)): amount for user, day, amount in groups}

    def _recompute_figures(self):
        """MTG-3: the drafts' actuals computed again from the records (the header and
        the lines): a submitted or decided report keeps the figures reviewed."""
        drafts = self.filtered(lambda r: r.state == "draft")
        for name in _FIGURE_FIELDS:
            self.env.add_to_compute(self._fields[name], drafts)
        Line = self.env["sales.monthly.report.line"]
        for name in ("actual_orders", "actual_collections"):
            self.env.add_to_compute(Line._fields[name], drafts.line_ids)
        drafts.flush_recordset(list(_FIGURE_FIELDS))
        drafts.line_ids.flush_recordset(["actual_orders", "actual_collections"])

    # ------------------------------------------------------------------
    # Who files, one per month
    # ------------------------------------------------------------------
    def _check_filer(self, vals_list):
        """MTG-3: a salesperson files their own plans and summaries; a sales manager
        files them for the team."""
        self._check_filed_by_owner(
            vals_list,
            self.env._(
                "A salesperson files their own monthly plans and summaries (MTG-3); a "
                "sales manager files them for the team."
            ),
        )

    @api.model
    def _normalise_vals(self, vals):
        """MTG-3: a report's month is its first day, whatever day was given."""
        if vals.get("month"):
            vals = dict(vals, month=ord6.month_start(fields.Date.to_date(vals["month"])))
        return vals

    def _report_exists_error(self, kind, user_id, month, company_id):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        # the names only, for the message: the company may be one the user is not in
        return ValidationError(
            self.env._(
                "%(user)s already has a %(kind)s for %(month)s in %(company)s: one plan and "
                "one summary per salesperson and month (MTG-3).",
                user=self.env["res.users"].sudo().browse(user_id).name,
                kind=kinds.get(kind, kind),
                month=ord6.month_label(month),
                company=self.env["res.company"].sudo().browse(company_id).name,
            )
        )

    def _check_unique_month(self, keys):
        """MTG-3: one report of a kind per salesperson, month and company, checked
        before the write so that the error is clear and nothing is half-written.
        ``keys``: ``(kind, user, month, company)`` with the report they belong to."""
        self._check_unique_keys(keys, _REPORT_KEY_FIELDS, self._report_exists_error)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # whose report, which month: checked like the values sent, defaults included
        vals_list = [
            self._normalise_vals(vals)
            for vals in self._with_key_defaults(vals_list, _REPORT_KEY_FIELDS)
        ]
        self._check_filer(vals_list)
        self._check_unique_month(
            [(self._key_of(vals, _REPORT_KEY_FIELDS), self.browse()) for vals in vals_list]
        )
        return super().create(vals_list)

    def write(self, vals):
        vals = self._normalise_vals(vals)
        self._check_filer([vals])
        if set(_REPORT_KEY_FIELDS) & set(vals):
            self._check_unique_month(
                [(self._key_of(vals, _REPORT_KEY_FIELDS, report), report) for report in self]
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Approval (APR-1..5): the sales manager reviews
    # ------------------------------------------------------------------
    def _approval_steps(self):
        return ("manager",)

    def _get_approvers(self):
        # MTG-3: the sales manager reviews the plans and summaries (业务部经理)
        return self._step_approvers()

    def _get_concerned_users(self):
        return self.user_id

    def _check_submit(self):
        self.ensure_one()
        errors = mtg.report_submit_errors(
            self.kind,
            main_activities=self.main_activities,
            line_count=len(self.line_ids),
            went_well=self.went_well,
            went_wrong=self.went_wrong,
            next_steps=self.next_steps,
        )
        if errors:
            raise ValidationError(
                self.env._(
                    "%(report)s cannot be submitted yet: %(errors)s",
                    report=self.display_name,
                    errors=" ".join(self.env._(mtg.ERRORS[code]) for code in errors),
                )
            )

    def action_submit(self):
        # MTG-3: what is submitted carries the month's figures as they are now
        self.filtered(lambda r: r.kind == "summary")._recompute_figures()
        return super().action_submit()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_draft(self, action_label):
        for report in self:
            if report.state != "draft":
                raise UserError(
                    self.env._(
                        "%(report)s is submitted or decided and locked (APR-3): %(action)s "
                        "on a draft only.",
                        report=report.display_name,
                        action=action_label,
                    )
                )

    def action_refresh_figures(self):
        """MTG-3: compute the summary's actuals again from the records."""
        self._check_draft(self.env._("the figures are refreshed"))
        self.check_access("write")
        self._recompute_figures()
        return True

    def action_load_plan(self):
        """MTG-3: a summary of month M reports on the plan of M: a line for each key
        customer of the plan not on the summary yet, with the plan's expected orders,
        collections and activities against the month's actuals."""
        self.ensure_one()
        if self.kind != "summary":
            raise UserError(self.env._("Only a monthly summary reports on a plan (MTG-3)."))
        self._check_draft(self.env._("the plan is loaded"))
        self.check_access("write")
        plan = self.plan_id
        if not plan or plan.state in ("rejected", "cancelled"):
            raise UserError(
                self.env._(
                    "%(user)s has no plan for %(month)s to report on (MTG-3): add the key "
                    "customers by hand.",
                    user=self.user_id.name,
                    month=ord6.month_label(self.month),
                )
            )
        loaded = self.line_ids.plan_line_id
        self.env["sales.monthly.report.line"].create(
            [
                {"report_id": self.id, "plan_line_id": line.id, "partner_id": line.partner_id.id}
                for line in plan.line_ids - loaded
            ]
        )
        return True

    # ------------------------------------------------------------------
    # MTG-3: the reminders
    # ------------------------------------------------------------------
    @api.model
    def _reporting_users(self, company=None):
        """MTG-3: who files monthly plans and summaries (in ``company``, else in any):
        the active salespeople who are not sales managers (managers review them)."""
        ref = self.env.ref
        salespeople = ref("sales_dept_policy.group_salesperson").sudo().all_user_ids
        managers = ref("sales_dept_policy.group_sales_manager").sudo().all_user_ids
        return (salespeople - managers).filtered(
            lambda u: u.active and not u.share and (not company or company in u.company_ids)
        )

    @api.model
    def _reminder_days(self):
        params = self.env["ir.config_parameter"].sudo()
        return (
            int(
                params.get_param(
                    "sales_dept_policy.plan_reminder_days", mtg.DEFAULT_PLAN_REMINDER_DAYS
                )
            ),
            int(
                params.get_param(
                    "sales_dept_policy.summary_reminder_days", mtg.DEFAULT_SUMMARY_REMINDER_DAYS
                )
            ),
        )

    @api.model
    def _cron_remind_reports(self):
        """MTG-3, daily: in the last working days of a month, each salesperson without
        a plan for next month gets a draft one with a to-do to file it; in the first
        working days, each without a summary of last month a draft summary, loaded from
        the plan, with its to-do. A report that exists (in any state) is never drafted
        or reminded again."""
        plan_days, summary_days = self._reminder_days()
        for company in self._reporting_users().company_ids:
            today = company._sales_policy_today()
            users = self._reporting_users(company)
            for kind, due in (
                ("plan", mtg.plan_reminder(today, plan_days)),
                ("summary", mtg.summary_reminder(today, summary_days)),
            ):
                if due and users:
                    self._remind(company, users, kind, *due)

    @api.model
    def _remind(self, company, users, kind, month, deadline):
        """MTG-3: draft the missing reports of ``kind`` for ``month`` and give each
        salesperson the to-do to file theirs by ``deadline``. As superuser: the
        drafts are the salespeople's own, made for them by the policy."""
        Report = self.sudo().with_company(company)
        filed = Report.search(
            [
                ("kind", "=", kind),
                ("month", "=", month),
                ("company_id", "=", company.id),
                ("user_id", "in", users.ids),
            ]
        ).user_id
        missing = users - filed
        if not missing:
            return Report
        reports = Report.create(
            [
                {"kind": kind, "user_id": user.id, "month": month, "company_id": company.id}
                for user in missing
            ]
        )
        todo = self.env.ref("sales_dept_policy.mail_activity_type_monthly_report")
        for report in reports:
            plan = report.plan_id
            if kind == "summary" and plan.line_ids and plan.state not in ("rejected", "cancelled"):
                report.action_load_plan()
            local = report.with_context(lang=report.user_id.lang or self.env.lang)
            summary = (
                local.env._(
                    "File your monthly plan for %(month)s (MTG-3)", month=ord6.month_label(month)
                )
                if kind == "plan"
                else local.env._(
                    "File your monthly summary of %(month)s (MTG-3)",
                    month=ord6.month_label(month),
                )
            )
            report.activity_schedule(
                activity_type_id=todo.id,
                date_deadline=deadline,
                summary=summary,
                user_id=report.user_id.id,
            )
            report.message_post(
                body=self.env._(
                    "Drafted for %(user)s by the monthly reminder (MTG-3): to be submitted "
                    "to the sales manager by %(deadline)s.",
                    user=report.user_id.name,
                    deadline=deadline,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return reports


class SalesMonthlyReportLine(models.Model):
    """MTG-3: a key customer of a monthly plan or summary.

    On a plan: the orders and collections expected from the customer in the
    month and the activities planned with them. On a summary: the same, taken
    from the plan's line it reports on (nothing expected from a customer the plan
    did not name), against the month's actual orders and collections from that
    customer, computed from the records for all the lines in one query each.
    Access: as its report; locked once the report is submitted (APR-3).
    """

    _name = "sales.monthly.report.line"
    _description = "Monthly Sales Plan or Summary Line"
    _inherit = ["sales.policy.guard"]
    _order = "report_id, sequence, id"
    _check_company_auto = True

    report_id = fields.Many2one(
        "sales.monthly.report", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection(related="report_id.kind", store=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="report_id.currency_id", store=True)
    user_id = fields.Many2one(
        related="report_id.user_id", string="Salesperson", store=True, index=True
    )
    month = fields.Date(related="report_id.month", store=True, index=True)
    report_state = fields.Selection(related="report_id.state", string="Report Status", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Key Customer",
        required=True,
        index=True,
        domain=[("customer_archive", "=", True), ("is_company", "=", True)],
        help="MTG-3: a customer the month's work is about (a customer archive the "
        "salesperson reads).",
    )
    plan_line_id = fields.Many2one(
        "sales.monthly.report.line",
        index="btree_not_null",
        ondelete="set null",
        help="MTG-3: on a summary, the line of the month's plan it reports on.",
    )
    expected_orders = fields.Monetary(
        compute="_compute_expected",
        store=True,
        readonly=False,
        precompute=True,
        help="MTG-3: the orders (untaxed) expected from the customer in the month. On a "
        "summary, the plan's.",
    )
    expected_collections = fields.Monetary(
        compute="_compute_expected",
        store=True,
        readonly=False,
        precompute=True,
        help="MTG-3: the money expected from the customer in the month. On a summary, the plan's.",
    )
    activities = fields.Text(
        compute="_compute_expected",
        store=True,
        readonly=False,
        precompute=True,
        help="MTG-3: what is planned with the customer. On a summary, the plan's.",
    )
    outcome = fields.Text(help="MTG-3: on a summary, what came of it.")
    actual_orders = fields.Monetary(
        compute="_compute_actuals",
        store=True,
        help="QTA-4: on a summary, the untaxed amount of the salesperson's orders of the "
        "customer confirmed in the month, in company currency.",
    )
    actual_collections = fields.Monetary(
        compute="_compute_actuals",
        store=True,
        help="QTA-4: on a summary, what the customer paid in the month on the "
        "salesperson's invoices (bank and cash).",
    )

    _report_partner_uniq = models.Constraint(
        "UNIQUE (report_id, partner_id)", "A key customer is listed once a month (MTG-3)."
    )

    @api.depends("plan_line_id", "report_id.kind")
    def _compute_expected(self):
        for line in self:
            if line.plan_line_id:
                plan_line = line.plan_line_id
                line.expected_orders = plan_line.expected_orders
                line.expected_collections = plan_line.expected_collections
                line.activities = plan_line.activities
            elif line.report_id.kind == "summary":
                # MTG-3: nothing was expected from a customer the plan did not name
                line.expected_orders = 0.0
                line.expected_collections = 0.0
                line.activities = False

    @api.depends(
        "partner_id",
        "report_id.kind",
        "report_id.user_id",
        "report_id.month",
        "report_id.company_id",
    )
    def _compute_actuals(self):
        """MTG-3: one query for the orders and one for the collections of all the
        summaries' lines."""
        lines = self.filtered(
            lambda ln: ln.report_id.kind == "summary" and ln.partner_id and ln.report_id.month
        )
        signed, collected = lines._actuals_by_customer()
        for line in self:
            key = (
                line.report_id.company_id.id,
                line.report_id.user_id.id,
                line.partner_id.commercial_partner_id.id,
                line.report_id.month,
            )
            line.actual_orders = signed.get(key, 0.0) if line in lines else 0.0
            line.actual_collections = collected.get(key, 0.0) if line in lines else 0.0

    def _actuals_by_customer(self):
        """QTA-4: ``({(company, user, customer, month): amount}, {...})``: the orders
        confirmed (``sale.report``, company currency, the company's months) and the
        money collected (the one source of collected cash) of the lines' salespeople
        and customers, by month."""
        signed, collected = {}, {}
        if not self:
            return signed, collected
        _orders_flush(self.env)
        Period = self.env["sales.target.period"]
        for company, lines in self.grouped("company_id").items():
            reports = lines.report_id
            users = reports.user_id
            customers = lines.partner_id.commercial_partner_id
            start = min(reports.mapped("month"))
            end = ord6.next_month_start(max(reports.mapped("month")))
            # sale.report holds company-currency amounts of confirmed orders; read as
            # the targets' months read it (their source, QTA-4)
            groups = (
                self.env["sale.report"]
                .sudo()
                .with_context(tz=company._sales_policy_tz())
                ._read_group(
                    [
                        ("state", "=", "sale"),
                        ("company_id", "=", company.id),
                        ("user_id", "in", users.ids),
                        ("commercial_partner_id", "in", customers.ids),
                        ("date", ">=", fields.Datetime.to_datetime(start - timedelta(days=1))),
                        ("date", "<", fields.Datetime.to_datetime(end + timedelta(days=1))),
                    ],
                    ["user_id", "commercial_partner_id", "date:month"],
                    ["price_subtotal:sum"],
                )
            )
            for user, partner, month, amount in groups:
                signed[company.id, user.id, partner.id, month.date()] = amount
            _collection_flush(self.env)
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT c.user_id, c.partner_id, date_trunc('month', c.date)::date,
                           SUM(c.amount)
                      FROM (%s) c
                     WHERE c.company_id = %s AND c.user_id = ANY(%s)
                       AND c.partner_id = ANY(%s) AND c.date >= %s AND c.date < %s
                     GROUP BY 1, 2, 3
                    """,
                    Period._collected_rows_sql(),
                    company.id,
                    users.ids,
                    customers.ids,
                    start,
                    end,
                )
            )
            for user_id, partner_id, month, amount in rows:
                collected[company.id, user_id, partner_id, month] = amount
        return signed, collected

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("plan_line_id", "report_id")
    def _check_plan_line(self):
        """MTG-3: a summary line reports on a line of the plan of the same salesperson,
        month and company; a plan's lines report on nothing."""
        for line in self.filtered("plan_line_id"):
            report, plan = line.report_id, line.plan_line_id.report_id
            if (
                report.kind != "summary"
                or plan.kind != "plan"
                or (
                    plan.user_id,
                    plan.month,
                    plan.company_id,
                )
                != (report.user_id, report.month, report.company_id)
            ):
                raise ValidationError(
                    self.env._(
                        "Plan Line: a line of %(report)s reports on a line of the plan of the "
                        "same salesperson and month only (MTG-3).",
                        report=report.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: the lines of a submitted or decided report are locked (APR-3)
    # ------------------------------------------------------------------
    def _check_report_draft(self, reports):
        reports._check_lines_editable(
            self.env._(
                "%(report)s is %(state)s and locked (APR-3): its key customers change on "
                "a draft only."
            ),
            "report",
        )

    def _check_expected_typed(self, reports, vals_list):
        """MTG-3: a summary's expected figures are the plan's, never typed in."""
        if self.env.su:
            return
        if reports.filtered(lambda r: r.kind == "summary") and any(
            set(_EXPECTED_FIELDS) & set(vals) for vals in vals_list
        ):
            raise UserError(
                self.env._(
                    "The expected orders, collections and activities of a monthly summary are "
                    "the plan's (MTG-3): change them on the plan, or load it again."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_policy_write(vals_list)
        self._check_readable_customers(vals_list)
        Report = self.env["sales.monthly.report"]
        for vals in vals_list:
            report = Report.browse(vals.get("report_id"))
            self._check_report_draft(report)
            self._check_expected_typed(report, [vals])
        return super().create(vals_list)

    def write(self, vals):
        self._check_policy_write([vals], allow_su=False)
        self._check_readable_customers([vals])
        if "report_id" in vals and any(line.report_id.id != vals["report_id"] for line in self):
            raise UserError(self.env._("A key customer stays on its report (MTG-3)."))
        self._check_report_draft(self.report_id)
        self._check_expected_typed(self.report_id, [vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        # a cancelled report may be deleted with its lines (APR-3 keeps decided ones)
        self._check_report_draft(self.report_id.filtered(lambda r: r.state != "cancelled"))
