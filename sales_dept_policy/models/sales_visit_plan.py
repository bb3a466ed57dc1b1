# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sales_visit import VISIT_KINDS


def _next_monday(model):
    today = fields.Date.context_today(model)
    return today + timedelta(days=7 - today.weekday())


class SalesReportMixin(models.AbstractModel):
    """VIS-6: a report a salesperson files and their manager reviews (the
    approval flow: submitted, then approved as reviewed, or sent back with a reason)."""

    _name = "sales.report.mixin"
    _description = "Salesperson Report"
    _inherit = ["sales.approval.mixin"]

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    def _get_approvers(self):
        self.ensure_one()
        return self.user_id._sales_policy_reviewers()

    def _get_concerned_users(self):
        return self.user_id

    @api.model_create_multi
    def create(self, vals_list):
        if not (self.env["res.users"]._sales_policy_current_is_manager()) and any(
            vals.get("user_id", self.env.uid) != self.env.uid for vals in vals_list
        ):
            raise ValidationError(self.env._("A salesperson files their own reports (VIS-6)."))
        return super().create(vals_list)

    @api.constrains("user_id")
    def _check_author(self):
        for report in self:
            if report.user_id != self.env.user and not (
                self.env["res.users"]._sales_policy_current_is_manager()
            ):
                raise ValidationError(self.env._("A salesperson files their own reports (VIS-6)."))


class SalesVisitPlan(models.Model):
    """VIS-6: next week's return-visit plan for key customers."""

    _name = "sales.visit.plan"
    _description = "Weekly Return-Visit Plan"
    _inherit = ["sales.report.mixin"]
    _order = "week_start desc, user_id"

    week_start = fields.Date(required=True, default=_next_monday, index=True, tracking=True)
    line_ids = fields.One2many("sales.visit.plan.line", "plan_id", string="Planned Visits")
    note = fields.Text()
    visit_count = fields.Integer(compute="_compute_visit_count")

    _user_week_uniq = models.Constraint(
        "UNIQUE (user_id, week_start)", "A salesperson files one plan a week (VIS-6)."
    )

    @api.depends("user_id", "week_start")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "Week of %(date)s · %(user)s", date=plan.week_start, user=plan.user_id.name or ""
            )

    def _compute_visit_count(self):
        for plan in self:
            plan.visit_count = len(plan.line_ids.visit_id)

    @api.constrains("week_start")
    def _check_monday(self):
        for plan in self:
            if plan.week_start and plan.week_start.weekday() != 0:
                raise ValidationError(self.env._("A weekly plan starts on a Monday (VIS-6)."))

    def _check_submit(self):
        if not self.line_ids:
            raise UserError(self.env._("Add the customers to visit before submitting (VIS-6)."))

    def action_create_visits(self):
        """Create the planned visits of the plan's lines that have none yet."""
        for plan in self:
            if plan.state in ("rejected", "cancelled"):
                raise UserError(self.env._("This plan was not kept (VIS-6)."))
            for line in plan.line_ids.filtered(lambda ln: not ln.visit_id):
                line.visit_id = (
                    self.env["sales.visit"]
                    .with_user(self.env.user)
                    .create(
                        {
                            "partner_id": line.partner_id.id,
                            "user_id": plan.user_id.id,
                            "kind": line.kind,
                            "date_planned": line.date_planned,
                            "purpose": line.purpose,
                            "plan_line_id": line.id,
                        }
                    )
                )
        return self.action_open_visits()

    def action_open_visits(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Planned Visits"),
            "res_model": "sales.visit",
            "view_mode": "list,calendar,form",
            "domain": [("id", "in", self.line_ids.visit_id.ids)],
        }


class SalesVisitPlanLine(models.Model):
    _name = "sales.visit.plan.line"
    _description = "Planned Return Visit"
    _order = "date_planned, id"
    _check_company_auto = True

    plan_id = fields.Many2one("sales.visit.plan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        check_company=True,
        domain=[("customer_archive", "=", True), ("parent_id", "=", False)],
    )
    kind = fields.Selection(VISIT_KINDS, required=True, default="return")
    date_planned = fields.Datetime(string="Planned Date", required=True)
    purpose = fields.Char(required=True)
    visit_id = fields.Many2one("sales.visit", readonly=True, copy=False)
    visit_state = fields.Selection(related="visit_id.state", string="Visit Status")

    @api.constrains("date_planned", "plan_id")
    def _check_in_week(self):
        for line in self:
            start = line.plan_id.week_start
            day = fields.Datetime.context_timestamp(line, line.date_planned).date()
            if start and not start <= day < start + timedelta(days=7):
                raise ValidationError(
                    self.env._(
                        "%(customer)s is planned outside the week of the plan (VIS-6).",
                        customer=line.partner_id.display_name,
                    )
                )

    def _check_plan_draft(self, plans):
        if not self.env.su and plans.filtered(lambda p: p.state != "draft"):
            raise UserError(self.env._("A submitted plan is locked (APR-3)."))

    def _check_partners_readable(self, vals_list):
        """ARC-4: a plan names customers whose archives the salesperson reads."""
        partners = self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )
        if not self.env.su and partners and partners._filtered_access("read") != partners:
            raise UserError(
                self.env._(
                    "A plan names customers whose archives you read (ARC-4, VIS-6): ask for "
                    "access to the others first (ARC-5)."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_plan_draft(
            self.env["sales.visit.plan"].browse(
                [vals["plan_id"] for vals in vals_list if vals.get("plan_id")]
            )
        )
        self._check_partners_readable(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - {"visit_id"}:
            self._check_plan_draft(self.plan_id)
        if "plan_id" in vals:
            self._check_plan_draft(self.env["sales.visit.plan"].browse(vals["plan_id"]))
        self._check_partners_readable([vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        self._check_plan_draft(self.plan_id)


class SalesDailyReport(models.Model):
    """VIS-6: the daily report (工作日报): work done, progress, problems, solutions."""

    _name = "sales.daily.report"
    _description = "Daily Report"
    _inherit = ["sales.report.mixin"]
    _order = "date desc, user_id"

    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    work_done = fields.Text(required=True)
    progress = fields.Text()
    problems = fields.Text()
    solutions = fields.Text()
    visit_ids = fields.Many2many(
        "sales.visit", compute="_compute_visit_ids", string="Visits of the Day"
    )

    _user_date_uniq = models.Constraint(
        "UNIQUE (user_id, date)", "A salesperson files one daily report a day (VIS-6)."
    )

    @api.depends("user_id", "date")
    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._(
                "%(date)s · %(user)s", date=report.date, user=report.user_id.name or ""
            )

    @api.depends("user_id", "date")
    def _compute_visit_ids(self):
        # one search for all the reports shown, then each keeps its local day's visits
        dated = self.filtered(lambda r: r.user_id and r.date)
        visits = self.env["sales.visit"]
        if dated:
            start = fields.Datetime.to_datetime(min(dated.mapped("date"))) - timedelta(days=1)
            end = fields.Datetime.to_datetime(max(dated.mapped("date"))) + timedelta(days=2)
            visits = visits.search(
                [
                    ("user_id", "in", dated.user_id.ids),
                    ("date_planned", ">=", start),
                    ("date_planned", "<", end),
                ]
            )
        by_key = {}
        for visit in visits:
            day = fields.Datetime.context_timestamp(visit, visit.date_planned).date()
            by_key.setdefault((visit.user_id.id, day), []).append(visit.id)
        for report in self:
            report.visit_ids = [Command.set(by_key.get((report.user_id.id, report.date), []))]
