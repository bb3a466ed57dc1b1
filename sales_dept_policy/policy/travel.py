"""TRV: business trips and travel expenses (SPEC TRV-1..13).

Plain values in, plain values out: datetimes are naive and already in the
traveller's time zone; amounts are numbers in company currency; a travel level
is described by the few values the rules read. Every allowance comes back as
an :class:`Allowance`: the amount the standard allows, the rule id that decided
it and a reason code the models turn into a translated sentence.
"""

from collections import namedtuple
from datetime import time, timedelta

from ._markers import _lt

#: TRV-10: the boundary of a trip's first and last day.
NOON = time(12, 0)

#: TRV-9, TRV-7, TRV-8: the company-wide values shipped by default (configurable).
DEFAULT_PER_DIEM = 30.0
DEFAULT_INTRA_CITY_LODGING_CAP = 80.0
DEFAULT_SHARE_PERCENT = 80.0

#: 001 回公司后及时进行报帐: days after the return within which the claim is made
#: (configurable).
DEFAULT_CLAIM_DUE_DAYS = 7

#: TRV-8: the genders (hr.employee ``sex``) whose travellers share a room.
SHARING_GENDERS = frozenset({"male", "female"})

#: TRV-3..5: the means of transport a claim line names, with their English labels
#: (the claim line's selection; Odoo translates the labels).
TRANSPORT_CLASS_LABELS = (
    ("public_transport", "Public Transport"),
    ("motorbike", "Motorbike"),
    ("bus", "Bus"),
    ("taxi", "Taxi"),
    ("company_car", "Company Car"),
    ("ship_second", "Ship, 2nd Class"),
    ("ship_ordinary", "Ship, Ordinary Class"),
    ("train_soft_sleeper", "Train, Soft Sleeper"),
    ("train_hard_seat", "Train, Hard Seat"),
    ("flight", "Flight"),
)
TRANSPORT_CLASSES = tuple(code for code, _label in TRANSPORT_CLASS_LABELS)

#: TRV-3: classes of one mode, from the lowest up. Taking a class above the
#: traveller's level is paid at the fare of their own class on that route.
CLASS_LADDERS = (
    ("train_hard_seat", "train_soft_sleeper"),
    ("ship_ordinary", "ship_second"),
)

#: TRV-5: what an intra-city trip may use without any approval.
INTRA_CITY_FREE = frozenset({"public_transport", "bus", "motorbike"})

Allowance = namedtuple("Allowance", "amount rule reason")
Allowance.__doc__ = """What the standard allows for one claim line.

``amount``: the allowed amount; ``rule``: the SPEC id that decided it;
``reason``: a code for the sentence shown to the user (see REASONS).
"""

#: The reason codes, with the English sentence the models translate when shown
#: (marked for Odoo's translation export by ``_lt``).
REASONS = {
    "within": _lt("Within the standard."),
    "lodging_cap": _lt("Lodging capped at the level's rate per night."),
    "lodging_no_cap": _lt("The level has no lodging cap: paid at actual cost."),
    "intra_city_lodging_unapproved": _lt("Intra-city lodging without prior approval."),
    "intra_city_lodging_cap": _lt("Intra-city lodging capped per night."),
    "shared_room_cap": _lt("Shared room capped at a share of the two travellers' caps."),
    "room_share_required": _lt(
        "A single room where the traveller had to share one with a colleague: paid at "
        "their half of the shared room."
    ),
    "class_above_level": _lt("A class above the level, paid at the fare of the level's class."),
    "class_above_level_no_fare": _lt(
        "A class above the level, and no fare of the level's class given."
    ),
    "flight_unapproved": _lt("Flight without prior approval, paid at the train fare."),
    "flight_unapproved_no_fare": _lt("Flight without prior approval, and no train fare given."),
    "taxi_unapproved": _lt("Taxi without the required approval."),
    "company_car_unapproved": _lt("Company car without an approved vehicle request."),
    "intra_city_not_allowed": _lt("Not a means of transport for an intra-city trip."),
    "per_diem_cap": _lt("Per diem capped at the trip's per diem days."),
    "per_diem_intra_city": _lt("No per diem on an intra-city trip."),
    "not_allowed": _lt("Not allowed for the level."),
}


