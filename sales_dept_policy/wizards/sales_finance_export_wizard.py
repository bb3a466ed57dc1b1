# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import fields, models

from ..report.finance_xlsx import build_finance_xlsx


class SalesFinanceExportWizard(models.TransientModel):
    """xlsx for finance (CRD-4, CRD-5): orders awaiting deposit and orders
    confirmed with an approved deviation, read with the user's own rights."""

    _name = "sales.finance.export.wizard"
    _description = "Sales Policy Finance Export"

    date_from = fields.Date(string="Confirmed From")
    date_to = fields.Date(string="Confirmed To")
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def _order_domain(self):
        domain = [("state", "=", "sale")]
        if self.date_from:
            domain.append(("date_order", ">=", fields.Datetime.to_datetime(self.date_from)))
        if self.date_to:
            domain.append(
                (
                    "date_order",
                    "<",
                    fields.Datetime.to_datetime(fields.Date.add(self.date_to, days=1)),
                )
            )
        return domain

    def _rows(self, orders, with_reasons):
        rows = []
        for order in orders:
            row = [
                order.name,
                fields.Datetime.context_timestamp(self, order.date_order).replace(tzinfo=None),
                order.partner_id.display_name,
                order.credit_grade_id.code or "",
                order.user_id.name or "",
                order.currency_id.name,
                float(order.amount_total),
                float(order.deposit_received),
                float(
                    order.amount_total * order.prepayment_percent if order.require_payment else 0.0
                ),
            ]
            if with_reasons:
                approvers = order.deviation_ids.filtered(lambda d: d.state == "approved")
                row += [
                    (order.deviation_reasons or "").replace("\n", "; "),
                    ", ".join(approvers.mapped("decided_by_id.name")),
                ]
            rows.append(row)
        return rows

    def action_export(self):
        self.ensure_one()
        Order = self.env["sale.order"]  # the user's own access rights apply
        domain = self._order_domain()
        awaiting = Order.search(domain + [("awaiting_deposit", "=", True)], order="date_order")
        deviations = Order.search(
            domain + [("deviation_state", "=", "approved")], order="date_order"
        )
        headers = [
            self.env._("Order"),
            self.env._("Confirmed On"),
            self.env._("Customer"),
            self.env._("Credit Grade"),
            self.env._("Salesperson"),
            self.env._("Currency"),
            self.env._("Total"),
            self.env._("Deposit Received"),
            self.env._("Deposit Required"),
        ]
        content = build_finance_xlsx(
            [
                (self.env._("Awaiting Deposit"), headers, self._rows(awaiting, False)),
                (
                    self.env._("Deviations"),
                    headers + [self.env._("Deviation"), self.env._("Approved By")],
                    self._rows(deviations, True),
                ),
            ]
        )
        self.write(
            {
                "file_data": base64.b64encode(content),
                "file_name": f"sales_policy_finance_{fields.Date.context_today(self)}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/sales.finance.export.wizard/{self.id}/file_data/"
            f"{self.file_name}?download=true",
            "target": "self",
        }
