# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, api, fields, models


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
