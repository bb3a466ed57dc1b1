"""ARC-5..7 rules of policy/archive.py, without Odoo."""

from datetime import date

import pytest

from policy import archive as arc


@pytest.mark.parametrize(
    ("rank", "internal", "company", "expected"),
    [
        (1, False, False, True),  # a customer
        (0, False, False, False),  # a vendor or a prospect only
        (5, True, False, False),  # ARC-7: an internal user's partner
        (5, False, True, False),  # ARC-7: the company itself
        (None, False, False, False),
    ],
)
def test_arc7_what_is_an_archive(rank, internal, company, expected):
    assert arc.is_customer_archive(rank, internal, company) is expected


def test_arc5_default_grant_is_seven_days():
    assert arc.DEFAULT_GRANT_DAYS == 7
    assert arc.default_grant_end(date(2026, 11, 25)) == date(2026, 12, 2)


def test_arc5_grant_length_configurable_and_bounded():
    assert arc.default_grant_end(date(2026, 12, 30), 3) == date(2027, 1, 2)
    assert arc.default_grant_end(date(2026, 12, 30), 1) == date(2026, 12, 31)
    # nonsense falls back to the policy's default
    assert arc.default_grant_end(date(2026, 12, 30), 0) == date(2027, 1, 6)
    assert arc.default_grant_end(date(2026, 12, 30), None) == date(2027, 1, 6)


def test_arc5_grant_end_today_or_later():
    today = date(2026, 11, 22)
    assert arc.grant_end_error(today, today) is None
    assert arc.grant_end_error(date(2026, 11, 23), today) is None
    assert arc.grant_end_error(date(2026, 11, 21), today) == "end_in_past"
    assert arc.grant_end_error(None, today) == "end_required"


def test_arc5_grant_active_until_end_of_last_day():
    end = date(2026, 11, 29)
    assert arc.grant_is_active("approved", end, date(2026, 11, 29))
    assert not arc.grant_is_active("approved", end, date(2026, 11, 30))
    for state in ("draft", "submitted", "rejected", "cancelled", "expired"):
        assert not arc.grant_is_active(state, end, date(2026, 11, 22))
    assert not arc.grant_is_active("approved", None, date(2026, 11, 22))


def test_arc5_grants_to_lapse_by_holder_date():
    grants = [
        (1, "approved", date(2026, 11, 21), date(2026, 11, 22)),  # lapsed
        (2, "approved", date(2026, 11, 22), date(2026, 11, 22)),  # last day
        (3, "approved", date(2026, 11, 22), date(2026, 11, 23)),  # a zone already past it
        (4, "rejected", date(2026, 11, 1), date(2026, 11, 22)),  # never granted
    ]
    assert arc.grants_to_lapse(grants) == [1, 3]


def test_arc6_only_readers_export_archives():
    assert arc.can_export_archives(True, True)
    assert not arc.can_export_archives(False, True)
    assert arc.can_export_archives(False, False)  # ARC-7
