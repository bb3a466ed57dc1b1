# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..policy import credit as crd
from ..report.xlsx_base import Column, Sheet


class SalesFinanceExportWizard(models.TransientModel):
    """xlsx for finance (CRD-4, CRD-5): orders awaiting deposit and orders
    confirmed with an approved deviation, read with the user's own rights."""

    _name = "sales.finance.export.wizard"
    _description = "Sales Policy Finance Export"
    _inherit = ["sales.export.wizard.mixin"]

    date_from = fields.Date(string="Confirmed From")
    date_to = fields.Date(string="Confirmed To")

    def _order_domain(self):
        """Confirmed orders, confirmed within the period's local days."""
        domain = [("state", "=", "sale")]
        if self.date_from:
            domain.append(("date_order", ">=", self._local_day_start(self.date_from)))
        if self.date_to:
            next_day = fields.Date.add(self.date_to, days=1)
            domain.append(("date_order", "<", self._local_day_start(next_day)))
        return domain

    def _columns(self, with_reasons):
        columns = [
            Column(self.env._("Order"), 16),
            Column(self.env._("Confirmed On"), 18, "datetime"),
            Column(self.env._("Customer"), 30),
            Column(self.env._("Credit Grade"), 14),
            Column(self.env._("Salesperson"), 24),
            Column(self.env._("Currency"), 10),
            Column(self.env._("Total"), 14, "money"),
            Column(self.env._("Deposit Received"), 18, "money"),
            Column(self.env._("Deposit Required"), 18, "money"),
        ]
        if with_reasons:
            columns += [
                Column(self.env._("Deviation"), 40),
                Column(self.env._("Approved By"), 24),
            ]
        return columns

    def _rows(self, domain, with_reasons):
        fnames = [
            "name",
            "date_order",
            "partner_id.display_name",
            "credit_grade_id.code",
            "user_id.partner_id.name",
            "currency_id.name",
            "currency_id.rounding",
            "amount_total",
            "deposit_received",
            "prepayment_percent",
            "require_payment",
        ]
        if with_reasons:
            fnames += [
                "deviation_details",
                "deviation_ids.state",
                "deviation_ids.reviewed_by_id.partner_id.name",
                "deviation_ids.decided_by_id.partner_id.name",
            ]
        orders = self._search_iter("sale.order", domain, order="date_order, id", fields=fnames)
        for order in orders:
            # CRD-1/CRD-4: the grade's deposit, as the policy computes it
            percent = order.prepayment_percent * 100 if order.require_payment else 0.0
            required = crd.deposit_amount(
                order.amount_total, percent, order.currency_id.rounding or 0.01
            )
            row = [
                order.name,
                self._local(order.date_order),
                order.partner_id.display_name,
                order.credit_grade_id.code or "",
                order.user_id.name or "",
                order.currency_id.name,
                float(order.amount_total),
                float(order.deposit_received),
                float(required),
            ]
            if with_reasons:
                approvers = order.deviation_ids.filtered(lambda d: d.state == "approved")
                row += [
                    (order.deviation_reasons or "").replace("\n", "; "),
                    # CRD-5: who reviewed, then who approved
                    ", ".join((approvers.reviewed_by_id | approvers.decided_by_id).mapped("name")),
                ]
            yield row

    def _export_file_name(self):
        return f"sales_policy_finance_{fields.Date.context_today(self)}.xlsx"

    def _export_sheets(self):
        domain = self._order_domain()  # the user's own access rights apply
        sheets = [
            Sheet(
                name=self.env._("Awaiting Deposit"),
                columns=self._columns(False),
                rows=self._rows(domain + [("awaiting_deposit", "=", True)], False),
            ),
            Sheet(
                name=self.env._("Deviations"),
                columns=self._columns(True),
                rows=self._rows(domain + [("deviation_state", "=", "approved")], True),
            ),
        ]
        return sheets
