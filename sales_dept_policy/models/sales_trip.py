# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from ..policy import budget as bud
from ..policy import travel as trv
from .sales_approval_mixin import WORKFLOW_FIELDS as _WORKFLOW_FIELDS
from .sales_expense_budget import BUDGET_STATUS

#: What a traveller records after the trip, on an approved trip (APR-3 keeps the rest).
_ACTUAL_FIELDS = frozenset({"departure_at", "return_at", "hosted_days", "expense_ids"})
_PRE_APPROVALS = ("flight", "taxi", "lodging", "car")
#: 001 及时报帐: a claim is made once a line besides the per diem is submitted or later
_CLAIMED_STATES = ("submitted", "approved", "posted", "in_payment", "paid")
#: TRV-8: the trip fields whose change changes who must share a room with whom
_ROOM_SHARE_FIELDS = frozenset(
    {
        "state",
        "employee_id",
        "destination",
        "is_intra_city",
        "planned_departure",
        "planned_return",
        "departure_at",
        "return_at",
    }
)


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
        "claim_reminder_date",
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
        string="Direct Superior",
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
    purpose = fields.Text(
        string="Purpose of the Trip", required=True, help="TRV-1: whom the traveller sees and why."
    )
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
    per_diem_rate = fields.Monetary(
        compute="_compute_days",
        store=True,
        help="TRV-9 (出差生活补贴按地区标准): the daily per diem of the trip's territory (its "
        "own rate or its closest parent's), else the default rate of Settings.",
    )
    per_diem_amount = fields.Monetary(
        compute="_compute_days", store=True, help="TRV-9: per diem days at the daily rate."
    )
    room_share_colleague_id = fields.Many2one(
        "hr.employee",
        string="Room Shared With",
        compute="_compute_room_share_colleague_id",
        store=True,
        help="TRV-8: the colleague of the same gender, below manager level, on an approved "
        "trip to the same destination over the same nights: the two share a room.",
    )
    return_date = fields.Date(
        compute="_compute_return_date",
        store=True,
        index=True,
        help="The day of the return, in the traveller's time zone.",
    )
    claim_made = fields.Boolean(
        compute="_compute_claim_made",
        store=True,
        help="The trip's claim is made: a line besides the per diem is submitted (or later).",
    )
    claim_due_date = fields.Date(
        compute="_compute_claim_due",
        help="回公司后及时进行报帐: the claim is made within the days of Settings after the "
        "return.",
    )
    claim_late = fields.Boolean(
        compute="_compute_claim_due",
        search="_search_claim_late",
        help="The trip is back, its claim due date is past and no claim is made.",
    )
    claim_reminder_date = fields.Date(
        readonly=True,
        copy=False,
        help="When the traveller was given the to-do of the claim (once per trip).",
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
    # BUD-2: the estimate an approved trip commits against its month's travel budget
    estimated_transport = fields.Monetary(
        tracking=True,
        help="BUD-2: the fares the trip is expected to cost, requested with the trip.",
    )
    estimated_lodging = fields.Monetary(
        tracking=True,
        help="BUD-2: the hotel nights the trip is expected to cost, requested with the trip.",
    )
    estimated_per_diem = fields.Monetary(
        compute="_compute_estimated_per_diem",
        store=True,
        help="BUD-2: the per diem of the planned trip days (TRV-9..11), as requested: kept "
        "once the trip is submitted.",
    )
    estimated_total = fields.Monetary(
        string="Estimate",
        compute="_compute_estimated_total",
        store=True,
        help="BUD-2: transport, lodging and per diem estimated: what the approved trip "
        "commits against its month's travel budget until its claim is settled.",
    )
    budget_month = fields.Date(
        compute="_compute_budget_month",
        store=True,
        index=True,
        help="BUD-2: the month of the departure, in the traveller's time zone: the month "
        "whose travel budget the trip consumes.",
    )
    budget_committed = fields.Monetary(
        string="Committed",
        compute="_compute_budget_committed",
        store=True,
        help="BUD-2: what the approved trip still commits: its estimate less what its "
        "approved claims spent, until the claim is settled (every line decided).",
    )
    budget_amount = fields.Monetary(
        string="Month's Travel Budget",
        compute="_compute_budget_check",
        help="BUD-2: the traveller's approved travel budget of the month of departure.",
    )
    budget_remaining = fields.Monetary(
        string="Remaining Budget",
        compute="_compute_budget_check",
        help="BUD-2: the month's travel budget left: before this trip while it is decided, "
        "after it once approved.",
    )
    budget_overrun = fields.Monetary(
        string="Over Budget By",
        compute="_compute_budget_check",
        help="BUD-2: how far the trip's estimate takes the month past its travel budget.",
    )
    budget_status = fields.Selection(
        BUDGET_STATUS,
        compute="_compute_budget_check",
        help="BUD-2: what the trip does to the month's travel budget before it is approved.",
    )
    budget_needs_gm = fields.Boolean(
        string="General Manager Approves Too",
        compute="_compute_budget_check",
        help="BUD-2: over the month's budget (or without one, as the settings say): the "
        "general manager approves after the manager.",
    )

    _hosted_days_positive = models.Constraint(
        "CHECK (hosted_days >= 0)", "Hosted days cannot be negative (TRV-11)."
    )
    _estimates_positive = models.Constraint(
        "CHECK (estimated_transport >= 0 AND estimated_lodging >= 0)",
        "Estimates cannot be negative (BUD-2).",
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
        "territory_id",
        "company_id",
    )
    def _compute_days(self):
        rates = self._regional_per_diem_rates()
        for trip in self:
            rate = rates.get(trip.id, 0.0)
            trip.per_diem_rate = rate
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

    @api.depends("per_diem_amount", "state")
    def _compute_estimated_per_diem(self):
        for trip in self:
            if trip.state == "draft":
                trip.estimated_per_diem = trip.per_diem_amount
            else:
                # BUD-2: submitted or decided, the estimate is the one requested
                trip.estimated_per_diem = trip.estimated_per_diem

    @api.depends("estimated_transport", "estimated_lodging", "estimated_per_diem")
    def _compute_estimated_total(self):
        for trip in self:
            trip.estimated_total = (
                trip.estimated_transport + trip.estimated_lodging + trip.estimated_per_diem
            )

    def _budget_tz(self):
        """The traveller's time zone, as the trip's days are counted (TRV-10)."""
        self.ensure_one()
        return self.employee_id.tz or self.user_id.tz or self.env.user.tz or "UTC"

    @api.depends("planned_departure", "departure_at", "employee_id.tz", "user_id.tz")
    def _compute_budget_month(self):
        for trip in self:
            if trip.state != "draft" and trip.budget_month:
                # submitted or decided: the month the request was made against stays
                trip.budget_month = trip.budget_month
                continue
            # the requested departure (kept at submit); the ticket time until then
            departure = trip.planned_departure or trip.departure_at
            trip.budget_month = bud.local_month(departure, trip._budget_tz()) or False

    @api.depends(
        "state", "estimated_total", "expense_ids.approval_state", "expense_ids.total_amount"
    )
    def _compute_budget_committed(self):
        for trip in self:
            approved, spent, pending = trip._claim_figures()
            trip.budget_committed = bud.trip_committed(
                trip.state == "approved", trip.estimated_total, spent, approved, pending
            )

    def _claim_figures(self):
        """BUD-2: the trip's claim as the budget reads it: ``(approved lines, approved
        amount, pending lines)``, refused lines left out. The lines are read as
        superuser: whoever approves the trip or a line changes what it commits."""
        self.ensure_one()
        lines = self.sudo().expense_ids
        approved = lines.filtered(lambda e: e.approval_state == "approved")
        pending = lines.filtered(lambda e: e.approval_state in (False, "submitted"))
        return len(approved), sum(approved.mapped("total_amount")), len(pending)

    def _budget_checks(self, cumulative=False):
        """BUD-2: ``{trip id: policy.budget.Check}`` of the salespeople's trips: for a
        trip to decide, what approving its estimate does to the month's travel budget;
        for an approved trip, the month as it stands (nothing added). ``cumulative``:
        each trip counts the ones before it in ``self`` (a batch decided together)."""
        salespeople = self.env.ref("sales_dept_policy.group_salesperson").sudo().all_user_ids
        trips = self.filtered(
            lambda t: (
                t.user_id in salespeople
                and t.budget_month
                and t.state in ("draft", "submitted", "approved")
            )
        )
        Line = self.env["sales.expense.budget.line"]
        items = [
            (
                (trip.company_id.id, trip.user_id.id, trip.budget_month, "travel"),
                0.0 if trip.state == "approved" else trip.estimated_total,
            )
            for trip in trips
        ]
        checks = Line._check_items(items, cumulative=cumulative)
        return dict(zip(trips._ids, checks, strict=True))

    @api.depends(
        "state", "estimated_total", "budget_month", "user_id", "company_id", "budget_committed"
    )
    def _compute_budget_check(self):
        checks = self._budget_checks()
        for trip in self:
            check = checks.get(trip.id)
            trip.budget_amount = check.budget if check and check.budget is not None else 0.0
            trip.budget_remaining = (
                check.remaining if check and check.remaining is not None else 0.0
            )
            deciding = check and trip.state != "approved"
            trip.budget_overrun = check.overrun if deciding else 0.0
            trip.budget_status = check.status if deciding else False
            trip.budget_needs_gm = bool(deciding and bud.needs_general_manager(check.status))

    @api.model
    def _per_diem_product(self):
        return (
            self.env.ref("sales_dept_policy.product_travel_per_diem", raise_if_not_found=False)
            or self.env["product.product"]
        )

    @api.model
    def _per_diem_rate(self):
        """TRV-9: the default daily per diem, where no regional rate applies: the
        cost of the per diem product (Settings)."""
        return self._per_diem_product().standard_price

    def _regional_per_diem_rates(self):
        """TRV-9: ``{trip id: daily rate}``: the rate of the trip's territory or
        its closest parent with one, else the default; rates read once a company."""
        default = self._per_diem_rate()
        Rate = self.env["sales.travel.per.diem.rate"]
        result = {}
        for company in self.company_id:
            trips = self.filtered(lambda t, c=company: t.company_id == c)
            rates, parents = Rate._rates_by_territory(company, trips.territory_id)
            for trip in trips:
                result[trip.id] = trv.territory_rate(
                    trip.territory_id.id or None, rates, parents, default
                )[0]
        return result

    # ------------------------------------------------------------------
    # TRV-8: who shares a room
    # ------------------------------------------------------------------
    def _stay_nights(self):
        """TRV-8: the trip's first night (local date) and its number of nights."""
        self.ensure_one()
        departure, arrival = self._times()
        if not (departure and arrival) or arrival < departure:
            return None, 0
        first = self._local(departure).date()
        return first, (self._local(arrival).date() - first).days

    def _room_share_candidates(self):
        """TRV-8: the stays (``trv.Stay``) of the approved trips that may share a room
        with the travellers of these trips, with one search for the batch.

        The colleagues' trips and their gender are not readable by the traveller
        (trips: own and team only; ``sex``: HR officers only), but the rule needs
        them to say what the traveller is paid: this one search runs as
        superuser, and returns plain values, never the records."""
        trips = self.filtered(lambda t: t.destination and not t.is_intra_city)
        windows = [t._times() for t in trips]
        windows = [(d, a) for d, a in windows if d and a]
        if not windows:
            return []
        margin = timedelta(days=2)  # time zones, and ticket times after the plan
        destinations = {" ".join(t.destination.split()) for t in trips}
        domain = Domain.AND(
            [
                [
                    ("state", "=", "approved"),
                    ("is_intra_city", "=", False),
                    ("travel_level_id.shares_room", "=", True),
                    ("company_id", "in", trips.company_id.ids),
                    ("planned_departure", "<=", max(a for _d, a in windows) + margin),
                    ("planned_return", ">=", min(d for d, _a in windows) - margin),
                ],
                # narrowed here, matched exactly by the rule (case and spaces aside)
                Domain.OR([[("destination", "ilike", place)] for place in destinations]),
            ]
        )
        found = self.sudo().search_fetch(
            domain,
            [
                "employee_id",
                "destination",
                "travel_level_id",
                "planned_departure",
                "planned_return",
                "departure_at",
                "return_at",
            ],
        )
        stays = []
        for trip in found:
            first, nights = trip._stay_nights()
            stays.append(
                trv.Stay(
                    trip.employee_id.id,
                    trip.employee_id.sex,
                    trip.travel_level_id.shares_room,
                    trip.destination,
                    first,
                    nights,
                    trip.travel_level_id.lodging_cap,
                )
            )
        return stays

    def _own_stay(self, first_night=None, nights=None):
        """TRV-8: this trip's traveller as the rule reads them (the gender is HR's,
        read as superuser for this value only)."""
        self.ensure_one()
        if first_night is None:
            first_night, nights = self._stay_nights()
        return trv.Stay(
            self.employee_id.id,
            self.employee_id.sudo().sex,
            self.travel_level_id.shares_room,
            self.destination,
            first_night,
            nights,
            self.travel_level_id.lodging_cap,
        )

    @api.depends(
        "state",
        "employee_id",
        "destination",
        "is_intra_city",
        "travel_level_id.shares_room",
        "planned_departure",
        "planned_return",
        "departure_at",
        "return_at",
    )
    def _compute_room_share_colleague_id(self):
        trips = self.filtered(lambda t: t.state == "approved" and not t.is_intra_city)
        candidates = trips._room_share_candidates()
        for trip in self:
            colleague = None
            if trip in trips:
                colleague, _nights = trv.room_colleague(trip._own_stay(), candidates)
            trip.room_share_colleague_id = colleague.key if colleague else False

    def _refresh_room_share(self):
        """TRV-8: a trip approved, moved or cancelled changes who its colleagues
        share a room with: their trips and draft or submitted lodging lines are
        recomputed (found by the same narrow superuser search)."""
        trips = self.sudo().filtered(lambda t: t.destination and not t.is_intra_city)
        if not trips:
            return
        keys = {stay.key for stay in trips._room_share_candidates()} - set(trips.employee_id.ids)
        if not keys:
            return
        others = self.sudo().search(
            [
                ("state", "=", "approved"),
                ("employee_id", "in", list(keys)),
                ("id", "not in", trips.ids),
            ]
        )
        others.modified(["destination"])
        lines = others.expense_ids.filtered(
            lambda e: (
                e.travel_kind == "lodging" and e.approval_state in (False, "draft", "submitted")
            )
        )
        lines.modified(["trip_id"])

    # ------------------------------------------------------------------
    # Claims in time (001 回公司后及时进行报帐)
    # ------------------------------------------------------------------
    @api.depends("planned_return", "return_at", "employee_id")
    def _compute_return_date(self):
        for trip in self:
            arrival = trip.return_at or trip.planned_return
            trip.return_date = trip._local(arrival).date() if arrival else False

    @api.depends("expense_ids.approval_state", "expense_ids.travel_kind")
    def _compute_claim_made(self):
        for trip in self:
            trip.claim_made = any(
                line.travel_kind != "per_diem" and line.approval_state in _CLAIMED_STATES
                for line in trip.expense_ids.sudo()
            )

    @api.model
    def _claim_due_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("sales_dept_policy.claim_due_days", trv.DEFAULT_CLAIM_DUE_DAYS)
        )
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return trv.DEFAULT_CLAIM_DUE_DAYS

    def _today(self):
        """Today in the traveller's time zone (the company's when they have none)."""
        tz = (self[:1].employee_id.tz if self else None) or self.env.user.tz or "UTC"
        return fields.Datetime.now().replace(tzinfo=pytz.utc).astimezone(pytz.timezone(tz)).date()

    @api.depends("return_date", "claim_made", "state")
    def _compute_claim_due(self):
        days = self._claim_due_days()
        for trip in self:
            due = trv.claim_due_date(trip.return_date, days) if trip.state == "approved" else None
            trip.claim_due_date = due or False
            trip.claim_late = bool(
                due and trv.claim_late(trip.return_date, trip._today(), trip.claim_made, days)
            )

    def _search_claim_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        # the latest return day whose claim is late today (in the searcher's time zone)
        last = self.env["sales.trip"]._today() - timedelta(days=self._claim_due_days() + 1)
        late = Domain(
            [("state", "=", "approved"), ("claim_made", "=", False), ("return_date", "<=", last)]
        )
        return late if (operator == "=") == value else ~late

    @api.model
    def _cron_claim_reminders(self):
        """001 回公司后及时进行报帐, daily: the traveller of an approved trip back
        today or yesterday (in their time zone) gets a to-do to make the claim
        within the days of Settings, once per trip."""
        today = fields.Date.today()
        # the job acts for every traveller, whose trips its user does not read
        trips = self.sudo().search(
            [
                ("state", "=", "approved"),
                ("claim_reminder_date", "=", False),
                ("claim_made", "=", False),
                ("user_id", "!=", False),
                ("return_date", ">=", today - timedelta(days=2)),
                ("return_date", "<=", today + timedelta(days=1)),
            ]
        )
        days = self._claim_due_days()
        for trip in trips:
            local_today = trip._today()
            if not trv.claim_reminder_due(trip.return_date, local_today):
                continue
            due = trv.claim_due_date(trip.return_date, days)
            user = trip.user_id
            trip.with_context(lang=user.lang).activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=due,
                summary=trip.with_context(lang=user.lang).env._(
                    "Claim the expenses of %(trip)s by %(due)s",
                    trip=trip.name,
                    due=due,
                ),
                note=trip.with_context(lang=user.lang).env._(
                    "Back from %(destination)s: make the claim of %(trip)s within %(days)s "
                    "days of the return (TRV-13, 回公司后及时进行报帐).",
                    destination=trip.destination,
                    trip=trip.name,
                    days=days,
                ),
                user_id=user.id,
            )
            # the policy's own record of the to-do given (APR-5: never a client's)
            trip._approval_write({"claim_reminder_date": local_today})

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
        trips = super().create(vals_list)
        trips.filtered(lambda t: t.state == "approved")._refresh_room_share()
        return trips

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
        # TRV-8: the colleagues who shared a room under the old values are recomputed too
        room_share = (
            self.filtered(lambda t: t.state == "approved")
            if (set(vals) & _ROOM_SHARE_FIELDS)
            else self.browse()
        )
        room_share._refresh_room_share()
        result = super().write(vals)
        if actuals:
            self._sync_per_diem()
        room_share._refresh_room_share()
        return result

    # ------------------------------------------------------------------
    # Approval (TRV-1)
    # ------------------------------------------------------------------
    def _get_approvers(self):
        """TRV-1: the traveller's manager; when they can no longer decide (archived,
        no longer an internal user), the next level up (APR-5); with no manager on
        the employee, the sales managers."""
        self.ensure_one()
        if self.approval_step == "general_manager":
            # BUD-2: over the month's budget, the general managers approve after the manager
            return self._step_approvers()
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
        # APR-5: the approver who takes over reads the trip through its rule (the
        # general managers of the budget's step read every trip)
        for trip in self.filtered(
            lambda t: t.state == "submitted" and t.approval_step != "general_manager"
        ):
            approver = trip._get_approvers()
            if len(approver) == 1 and approver != trip.manager_user_id:
                trip._approval_write({"manager_user_id": approver.id})
        return super()._sync_decision_activities()

    def _get_concerned_users(self):
        return self.user_id

    def _approval_steps(self):
        """TRV-1, BUD-2: the traveller's manager decides; a trip that takes its month
        over the travel budget (or has none, as the settings say) needs the general
        manager after them. Read from the budget when the manager decides."""
        self.ensure_one()
        if self.approval_step == "general_manager":
            return ("manager", "general_manager")
        check = self._budget_checks().get(self.id)
        if check and bud.needs_general_manager(check.status):
            return ("manager", "general_manager")
        return ("manager",)

    def _budget_error(self, check):
        """BUD-2: the refusal of a trip whose month has no budget, when the settings
        block it."""
        return UserError(
            self.env._(
                "%(trip)s: %(user)s has no approved travel budget for %(month)s, and the "
                "settings refuse trips without a budget (BUD-2). Ask the sales manager to "
                "set the budget first.",
                trip=self.display_name,
                user=self.user_id.name,
                month=self.budget_month.strftime("%Y-%m") if self.budget_month else "",
            )
        )

    def _budget_message(self, check):
        """BUD-2: the month's budget as the approvers read it on the chatter."""
        currency = self.currency_id
        if check.status == "no_budget_allow":
            return self.env._(
                "No approved travel budget of %(user)s for %(month)s: the estimate of "
                "%(amount)s is allowed without one by the settings (BUD-2).",
                user=self.user_id.name,
                month=self.budget_month.strftime("%Y-%m"),
                amount=currency.format(check.amount),
            )
        if check.budget is None:
            return self.env._(
                "No approved travel budget of %(user)s for %(month)s (BUD-2): the estimate "
                "of %(amount)s needs the general manager as well.",
                user=self.user_id.name,
                month=self.budget_month.strftime("%Y-%m"),
                amount=currency.format(check.amount),
            )
        return self.env._(
            "The estimate of %(amount)s takes %(month)s over %(user)s's travel budget of "
            "%(budget)s (%(remaining)s left) by %(overrun)s (BUD-2): the general manager "
            "approves as well.",
            amount=currency.format(check.amount),
            month=self.budget_month.strftime("%Y-%m"),
            user=self.user_id.name,
            budget=currency.format(check.budget),
            remaining=currency.format(check.remaining),
            overrun=currency.format(check.overrun),
        )

    def action_submit(self):
        result = super().action_submit()
        checks = self._budget_checks()
        for trip in self:
            check = checks.get(trip.id)
            if check and check.status != "within":
                trip.message_post(body=trip._budget_message(check), subtype_xmlid="mail.mt_note")
        return result

    def action_approve(self):
        """BUD-2: a trip over its month's budget goes from the manager to the general
        manager (``_approval_steps``); a general manager deciding the manager's step
        approves both. Without a budget and with the setting 'block', no approval."""
        self._check_transition("approve")
        self._check_can_decide()
        is_gm = self.env.user.has_group("sales_dept_policy.group_general_manager")
        checks = self._budget_checks(cumulative=True)
        for trip in self:
            check = checks.get(trip.id)
            if check and bud.blocked(check.status):
                raise trip._budget_error(check)
            if trip.approval_step == "general_manager":
                continue
            if is_gm and check and bud.needs_general_manager(check.status):
                trip._approval_write({"approval_step": "general_manager"})
                trip.message_post(
                    body=self.env._(
                        "%(message)s %(user)s, a general manager, decides both steps.",
                        message=trip._budget_message(check),
                        user=self.env.user.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return super().action_approve()

    def _on_step_approved(self, step):
        checks = self._budget_checks()
        for trip in self:
            check = checks.get(trip.id)
            if check:
                trip.message_post(body=trip._budget_message(check), subtype_xmlid="mail.mt_note")

    def _check_submit(self):
        self.ensure_one()
        check = self._budget_checks().get(self.id)
        if check and bud.blocked(check.status):
            raise self._budget_error(check)
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
            rate = trip.per_diem_rate
            if not days or (line and line.quantity == days and line.price_unit == rate):
                continue
            # the traveller's expense, in their name (and language) when they have a
            # user, whoever approves the trip
            Expense = self.env["hr.expense"]
            if trip.user_id and trip.user_id != self.env.user:
                Expense = Expense.with_user(trip.user_id).with_context(lang=trip.user_id.lang)
            # TRV-9: the unit price is the trip's regional rate (hr.expense computes
            # it, see _compute_price_unit), so the line's total is the days at that rate
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
                    "Per diem line set to %(days)s days at %(rate)s (%(trip_days)s trip days, "
                    "%(hosted)s hosted) by %(user)s (TRV-9).",
                    days=days,
                    rate=trip.currency_id.format(rate),
                    trip_days=trip.trip_days,
                    hosted=trip.hosted_days,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _on_approved(self):
        self._sync_per_diem()
        self._refresh_room_share()

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
            .action_export()
        )
