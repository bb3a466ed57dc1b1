"""TRV-3..13 rules of policy/travel.py, without Odoo, at their defaults and boundaries."""

from datetime import date, datetime

import pytest

from policy import travel as trv

# TRV-3: the classes of the shipped levels
DIRECTOR = set(trv.TRANSPORT_CLASSES)
MANAGER = {"motorbike", "bus", "taxi", "ship_second", "ship_ordinary"} | {
    "train_soft_sleeper",
    "train_hard_seat",
}
STAFF = {"motorbike", "bus", "ship_ordinary", "train_hard_seat", "taxi"}


def at(day, hh, mm=0):
    return datetime(2027, 3, day, hh, mm)


# --- TRV-10: trip days by ticket times ---------------------------------------------------
@pytest.mark.parametrize(
    ("departure", "arrival", "days"),
    [
        (at(1, 12, 0), at(3, 12, 1), 3.0),  # departure at noon counts 1, arrival after noon 1
        (at(1, 12, 1), at(3, 12, 1), 2.5),  # departure after noon: 0.5
        (at(1, 12, 0), at(3, 12, 0), 2.5),  # arrival at noon: 0.5
        (at(1, 12, 1), at(3, 12, 0), 2.0),
        (at(1, 8, 0), at(2, 20, 0), 2.0),  # two days, no day between
        (at(1, 18, 0), at(2, 9, 0), 1.0),  # overnight: 0.5 + 0.5
    ],
)
def test_trv10_trip_days_noon_boundaries(departure, arrival, days):
    assert trv.trip_days(departure, arrival) == days


@pytest.mark.parametrize(
    ("departure", "arrival", "days"),
    [
        (at(1, 7, 0), at(1, 11, 0), 0.5),  # morning only
        (at(1, 13, 0), at(1, 21, 0), 0.5),  # afternoon only
        (at(1, 9, 0), at(1, 18, 0), 1.0),  # across noon
        (at(1, 12, 0), at(1, 12, 1), 1.0),  # leaves at noon, back just after: spans it
        (at(1, 12, 0), at(1, 12, 0), 0.5),  # arrival at noon is not after it
        (at(1, 8, 0), at(1, 12, 0), 0.5),
    ],
)
def test_trv10_same_day_trips(departure, arrival, days):
    assert trv.trip_days(departure, arrival) == days


def test_trv10_return_before_departure_refused():
    with pytest.raises(trv.TravelError, match="TRV-10"):
        trv.trip_days(at(3, 9), at(1, 9))
    assert trv.trip_days(None, at(1, 9)) == 0.0


# --- TRV-9, TRV-11: per diem ---------------------------------------------------------------
def test_trv9_trv11_per_diem_days():
    assert trv.per_diem_days(3.0) == 3.0
    assert trv.per_diem_days(3.0, hosted_days=1) == 2.0
    assert trv.per_diem_days(2.5, hosted_days=0.5) == 2.0
    assert trv.per_diem_days(1.0, hosted_days=2) == 0.0  # never below 0
    assert trv.per_diem_days(3.0, intra_city=True) == 0.0  # TRV-9: none intra-city
    with pytest.raises(trv.TravelError, match="TRV-11"):
        trv.per_diem_days(3.0, hosted_days=-1)


def test_trv9_per_diem_line():
    assert trv.per_diem_allowance(90.0, 3, 3.0, trv.DEFAULT_PER_DIEM) == (90.0, "TRV-9", "within")
    # claimed four days of a three-day trip: capped to three
    assert trv.per_diem_allowance(120.0, 4, 3.0, 30.0) == (90.0, "TRV-11", "per_diem_cap")
    assert trv.per_diem_allowance(75.0, 2.5, 2.5, 30.0).amount == 75.0
    assert trv.per_diem_allowance(30.0, 1, 1.0, 30.0, intra_city=True) == (
        0.0,
        "TRV-9",
        "per_diem_intra_city",
    )


