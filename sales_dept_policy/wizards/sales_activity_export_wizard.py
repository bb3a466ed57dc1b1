# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import fields, models
from odoo.exceptions import UserError

from ..report.activity_xlsx import build_activity_xlsx


class SalesActivityExportWizard(models.TransientModel):
    """xlsx of effective activity against target per salesperson and week or
    month (VIS-4), read with the user's rights: a salesperson exports their own
    rows, a manager everyone's."""

    _name = "sales.activity.export.wizard"
    _description = "Activity Export"

    period = fields.Selection([("week", "Week"), ("month", "Month")], required=True, default="week")
    periods_back = fields.Integer(
        string="Periods", default=4, help="How many weeks or months, the current one included."
    )
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def action_export(self):
        self.ensure_one()
        if not 1 <= self.periods_back <= 26:
            raise UserError(self.env._("Export between 1 and 26 periods."))
        Progress = self.env["sales.activity.progress"]
        rows = Progress.search(
            [("period", "=", self.period), ("periods_ago", "<", self.periods_back)],
            order="user_id, date, kind",
        )
        kinds = dict(Progress._fields["kind"]._description_selection(self.env))
        states = dict(Progress._fields["state"]._description_selection(self.env))
        content = build_activity_xlsx(
            self.env._("Activity"),
            [
                self.env._("Salesperson"),
                self.env._("Period Start"),
                self.env._("Kind"),
                self.env._("Effective"),
                self.env._("Target"),
                self.env._("Gap"),
                self.env._("Status"),
            ],
            [
                (
                    row.user_id.name,
                    fields.Date.to_string(row.date),
                    kinds.get(row.kind, ""),
                    row.done,
                    row.target,
                    row.gap,
                    states.get(row.state, ""),
                    row.state == "behind",
                )
                for row in rows
            ],
        )
        self.write(
            {
                "file_data": base64.b64encode(content),
                "file_name": f"activity_{self.period}s.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/sales.activity.export.wizard/{self.id}/file_data/"
            f"{self.file_name}?download=true",
            "target": "self",
        }
