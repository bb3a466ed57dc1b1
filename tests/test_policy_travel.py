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


# --- TRV-8: who must share a room, and what a single room is then paid -----------------------
def stay(key=1, gender="male", shares=True, place="Hangzhou", first=1, nights=3, cap=60.0):
    return trv.Stay(key, gender, shares, place, date(2027, 3, first), nights, cap)


def test_trv8_shared_nights():
    assert trv.shared_nights(date(2027, 3, 1), 3, date(2027, 3, 1), 3) == 3
    assert trv.shared_nights(date(2027, 3, 1), 3, date(2027, 3, 3), 2) == 1  # the last night
    assert trv.shared_nights(date(2027, 3, 1), 3, date(2027, 3, 4), 2) == 0  # checked out
    assert trv.shared_nights(date(2027, 3, 1), 0, date(2027, 3, 1), 3) == 0  # same-day trip
    assert trv.shared_nights(None, 3, date(2027, 3, 1), 3) == 0


@pytest.mark.parametrize(
    ("other", "shares"),
    [
        (stay(key=2), True),  # same gender, place and nights
        (stay(key=2, place="  hangzhou "), True),  # the same place, however typed
        (stay(key=2, gender="female"), False),  # different gender
        (stay(key=2, gender="other"), False),
        (stay(key=2, first=4), False),  # no night in common
        (stay(key=2, first=3, nights=1), True),  # one night in common is enough
        (stay(key=2, shares=False), False),  # a manager does not share
        (stay(key=2, place="Ningbo"), False),  # another destination
        (stay(key=1), False),  # the traveller's own other trip
    ],
)
def test_trv8_must_share_room(other, shares):
    assert trv.must_share_room(stay(), other) is shares
    assert trv.must_share_room(other, stay()) is shares


def test_trv8_room_colleague_most_nights_first():
    one_night = stay(key=2, first=3, nights=1)
    three = stay(key=3)
    assert trv.room_colleague(stay(), [one_night, three]) == (three, 3)
    assert trv.room_colleague(stay(), [one_night]) == (one_night, 1)
    assert trv.room_colleague(stay(), [stay(key=4, gender="female")]) == (None, 0)
    assert trv.room_colleague(stay(gender=False), [stay(key=2, gender=False)]) == (None, 0)


@pytest.mark.parametrize(
    ("nights", "cap", "colleague_cap", "shared", "percent", "limit"),
    [
        (3, 60.0, 60.0, 3, 80, 144.0),  # two staff: half of 80 % of 120 a night
        (3, 60.0, 60.0, 1, 80, 168.0),  # one night shared, two at the own cap
        (1, 60.0, 60.0, 1, 100, 60.0),  # 100 %: half the two caps is the own cap
        (2, 100.0, 100.0, 2, 80, 160.0),  # two seniors
        (2, 60.0, 100.0, 2, 80, 120.0),  # staff with a senior: never above the own cap
        (2, 100.0, 60.0, 2, 80, 128.0),  # the senior: half of 128 a night
        (1, 60.0, 60.0, 1, 50, 30.0),  # a changed share
    ],
)
def test_trv8_solo_room_limit(nights, cap, colleague_cap, shared, percent, limit):
    assert trv.solo_room_limit(nights, cap, colleague_cap, shared, percent) == limit


def test_trv8_single_room_where_sharing_was_due():
    # claimed alone, had to share: half the shared room
    assert trv.lodging_allowance(180.0, 3, 60.0, colleague_cap=60.0, shared_nights=3) == (
        144.0,
        "TRV-8",
        "room_share_required",
    )
    assert trv.lodging_allowance(144.0, 3, 60.0, colleague_cap=60.0, shared_nights=3) == (
        144.0,
        "TRV-8",
        "within",
    )
    assert trv.lodging_allowance(144.01, 3, 60.0, colleague_cap=60.0, shared_nights=3).amount == (
        144.0
    )
    # no colleague or no night in common: the level's cap (TRV-6)
    assert trv.lodging_allowance(180.0, 3, 60.0, colleague_cap=60.0, shared_nights=0) == (
        180.0,
        "TRV-6",
        "within",
    )
    assert trv.lodging_allowance(180.0, 3, 60.0).rule == "TRV-6"
    assert "room_share_required" in trv.REASONS
    with pytest.raises(trv.TravelError, match="TRV-8"):
        trv.solo_room_limit(1, 60.0, 60.0, 1, 0)


# --- TRV-9: per diem by region -------------------------------------------------------------
# East (1) → Zhejiang (2) → Hangzhou (3); Jiangsu (4) under East
TREE = {1: None, 2: 1, 3: 2, 4: 1}


def test_trv9_territory_rate_default_parent_and_most_specific():
    assert trv.territory_rate(3, {}, TREE) == (30.0, None)  # the default: 30 a day
    assert trv.territory_rate(None, {2: 40.0}, TREE) == (30.0, None)  # no territory
    assert trv.territory_rate(3, {2: 40.0}, TREE) == (40.0, 2)  # the parent's rate
    assert trv.territory_rate(3, {2: 40.0, 3: 35.0}, TREE) == (35.0, 3)  # most specific wins
    assert trv.territory_rate(3, {1: 50.0, 2: 40.0}, TREE) == (40.0, 2)
    assert trv.territory_rate(4, {2: 40.0}, TREE) == (30.0, None)  # a sibling's rate: not ours
    assert trv.territory_rate(4, {2: 40.0}, TREE, default=25.0) == (25.0, None)
    assert trv.territory_rate(3, {3: 0.0}, TREE) == (0.0, 3)  # a rate of 0 is a rate
    assert trv.territory_rate(5, {}, {5: 6, 6: 5}) == (30.0, None)  # a cycle ends
    with pytest.raises(trv.TravelError, match="TRV-9"):
        trv.territory_rate(3, {3: -1.0}, TREE)


# --- 001 回公司后及时进行报帐: claims in time ----------------------------------------------
def test_claim_due_and_late_boundaries():
    back = date(2027, 3, 13)
    assert trv.claim_due_date(back) == date(2027, 3, 20)  # 7 days by default
    assert trv.claim_due_date(back, 3) == date(2027, 3, 16)
    assert trv.claim_due_date(None) is None
    assert not trv.claim_late(back, date(2027, 3, 20), claimed=False)  # the last day
    assert trv.claim_late(back, date(2027, 3, 21), claimed=False)
    assert not trv.claim_late(back, date(2027, 3, 21), claimed=True)
    assert trv.claim_late(back, date(2027, 3, 17), claimed=False, due_days=3)
    assert trv.claim_late(back, date(2027, 3, 14), claimed=False, due_days=0)
    with pytest.raises(trv.TravelError, match="TRV-13"):
        trv.claim_due_date(back, -1)


def test_claim_reminder_on_the_return_day_or_the_day_after():
    back = date(2027, 3, 13)
    assert not trv.claim_reminder_due(back, date(2027, 3, 12))
    assert trv.claim_reminder_due(back, back)
    assert trv.claim_reminder_due(back, date(2027, 3, 14))
    assert not trv.claim_reminder_due(back, date(2027, 3, 15))
    assert not trv.claim_reminder_due(None, back)
