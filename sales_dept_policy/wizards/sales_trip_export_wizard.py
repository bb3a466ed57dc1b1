# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..report.trip_xlsx import build_breaches_xlsx, build_trip_claims_xlsx


class SalesTripExportWizard(models.TransientModel):
    """xlsx of trip claims (one sheet a trip) or of the claim lines above the
    travel standard over a period (TRV-13). Read with the user's own rights: a
    traveller exports their own trips, a manager their team's."""

    _name = "sales.trip.export.wizard"
    _description = "Business Trip Export"

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
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.model
    def _kind_label(self, expense):
        return dict(expense._fields["travel_kind"]._description_selection(self.env)).get(
            expense.travel_kind, ""
        )

    def _class_label(self, expense):
        return dict(expense._fields["transport_class"]._description_selection(self.env)).get(
            expense.transport_class, ""
        )

    def _state_label(self, expense):
        return dict(expense._fields["state"]._description_selection(self.env)).get(
            expense.state, ""
        )

    def _trip_data(self, trip):
        lines = trip.expense_ids.filtered(lambda e: e.approval_state != "refused").sorted("date")
        return {
            "name": trip.name,
            "info": [
                (self.env._("Trip"), trip.name),
                (self.env._("Traveller"), trip.employee_id.name),
                (self.env._("Travel Level"), trip.travel_level_id.name or ""),
                (self.env._("Destination"), trip.destination or ""),
                (
                    self.env._("Departure"),
                    fields.Datetime.to_string(trip.departure_at or trip.planned_departure),
                ),
                (
                    self.env._("Return"),
                    fields.Datetime.to_string(trip.return_at or trip.planned_return),
                ),
                (self.env._("Trip Days"), trip.trip_days),
                (self.env._("Per Diem Days"), trip.per_diem_days),
            ],
            "lines": [
                (
                    fields.Date.to_string(line.date),
                    line.name,
                    self._kind_label(line),
                    self._class_label(line),
                    float(line.total_amount),
                    float(line.policy_amount),
                    line.policy_note or "",
                    self._state_label(line),
                )
                for line in lines
            ],
        }

    def _export(self):
        self.ensure_one()
        if self.mode == "claims":
            if not self.trip_ids:
                raise UserError(self.env._("Choose the trips to export."))
            content = build_trip_claims_xlsx(
                [self._trip_data(trip) for trip in self.trip_ids],
                {
                    "heads": [
                        self.env._("Date"),
                        self.env._("Description"),
                        self.env._("Kind"),
                        self.env._("Transport"),
                        self.env._("Claimed"),
                        self.env._("Allowed"),
                        self.env._("Standard Applied"),
                        self.env._("Status"),
                    ],
                    "total": self.env._("Total"),
                    "empty": self.env._("No trip"),
                },
            )
            name = "trip_claims.xlsx" if len(self.trip_ids) > 1 else f"{self.trip_ids.name}.xlsx"
        else:
            if not (self.date_from and self.date_to) or self.date_to < self.date_from:
                raise UserError(self.env._("Give a period whose end is not before its start."))
            lines = self.env["hr.expense"].search(
                [
                    ("trip_id", "!=", False),
                    ("policy_exceeded", "=", True),
                    ("date", ">=", self.date_from),
                    ("date", "<=", self.date_to),
                ],
                order="date, id",
            )
            content = build_breaches_xlsx(
                self.env._("Policy Breaches"),
                [
                    self.env._("Date"),
                    self.env._("Trip"),
                    self.env._("Traveller"),
                    self.env._("Kind"),
                    self.env._("Description"),
                    self.env._("Claimed"),
                    self.env._("Allowed"),
                    self.env._("Above Standard"),
                    self.env._("Standard Applied"),
                    self.env._("Status"),
                ],
                [
                    (
                        fields.Date.to_string(line.date),
                        line.trip_id.name,
                        line.employee_id.name,
                        self._kind_label(line),
                        line.name,
                        float(line.total_amount),
                        float(line.policy_amount),
                        float(line.total_amount - line.policy_amount),
                        line.policy_note or "",
                        self._state_label(line),
                    )
                    for line in lines
                ],
            )
            name = f"travel_breaches_{self.date_from}_{self.date_to}.xlsx"
        self.write({"file_data": base64.b64encode(content), "file_name": name.replace("/", "-")})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/sales.trip.export.wizard/{self.id}/file_data/"
            f"{self.file_name}?download=true",
            "target": "self",
        }

    def action_export(self):
        return self._export()
