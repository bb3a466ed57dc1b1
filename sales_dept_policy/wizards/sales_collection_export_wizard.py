# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..policy import collections as ord6
from ..report.xlsx_base import Column, Sheet

#: ORD-6: the plans a month's report shows: those kept (not rejected, not cancelled)
KEPT_PLAN_STATES = ("draft", "submitted", "approved")


class SalesCollectionExportWizard(models.TransientModel):
    """ORD-6: the month's collection plans and report (本月应收账款回收月报表) as xlsx.

    Two sheets: the planned collections (salesperson, customer, invoice, planned
    date, planned, received, difference) and each salesperson's totals (planned,
    received in the plan, received outside it). Read with the user's own rights:
    a salesperson exports their own plan, a sales manager the team's.
    """

    _name = "sales.collection.export.wizard"
    _description = "Collection Export"
    _inherit = ["sales.export.wizard.mixin"]

    month = fields.Date(
        required=True,
        default=lambda self: ord6.month_start(fields.Date.context_today(self)),
        help="ORD-6: the month exported (any day of it).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._normalise_month(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._normalise_month(vals))

    @api.model
    def _normalise_month(self, vals):
        if vals.get("month"):
            vals = dict(vals, month=ord6.month_start(fields.Date.to_date(vals["month"])))
        return vals

    def _period_label(self):
        self.ensure_one()
        return self.env._("Month %(month)s", month=ord6.month_label(self.month))

    def _plan_domain(self):
        return [("month", "=", self.month), ("state", "in", KEPT_PLAN_STATES)]

    def _line_rows(self):
        lines = self._search_iter(
            "sales.collection.plan.line",
            [("month", "=", self.month), ("plan_state", "in", KEPT_PLAN_STATES)],
            order="user_id, planned_date, id",
        )
        for line in lines:
            yield (
                line.user_id.name,
                # the invoice's own partner name: the invoice is the salesperson's,
                # whoever the customer's archive belongs to now
                line.invoice_id.invoice_partner_display_name or "",
                line.invoice_id.name,
                line.planned_date,
                float(line.planned_amount),
                float(line.received_amount),
                float(line.difference),
            )

    def _total_rows(self):
        labels = self._selection_labels("sales.collection.plan", "state")
        for batch in self._search_batches(
            "sales.collection.plan", self._plan_domain(), order="user_id, id"
        ):
            # received outside the plan: one query for the whole batch
            for plan in batch:
                yield (
                    plan.user_id.name,
                    float(plan.planned_total),
                    float(plan.received_total),
                    float(plan.received_outside_plan),
                    float(plan.difference_total),
                    labels.get(plan.state, plan.state),
                )

    def _export_file_name(self):
        return f"collections_{ord6.month_label(self.month)}.xlsx"

    def _export_sheets(self):
        lines = Sheet(
            name=self.env._("Planned Collections"),
            columns=(
                Column(self.env._("Salesperson"), 24),
                Column(self.env._("Customer"), 32),
                Column(self.env._("Invoice"), 20),
                Column(self.env._("Planned Date"), 14, "date"),
                Column(self.env._("Planned"), 14, "money", total=True),
                Column(self.env._("Received"), 14, "money", total=True),
                Column(self.env._("Difference"), 14, "money", total=True),
            ),
            rows=self._line_rows(),
            total_label=self.env._("Total"),
            freeze_columns=1,
        )
        totals = Sheet(
            name=self.env._("Salespeople"),
            columns=(
                Column(self.env._("Salesperson"), 24),
                Column(self.env._("Planned"), 14, "money", total=True),
                Column(self.env._("Received in Plan"), 16, "money", total=True),
                Column(self.env._("Received Outside Plan"), 20, "money", total=True),
                Column(self.env._("Difference"), 14, "money", total=True),
                Column(self.env._("Plan Status"), 14),
            ),
            rows=self._total_rows(),
            total_label=self.env._("Total"),
            freeze_columns=1,
        )
        return [lines, totals]
