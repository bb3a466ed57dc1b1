# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..policy import travel as trv
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
    def _get_cannot_approve_reason(self):
        reasons = super()._get_cannot_approve_reason()
        for expense in self:
            if reasons.get(expense.id) or not expense.trip_id:
                continue
            if expense.trip_id.state != "approved":
                reasons[expense.id] = self.env._(
                    "%(expense)s: Business Trip %(trip)s is not approved (TRV-1).",
                    expense=expense.name,
                    trip=expense.trip_id.name,
                )
            elif expense.policy_exceeded:
                reasons[expense.id] = expense._exceeded_message()
        return reasons

    @api.depends_context("uid")
    @api.depends("employee_id", "policy_exceeded", "trip_id.state")
    def _compute_can_approve(self):
        # the policy's reasons change with the claim and the trip, not only the employee
        return super()._compute_can_approve()

    def _can_be_autovalidated(self):
        # TRV-13: a line above the standard waits for an approver to cap it
        return super()._can_be_autovalidated() and not self.policy_exceeded

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

    def action_submit(self):
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
        return super().action_approve() or True

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
