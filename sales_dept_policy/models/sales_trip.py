# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..policy import travel as trv
from .sales_approval_mixin import WORKFLOW_FIELDS as _WORKFLOW_FIELDS

#: What a traveller records after the trip, on an approved trip (APR-3 keeps the rest).
_ACTUAL_FIELDS = frozenset({"departure_at", "return_at", "hosted_days", "expense_ids"})
_PRE_APPROVALS = ("flight", "taxi", "lodging", "car")


class SalesTrip(models.Model):
    """TRV-1..12: a business trip, requested before travel, and its claim.

    The traveller (or their manager) requests the trip with the pre-approvals it
    needs (flight, taxi, intra-city lodging, company car); the traveller's
    manager approves it, never the traveller (TRV-1, APR-4). After the trip the
    ticket times and hosted days are recorded; they give the trip days and the
    per diem (TRV-9..11), which becomes an expense line. Claim lines are
    ``hr.expense`` records linked to the trip, each with what the standard allows.
    """

    _name = "sales.trip"
    _description = "Business Trip"
    _inherit = ["sales.approval.mixin", "sales.territory.work.mixin"]
    _order = "planned_departure desc, id desc"
    _check_company_auto = True

    #: APR-5, TRV-1, TRV-2: who decides and the standard applied come from the
    #: employee record at submit, never from the request
    _policy_protected_fields = _WORKFLOW_FIELDS | {
        "manager_user_id",
        "travel_level_id",
    }

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Traveller",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user.employee_id,
    )
    user_id = fields.Many2one(
        related="employee_id.user_id", store=True, index=True, string="Traveller's User"
    )
    manager_user_id = fields.Many2one(
        "res.users",
        string="Manager",
        compute="_compute_manager_user_id",
        store=True,
        index=True,
        help="TRV-1: who approves the trip: the traveller's manager, as the employee record "
        "says when the trip is submitted.",
    )
    travel_level_id = fields.Many2one(
        "sales.travel.level",
        compute="_compute_travel_level_id",
        store=True,
        precompute=True,
        required=True,
        tracking=True,
        help="TRV-2: the traveller's level, from the employee record when the trip is "
        "requested and submitted.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        check_company=True,
        domain=[("customer_archive", "=", True), ("parent_id", "=", False)],
        help="The customer the trip is for, if any.",
    )
    destination = fields.Char(required=True, tracking=True)
    purpose = fields.Text(required=True)
    territory_id = fields.Many2one(
        "sales.territory",
        compute="_compute_territory_id",
        store=True,
        readonly=False,
        index=True,
    )
    is_intra_city = fields.Boolean(
        string="Intra-City",
        tracking=True,
        help="TRV-5, TRV-7, TRV-9: within the city: public transport, back the same day, "
        "no per diem.",
    )
    planned_departure = fields.Datetime(
        tracking=True, help="TRV-1: the departure requested; the ticket time if none is given."
    )
    planned_return = fields.Datetime(
        tracking=True, help="TRV-1: the return requested; the ticket time if none is given."
    )
    departure_at = fields.Datetime(
        string="Departure (Ticket)",
        tracking=True,
        help="TRV-10: the departure time on the ticket; the planned time until recorded.",
    )
    return_at = fields.Datetime(
        string="Return Arrival (Ticket)",
        tracking=True,
        help="TRV-10: the arrival time of the return ticket; the planned time until recorded.",
    )
    hosted_days = fields.Float(
        tracking=True,
        help="TRV-11: days the customer hosted the traveller: no per diem for them.",
    )
    flight_requested = fields.Boolean(string="Flight")
    taxi_requested = fields.Boolean(string="Taxi")
    lodging_requested = fields.Boolean(string="Intra-City Lodging")
    car_requested = fields.Boolean(string="Company Car")
    pre_approval_reason = fields.Text(
        help="TRV-4: why a flight (time pressure, lower total cost), a taxi, a night in town "
        "or the company car is needed."
    )
    flight_approved = fields.Boolean(
        compute="_compute_approvals", inverse="_inverse_approvals", store=True
    )
    taxi_approved = fields.Boolean(
        compute="_compute_approvals", inverse="_inverse_approvals", store=True
    )
    lodging_approved = fields.Boolean(
        compute="_compute_approvals", inverse="_inverse_approvals", store=True
    )
    car_approved = fields.Boolean(
        compute="_compute_approvals", inverse="_inverse_approvals", store=True
    )
    trip_days = fields.Float(
        compute="_compute_days", store=True, help="TRV-10: by ticket times, noon as boundary."
    )
    per_diem_days = fields.Float(
        compute="_compute_days", store=True, help="TRV-11: trip days less hosted days."
    )
    per_diem_amount = fields.Monetary(
        compute="_compute_days", store=True, help="TRV-9: per diem days at the daily rate."
    )
    expense_ids = fields.One2many("hr.expense", "trip_id", string="Claim Lines")
    expense_count = fields.Integer(compute="_compute_claim_totals")
    claimed_total = fields.Monetary(compute="_compute_claim_totals", string="Claimed")
    allowed_total = fields.Monetary(compute="_compute_claim_totals", string="Allowed")
    exceeded_total = fields.Monetary(
        compute="_compute_claim_totals",
        string="Above Standard",
        help="TRV-13: claimed above what the standard allows; never paid.",
    )

    _hosted_days_positive = models.Constraint(
        "CHECK (hosted_days >= 0)", "Hosted days cannot be negative (TRV-11)."
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("employee_id.parent_id.user_id", "employee_id.department_id.manager_id.user_id")
    def _compute_manager_user_id(self):
        # a submitted or decided trip keeps who it was submitted to (set at submit)
        for trip in self:
            if trip.state == "draft" or not trip.manager_user_id:
                trip.manager_user_id = trip._employee_manager()

    def _employee_manager(self):
        """TRV-1: the traveller's manager: the employee's manager, else the
        department's (read as superuser: travellers do not read HR records)."""
        self.ensure_one()
        employee = self.employee_id.sudo()
        return (employee.parent_id.user_id or employee.department_id.manager_id.user_id).with_env(
            self.env
        )

    @api.depends("employee_id.travel_level_id")
    def _compute_travel_level_id(self):
        for trip in self:
            if trip.state == "draft" or not trip.travel_level_id:
                trip.travel_level_id = trip._employee_level()

    def _employee_level(self):
        self.ensure_one()
        staff = self.env.ref("sales_dept_policy.travel_level_staff", raise_if_not_found=False)
        return self.employee_id.sudo().travel_level_id.with_env(self.env) or staff

    @api.depends("partner_id.commercial_partner_id.territory_id")
    def _compute_territory_id(self):
        for trip in self:
            if trip.partner_id:
                trip.territory_id = trip.partner_id.commercial_partner_id.territory_id

    @api.depends(
        "state", "flight_requested", "taxi_requested", "lodging_requested", "car_requested"
    )
    def _compute_approvals(self):
        for trip in self:
            approved = trip.state == "approved"
            for what in _PRE_APPROVALS:
                trip[f"{what}_approved"] = approved and trip[f"{what}_requested"]

    def _inverse_approvals(self):
        # asking for an approval on a draft is requesting it; the trip's decision grants it
        for trip in self:
            if trip.state == "draft":
                for what in _PRE_APPROVALS:
                    if trip[f"{what}_approved"] and not trip[f"{what}_requested"]:
                        trip[f"{what}_requested"] = True

    def _times(self):
        """The trip's departure and return: the ticket times, else the planned ones."""
        self.ensure_one()
        return (
            self.departure_at or self.planned_departure,
            self.return_at or self.planned_return,
        )

    def _local(self, value):
        """A UTC datetime as the traveller's wall-clock time (TRV-10)."""
        tz = self.employee_id.tz or self.user_id.tz or self.env.user.tz or "UTC"
        return pytz.utc.localize(value).astimezone(pytz.timezone(tz)).replace(tzinfo=None)

    @api.depends(
        "planned_departure",
        "planned_return",
        "departure_at",
        "return_at",
        "hosted_days",
        "is_intra_city",
        "employee_id",
    )
    def _compute_days(self):
        rate = self._per_diem_rate()
        for trip in self:
            departure, arrival = trip._times()
            if not (departure and arrival) or arrival < departure:
                trip.update({"trip_days": 0.0, "per_diem_days": 0.0, "per_diem_amount": 0.0})
                continue
            try:
                days = trv.trip_days(trip._local(departure), trip._local(arrival))
                per_diem = trv.per_diem_days(days, trip.hosted_days, trip.is_intra_city)
            except trv.TravelError as error:
                raise ValidationError(
                    self.env._("%(trip)s: %(error)s", trip=trip.display_name, error=str(error))
                ) from error
            trip.trip_days = days
            trip.per_diem_days = per_diem
            trip.per_diem_amount = per_diem * rate

    @api.depends("expense_ids.total_amount", "expense_ids.policy_amount")
    def _compute_claim_totals(self):
        for trip in self:
            lines = trip.expense_ids.filtered(lambda e: e.approval_state != "refused")
            trip.expense_count = len(trip.expense_ids)
            trip.claimed_total = sum(lines.mapped("total_amount"))
            trip.allowed_total = sum(lines.mapped("policy_amount"))
            trip.exceeded_total = trip.claimed_total - trip.allowed_total

    @api.model
    def _per_diem_product(self):
        return (
            self.env.ref("sales_dept_policy.product_travel_per_diem", raise_if_not_found=False)
            or self.env["product.product"]
        )

    @api.model
    def _per_diem_rate(self):
        """TRV-9: the daily per diem is the cost of the per diem product (Settings)."""
        return self._per_diem_product().standard_price

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    @api.constrains("planned_departure", "planned_return", "departure_at", "return_at")
    def _check_dates(self):
        for trip in self:
            if (
                trip.planned_departure
                and trip.planned_return
                and trip.planned_return < trip.planned_departure
            ):
                raise ValidationError(
                    self.env._(
                        "Planned Return of %(trip)s is before its Planned Departure (TRV-10).",
                        trip=trip.display_name,
                    )
                )
            departure, arrival = trip._times()
            if departure and arrival and arrival < departure:
                raise ValidationError(
                    self.env._(
                        "Return Arrival (Ticket) of %(trip)s is before its Departure "
                        "(Ticket) (TRV-10).",
                        trip=trip.display_name,
                    )
                )

    @api.constrains("hosted_days", "trip_days")
    def _check_hosted_days(self):
        for trip in self:
            if trip.hosted_days > trip.trip_days:
                raise ValidationError(
                    self.env._(
                        "Hosted Days of %(trip)s (%(hosted)s) exceed its %(days)s trip days "
                        "(TRV-11).",
                        trip=trip.display_name,
                        hosted=trip.hosted_days,
                        days=trip.trip_days,
                    )
                )

    @api.constrains(
        "is_intra_city", "planned_departure", "planned_return", "departure_at", "return_at"
    )
    def _check_intra_city_same_day(self):
        for trip in self:
            departure, arrival = trip._times()
            if (
                trip.is_intra_city
                and departure
                and arrival
                and not trip.lodging_requested
                and trip._local(departure).date() != trip._local(arrival).date()
            ):
                raise ValidationError(
                    self.env._(
                        "%(trip)s is intra-city: it returns the same day, unless lodging is "
                        "requested for approval (TRV-7).",
                        trip=trip.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_trip_values(vals_list, creating=True)
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("sales.trip") or "/"
        return super().create(vals_list)

    def _check_trip_values(self, vals_list, creating=False):
        """Bad input refused before anything is written: negative hosted days
        (TRV-11), a customer the traveller may not read (ARC-4), the policy's own
        fields (APR-5; at creation, the approval flow's create checks them)."""
        if any((vals.get("hosted_days") or 0) < 0 for vals in vals_list):
            raise ValidationError(self.env._("Hosted Days cannot be negative (TRV-11)."))
        if self.env.su:
            return
        if not creating:
            self._check_policy_write(vals_list)
        self._check_readable_customers(vals_list)

    def _approval_free_fields(self):
        return super()._approval_free_fields() | _ACTUAL_FIELDS

    def write(self, vals):
        self._check_trip_values([vals])
        actuals = set(vals) & (_ACTUAL_FIELDS - {"expense_ids"})
        if actuals and not self.env.su:
            for trip in self.filtered(lambda t: t.state != "draft"):
                if trip.state != "approved":
                    raise UserError(
                        self.env._(
                            "%(trip)s is not approved: record ticket times and hosted days on "
                            "an approved trip (TRV-1).",
                            trip=trip.display_name,
                        )
                    )
                if trip.expense_ids.filtered(
                    lambda e: (
                        e.travel_kind == "per_diem"
                        and e.approval_state in ("approved", "posted", "in_payment", "paid")
                    )
                ):
                    raise UserError(
                        self.env._(
                            "The per diem of %(trip)s is approved: its ticket times and hosted "
                            "days are final (APR-3).",
                            trip=trip.display_name,
                        )
                    )
        result = super().write(vals)
        if actuals:
            self._sync_per_diem()
        return result

    # ------------------------------------------------------------------
    # Approval (TRV-1)
    # ------------------------------------------------------------------
    def _get_approvers(self):
        """TRV-1: the traveller's manager; when they can no longer decide (archived,
        no longer an internal user), the next level up (APR-5); with no manager on
        the employee, the sales managers."""
        self.ensure_one()
        user = self.manager_user_id if self.state != "draft" else self._employee_manager()
        # APR-4: never the traveller nor who submitted it: the level above them decides
        excluded = self.user_id | (self.submitted_by_id or self.env.user)
        seen = self.env["res.users"]
        while user and user not in seen:
            seen |= user
            if user.active and not user.share and user not in excluded:
                return user
            employee = user.sudo().with_context(active_test=False).employee_ids[:1]
            user = (
                employee.parent_id.user_id or employee.department_id.manager_id.user_id
            ).with_env(self.env)
        return self.env.ref("sales_dept_policy.group_sales_manager").sudo().all_user_ids

    def _sync_decision_activities(self):
        # APR-5: the approver who takes over reads the trip through its rule
        for trip in self.filtered(lambda t: t.state == "submitted"):
            approver = trip._get_approvers()
            if len(approver) == 1 and approver != trip.manager_user_id:
                trip._approval_write({"manager_user_id": approver.id})
        return super()._sync_decision_activities()

    def _get_concerned_users(self):
        return self.user_id

    def _check_submit(self):
        self.ensure_one()
        departure, arrival = self._times()
        if not (departure and arrival):
            raise UserError(
                self.env._(
                    "Give the departure and return of %(trip)s before submitting it (TRV-1).",
                    trip=self.display_name,
                )
            )
        if departure <= fields.Datetime.now():
            raise UserError(
                self.env._(
                    "%(trip)s must be requested before travel (TRV-1): its departure is past.",
                    trip=self.display_name,
                )
            )
        if self.out_of_territory:
            self.message_post(
                body=self.env._(
                    "%(customer)s is outside %(user)s's territories (TER-3): the manager's "
                    "approval covers the trip.",
                    customer=self.partner_id.display_name,
                    user=self.user_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _prepare_submit_vals(self):
        """TRV-1, TRV-2: what is approved is the plan, the level and the manager of the
        employee record at submit (a new manager, a new level: the next submit
        takes them)."""
        departure, arrival = self._times()
        manager = self._employee_manager()
        return {
            "planned_departure": departure,
            "planned_return": arrival,
            "travel_level_id": self._employee_level().id,
            "manager_user_id": manager.id,
        }

    # ------------------------------------------------------------------
    # Per diem (TRV-9..11)
    # ------------------------------------------------------------------
    def action_create_per_diem(self):
        """Create or update the trip's per diem line: quantity = per diem days."""
        for trip in self:
            if trip.state != "approved":
                raise UserError(
                    self.env._(
                        "Approve %(trip)s before claiming its per diem (TRV-1).",
                        trip=trip.display_name,
                    )
                )
            if not trip.per_diem_days:
                raise UserError(
                    self.env._(
                        "%(trip)s earns no per diem (TRV-9, TRV-11): intra-city, or every day "
                        "hosted.",
                        trip=trip.display_name,
                    )
                )
            line = trip._per_diem_line()
            if line and line.approval_state not in (False, "draft"):
                raise UserError(
                    self.env._(
                        "The per diem line of %(trip)s is already submitted.",
                        trip=trip.display_name,
                    )
                )
            trip._sync_per_diem()
        return True

    def _per_diem_line(self):
        self.ensure_one()
        return self.expense_ids.filtered(lambda e: e.travel_kind == "per_diem")[:1]

    def _sync_per_diem(self):
        """TRV-9..11: the per diem expense line of an approved trip follows its days
        while it is a draft: created at approval, updated when the ticket times or
        the hosted days change, removed when no per diem is due."""
        for trip in self.filtered(lambda t: t.state == "approved"):
            line = trip._per_diem_line()
            if line and line.approval_state not in (False, "draft"):
                continue
            days = trip.per_diem_days
            if line and not days:
                line.unlink()
                continue
            if not days or (line and line.quantity == days):
                continue
            # the traveller's expense, in their name (and language) when they have a
            # user, whoever approves the trip
            Expense = self.env["hr.expense"]
            if trip.user_id and trip.user_id != self.env.user:
                Expense = Expense.with_user(trip.user_id).with_context(lang=trip.user_id.lang)
            vals = {
                "quantity": days,
                "name": Expense.env._(
                    "Per diem %(trip)s: %(days)s days", trip=trip.name, days=days
                ),
            }
            if line:
                line.write(vals)
            else:
                Expense.create(
                    {
                        **vals,
                        "trip_id": trip.id,
                        "employee_id": trip.employee_id.id,
                        "product_id": self._per_diem_product().id,
                        "travel_kind": "per_diem",
                        "date": trip._local(trip._times()[1]).date(),
                        "payment_mode": "own_account",
                    }
                )
            trip.message_post(
                body=self.env._(
                    "Per diem line set to %(days)s days (%(trip_days)s trip days, %(hosted)s "
                    "hosted) by %(user)s.",
                    days=days,
                    trip_days=trip.trip_days,
                    hosted=trip.hosted_days,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _on_approved(self):
        self._sync_per_diem()

    def action_open_expenses(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Claim Lines"),
            "res_model": "hr.expense",
            "view_mode": "list,form",
            "domain": [("trip_id", "=", self.id)],
            "context": {
                "default_trip_id": self.id,
                "default_employee_id": self.employee_id.id,
            },
        }

    def action_export_claim(self):
        return (
            self.env["sales.trip.export.wizard"]
            .create({"trip_ids": [Command.set(self.ids)]})
            ._export()
        )
