# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..report.xlsx_base import Column, Sheet


class SalesBalanceExportWizard(models.TransientModel):
    """ORD-6: the balances to collect as xlsx, by salesperson, days late and
    amount, read with the user's own rights (a salesperson's own)."""

    _name = "sales.balance.export.wizard"
    _description = "Balances Export"
    _inherit = ["sales.export.wizard.mixin"]

    date_from = fields.Date(string="Due From")
    date_to = fields.Date(string="Due To")
    overdue_only = fields.Boolean(default=True, help="Only balances past their due date.")

    def _domain(self):
        domain = []
        if self.overdue_only:
            domain.append(("overdue", "=", True))
        if self.date_from:
            domain.append(("balance_due_date", ">=", self.date_from))
        if self.date_to:
            domain.append(("balance_due_date", "<=", self.date_to))
        return domain

    def _columns(self):
        return [
            Column(self.env._("Salesperson"), 24),
            Column(self.env._("Order"), 16),
            Column(self.env._("Customer"), 30),
            Column(self.env._("Credit Grade"), 12),
            Column(self.env._("Due Date"), 14, "date"),
            Column(self.env._("Days Late"), 10, "number"),
            Column(self.env._("Lateness"), 14),
            Column(self.env._("Currency"), 10),
            Column(self.env._("Balance to Collect"), 18, "money", total=True),
        ]

    def _rows(self):
        buckets = self._selection_labels("sales.balance.report", "late_bucket")
        rows = self._search_iter(
            "sales.balance.report",
            self._domain(),
            order="user_id, days_late desc, id",
            fields=[
                "user_id.partner_id.name",
                "order_id.name",
                "partner_id.display_name",
                "credit_grade_id.code",
                "balance_due_date",
                "days_late",
                "late_bucket",
                "currency_id.name",
                "balance_residual",
            ],
        )
        for row in rows:
            yield [
                row.user_id.name or "",
                row.order_id.name,
                row.partner_id.display_name,
                row.credit_grade_id.code or "",
                row.balance_due_date,
                row.days_late,
                buckets.get(row.late_bucket, ""),
                row.currency_id.name,
                float(row.balance_residual),
            ]

    def _export_file_name(self):
        return f"sales_policy_balances_{fields.Date.context_today(self)}.xlsx"

    def _export_sheets(self):
        return [
            Sheet(
                name=self.env._("To Collect"),
                columns=self._columns(),
                rows=self._rows(),
                total_label=self.env._("Total"),
                freeze_columns=2,
            )
        ]
