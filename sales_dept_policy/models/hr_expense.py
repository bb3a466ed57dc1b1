# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..policy import budget as bud
from ..policy import travel as trv
from .sales_expense_budget import BUDGET_STATUS, KIND_SELECTION
from .sales_travel_transport_class import TRANSPORT_CLASS_SELECTION

_PAID_STATES = ("approved", "posted", "in_payment", "paid")
_KIND_BY_PRODUCT = {
    "sales_dept_policy.product_travel_lodging": "lodging",
    "sales_dept_policy.product_travel_transport": "transport",
    "sales_dept_policy.product_travel_per_diem": "per_diem",
}


class HrExpense(models.Model):
    """TRV-3..13: an expense of a business trip is a claim line of that trip.

    For each line the policy gives the allowed amount and the rule that decided
    it. A line above the standard is never approved as it is, whichever way
    Odoo approves it (button, auto-approval, a direct write): its approver caps
    it to the allowed amount first, which is logged (TRV-13).
    """

    _name = "hr.expense"
    _inherit = ["hr.expense", "sales.policy.guard"]

    #: APR-5, BUD-2: who reviewed a claim over budget is the flow's record, never a client's
    _policy_protected_fields = frozenset({"budget_reviewed_by_id", "budget_reviewed_on"})

    trip_id = fields.Many2one(
        "sales.trip",
        string="Business Trip",
        index="btree_not_null",
        domain="[('employee_id', '=', employee_id), ('state', '=', 'approved')]",
        tracking=True,
    )
    travel_kind = fields.Selection(
        [
            ("lodging", "Lodging"),
            ("transport", "Transport"),
            ("per_diem", "Per Diem"),
            ("other", "Other"),
        ],
        compute="_compute_travel_kind",
        store=True,
        readonly=False,
    )
    transport_class = fields.Selection(TRANSPORT_CLASS_SELECTION, tracking=True)
    nights = fields.Integer(default=1, help="TRV-6: nights of a lodging line, from its date.")
    train_fare_reference = fields.Monetary(
        string="Fare of Own Class",
        currency_field="company_currency_id",
        help="TRV-3, TRV-4: the fare of the traveller's own class on that route (the train "
        "fare for a flight): what a higher class or an unapproved flight is paid.",
    )
    room_shared_with_id = fields.Many2one(
        "hr.employee",
        help="TRV-8: the colleague sharing the room; they do not claim the same nights.",
    )
    room_share_colleague_id = fields.Many2one(
        "hr.employee",
        string="Had to Share With",
        compute="_compute_room_share",
        store=True,
        help="TRV-8: the colleague of the same gender, below manager level, on an approved "
        "trip to the same destination on these nights: a single room is paid at this "
        "traveller's half of the shared room, unless an approver accepts a reason.",
    )
    room_share_nights = fields.Integer(
        compute="_compute_room_share",
        store=True,
        help="TRV-8: the line's nights on which the traveller had to share a room.",
    )
    room_share_exempt_reason = fields.Text(
        string="Single Room Accepted Because",
        tracking=True,
        copy=False,
        help="TRV-8: the reason an approver of the line accepted a single room where the "
        "traveller had to share one: the line is then paid at the level's cap.",
    )
    taxi_shared_with_ids = fields.Many2many(
        "res.users",
        "hr_expense_taxi_shared_user_rel",
        "expense_id",
        "user_id",
        help="TRV-12: colleagues in the same taxi, same start and end: they do not claim it.",
    )
    policy_amount = fields.Monetary(
        string="Allowed",
        currency_field="company_currency_id",
        compute="_compute_policy",
        store=True,
        help="TRV-13: what the travel standard allows for this line.",
    )
    policy_rule = fields.Char(string="Rule", compute="_compute_policy", store=True)
    policy_reason = fields.Char(compute="_compute_policy", store=True)
    policy_note = fields.Char(
        string="Standard Applied",
        compute="_compute_policy_note",
        help="TRV-13: the rule that capped the line, in words.",
    )
    policy_can_cap = fields.Boolean(
        compute="_compute_policy_can_cap",
        help="Whether the current user may cap this line to the standard (TRV-13).",
    )
    policy_exceeded = fields.Boolean(
        string="Above Standard", compute="_compute_policy", store=True, index=True
    )
    policy_can_exempt = fields.Boolean(
        compute="_compute_policy_can_exempt",
        help="Whether the current user may accept a single room on this line (TRV-8).",
    )
    # BUD-2: what the claim consumes of its salesperson's expense budget
    budget_user_id = fields.Many2one(
        related="employee_id.user_id",
        string="Budget Holder",
        store=True,
        index="btree_not_null",
        help="BUD-2: whose expense budget the claim consumes: the employee's user.",
    )
    budget_kind = fields.Selection(
        KIND_SELECTION,
        compute="_compute_budget_kind",
        store=True,
        help="BUD-2: the kind of the budget the claim consumes: travel for a business "
        "trip's claims, else its expense category's Sales Expense Budget (other if none).",
    )
    budget_month = fields.Date(
        compute="_compute_budget_month",
        store=True,
        index=True,
        help="BUD-2: the month the claim consumes: its date's, or its business trip's "
        "month of departure.",
    )
    budget_actual = fields.Monetary(
        string="Spent of the Budget",
        currency_field="company_currency_id",
        compute="_compute_budget_actual",
        store=True,
        help="BUD-2: what the approved claim spent of the budget, in company currency.",
    )
    budget_reviewed_by_id = fields.Many2one(
        "res.users",
        string="Reviewed Over Budget By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="BUD-2: the approver who approved the claim over the month's budget: it then "
        "waits for the general manager.",
    )
    budget_reviewed_on = fields.Datetime(readonly=True, copy=False)
    budget_amount = fields.Monetary(
        string="Month's Budget",
        currency_field="company_currency_id",
        compute="_compute_budget_check",
        help="BUD-2: the salesperson's approved budget of the claim's month and kind.",
    )
    budget_remaining = fields.Monetary(
        string="Remaining Budget",
        currency_field="company_currency_id",
        compute="_compute_budget_check",
        help="BUD-2: the budget of the month and kind left before this claim.",
    )
    budget_increase = fields.Monetary(
        string="Adds to the Budget Used",
        currency_field="company_currency_id",
        compute="_compute_budget_check",
        help="BUD-2: what approving the claim adds to the month's budget used (a trip's "
        "claim: only what goes past the trip's estimate).",
    )
    budget_overrun = fields.Monetary(
        string="Over Budget By",
        currency_field="company_currency_id",
        compute="_compute_budget_check",
        help="BUD-2: how far the claim takes the month past its budget.",
    )
    budget_status = fields.Selection(
        BUDGET_STATUS,
        compute="_compute_budget_check",
        help="BUD-2: what the claim does to the month's budget before it is approved.",
    )
    budget_needs_gm = fields.Boolean(
        string="General Manager Approves Too",
        compute="_compute_budget_check",
        help="BUD-2: over the month's budget (or without one, as the settings say): the "
        "general manager approves after the manager.",
    )

    @api.depends("product_id", "trip_id")
    def _compute_travel_kind(self):
        kinds = {}
        for xmlid, kind in _KIND_BY_PRODUCT.items():
            product = self.env.ref(xmlid, raise_if_not_found=False)
            if product:
                kinds[product.id] = kind
        for expense in self:
            if expense.trip_id or expense.product_id.id in kinds:
                expense.travel_kind = kinds.get(expense.product_id.id, "other")
            else:
                expense.travel_kind = False

    @api.depends(
        "trip_id",
        "trip_id.state",
        "trip_id.destination",
        "trip_id.is_intra_city",
        "trip_id.travel_level_id.shares_room",
        "employee_id",
        "travel_kind",
        "date",
        "nights",
        "room_shared_with_id",
    )
    def _compute_room_share(self):
        """TRV-8: who the traveller of a single room had to share one with."""
        lines = self.filtered(
            lambda e: (
                e.travel_kind == "lodging"
                and not e.room_shared_with_id
                and e.date
                and e.trip_id.state == "approved"
                and not e.trip_id.is_intra_city
            )
        )
        candidates = lines.trip_id._room_share_candidates()
        Employee = self.env["hr.employee"]
        for expense in self:
            colleague, nights = None, 0
            if expense in lines:
                stay = expense.trip_id._own_stay(expense.date, max(expense.nights, 1))
                colleague, nights = trv.room_colleague(stay, candidates)
            expense.room_share_colleague_id = Employee.browse(colleague.key) if colleague else False
            expense.room_share_nights = nights

    @api.depends(
        "trip_id",
        "trip_id.is_intra_city",
        "trip_id.travel_level_id",
        "trip_id.travel_level_id.lodging_cap",
        "trip_id.travel_level_id.transport_class_ids",
        "trip_id.travel_level_id.taxi_needs_approval",
        "trip_id.flight_approved",
        "trip_id.taxi_approved",
        "trip_id.lodging_approved",
        "trip_id.car_approved",
        "trip_id.per_diem_days",
        "travel_kind",
        "transport_class",
        "nights",
        "train_fare_reference",
        "room_shared_with_id",
        "room_shared_with_id.travel_level_id.lodging_cap",
        "room_share_colleague_id",
        "room_share_nights",
        "room_share_exempt_reason",
        "trip_id.per_diem_rate",
        "approval_state",
        "total_amount",
        "quantity",
    )
    def _compute_policy(self):
        params = self.env["ir.config_parameter"].sudo()
        intra_city_cap = float(
            params.get_param(
                "sales_dept_policy.intra_city_lodging_cap", trv.DEFAULT_INTRA_CITY_LODGING_CAP
            )
        )
        share_percent = float(
            params.get_param("sales_dept_policy.shared_room_percent", trv.DEFAULT_SHARE_PERCENT)
        )
        for expense in self:
            if expense.approval_state in _PAID_STATES and expense._origin.policy_rule:
                continue  # approved under the standard of its day: kept as it was
            trip = expense.trip_id
            claimed = expense.total_amount
            if not trip or expense.travel_kind in (False, "other") or claimed < 0:
                expense.update(
                    {
                        "policy_amount": claimed,
                        "policy_rule": False,
                        "policy_reason": False,
                        "policy_exceeded": False,
                    }
                )
                continue
            level = trip.travel_level_id
            if expense.travel_kind == "per_diem":
                result = trv.per_diem_allowance(
                    claimed,
                    expense.quantity,
                    trip.per_diem_days,
                    trip.per_diem_rate,
                    trip.is_intra_city,
                )
            elif expense.travel_kind == "lodging":
                roommate = expense.room_shared_with_id
                # TRV-8: had to share, claimed alone, no accepted reason: half the room
                colleague = (
                    expense.room_share_colleague_id
                    if not (expense.room_share_exempt_reason or "").strip()
                    else expense.room_share_colleague_id.browse()
                )
                result = trv.lodging_allowance(
                    claimed,
                    expense.nights,
                    level.lodging_cap,
                    intra_city=trip.is_intra_city,
                    lodging_approved=trip.lodging_approved,
                    intra_city_cap=intra_city_cap,
                    roommate_cap=roommate.travel_level_id.lodging_cap if roommate else None,
                    share_percent=share_percent,
                    colleague_cap=colleague.sudo().travel_level_id.lodging_cap
                    if colleague
                    else None,
                    shared_nights=expense.room_share_nights if colleague else 0,
                )
            elif expense.transport_class:
                result = trv.transport_allowance(
                    claimed,
                    expense.transport_class,
                    level._allowed_codes(),
                    intra_city=trip.is_intra_city,
                    flight_approved=trip.flight_approved,
                    taxi_approved=trip.taxi_approved,
                    taxi_needs_approval=level.taxi_needs_approval,
                    company_car_approved=trip.car_approved,
                    reference_fare=expense.train_fare_reference or None,
                )
            else:
                result = trv.Allowance(0.0, "TRV-3", "not_allowed")
            amount = expense.company_currency_id.round(result.amount)
            expense.policy_amount = amount
            expense.policy_rule = result.rule
            expense.policy_reason = result.reason
            expense.policy_exceeded = (
                expense.company_currency_id.compare_amounts(claimed, amount) > 0
            )

    @api.depends("total_amount", "total_amount_currency", "product_id", "trip_id.per_diem_rate")
    def _compute_price_unit(self):
        """TRV-9: a draft per diem line of a trip is priced at the trip's daily rate
        (its territory's, else the product's cost, the default rate of Settings)."""
        product = self.env["sales.trip"]._per_diem_product()
        per_diem = self.filtered(
            lambda e: (
                product
                and e.product_id == product
                and e.trip_id
                and e.state == "draft"
                and e.company_id
            )
        )
        result = super(HrExpense, self - per_diem)._compute_price_unit()
        for expense in per_diem:
            expense.price_unit = expense.trip_id.per_diem_rate
        return result

    @api.depends("trip_id", "product_id.sales_budget_kind", "travel_kind")
    def _compute_budget_kind(self):
        for expense in self:
            if expense.trip_id:
                kind = "travel"
            else:
                kind = expense.product_id.sales_budget_kind or (
                    "travel"
                    if expense.travel_kind in ("lodging", "transport", "per_diem")
                    else "other"
                )
            expense.budget_kind = kind

    @api.depends("date", "trip_id.budget_month")
    def _compute_budget_month(self):
        for expense in self:
            # a trip's claims replace its commitment, in its month (BUD-2)
            expense.budget_month = (
                expense.trip_id.budget_month or bud.local_month(expense.date) or False
            )

    @api.depends("approval_state", "total_amount", "budget_user_id")
    def _compute_budget_actual(self):
        for expense in self:
            approved = expense.approval_state == "approved" and expense.budget_user_id
            expense.budget_actual = expense.total_amount if approved else 0.0

    def _budget_checks(self, cumulative=False):
        """BUD-2: ``{expense id: policy.budget.Check}`` of the salespeople's claims not
        approved yet: what approving each does to its month's budget of its kind. A
        trip's claim adds only what it takes past the trip's estimate (the trip
        committed that), and may settle the claim (releasing the rest). Claims of a
        trip that is not approved are the trip's to check. ``cumulative``: each claim
        counts the ones before it in ``self`` (a batch approved together)."""
        salespeople = self.env.ref("sales_dept_policy.group_salesperson").sudo().all_user_ids
        claims = self.filtered(
            lambda e: (
                e.budget_user_id in salespeople
                and e.budget_month
                and e.approval_state in (False, "submitted")
                and (not e.trip_id or e.trip_id.state == "approved")
            )
        ).sorted(lambda e: (e.date or fields.Date.today(), e._origin.id or 0))
        trips = {}
        items = []
        for expense in claims:
            amount = expense.total_amount
            trip = expense.trip_id
            if trip:
                if trip.id not in trips or not cumulative:
                    approved, spent, pending = trip._claim_figures()
                    if expense._origin.id not in trip.sudo().expense_ids.ids:
                        pending += 1  # a line being created
                    trips[trip.id] = [approved, spent, pending]
                approved, spent, pending = trips[trip.id]
                amount = bud.trip_claim_increase(
                    trip.estimated_total, spent, approved, pending, expense.total_amount
                )
                trips[trip.id] = [approved + 1, spent + expense.total_amount, max(pending - 1, 0)]
            key = (
                expense.company_id.id,
                expense.budget_user_id.id,
                expense.budget_month,
                expense.budget_kind,
            )
            items.append((key, amount))
        checks = self.env["sales.expense.budget.line"]._check_items(items, cumulative=cumulative)
        return dict(zip(claims._ids, checks, strict=True))

    @api.depends(
        "approval_state",
        "total_amount",
        "budget_month",
        "budget_kind",
        "budget_user_id",
        "trip_id.state",
        "trip_id.estimated_total",
    )
    def _compute_budget_check(self):
        checks = self._budget_checks()
        for expense in self:
            check = checks.get(expense.id)
            expense.budget_amount = check.budget if check and check.budget is not None else 0.0
            expense.budget_remaining = (
                check.remaining if check and check.remaining is not None else 0.0
            )
            expense.budget_increase = check.amount if check else 0.0
            expense.budget_overrun = check.overrun if check else 0.0
            expense.budget_status = check.status if check else False
            expense.budget_needs_gm = bool(check and bud.needs_general_manager(check.status))

    @api.depends_context("uid")
    @api.depends("policy_exceeded", "approval_state", "employee_id")
    def _compute_policy_can_cap(self):
        for expense in self:
            expense.policy_can_cap = bool(
                expense.policy_exceeded
                and expense.state in ("draft", "submitted")
                and not expense._cap_error()
            )

    @api.depends_context("uid")
    @api.depends("room_share_colleague_id", "approval_state", "employee_id")
    def _compute_policy_can_exempt(self):
        for expense in self:
            expense.policy_can_exempt = bool(
                expense.room_share_colleague_id
                and expense.state in ("draft", "submitted")
                and not expense._cap_error()
            )

    def _cap_error(self):
        """Why the current user may not cap this line, or ``None`` (TRV-13)."""
        self.ensure_one()
        # hr_expense's own answer (is this user an approver of the line?), without
        # the policy's reasons, which are what capping resolves
        approver_error = super()._get_cannot_approve_reason()[self.id]
        if self.employee_id.user_id == self.env.user or approver_error:
            return self.env._(
                "Only an approver of %(expense)s may cap it (TRV-13).", expense=self.name
            )
        return None

    @api.depends("policy_rule", "policy_reason")
    @api.depends_context("lang")
    def _compute_policy_note(self):
        for expense in self:
            if not expense.policy_rule:
                expense.policy_note = False
                continue
            sentence = trv.REASONS.get(expense.policy_reason)
            # the policy's sentence, in the reader's language (TRV-13)
            expense.policy_note = f"{expense.policy_rule}: " + (
                self.env._(sentence) if sentence else expense.policy_reason or ""
            )

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    @api.constrains("trip_id", "employee_id")
    def _check_trip_traveller(self):
        for expense in self.filtered("trip_id"):
            if expense.trip_id.employee_id != expense.employee_id:
                raise ValidationError(
                    self.env._(
                        "%(expense)s: Business Trip %(trip)s is %(traveller)s's, not "
                        "%(employee)s's (TRV-1).",
                        expense=expense.name,
                        trip=expense.trip_id.name,
                        traveller=expense.trip_id.employee_id.name,
                        employee=expense.employee_id.name,
                    )
                )

    @api.constrains("total_amount_currency", "train_fare_reference", "nights")
    def _check_amounts(self):
        for expense in self.filtered("trip_id"):
            if expense.total_amount_currency < 0 or expense.train_fare_reference < 0:
                raise ValidationError(
                    self.env._(
                        "%(expense)s: a claimed amount or a fare cannot be negative (TRV-13).",
                        expense=expense.name,
                    )
                )
            if expense.travel_kind == "lodging" and expense.nights < 1:
                raise ValidationError(
                    self.env._(
                        "%(expense)s: a lodging line has at least one night (TRV-6).",
                        expense=expense.name,
                    )
                )

    @api.constrains("room_shared_with_id", "employee_id", "trip_id")
    def _check_room_share(self):
        for expense in self.filtered("room_shared_with_id"):
            roommate = expense.room_shared_with_id
            if roommate == expense.employee_id:
                raise ValidationError(
                    self.env._(
                        "%(expense)s: a room is shared with someone else (TRV-8).",
                        expense=expense.name,
                    )
                )
            levels = expense.trip_id.travel_level_id | roommate.travel_level_id
            if expense.trip_id and not all(levels.mapped("shares_room")):
                raise ValidationError(
                    self.env._(
                        "%(expense)s: only travellers below manager level share a room (TRV-8).",
                        expense=expense.name,
                    )
                )

    def _claims_of_others(self, kind, first_day, nights, domain):
        """Lines of other travellers claiming the same nights or ride (TRV-8, TRV-12).

        The other traveller's lines are not readable by the claimant; the policy
        forbids claiming what a colleague already claimed, so this one search runs
        as superuser and only the conflicting lines' travellers are shown.
        """
        last_day = first_day + timedelta(days=max(nights, 1) - 1)
        candidates = self.sudo().search(
            [
                ("travel_kind", "=", kind),
                ("id", "not in", self.ids),
                ("employee_id", "!=", self.employee_id.id),
                ("approval_state", "!=", "refused"),
                ("date", "<=", last_day),
                ("date", ">=", first_day - timedelta(days=62 if kind == "lodging" else 0)),
                *domain,
            ]
        )
        return candidates.filtered(
            lambda other: trv.nights_overlap(
                first_day, nights, other.date, other.nights if kind == "lodging" else 1
            )
        )

    @api.constrains("room_shared_with_id", "date", "nights", "travel_kind", "employee_id")
    def _check_room_claimed_once(self):
        for expense in self.filtered(lambda e: e.travel_kind == "lodging" and e.date):
            # the roommate's own lodging, or a room where someone names this traveller
            domain = ["|", ("employee_id", "=", expense.room_shared_with_id.id)]
            domain += [("room_shared_with_id", "=", expense.employee_id.id)]
            conflicts = expense._claims_of_others("lodging", expense.date, expense.nights, domain)
            if conflicts:
                raise ValidationError(
                    self.env._(
                        "%(expense)s: the shared room of these nights is already claimed by "
                        "%(other)s (TRV-8): one of the two travellers claims it, naming the "
                        "other.",
                        expense=expense.name,
                        other=", ".join(conflicts.employee_id.mapped("name")),
                    )
                )

    @api.constrains("taxi_shared_with_ids", "date", "transport_class", "employee_id")
    def _check_taxi_claimed_once(self):
        for expense in self.filtered(
            lambda e: e.transport_class == "taxi" and e.date and e.trip_id
        ):
            user = expense.employee_id.user_id
            domain = [("transport_class", "=", "taxi"), "|"]
            domain += [("employee_id.user_id", "in", expense.taxi_shared_with_ids.ids)]
            domain += [("taxi_shared_with_ids", "in", user.ids)]
            others = expense._claims_of_others("transport", expense.date, 1, domain)
            if others:
                raise ValidationError(
                    self.env._(
                        "%(expense)s: this shared taxi is already claimed by %(other)s "
                        "(TRV-12): one traveller claims the fare.",
                        expense=expense.name,
                        other=", ".join(others.employee_id.mapped("name")),
                    )
                )

    @api.constrains("approval_state", "policy_exceeded")
    def _check_paid_within_standard(self):
        for expense in self:
            if expense.approval_state in _PAID_STATES and expense.policy_exceeded:
                raise ValidationError(expense._exceeded_message())

    def _exceeded_message(self):
        return self.env._(
            "%(expense)s claims %(claimed)s, above the %(allowed)s the travel standard allows "
            "(%(note)s). Cap it to the allowed amount before approving (TRV-13).",
            expense=self.name,
            claimed=self.company_currency_id.format(self.total_amount),
            allowed=self.company_currency_id.format(self.policy_amount),
            note=self.policy_note,
        )

    # ------------------------------------------------------------------
    # hr_expense's approval
    # ------------------------------------------------------------------
    def _policy_cannot_approve_reasons(self):
        """The policy's own reasons against approving (TRV-1, TRV-13), whoever approves."""
        reasons = {}
        for expense in self:
            reason = False
            if expense.company_id not in self.env.companies:
                reason = self.env._(
                    "%(expense)s: the claim is of a company you do not work in.",
                    expense=expense.name,
                )
            elif expense.trip_id and expense.trip_id.state != "approved":
                reason = self.env._(
                    "%(expense)s: Business Trip %(trip)s is not approved (TRV-1).",
                    expense=expense.name,
                    trip=expense.trip_id.name,
                )
            elif expense.trip_id and expense.policy_exceeded:
                reason = expense._exceeded_message()
            reasons[expense.id] = reason
        return reasons

    def _get_cannot_approve_reason(self):
        reasons = super()._get_cannot_approve_reason()
        policy = self._policy_cannot_approve_reasons()
        for expense in self:
            if not reasons.get(expense.id):
                reasons[expense.id] = policy[expense.id]
        if self.env.su:
            return reasons
        # BUD-2: a claim over its month's budget waits, once the manager approved it,
        # for a general manager; none is approved without a budget when the settings
        # say 'block'
        checks = self._budget_checks(cumulative=True)
        is_gm = self.env.user.has_group("sales_dept_policy.group_general_manager")
        for expense in self:
            check = checks.get(expense.id)
            if not check:
                continue
            if bud.blocked(check.status):
                reasons[expense.id] = expense._budget_blocked_message()
            elif not bud.needs_general_manager(check.status) or not expense.budget_reviewed_by_id:
                continue
            elif expense.employee_id.user_id == self.env.user:
                reasons[expense.id] = reasons[expense.id] or self.env._(
                    "%(expense_name)s: It is your own expense", expense_name=expense.name
                )
            elif not is_gm:
                reasons[expense.id] = expense._budget_waiting_message()
            elif expense.budget_reviewed_by_id == self.env.user:
                reasons[expense.id] = self.env._(
                    "Segregation of duties (APR-4): you approved %(expense)s over the budget "
                    "as its manager; another general manager decides it (BUD-2).",
                    expense=expense.name,
                )
            else:
                # the general manager decides what the manager approved over the budget,
                # whatever department the claim is from
                reasons[expense.id] = policy[expense.id]
        return reasons

    def _budget_blocked_message(self):
        self.ensure_one()
        kinds = dict(self._fields["budget_kind"]._description_selection(self.env))
        return self.env._(
            "%(expense)s: %(user)s has no approved %(kind)s budget for %(month)s, and the "
            "settings refuse claims without a budget (BUD-2). Ask the sales manager to set "
            "the budget first.",
            expense=self.name,
            user=self.budget_user_id.name,
            kind=kinds.get(self.budget_kind, ""),
            month=self.budget_month.strftime("%Y-%m") if self.budget_month else "",
        )

    def _budget_waiting_message(self):
        self.ensure_one()
        return self.env._(
            "%(expense)s takes the month over its budget by %(overrun)s: %(user)s approved "
            "it; it now waits for the general manager (BUD-2).",
            expense=self.name,
            overrun=self.company_currency_id.format(self.budget_overrun),
            user=self.budget_reviewed_by_id.name,
        )

    def _budget_check_message(self, check):
        """BUD-2: the claim's month as the approvers read it on the chatter."""
        self.ensure_one()
        currency = self.company_currency_id
        month = self.budget_month.strftime("%Y-%m")
        if check.budget is None:
            return self.env._(
                "No approved budget of %(user)s for %(month)s (BUD-2): %(amount)s to approve.",
                user=self.budget_user_id.name,
                month=month,
                amount=currency.format(check.amount),
            )
        return self.env._(
            "%(amount)s takes %(month)s over %(user)s's budget of %(budget)s (%(remaining)s "
            "left) by %(overrun)s (BUD-2).",
            amount=currency.format(check.amount),
            month=month,
            user=self.budget_user_id.name,
            budget=currency.format(check.budget),
            remaining=currency.format(check.remaining),
            overrun=currency.format(check.overrun),
        )

    @api.depends_context("uid")
    @api.depends(
        "employee_id",
        "policy_exceeded",
        "trip_id.state",
        "approval_state",
        "total_amount",
        "budget_reviewed_by_id",
    )
    def _compute_can_approve(self):
        # the policy's reasons change with the claim, the trip and the budget, not only
        # the employee
        return super()._compute_can_approve()

    def _can_be_autovalidated(self):
        # TRV-13: a line above the standard waits for an approver to cap it; BUD-2: a
        # claim over its month's budget (or without one) waits for its approvers
        if not super()._can_be_autovalidated() or self.policy_exceeded:
            return False
        check = self._budget_checks().get(self.id)
        return not (
            check and (bud.needs_general_manager(check.status) or bud.blocked(check.status))
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # APR-5, TRV-13: what the standard allows is the policy's, never typed in
        self._check_policy_write(vals_list)
        if not self.env.su and any(vals.get("room_share_exempt_reason") for vals in vals_list):
            # TRV-8: the approver accepts a single room on the traveller's line, later
            raise UserError(
                self.env._(
                    "Single Room Accepted Because is recorded by an approver of the line, "
                    "not at its creation (TRV-8)."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_policy_write([vals])
        if vals.get("approval_state") == "approved" and not self.env.su:
            self._check_budget_approval()
        exempt = "room_share_exempt_reason" in vals
        if exempt:
            self._check_room_share_exempt()
        result = super().write(vals)
        if exempt:
            self._log_room_share_exempt()
        return result

    def _check_room_share_exempt(self):
        """TRV-8: only an approver of the line (never its traveller) accepts a
        single room, on a line not yet approved; whoever calls, whatever context."""
        if self.env.su:
            return
        for expense in self:
            error = expense._cap_error()
            if error or expense.state not in ("draft", "submitted"):
                raise UserError(
                    self.env._(
                        "Single Room Accepted Because of %(expense)s is recorded only by an "
                        "approver of the line, before it is approved (TRV-8).",
                        expense=expense.name,
                    )
                )

    def _log_room_share_exempt(self):
        for expense in self:
            reason = (expense.room_share_exempt_reason or "").strip()
            body = (
                self.env._(
                    "Single room accepted by %(user)s (TRV-8): %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                )
                if reason
                else self.env._(
                    "Accepted single room withdrawn by %(user)s (TRV-8).", user=self.env.user.name
                )
            )
            expense.message_post(body=body, subtype_xmlid="mail.mt_note")
            if expense.trip_id:
                expense.trip_id.message_post(
                    body=self.env._("%(expense)s: %(note)s", expense=expense.name, note=body),
                    subtype_xmlid="mail.mt_note",
                )

    def _check_budget_approval(self):
        """BUD-2: whichever way a claim is approved (the button, a direct write of its
        state, a batch), one over its month's budget is approved by a general manager
        (after its manager's review, or as its own approver), and none without a budget
        when the settings block it. From who the user is, never from the context."""
        checks = self._budget_checks(cumulative=True)
        is_gm = self.env.user.has_group("sales_dept_policy.group_general_manager")
        for expense in self:
            check = checks.get(expense.id)
            if not check:
                continue
            if bud.blocked(check.status):
                raise UserError(expense._budget_blocked_message())
            if bud.needs_general_manager(check.status) and not is_gm:
                raise UserError(
                    self.env._(
                        "%(expense)s: %(message)s The general manager approves it after its "
                        "manager (BUD-2).",
                        expense=expense.name,
                        message=expense._budget_check_message(check),
                    )
                )

    def action_submit(self):
        blocked = self._budget_checks(cumulative=True)
        for expense in self:
            check = blocked.get(expense.id)
            if check and bud.blocked(check.status):
                raise UserError(expense._budget_blocked_message())
        for expense in self.filtered("trip_id"):
            if expense.trip_id.state != "approved":
                raise UserError(
                    self.env._(
                        "%(expense)s: Business Trip %(trip)s is not approved; a trip is approved "
                        "before its claim (TRV-1).",
                        expense=expense.name,
                        trip=expense.trip_id.name,
                    )
                )
        # True rather than None: the action is also called over XML-RPC
        return super().action_submit() or True

    def action_approve(self):
        """BUD-2: a claim over its month's budget (or without one, as the settings say)
        is approved by its manager first, which records the review and hands it to the
        general managers; a general manager then approves it, whatever department it
        is from. Other claims are approved as hr_expense does."""
        if self.env.su:
            return super().action_approve() or True
        checks = self._budget_checks(cumulative=True)
        is_gm = self.env.user.has_group("sales_dept_policy.group_general_manager")
        review = gm_decides = self.browse()
        for expense in self:
            check = checks.get(expense.id)
            if check and bud.blocked(check.status):
                raise UserError(expense._budget_blocked_message())
            if not (check and bud.needs_general_manager(check.status)):
                continue
            if not is_gm:
                review |= expense
            elif expense.budget_reviewed_by_id:
                gm_decides |= expense
        if review:
            review._budget_review(checks)
        if gm_decides:
            gm_decides._budget_gm_approve(checks)
        rest = self - review - gm_decides
        needed_gm = rest.filtered(
            lambda e: checks.get(e.id) and bud.needs_general_manager(checks[e.id].status)
        )
        result = super(HrExpense, rest).action_approve() if rest else None
        needed_gm.filtered(lambda e: e.approval_state == "approved")._budget_log_gm(checks)
        return result or True

    def _budget_review(self, checks):
        """BUD-2: the manager approves a claim over the budget: recorded, their to-do
        done, and the general managers get the decision."""
        for expense in self:
            if expense.budget_reviewed_by_id:
                raise UserError(expense._budget_waiting_message())
            if expense.state != "submitted":
                raise UserError(
                    self.env._(
                        "Submit %(expense)s before approving it (BUD-2).", expense=expense.name
                    )
                )
            reason = expense._get_cannot_approve_reason()[expense.id]
            if reason:
                raise UserError(reason)
        # the flow's own record of the review (APR-5: never a client's)
        self.sudo().write(
            {"budget_reviewed_by_id": self.env.uid, "budget_reviewed_on": fields.Datetime.now()}
        )
        self.sudo().activity_feedback(
            ["hr_expense.mail_act_expense_approval"],
            feedback=self.env._("Approved over the budget; the general manager decides."),
        )
        for expense in self:
            approvers = expense._budget_gm_approvers()
            message = self.env._(
                "Approved by %(user)s over the month's budget: %(check)s It now waits for the "
                "general manager: %(approvers)s.",
                user=self.env.user.name,
                check=expense._budget_check_message(checks[expense.id]),
                approvers=", ".join(approvers.mapped("name")) or "-",
            )
            expense.message_post(body=message, subtype_xmlid="mail.mt_note")
            if expense.trip_id:
                expense.trip_id.message_post(
                    body=self.env._("%(expense)s: %(note)s", expense=expense.name, note=message),
                    subtype_xmlid="mail.mt_note",
                )
            expense._budget_schedule_gm(approvers)

    def _budget_gm_approvers(self):
        """BUD-2, APR-4: who decides a claim approved over the budget: the active
        general managers, never its employee nor the manager who approved it."""
        self.ensure_one()
        managers = self.env.ref("sales_dept_policy.group_general_manager").sudo().all_user_ids
        excluded = self.employee_id.user_id | (self.budget_reviewed_by_id or self.env.user)
        return (managers.filtered(lambda u: u.active and not u.share) - excluded).with_env(self.env)

    def _budget_schedule_gm(self, approvers):
        """The general managers' decision to-dos of a claim over budget (APR-2), each
        in the approver's language; other users' activities, hence sudo."""
        self.ensure_one()
        reviewer = self.budget_reviewed_by_id or self.env.user
        for approver in approvers:
            local = self.with_context(lang=approver.lang or self.env.lang)
            self.sudo().activity_schedule(
                "sales_dept_policy.mail_activity_type_decision",
                summary=local.env._("Decide: %(expense)s, over budget (BUD-2)", expense=self.name),
                note=local.env._(
                    "Approved by %(user)s over the month's budget.", user=reviewer.name
                ),
                user_id=approver.id,
            )

    def _sync_decision_activities(self):
        """APR-5: the decision to-dos of claims waiting for the general manager are with
        the general managers who can decide now: one who left hands theirs on (called
        when a user is archived or loses the group)."""
        decision = self.env.ref("sales_dept_policy.mail_activity_type_decision")
        for expense in self.filtered(lambda e: e.state == "submitted" and e.budget_reviewed_by_id):
            approvers = expense._budget_gm_approvers()
            activities = expense.sudo().activity_ids.filtered(
                lambda a, d=decision: a.activity_type_id == d
            )
            gone = activities.filtered(lambda a, ok=approvers: a.user_id not in ok)
            gone.unlink()
            expense._budget_schedule_gm(approvers - (activities - gone).user_id)

    def _budget_gm_approve(self, checks):
        """BUD-2: a general manager approves what the manager approved over the budget.
        Checked here (the policy's reasons, APR-4); then approved as hr_expense does,
        as superuser for that one step since the general manager need not be an
        approver of the employee's department, the acting user staying ``env.user``."""
        for expense in self:
            reason = expense._get_cannot_approve_reason()[expense.id]
            if reason:
                raise UserError(reason)
        result = super(HrExpense, self.sudo()).action_approve()
        self._budget_log_gm(checks)
        return result

    def _budget_log_gm(self, checks):
        for expense in self:
            check = checks.get(expense.id)
            expense.message_post(
                body=self.env._(
                    "Approved by %(user)s, general manager, over the month's budget: %(check)s",
                    user=self.env.user.name,
                    check=expense._budget_check_message(check) if check else "",
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _budget_close_todos(self, feedback=None):
        """The general managers' decision to-dos of these claims: the decider's done,
        the others' removed (other users' activities, hence sudo, these claims only)."""
        decision = self.env.ref("sales_dept_policy.mail_activity_type_decision")
        activities = self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == decision)
        mine = activities.filtered(lambda a: a.user_id == self.env.user)
        (activities - mine).unlink()
        if mine:
            mine.action_feedback(feedback=feedback)

    def _do_approve(self, check=True):
        result = super()._do_approve(check=check)
        self.filtered(lambda e: e.approval_state == "approved")._budget_close_todos(
            self.env._("Approved.")
        )
        return result

    def _do_refuse(self, reason):
        result = super()._do_refuse(reason)
        self._budget_close_todos(self.env._("Refused: %(reason)s", reason=reason))
        return result

    def _do_reset_approval(self):
        result = super()._do_reset_approval()
        # a claim reset to draft is reviewed again when submitted again (BUD-2)
        self.sudo().write({"budget_reviewed_by_id": False, "budget_reviewed_on": False})
        self._budget_close_todos()
        return result

    def action_policy_cap(self):
        """TRV-13: the approver pays the line at what the standard allows, logged."""
        for expense in self:
            if not expense.policy_exceeded:
                continue
            error = expense._cap_error()
            if error:
                raise UserError(error)
            if expense.state not in ("draft", "submitted"):
                raise UserError(
                    self.env._(
                        "%(expense)s is %(state)s: only a draft or submitted line is capped.",
                        expense=expense.name,
                        state=expense.state,
                    )
                )
            before = expense.total_amount
            allowed = expense.policy_amount
            if expense.product_has_cost and expense.price_unit:
                expense.quantity = allowed / expense.price_unit
            elif expense.currency_id == expense.company_currency_id:
                expense.total_amount_currency = allowed
            else:
                expense.total_amount_currency = allowed / (expense.currency_rate or 1.0)
                expense.total_amount = allowed
            expense.message_post(
                body=self.env._(
                    "Capped from %(before)s to %(after)s by %(user)s: %(note)s",
                    before=expense.company_currency_id.format(before),
                    after=expense.company_currency_id.format(expense.total_amount),
                    user=self.env.user.name,
                    note=expense.policy_note,
                ),
                subtype_xmlid="mail.mt_note",
            )
            if expense.trip_id:
                expense.trip_id.message_post(
                    body=self.env._(
                        "%(expense)s capped from %(before)s to %(after)s by %(user)s (%(rule)s).",
                        expense=expense.name,
                        before=expense.company_currency_id.format(before),
                        after=expense.company_currency_id.format(expense.total_amount),
                        user=self.env.user.name,
                        rule=expense.policy_rule,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return True
