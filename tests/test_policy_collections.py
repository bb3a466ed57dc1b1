"""ORD-6 rules of policy/collections.py (the monthly collection plan), without Odoo."""

from datetime import date

import pytest

from policy import collections as ord6


@pytest.mark.parametrize(
    ("day", "start", "end", "last"),
    [
        (date(2026, 3, 17), date(2026, 3, 1), date(2026, 4, 1), date(2026, 3, 31)),
        (date(2026, 3, 1), date(2026, 3, 1), date(2026, 4, 1), date(2026, 3, 31)),
        (date(2026, 12, 31), date(2026, 12, 1), date(2027, 1, 1), date(2026, 12, 31)),
        (date(2028, 2, 10), date(2028, 2, 1), date(2028, 3, 1), date(2028, 2, 29)),
        (date(2027, 2, 28), date(2027, 2, 1), date(2027, 3, 1), date(2027, 2, 28)),
    ],
)
def test_ord6_month_bounds(day, start, end, last):
    assert ord6.month_start(day) == start
    assert ord6.month_bounds(day) == (start, end)
    assert ord6.next_month_start(day) == end
    assert ord6.month_last_day(day) == last


def test_ord6_in_month_bounds_included_and_excluded():
    march = date(2027, 3, 1)
    assert ord6.in_month(date(2027, 3, 1), march)
    assert ord6.in_month(date(2027, 3, 31), march)
    assert not ord6.in_month(date(2027, 4, 1), march)
    assert not ord6.in_month(date(2027, 2, 28), march)
    assert not ord6.in_month(None, march)
    assert not ord6.in_month(date(2027, 3, 5), None)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2027, 3, 15), date(2027, 3, 15)),
        (date(2027, 2, 5), date(2027, 3, 1)),
        (date(2027, 4, 30), date(2027, 3, 31)),
        (date(2027, 3, 31), date(2027, 3, 31)),
        (None, date(2027, 3, 31)),
    ],
)
def test_ord6_clamp_due_date_into_the_month(day, expected):
    assert ord6.clamp_to_month(day, date(2027, 3, 1)) == expected


def test_ord6_month_label():
    assert ord6.month_label(date(2026, 3, 1)) == "2026-03"
    assert ord6.month_label(False) == ""


@pytest.mark.parametrize(
    ("invoice_date", "due_date", "residual", "plannable"),
    [
        # due in the month: planned, whenever issued
        (date(2027, 3, 3), date(2027, 3, 25), 250.0, True),
        (date(2027, 1, 3), date(2027, 3, 31), 0.0, True),
        # open at the start of the month, due before or after it
        (date(2027, 2, 20), date(2027, 4, 30), 300.0, True),
        (date(2027, 1, 5), date(2027, 2, 5), 0.01, True),
        # settled before the month and not due in it
        (date(2027, 1, 10), date(2027, 2, 10), 0.0, False),
        (date(2027, 1, 10), date(2027, 2, 10), 0.004, False),
        # issued in the month, due after it: not open on its first day
        (date(2027, 3, 5), date(2027, 4, 20), 150.0, False),
        # issued on the first day: not before the month
        (date(2027, 3, 1), date(2027, 4, 1), 150.0, False),
        # due on the first day of the next month: not in the month
        (date(2027, 3, 2), date(2027, 4, 1), 150.0, False),
    ],
)
def test_ord6_plannable_invoice(invoice_date, due_date, residual, plannable):
    assert ord6.is_plannable(invoice_date, due_date, residual, date(2027, 3, 1)) is plannable


@pytest.mark.parametrize(
    ("planned", "total", "error"),
    [
        (100.0, 100.0, None),
        (0.01, 100.0, None),
        (100.01, 100.0, "above_total"),
        (0.0, 100.0, "not_positive"),
        (-5.0, 100.0, "not_positive"),
        (None, 100.0, "not_positive"),
        (10.0, 0.0, "above_total"),
    ],
)
def test_ord6_planned_amount(planned, total, error):
    assert ord6.planned_amount_error(planned, total) == error


def test_ord6_split_received_in_and_outside_the_plan():
    collected = {1: 400.0, 2: 150.0, 3: 50.0}
    assert ord6.split_collected(collected, [1, 3]) == (450.0, 150.0)
    assert ord6.split_collected(collected, []) == (0, 600.0)
    assert ord6.split_collected({}, [1]) == (0, 0)
    # a planned invoice that brought nothing in counts nothing
    assert ord6.split_collected({2: 10.0}, [1]) == (0, 10.0)


def test_ord6_difference():
    assert ord6.difference(1000.0, 400.0) == 600.0
    assert ord6.difference(100.0, 120.0) == -20.0
    assert ord6.difference(None, None) == 0.0
