# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import fields, models

from ..policy import targets as qta
from ..report.attainment_xlsx import build_attainment_xlsx


class SalesTargetExportWizard(models.TransientModel):
    """xlsx of attainment, salesperson × month, read with the user's own rights
    (a salesperson exports their own months, a manager everyone's)."""

    _name = "sales.target.export.wizard"
    _description = "Sales Target Attainment Export"

    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def _rows(self):
        periods = self.env["sales.target.period"].search(
            [("year", "=", self.year)], order="user_id, date_from"
        )
        return [
            (
                period.user_id.name,
                period.date_from.strftime("%Y-%m"),
                float(period.target_amount),
                float(period.actual_signed),
                float(period.actual_collected),
                qta.attainment(period.actual_signed, period.target_amount),
                period.rating or "",
            )
            for period in periods
        ]

    def action_export(self):
        self.ensure_one()
        headers = [
            self.env._("Salesperson"),
            self.env._("Month"),
            self.env._("Target"),
            self.env._("Signed"),
            self.env._("Collected"),
            self.env._("Attainment"),
            self.env._("Rating"),
        ]
        content = build_attainment_xlsx(self.env._("Attainment"), headers, self._rows())
        self.write(
            {
                "file_data": base64.b64encode(content),
                "file_name": f"sales_targets_{self.year}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/sales.target.export.wizard/{self.id}/file_data/"
            f"{self.file_name}?download=true",
            "target": "self",
        }