# --- TRV-6..8: lodging -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cap", "claimed", "allowed", "reason"),
    [
        (150.0, 300.0, 300.0, "within"),  # manager, two nights at 150
        (150.0, 300.01, 300.0, "lodging_cap"),
        (100.0, 200.0, 200.0, "within"),  # senior
        (100.0, 260.0, 200.0, "lodging_cap"),
        (60.0, 120.0, 120.0, "within"),  # staff
        (60.0, 121.0, 120.0, "lodging_cap"),
        (0.0, 900.0, 900.0, "lodging_no_cap"),  # director: actual cost
    ],
)
def test_trv6_lodging_cap_per_level(cap, claimed, allowed, reason):
    result = trv.lodging_allowance(claimed, 2, cap)
    assert (result.amount, result.rule, result.reason) == (allowed, "TRV-6", reason)


def test_trv7_intra_city_lodging():
    assert trv.lodging_allowance(70.0, 1, 150.0, intra_city=True) == (
        0.0,
        "TRV-7",
        "intra_city_lodging_unapproved",
    )
    assert trv.lodging_allowance(80.0, 1, 150.0, intra_city=True, lodging_approved=True) == (
        80.0,
        "TRV-7",
        "within",
    )
    # a manager's cap of 150 does not apply: 80 a night at most
    assert trv.lodging_allowance(120.0, 1, 150.0, intra_city=True, lodging_approved=True) == (
        80.0,
        "TRV-7",
        "intra_city_lodging_cap",
    )
    assert (
        trv.lodging_allowance(
            200.0, 2, 60.0, intra_city=True, lodging_approved=True, intra_city_cap=90.0
        ).amount
        == 180.0
    )


@pytest.mark.parametrize(
    ("cap", "roommate_cap", "nights", "claimed", "allowed"),
    [
        (60.0, 60.0, 1, 96.0, 96.0),  # two staff: 80 % of 120
        (60.0, 60.0, 1, 100.0, 96.0),
        (100.0, 60.0, 2, 300.0, 256.0),  # senior and staff: 80 % of 160, two nights
        (100.0, 100.0, 1, 160.0, 160.0),
        (100.0, 100.0, 1, 160.01, 160.0),
    ],
)
def test_trv8_shared_room_mixed_levels(cap, roommate_cap, nights, claimed, allowed):
    result = trv.lodging_allowance(claimed, nights, cap, roommate_cap=roommate_cap)
    assert result.amount == allowed
    assert result.rule == "TRV-8"
    assert result.reason == ("within" if claimed == allowed else "shared_room_cap")


def test_trv8_share_percent_configurable_and_nights_overlap():
    assert trv.lodging_allowance(200.0, 1, 60.0, roommate_cap=60.0, share_percent=90).amount == 108
    assert trv.nights_overlap(date(2027, 3, 1), 2, date(2027, 3, 2), 1)
    assert not trv.nights_overlap(date(2027, 3, 1), 2, date(2027, 3, 3), 1)  # checked out
    assert not trv.nights_overlap(None, 2, date(2027, 3, 3), 1)


def test_trv13_negative_claim_refused():
    with pytest.raises(trv.TravelError, match="TRV-13"):
        trv.lodging_allowance(-1.0, 1, 60.0)
    with pytest.raises(trv.TravelError, match="TRV-13"):
        trv.transport_allowance(-5.0, "bus", STAFF)