class TravelError(ValueError):
    """Bad input to a travel rule: the message names the rule."""


def _days(value):
    return round(value * 2) / 2


def _check_claim(claimed):
    if claimed < 0:
        raise TravelError("TRV-13: a claimed amount cannot be negative.")


def trip_days(departure, arrival, noon=NOON):
    """TRV-10: the days of a trip from its ticket times, noon as the boundary.

    The departure day counts 1 when the departure is at or before noon, else
    0.5; the return day counts 1 when the arrival is after noon, else 0.5; the
    days between count 1 each. A same-day trip counts 1 when it spans noon
    (departure ≤ noon < arrival), else 0.5.
    """
    if not departure or not arrival:
        return 0.0
    if arrival < departure:
        raise TravelError("TRV-10: the return arrival is before the departure.")
    start_day, end_day = departure.date(), arrival.date()
    dep_time, arr_time = departure.time(), arrival.time()
    if start_day == end_day:
        return 1.0 if dep_time <= noon < arr_time else 0.5
    first = 1.0 if dep_time <= noon else 0.5
    last = 1.0 if arr_time > noon else 0.5
    return first + (end_day - start_day).days - 1 + last


def per_diem_days(days, hosted_days=0.0, intra_city=False):
    """TRV-9, TRV-11: trip days less the days the customer hosted, never below 0.

    No per diem on intra-city trips.
    """
    if hosted_days and hosted_days < 0:
        raise TravelError("TRV-11: hosted days cannot be negative.")
    if intra_city:
        return 0.0
    return max(0.0, _days(days) - (hosted_days or 0.0))


def per_diem_allowance(claimed, quantity, allowed_days, rate, intra_city=False):
    """TRV-9, TRV-11: a per diem line, claimed for ``quantity`` days at ``rate``."""
    _check_claim(claimed)
    if intra_city:
        return Allowance(0.0, "TRV-9", "per_diem_intra_city")
    allowed = min(claimed, allowed_days * rate)
    if quantity > allowed_days or claimed > allowed:
        return Allowance(allowed, "TRV-11", "per_diem_cap")
    return Allowance(claimed, "TRV-9", "within")


def lodging_allowance(
    claimed,
    nights,
    cap,
    intra_city=False,
    lodging_approved=False,
    intra_city_cap=DEFAULT_INTRA_CITY_LODGING_CAP,
    roommate_cap=None,
    share_percent=DEFAULT_SHARE_PERCENT,
    colleague_cap=None,
    shared_nights=0,
):
    """TRV-6..8: what a lodging line may be paid.

    ``cap`` is the level's cap per night (0: no cap, paid at actual cost).
    ``roommate_cap``: the other traveller's cap when the room is shared (TRV-8);
    the room is then paid up to ``share_percent`` % of the two caps a night.
    ``colleague_cap``: the cap of the colleague this traveller had to share a
    room with on ``shared_nights`` of the line's nights, when they claim a
    single room without an accepted reason (TRV-8, see :func:`solo_room_limit`).
    """
    _check_claim(claimed)
    nights = max(nights or 0, 1)
    if intra_city:
        if not lodging_approved:
            return Allowance(0.0, "TRV-7", "intra_city_lodging_unapproved")
        limit = intra_city_cap * nights
        if claimed > limit:
            return Allowance(limit, "TRV-7", "intra_city_lodging_cap")
        return Allowance(claimed, "TRV-7", "within")
    if roommate_cap is not None:
        if not cap or not roommate_cap:
            return Allowance(claimed, "TRV-8", "lodging_no_cap")
        limit = round((cap + roommate_cap) * share_percent / 100.0 * nights, 2)
        if claimed > limit:
            return Allowance(limit, "TRV-8", "shared_room_cap")
        return Allowance(claimed, "TRV-8", "within")
    if not cap:
        return Allowance(claimed, "TRV-6", "lodging_no_cap")
    if colleague_cap and shared_nights:
        limit = solo_room_limit(nights, cap, colleague_cap, shared_nights, share_percent)
        if claimed > limit:
            return Allowance(limit, "TRV-8", "room_share_required")
        return Allowance(claimed, "TRV-8", "within")
    limit = cap * nights
    if claimed > limit:
        return Allowance(limit, "TRV-6", "lodging_cap")
    return Allowance(claimed, "TRV-6", "within")


