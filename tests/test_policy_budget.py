"""BUD-1..3 rules of policy/budget.py (the sales expense budget), without Odoo."""

from datetime import date, datetime

import pytest

from policy import budget as bud


def test_bud1_kinds_and_year_months():
    assert bud.KINDS == ("travel", "entertainment", "other")
    months = bud.year_months(2027)
    assert len(months) == 12
    assert months[0] == date(2027, 1, 1) and months[-1] == date(2027, 12, 1)
    assert bud.next_month_start(date(2027, 12, 9)) == date(2028, 1, 1)


@pytest.mark.parametrize(
    ("value", "tz", "month"),
    [
        # a claim's date is a local day already
        (date(2027, 1, 31), None, date(2027, 1, 1)),
        (date(2027, 2, 1), "Asia/Shanghai", date(2027, 2, 1)),
        # 15:59 UTC on 31 January is 23:59 in Shanghai: still January
        (datetime(2027, 1, 31, 15, 59), "Asia/Shanghai", date(2027, 1, 1)),
        # 16:00 UTC on 31 January is midnight on 1 February in Shanghai
        (datetime(2027, 1, 31, 16, 0), "Asia/Shanghai", date(2027, 2, 1)),
        # the same instant in UTC is January
        (datetime(2027, 1, 31, 16, 0), None, date(2027, 1, 1)),
        (datetime(2027, 1, 31, 16, 0), "UTC", date(2027, 1, 1)),
        # New Year in Shanghai
        (datetime(2026, 12, 31, 16, 30), "Asia/Shanghai", date(2027, 1, 1)),
        (None, "Asia/Shanghai", None),
    ],
)
def test_bud2_local_month_boundaries(value, tz, month):
    assert bud.local_month(value, tz) == month


def test_bud2_trip_commits_only_once_approved():
    # submitted, rejected or cancelled: nothing committed
    assert bud.trip_committed(False, 600.0, 0.0, 0, 0) == 0.0
    # approved, nothing claimed yet: the estimate
    assert bud.trip_committed(True, 600.0, 0.0, 0, 0) == 600.0
    # the per diem line waits: still the estimate
    assert bud.trip_committed(True, 600.0, 0.0, 0, 1) == 600.0


def test_bud2_actual_replaces_committed():
    # part approved, a line pending: the rest of the estimate stays committed
    assert bud.trip_committed(True, 600.0, 250.0, 1, 1) == 350.0
    # all approved: the claim is settled, nothing committed
    assert bud.trip_committed(True, 600.0, 450.0, 2, 0) == 0.0
    # spent more than estimated while lines wait: nothing more committed, never below 0
    assert bud.trip_committed(True, 600.0, 700.0, 2, 1) == 0.0
    # only refused lines: neither approved nor pending, the estimate stays
    assert bud.trip_committed(True, 600.0, 0.0, 0, 0) == 600.0


def test_bud2_trip_claim_increase():
    # within the estimate, other lines pending: nothing new consumed
    assert bud.trip_claim_increase(600.0, 0.0, 0, 2, 200.0) == 0.0
    # the last line settles under the estimate: the rest is released
    assert bud.trip_claim_increase(600.0, 200.0, 1, 1, 150.0) == -250.0
    # past the estimate: the excess is new consumption
    assert bud.trip_claim_increase(600.0, 500.0, 1, 2, 300.0) == 200.0
    # no estimate at all: all of it
    assert bud.trip_claim_increase(0.0, 0.0, 0, 1, 80.0) == 80.0


def test_bud1_remaining():
    assert bud.remaining(1000.0, 300.0, 200.0) == 500.0
    assert bud.remaining(100.0, 300.0, 0.0) == -200.0
    assert bud.remaining(None, None, None) == 0.0


def test_bud2_check_within_and_at_the_boundary():
    result = bud.check(400.0, 1000.0, 600.0)
    assert result == bud.Check("within", 1000.0, 600.0, 400.0, 400.0, 0.0)
    assert not bud.needs_general_manager(result.status)
    # one cent over
    over = bud.check(400.01, 1000.0, 600.0)
    assert over.status == "over" and over.overrun == pytest.approx(0.01)
    assert bud.needs_general_manager(over.status)


def test_bud2_check_month_already_over():
    result = bud.check(50.0, 1000.0, 1200.0)
    assert result.status == "over"
    assert result.remaining == -200.0
    # all of it is over the budget, not the month's earlier overrun too
    assert result.overrun == 50.0


def test_bud2_nothing_added_is_within():
    assert bud.check(0.0, 100.0, 500.0).status == "within"
    assert bud.check(-250.0, 100.0, 500.0).status == "within"
    assert bud.check(0.0, None, 0.0).status == "within"


@pytest.mark.parametrize(
    ("policy", "status", "gm", "blocked"),
    [
        ("block", "no_budget_block", False, True),
        ("gm", "no_budget_gm", True, False),
        ("allow", "no_budget_allow", False, False),
        (None, "no_budget_gm", True, False),
        ("nonsense", "no_budget_gm", True, False),
    ],
)
def test_bud2_no_budget_policy(policy, status, gm, blocked):
    result = bud.check(120.0, None, 0.0, policy)
    assert result.status == status
    assert result.budget is None and result.remaining is None
    assert result.overrun == 120.0
    assert bud.needs_general_manager(result.status) is gm
    assert bud.blocked(result.status) is blocked


def test_bud2_default_policy_asks_the_general_manager():
    assert bud.DEFAULT_MISSING_POLICY == "gm"
    assert bud.check(1.0, None, 0.0).status == "no_budget_gm"
    assert set(bud.STATUSES) >= {"within", "over", "no_budget_gm"}


def test_bud3_expense_per_ten_thousand_of_signed_sales():
    assert bud.expense_per_sales_unit(1500.0, 300000.0) == 50.0
    assert bud.expense_per_sales_unit(0.0, 300000.0) == 0.0
    assert bud.expense_per_sales_unit(1500.0, 0.0) is None
    assert bud.expense_per_sales_unit(1500.0, None) is None
    assert bud.expense_per_sales_unit(10.0, 100.0, unit=1.0) == 0.1


def test_bud1_revisable_months():
    today = date(2027, 5, 17)
    assert bud.revisable(date(2027, 5, 1), today)
    assert bud.revisable(date(2027, 12, 1), today)
    assert not bud.revisable(date(2027, 4, 1), today)
    assert not bud.revisable(None, today)
