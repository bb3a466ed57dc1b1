# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..report.xlsx_base import Column, Sheet


class SalesExpenseExportWizard(models.TransientModel):
    """BUD-3: the personal expense report (个人费用控制报告单) of a year as xlsx.

    Two sheets: per salesperson and month the budget, committed, actual, remaining,
    signed sales and the expense per 10,000 signed (``sales.expense.report``); and
    the budget lines by kind. Read with the user's own rights: a salesperson
    exports their own figures, a sales manager everyone's.
    """

    _name = "sales.expense.export.wizard"
    _description = "Personal Expense Report Export"
    _inherit = ["sales.export.wizard.mixin"]

    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)

    def _period_label(self):
        self.ensure_one()
        return self.env._("Year %(year)s", year=self.year)

    def _report_rows(self):
        rows = self._search_iter(
            "sales.expense.report",
            [("year", "=", self.year)],
            order="user_id, date, id",
        )
        for row in rows:
            yield (
                row.user_id.name,
                row.date.strftime("%Y-%m"),
                float(row.budget),
                float(row.committed),
                float(row.actual),
                float(row.remaining),
                float(row.signed),
                row.expense_per_10k if row.signed else None,
            )

    def _line_rows(self):
        kinds = self._selection_labels("sales.expense.budget.line", "kind")
        states = self._selection_labels("sales.expense.budget", "state")
        for batch in self._search_batches(
            "sales.expense.budget.line",
            [("year", "=", self.year), ("budget_state", "not in", ("rejected", "cancelled"))],
            order="user_id, month, kind, id",
        ):
            # committed and actual: one query for the whole batch
            for line in batch:
                yield (
                    line.user_id.name,
                    line.month.strftime("%Y-%m"),
                    kinds.get(line.kind, line.kind),
                    float(line.amount),
                    float(line.committed),
                    float(line.actual),
                    float(line.remaining),
                    states.get(line.budget_state, line.budget_state),
                )

    def _export_file_name(self):
        return f"expense_report_{self.year}.xlsx"

    def _export_sheets(self):
        report = Sheet(
            name=self.env._("Personal Expense Report"),
            columns=(
                Column(self.env._("Salesperson"), 24),
                Column(self.env._("Month"), 10),
                Column(self.env._("Budget"), 14, "money", total=True),
                Column(self.env._("Committed"), 14, "money", total=True),
                Column(self.env._("Actual"), 14, "money", total=True),
                Column(self.env._("Remaining"), 14, "money", total=True),
                Column(self.env._("Signed Sales"), 16, "money", total=True),
                Column(self.env._("Expense per 10,000 Signed"), 18, "money"),
            ),
            rows=self._report_rows(),
            total_label=self.env._("Total"),
            freeze_columns=2,
        )
        lines = Sheet(
            name=self.env._("Budget Lines"),
            columns=(
                Column(self.env._("Salesperson"), 24),
                Column(self.env._("Month"), 10),
                Column(self.env._("Kind"), 16),
                Column(self.env._("Budget"), 14, "money", total=True),
                Column(self.env._("Committed"), 14, "money", total=True),
                Column(self.env._("Actual"), 14, "money", total=True),
                Column(self.env._("Remaining"), 14, "money", total=True),
                Column(self.env._("Budget Status"), 14),
            ),
            rows=self._line_rows(),
            total_label=self.env._("Total"),
            freeze_columns=3,
        )
        return [report, lines]
