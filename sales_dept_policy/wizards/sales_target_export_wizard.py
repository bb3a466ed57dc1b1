# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..report.xlsx_base import Column, Sheet


class SalesTargetExportWizard(models.TransientModel):
    """xlsx of attainment, salesperson × month, read with the user's own rights
    (a salesperson exports their own months, a manager everyone's)."""

    _name = "sales.target.export.wizard"
    _description = "Sales Target Attainment Export"
    _inherit = ["sales.export.wizard.mixin"]

    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)

    def _period_label(self):
        self.ensure_one()
        return self.env._("Year %(year)s", year=self.year)

    def _rows(self):
        batches = self._search_batches(
            "sales.target.period",
            [("year", "=", self.year)],
            order="user_id, date_from, id",
            # what the months' actuals are computed from (QTA-4)
            fields=[
                "user_id.partner_id.name",
                "company_id.currency_id",
                "date_from",
                "date_to",
                "target_amount",
            ],
        )
        for batch in batches:
            # the actuals of the whole batch, as the months' fields compute them
            actuals = batch._actuals()
            for period in batch:
                signed, collected, _new, ratio, rating = actuals[period.id]
                yield (
                    period.user_id.name,
                    period.date_from.strftime("%Y-%m"),
                    float(period.target_amount),
                    float(signed),
                    float(collected),
                    ratio,
                    rating or "",
                )

    def _export_file_name(self):
        return f"sales_targets_{self.year}.xlsx"

    def _export_sheets(self):
        sheet = Sheet(
            name=self.env._("Attainment"),
            columns=(
                Column(self.env._("Salesperson"), 24),
                Column(self.env._("Month"), 14),
                Column(self.env._("Target"), 14, "money"),
                Column(self.env._("Signed"), 14, "money"),
                Column(self.env._("Collected"), 14, "money"),
                Column(self.env._("Attainment"), 14, "percent"),
                Column(self.env._("Rating"), 14),
            ),
            rows=self._rows(),
            freeze_columns=2,
        )
        return [sheet]
