# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import fields, models

from ..policy import collections as ord6
from ..report.xlsx_base import Column, Sheet


class SalesAssessmentExportWizard(models.TransientModel):
    """ASM-1/2: xlsx of a month's assessments, one row a salesperson: each score
    with the figures behind it, the judgment, the total and the grade. Read with the
    user's own rights (the managers, who read every assessment)."""

    _name = "sales.assessment.export.wizard"
    _description = "Assessment Export"
    _inherit = ["sales.export.wizard.mixin"]

    month = fields.Date(
        required=True,
        default=lambda self: (
            ord6.month_start(fields.Date.context_today(self)) - relativedelta(months=1)
        ),
        help="Any day of the month exported.",
    )
    approved_only = fields.Boolean(
        help="Only the approved assessments; else every assessment of the month that is "
        "not cancelled."
    )

    def _month(self):
        return ord6.month_start(self.month)

    def _period_label(self):
        self.ensure_one()
        return self.env._("Month %(month)s", month=ord6.month_label(self._month()))

    def _domain(self):
        states = ("approved",) if self.approved_only else ("draft", "submitted", "approved")
        return [
            ("period", "=", "month"),
            ("date_from", "=", self._month()),
            ("state", "in", states),
        ]

    def _rows(self):
        states = self._selection_labels("sales.assessment", "state")
        grades = self._selection_labels("sales.assessment", "grade")
        for record in self._search_iter(
            "sales.assessment", self._domain(), order="user_id, company_id, id"
        ):
            yield (
                record.user_id.name,
                states.get(record.state, ""),
                float(record.sales_target),
                float(record.sales_signed),
                record.score_sales if record.sales_measured else None,
                float(record.collection_target),
                float(record.collection_collected),
                record.score_collection if record.collection_measured else None,
                float(record.profit_amount),
                float(record.profit_margin),
                record.profit_margin_percent / 100.0 if record.profit_amount else None,
                record.score_profit if record.profit_measured else None,
                record.shipment_done,
                record.shipment_on_time,
                record.score_shipment if record.shipment_measured else None,
                record.activity_target,
                record.activity_done,
                record.score_activity if record.activity_measured else None,
                record.weighted_score if record.is_measured else None,
                record.manager_adjustment,
                record.total_score if record.is_measured else None,
                grades.get(record.grade, ""),
                record.comment or "",
            )

    def _export_file_name(self):
        return f"assessments_{ord6.month_label(self._month())}.xlsx"

    def _export_sheets(self):
        sheet = Sheet(
            name=self.env._("Assessments"),
            columns=(
                Column(self.env._("Salesperson"), 22),
                Column(self.env._("Status"), 12),
                Column(self.env._("Sales Target"), 14, "money", total=True),
                Column(self.env._("Signed"), 14, "money", total=True),
                Column(self.env._("Sales Score"), 10, "number"),
                Column(self.env._("Collection Target"), 14, "money", total=True),
                Column(self.env._("Collected"), 14, "money", total=True),
                Column(self.env._("Collections Score"), 10, "number"),
                Column(self.env._("Sales Amount"), 14, "money", total=True),
                Column(self.env._("Margin"), 14, "money", total=True),
                Column(self.env._("Margin Rate"), 10, "percent"),
                Column(self.env._("Profit Score"), 10, "number"),
                Column(self.env._("Deliveries Done"), 10, "number"),
                Column(self.env._("Delivered On Time"), 10, "number"),
                Column(self.env._("Shipment Score"), 10, "number"),
                Column(self.env._("Activity Owed"), 10, "number"),
                Column(self.env._("Effective Records"), 10, "number"),
                Column(self.env._("Activity Score"), 10, "number"),
                Column(self.env._("Computed Score"), 10, "number"),
                Column(self.env._("Adjustment"), 10, "number"),
                Column(self.env._("Total"), 10, "number"),
                Column(self.env._("Grade"), 18),
                Column(self.env._("Comment"), 40),
            ),
            rows=self._rows(),
            total_label=self.env._("Total"),
            freeze_columns=1,
        )
        return [sheet]