def level_class(transport_class, allowed_classes):
    """TRV-3: the class of the same mode the level may take, for a class above it.

    ``None`` when ``transport_class`` is allowed, or has no lower class the
    level may take.
    """
    if transport_class in allowed_classes:
        return None
    for ladder in CLASS_LADDERS:
        if transport_class in ladder:
            below = ladder[: ladder.index(transport_class)]
            for candidate in reversed(below):
                if candidate in allowed_classes:
                    return candidate
    return None


def _intra_city_transport(claimed, transport_class, taxi_approved, company_car_approved):
    """TRV-5: public transport; a taxi or the company car only on approval."""
    if transport_class in INTRA_CITY_FREE:
        return Allowance(claimed, "TRV-5", "within")
    approved = {"taxi": taxi_approved, "company_car": company_car_approved}
    if transport_class in approved:
        if approved[transport_class]:
            return Allowance(claimed, "TRV-5", "within")
        return Allowance(0.0, "TRV-5", f"{transport_class}_unapproved")
    return Allowance(0.0, "TRV-5", "intra_city_not_allowed")


def transport_allowance(
    claimed,
    transport_class,
    allowed_classes,
    intra_city=False,
    flight_approved=False,
    taxi_approved=False,
    taxi_needs_approval=True,
    company_car_approved=False,
    reference_fare=None,
):
    """TRV-3..5: what a transport line may be paid.

    ``allowed_classes``: the classes of the traveller's level (TRV-3);
    ``reference_fare``: the fare of the traveller's own class on the route (the
    train fare for an unapproved flight, TRV-4).
    """
    _check_claim(claimed)
    if transport_class not in TRANSPORT_CLASSES:
        raise TravelError(f"TRV-3: unknown transport class {transport_class!r}.")
    if intra_city:
        return _intra_city_transport(claimed, transport_class, taxi_approved, company_car_approved)
    if transport_class == "flight":
        if flight_approved:
            return Allowance(claimed, "TRV-4", "within")
        if reference_fare is None:
            return Allowance(0.0, "TRV-4", "flight_unapproved_no_fare")
        return Allowance(min(claimed, reference_fare), "TRV-4", "flight_unapproved")
    if transport_class == "company_car":
        if company_car_approved:
            return Allowance(claimed, "TRV-5", "within")
        return Allowance(0.0, "TRV-5", "company_car_unapproved")
    if transport_class == "taxi":
        if taxi_approved or ("taxi" in allowed_classes and not taxi_needs_approval):
            return Allowance(claimed, "TRV-3", "within")
        return Allowance(0.0, "TRV-3", "taxi_unapproved")
    if transport_class in allowed_classes or transport_class == "public_transport":
        return Allowance(claimed, "TRV-3", "within")
    if level_class(transport_class, allowed_classes):
        if reference_fare is None:
            return Allowance(0.0, "TRV-3", "class_above_level_no_fare")
        return Allowance(min(claimed, reference_fare), "TRV-3", "class_above_level")
    return Allowance(0.0, "TRV-3", "not_allowed")


def nights_overlap(start_a, nights_a, start_b, nights_b):
    """TRV-8: whether two stays (first night, number of nights) share a night."""
    if not (start_a and start_b):
        return False
    end_a = start_a.toordinal() + max(nights_a or 0, 1)
    end_b = start_b.toordinal() + max(nights_b or 0, 1)
    return start_a.toordinal() < end_b and start_b.toordinal() < end_a


def shared_nights(first_a, nights_a, first_b, nights_b):
    """TRV-8: how many nights two stays (first night, number of nights) have in common.

    A stay of no night (a same-day trip) shares none.
    """
    if not (first_a and first_b and nights_a and nights_b and nights_a > 0 and nights_b > 0):
        return 0
    start = max(first_a.toordinal(), first_b.toordinal())
    end = min(first_a.toordinal() + nights_a, first_b.toordinal() + nights_b)
    return max(0, end - start)


