# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

from ..report.xlsx_base import Cell, Column, Sheet


class SalesActivityExportWizard(models.TransientModel):
    """xlsx of effective activity against target per salesperson and week or
    month (VIS-4), read with the user's rights: a salesperson exports their own
    rows, a manager everyone's."""

    _name = "sales.activity.export.wizard"
    _description = "Activity Export"
    _inherit = ["sales.export.wizard.mixin"]

    period = fields.Selection([("week", "Week"), ("month", "Month")], required=True, default="week")
    periods_back = fields.Integer(
        string="Periods", default=4, help="How many weeks or months, the current one included."
    )

    def _period_label(self):
        self.ensure_one()
        if self.period == "week":
            return self.env._("The last %(count)s weeks", count=self.periods_back)
        return self.env._("The last %(count)s months", count=self.periods_back)

    def _rows(self):
        kinds = self._selection_labels("sales.activity.progress", "kind")
        states = self._selection_labels("sales.activity.progress", "state")
        progress = self._search_iter(
            "sales.activity.progress",
            [("period", "=", self.period), ("periods_ago", "<", self.periods_back)],
            order="user_id, date, kind, id",
            fields=["user_id.partner_id.name", "date", "kind", "done", "target", "gap", "state"],
        )
        for row in progress:
            state = states.get(row.state, "")
            yield (
                row.user_id.name,
                row.date,
                kinds.get(row.kind, ""),
                row.done,
                row.target,
                row.gap,
                Cell(state, "warning") if row.state == "behind" else state,
            )

    def _check_export(self):
        if not 1 <= self.periods_back <= 26:
            raise UserError(self.env._("Export between 1 and 26 periods."))
        return super()._check_export()

    def _export_file_name(self):
        return f"activity_{self.period}s.xlsx"

    def _export_sheets(self):
        sheet = Sheet(
            name=self.env._("Activity"),
            columns=(
                Column(self.env._("Salesperson"), 24),
                Column(self.env._("Period Start"), 22, "date"),
                Column(self.env._("Kind"), 22),
                Column(self.env._("Effective"), 12, "number"),
                Column(self.env._("Target"), 12, "number"),
                Column(self.env._("Gap"), 12, "number"),
                Column(self.env._("Status"), 12),
            ),
            rows=self._rows(),
            freeze_columns=1,
        )
        return [sheet]