# --- TRV-3..5: transport ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("level", "cls", "claimed", "fare", "allowed", "reason"),
    [
        (STAFF, "train_hard_seat", 200.0, None, 200.0, "within"),
        (STAFF, "train_soft_sleeper", 450.0, 200.0, 200.0, "class_above_level"),
        (STAFF, "train_soft_sleeper", 150.0, 200.0, 150.0, "class_above_level"),
        (STAFF, "train_soft_sleeper", 450.0, None, 0.0, "class_above_level_no_fare"),
        (STAFF, "ship_second", 300.0, 180.0, 180.0, "class_above_level"),
        (MANAGER, "train_soft_sleeper", 450.0, None, 450.0, "within"),
        (MANAGER, "ship_second", 300.0, None, 300.0, "within"),
        (DIRECTOR, "train_soft_sleeper", 450.0, None, 450.0, "within"),
        (STAFF, "bus", 40.0, None, 40.0, "within"),
        (STAFF, "public_transport", 6.0, None, 6.0, "within"),
    ],
)
def test_trv3_classes_by_level(level, cls, claimed, fare, allowed, reason):
    result = trv.transport_allowance(claimed, cls, level, reference_fare=fare)
    assert (result.amount, result.rule, result.reason) == (allowed, "TRV-3", reason)


def test_trv3_level_class():
    assert trv.level_class("train_soft_sleeper", STAFF) == "train_hard_seat"
    assert trv.level_class("train_hard_seat", STAFF) is None
    assert trv.level_class("taxi", {"bus"}) is None


@pytest.mark.parametrize(
    ("approved", "fare", "allowed", "reason"),
    [
        (True, None, 1200.0, "within"),
        (False, 300.0, 300.0, "flight_unapproved"),  # paid at the train fare
        (False, None, 0.0, "flight_unapproved_no_fare"),
    ],
)
def test_trv4_flights(approved, fare, allowed, reason):
    # any level, the director included, needs the approval
    for level in (DIRECTOR, MANAGER, STAFF):
        result = trv.transport_allowance(
            1200.0, "flight", level, flight_approved=approved, reference_fare=fare
        )
        assert (result.amount, result.rule, result.reason) == (allowed, "TRV-4", reason)


def test_trv3_taxi_by_level():
    # manager: taxi allowed; staff and senior: on approval
    assert trv.transport_allowance(80.0, "taxi", MANAGER, taxi_needs_approval=False).amount == 80
    staff = trv.transport_allowance(80.0, "taxi", STAFF, taxi_needs_approval=True)
    assert (staff.amount, staff.reason) == (0.0, "taxi_unapproved")
    assert (
        trv.transport_allowance(
            80.0, "taxi", STAFF, taxi_needs_approval=True, taxi_approved=True
        ).amount
        == 80.0
    )


def test_trv5_intra_city_transport():
    def intra(cls, **kw):
        return trv.transport_allowance(50.0, cls, DIRECTOR, intra_city=True, **kw)

    assert intra("public_transport") == (50.0, "TRV-5", "within")
    # even a director needs the approval for a taxi in town
    assert intra("taxi") == (0.0, "TRV-5", "taxi_unapproved")
    assert intra("taxi", taxi_approved=True).amount == 50.0
    assert intra("company_car") == (0.0, "TRV-5", "company_car_unapproved")
    assert intra("company_car", company_car_approved=True).amount == 50.0
    assert intra("train_hard_seat") == (0.0, "TRV-5", "intra_city_not_allowed")
    with pytest.raises(trv.TravelError, match="TRV-3"):
        intra("rocket")


def test_every_reason_has_a_sentence():
    results = [
        trv.lodging_allowance(500.0, 1, 60.0),
        trv.lodging_allowance(500.0, 1, 0.0),
        trv.lodging_allowance(500.0, 1, 60.0, intra_city=True),
        trv.lodging_allowance(500.0, 1, 60.0, intra_city=True, lodging_approved=True),
        trv.lodging_allowance(500.0, 1, 60.0, roommate_cap=60.0),
        trv.per_diem_allowance(90.0, 4, 3.0, 30.0),
        trv.per_diem_allowance(90.0, 3, 3.0, 30.0, intra_city=True),
    ] + [
        trv.transport_allowance(100.0, cls, STAFF, intra_city=intra, reference_fare=fare)
        for cls in trv.TRANSPORT_CLASSES
        for intra in (False, True)
        for fare in (None, 50.0)
    ]
    reasons = {r.reason for r in results}
    assert reasons <= set(trv.REASONS)
    assert len(reasons) >= 14
