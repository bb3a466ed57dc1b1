# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..report.xlsx_base import Column, Sheet


class SalesTripExportWizard(models.TransientModel):
    """xlsx of trip claims (one sheet a trip) or of the claim lines above the
    travel standard over a period (TRV-13). Read with the user's own rights: a
    traveller exports their own trips, a manager their team's."""

    _name = "sales.trip.export.wizard"
    _description = "Business Trip Export"
    _inherit = ["sales.export.wizard.mixin"]

    mode = fields.Selection(
        [("claims", "Trip Claims"), ("breaches", "Policy Breaches")],
        required=True,
        default="claims",
    )
    trip_ids = fields.Many2many("sales.trip", string="Trips")
    date_from = fields.Date(
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        )
    )
    date_to = fields.Date(default=fields.Date.context_today)

    def _period_label(self):
        self.ensure_one()
        if self.mode != "claims":
            return super()._period_label()
        # the trips' own period, from the first departure to the last return
        departures = [t.departure_at or t.planned_departure for t in self.trip_ids]
        returns = [t.return_at or t.planned_return for t in self.trip_ids]
        departures = [self._local(d).date() for d in departures if d]
        returns = [self._local(d).date() for d in returns if d]
        return self._date_range_label(min(departures, default=None), max(returns, default=None))

    # ------------------------------------------------------------------
    # Trip claims: one sheet a trip
    # ------------------------------------------------------------------
    def _claim_columns(self):
        return (
            Column(self.env._("Date"), 22, "date"),
            Column(self.env._("Description"), 36),
            Column(self.env._("Kind"), 14),
            Column(self.env._("Transport"), 14),
            Column(self.env._("Claimed"), 14, "money", total=True),
            Column(self.env._("Allowed"), 14, "money", total=True),
            Column(self.env._("Standard Applied"), 40),
            Column(self.env._("Status"), 40),
        )

    def _claim_info(self, trip):
        return (
            (self.env._("Trip"), trip.name, "text"),
            (self.env._("Traveller"), trip.employee_id.name, "text"),
            (self.env._("Travel Level"), trip.travel_level_id.name or "", "text"),
            (self.env._("Destination"), trip.destination or "", "text"),
            (
                self.env._("Departure"),
                self._local(trip.departure_at or trip.planned_departure),
                "datetime",
            ),
            (
                self.env._("Return"),
                self._local(trip.return_at or trip.planned_return),
                "datetime",
            ),
            (self.env._("Trip Days"), trip.trip_days, "number"),
            (self.env._("Per Diem Days"), trip.per_diem_days, "number"),
        )

    def _claim_rows(self, trip, labels):
        lines = self._search_iter(
            "hr.expense",
            [("trip_id", "=", trip.id), ("approval_state", "!=", "refused")],
            order="date, id desc",
            fields=[
                "date",
                "name",
                "travel_kind",
                "transport_class",
                "total_amount",
                "policy_amount",
                "policy_rule",
                "policy_reason",
                "state",
            ],
        )
        for line in lines:
            yield (
                line.date,
                line.name,
                labels["travel_kind"].get(line.travel_kind, ""),
                labels["transport_class"].get(line.transport_class, ""),
                float(line.total_amount),
                float(line.policy_amount),
                line.policy_note or "",
                labels["state"].get(line.state, ""),
            )

    def _claim_sheets(self, labels):
        columns = self._claim_columns()
        for trip in self.trip_ids:
            yield Sheet(
                name=trip.name,
                columns=columns,
                rows=self._claim_rows(trip, labels),
                info=self._claim_info(trip),
                total_label=self.env._("Total"),
            )

    # ------------------------------------------------------------------
    # Policy breaches over a period
    # ------------------------------------------------------------------
    def _breach_rows(self, labels):
        lines = self._search_iter(
            "hr.expense",
            [
                ("trip_id", "!=", False),
                ("policy_exceeded", "=", True),
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
            ],
            order="date, id",
            fields=[
                "date",
                "trip_id.name",
                "employee_id.name",
                "travel_kind",
                "name",
                "total_amount",
                "policy_amount",
                "policy_rule",
                "policy_reason",
                "state",
            ],
        )
        for line in lines:
            yield (
                line.date,
                line.trip_id.name,
                line.employee_id.name,
                labels["travel_kind"].get(line.travel_kind, ""),
                line.name,
                float(line.total_amount),
                float(line.policy_amount),
                float(line.total_amount - line.policy_amount),
                line.policy_note or "",
                labels["state"].get(line.state, ""),
            )

    def _breach_sheet(self, labels):
        return Sheet(
            name=self.env._("Policy Breaches"),
            columns=(
                Column(self.env._("Date"), 18, "date"),
                Column(self.env._("Trip"), 18),
                Column(self.env._("Traveller"), 18),
                Column(self.env._("Kind"), 18),
                Column(self.env._("Description"), 18),
                Column(self.env._("Claimed"), 14, "money"),
                Column(self.env._("Allowed"), 14, "money"),
                Column(self.env._("Above Standard"), 14, "money"),
                Column(self.env._("Standard Applied"), 40),
                Column(self.env._("Status"), 40),
            ),
            rows=self._breach_rows(labels),
        )

    # ------------------------------------------------------------------
    def _check_export(self):
        if self.mode == "claims":
            if not self.trip_ids:
                raise UserError(self.env._("Choose the trips to export."))
        else:
            self._check_period(required=True)

    def _export_file_name(self):
        if self.mode == "claims":
            if len(self.trip_ids) == 1:
                return f"{self.trip_ids.name}.xlsx"
            return "trip_claims.xlsx"
        return f"travel_breaches_{self.date_from}_{self.date_to}.xlsx"

    def _export_sheets(self):
        labels = {
            fname: self._selection_labels("hr.expense", fname)
            for fname in ("travel_kind", "transport_class", "state")
        }
        if self.mode == "claims":
            return self._claim_sheets(labels)
        return [self._breach_sheet(labels)]
