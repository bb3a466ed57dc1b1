# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sales_visit import VISIT_KINDS


def _next_monday(model):
    today = fields.Date.context_today(model)
    return today + timedelta(days=7 - today.weekday())


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
    _inherit = ["sales.policy.guard"]
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

    @api.model_create_multi
    def create(self, vals_list):
        self._check_plan_draft(
            self.env["sales.visit.plan"].browse(
                [vals["plan_id"] for vals in vals_list if vals.get("plan_id")]
            )
        )
        self._check_readable_customers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - {"visit_id"}:
            self._check_plan_draft(self.plan_id)
        if "plan_id" in vals:
            self._check_plan_draft(self.env["sales.visit.plan"].browse(vals["plan_id"]))
        self._check_readable_customers([vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        self._check_plan_draft(self.plan_id)
