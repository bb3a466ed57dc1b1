"""TRV: business trips and travel expenses (SPEC TRV-1..13).

Plain values in, plain values out: datetimes are naive and already in the
traveller's time zone; amounts are numbers in company currency; a travel level
is described by the few values the rules read. Every allowance comes back as
an :class:`Allowance`: the amount the standard allows, the rule id that decided
it and a reason code the models turn into a translated sentence.
"""

from collections import namedtuple
from datetime import time

from ._markers import _lt

#: TRV-10: the boundary of a trip's first and last day.
NOON = time(12, 0)

#: TRV-9, TRV-7, TRV-8: the company-wide values shipped by default (configurable).
DEFAULT_PER_DIEM = 30.0
DEFAULT_INTRA_CITY_LODGING_CAP = 80.0
DEFAULT_SHARE_PERCENT = 80.0

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
):
    """TRV-6..8: what a lodging line may be paid.

    ``cap`` is the level's cap per night (0: no cap, paid at actual cost).
    ``roommate_cap``: the other traveller's cap when the room is shared (TRV-8);
    the room is then paid up to ``share_percent`` % of the two caps a night.
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