Stay = namedtuple("Stay", "key gender shares_room destination first_night nights cap")
Stay.__doc__ = """A traveller's stay away, as TRV-8 reads it.

``key``: who travels (an employee id: a traveller never shares with themselves);
``gender``: their ``sex``; ``shares_room``: their level is below manager;
``destination``: where; ``first_night`` (a date) and ``nights``: when;
``cap``: their level's lodging cap per night.
"""


def _place(destination):
    return " ".join((destination or "").split()).casefold()


def must_share_room(stay, other):
    """TRV-8: whether two travellers share a room: both below manager level, of the
    same gender, going to the same place, with at least one night in common."""
    return bool(
        stay.key != other.key
        and stay.shares_room
        and other.shares_room
        and stay.gender in SHARING_GENDERS
        and stay.gender == other.gender
        and _place(stay.destination)
        and _place(stay.destination) == _place(other.destination)
        and shared_nights(stay.first_night, stay.nights, other.first_night, other.nights)
    )


def room_colleague(stay, others):
    """TRV-8: the colleague ``stay`` has to share a room with, and their nights in
    common: the one with the most nights in common (then the first given), or
    ``(None, 0)``."""
    best, best_nights = None, 0
    for other in others:
        if not must_share_room(stay, other):
            continue
        nights = shared_nights(stay.first_night, stay.nights, other.first_night, other.nights)
        if nights > best_nights:
            best, best_nights = other, nights
    return best, best_nights


def solo_room_limit(nights, cap, colleague_cap, shared, share_percent=DEFAULT_SHARE_PERCENT):
    """TRV-8: what a single room is paid when its traveller had to share one.

    The shared room is paid ``share_percent`` % of the two caps a night, claimed
    by one of the two; a traveller claiming a room alone on those nights gets
    half of it (so the two together get what the one claimant would have), never
    more than their own cap. Their other nights are paid at their own cap.
    """
    if share_percent <= 0 or share_percent > 100:
        raise TravelError("TRV-8: the shared room share is above 0 and at most 100 %.")
    nights = max(nights or 0, 1)
    shared = min(max(shared or 0, 0), nights)
    half = (cap + colleague_cap) * share_percent / 100.0 / 2
    return round(min(cap, half) * shared + cap * (nights - shared), 2)


def territory_rate(territory, rates, parents, default=DEFAULT_PER_DIEM):
    """TRV-9 (出差生活补贴按地区标准): the daily per diem of a territory.

    ``rates``: territory → its regional rate; ``parents``: territory → its parent
    territory (or None). The rate of the territory itself, else of its closest
    ancestor that has one (the most specific wins), else ``default``. Returns
    ``(amount, territory the rate is set on, or None for the default)``.
    """
    seen = set()
    while territory and territory not in seen:
        if territory in rates:
            amount = rates[territory]
            if amount is None or amount < 0:
                raise TravelError("TRV-9: a per diem rate cannot be negative.")
            return amount, territory
        seen.add(territory)
        territory = parents.get(territory)
    return default, None


def claim_due_date(return_day, due_days=DEFAULT_CLAIM_DUE_DAYS):
    """001 回公司后及时进行报帐: the last day of a trip's claim, ``due_days`` after the
    return day (local)."""
    if due_days < 0:
        raise TravelError("TRV-13: the claim due days cannot be negative.")
    if not return_day:
        return None
    return return_day + timedelta(days=due_days)


def claim_late(return_day, today, claimed, due_days=DEFAULT_CLAIM_DUE_DAYS):
    """Whether a trip's claim is late: none made and ``today`` (local) past its due date."""
    due = claim_due_date(return_day, due_days)
    return bool(due and not claimed and today > due)


def claim_reminder_due(return_day, today):
    """The traveller's claim to-do is created on the return day, or the day after
    when the daily job ran before the return."""
    return bool(return_day and 0 <= (today - return_day).days <= 1)
