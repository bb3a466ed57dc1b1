"""CRD-1..5 rules of policy/credit.py, without Odoo."""

from datetime import date

import pytest

from policy import credit as crd


def test_crd1_default_grades():
    assert crd.DEFAULT_DEPOSIT_PERCENT == 30.0
    assert crd.DEFAULT_GRADES == (("A", "dispatch", 0), ("B", "arrival", 0), ("C", "arrival", 14))


@pytest.mark.parametrize(
    ("percent", "event", "days", "errors"),
    [
        (30, "dispatch", 0, []),
        (0, "arrival", 14, []),
        (100, "arrival", 0, []),
        (-0.01, "arrival", 0, ["deposit_range"]),
        (100.01, "arrival", 0, ["deposit_range"]),
        (30, "invoice", 0, ["due_event"]),
        (30, "arrival", -1, ["due_days"]),
    ],
)
def test_crd1_grade_values(percent, event, days, errors):
    assert crd.grade_errors(percent, event, days) == errors


def test_crd1_deposit_default_and_changed():
    assert crd.deposit_amount(100000, 30) == 30000
    assert crd.deposit_amount(1234.56, 30) == 370.37
    assert crd.deposit_amount(1000, 50) == 500
    assert crd.deposit_amount(1000, 0) == 0


def test_crd1_grade_c_due_two_weeks_after_arrival():
    arrival = date(2026, 11, 2)
    assert crd.balance_due_date(arrival, 14) == date(2026, 11, 16)
    assert crd.balance_due_date(arrival, 15) == date(2026, 11, 17)
    assert crd.balance_due_date(arrival, 0) == arrival


def test_crd4_awaiting_deposit():
    assert crd.awaiting_deposit(True, 1000, 30, 0)
    assert crd.awaiting_deposit(True, 1000, 30, 299.99)
    assert not crd.awaiting_deposit(True, 1000, 30, 300)
    assert not crd.awaiting_deposit(True, 1000, 30, 1000)
    assert not crd.awaiting_deposit(False, 1000, 30, 0)  # a quotation waits for nothing
    assert not crd.awaiting_deposit(True, 1000, 0, 0)  # no deposit required


def test_crd5_discount_at_limit_is_allowed():
    assert crd.line_deviations(100, 100, 0, 0) == []
    assert crd.line_deviations(100, 100, 5, 5) == []  # exactly at the limit
    assert crd.line_deviations(100, 100, 5.1, 5) == ["discount"]
    assert crd.line_deviations(100, 100, 0.01, 0) == ["discount"]


def test_crd5_price_below_pricelist():
    assert crd.line_deviations(99.99, 100, 0, 0) == ["below_pricelist"]
    assert crd.line_deviations(100, 100, 0, 0) == []
    # CRD-5 (corrected): a price above the pricelist (抬价) is a deviation too
    assert crd.line_deviations(120, 100, 0, 0) == ["above_pricelist"]
    assert crd.line_deviations(100.01, 100, 0, 0) == ["above_pricelist"]
    assert crd.line_deviations(100.004, 100, 0, 0) == []
    assert crd.line_deviations(80, 100, 10, 5) == ["discount", "below_pricelist"]


def test_crd5_major_contract_threshold_is_strict():
    assert not crd.is_major_contract(200000, 200000)
    assert crd.is_major_contract(200000.01, 200000)
    assert not crd.is_major_contract(199999.99, 200000)
    assert crd.is_major_contract(150001, 150000)  # a changed threshold
    assert not crd.is_major_contract(10**9, 0)  # no threshold set


def test_crd5_approval_steps():
    assert crd.approval_steps(False, False) == ()
    # a deviation: reviewed by the sales manager, then approved by the GM (two steps)
    assert crd.approval_steps(True, False) == ("manager", "general_manager")
    assert crd.approval_steps(False, False, terms_changed=True) == ("manager", "general_manager")
    assert crd.approval_steps(True, True) == ("manager", "general_manager")
    # a major contract within the terms: confirmed by the manager or the GM (one step)
    assert crd.approval_steps(False, True) == ("confirm",)


def test_crd5_pricelist_discount_is_not_the_salesperson_s():
    # the pricelist itself gives 10 %: only what the salesperson adds counts
    assert crd.line_deviations(100, 100, 10, 0, pricelist_discount=10) == []
    assert crd.line_deviations(100, 100, 12, 2, pricelist_discount=10) == []
    assert crd.line_deviations(100, 100, 12.5, 2, pricelist_discount=10) == ["discount"]


def test_crd5_reason_codes_and_levels():
    assert set(crd.REASONS) == {
        "discount",
        "below_pricelist",
        "above_pricelist",
        "terms",
        "major",
    }
    assert crd.approval_level(crd.approval_steps(True, False)) == "manager_gm"
    assert crd.approval_level(crd.approval_steps(False, True)) == "confirm"
    assert crd.approval_level(crd.approval_steps(False, False)) is None
    assert crd.APPROVAL_LEVELS["manager_gm"] == ("manager", "general_manager")


def test_crd5_fingerprint_rounded_to_the_currency():
    base = [(1, 7, 2.0, 99.999, 0.0)]
    same = [(1, 7, 2.0, 100.0, 0.0)]  # the same price once rounded to the cent
    assert crd.fingerprint(base, 3, 1) == crd.fingerprint(same, 3, 1)
    assert len(crd.fingerprint(base, 3, 1)) == 64
    # any approved value changed: another fingerprint
    for changed in (
        [(1, 7, 2.0, 99.98, 0.0)],
        [(1, 7, 3.0, 100.0, 0.0)],
        [(1, 7, 2.0, 100.0, 5.0)],
        [(1, 8, 2.0, 100.0, 0.0)],
    ):
        assert crd.fingerprint(changed, 3, 1) != crd.fingerprint(base, 3, 1)
    assert crd.fingerprint(base, 4, 1) != crd.fingerprint(base, 3, 1)
    assert crd.fingerprint(base, 3, 2) != crd.fingerprint(base, 3, 1)
    # the order of the lines does not matter
    two = [(1, 7, 1.0, 10.0, 0.0), (2, 8, 1.0, 20.0, 0.0)]
    assert crd.fingerprint(two, 3, 1) == crd.fingerprint(list(reversed(two)), 3, 1)


# ----------------------------------------------------------------------
# ORD-4: the production gate
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("contract", "awaiting", "released", "status"),
    [
        (True, False, False, "ready"),
        (True, True, False, "wait_deposit"),
        (True, True, True, "released"),
        (False, False, False, "wait_contract"),
        (False, True, False, "wait_both"),
        # finance releases the deposit, never the contract's approval
        (False, True, True, "wait_contract"),
    ],
)
def test_ord4_production_status(contract, awaiting, released, status):
    assert crd.production_status(contract, awaiting, released) == status
    assert crd.production_released(status) is (status in ("ready", "released"))


# ----------------------------------------------------------------------
# ORD-5: the balance's due date from the deliveries
# ----------------------------------------------------------------------
D1, D2, D3 = date(2026, 3, 1), date(2026, 3, 5), date(2026, 3, 9)


def test_ord5_grade_a_due_on_dispatch():
    assert crd.balance_due("dispatch", 0, [(True, D1, None)]) == D1


def test_ord5_grade_b_due_on_arrival_only_once_received():
    assert crd.balance_due("arrival", 0, [(True, D1, None)]) is None
    assert crd.balance_due("arrival", 0, [(True, D1, D2)]) == D2


def test_ord5_grade_c_fourteen_days_after_arrival():
    assert crd.balance_due("arrival", 14, [(True, D1, D2)]) == date(2026, 3, 19)


def test_ord5_partial_delivery_the_completing_one_counts():
    # a backorder still open: nothing due yet
    assert crd.balance_due("dispatch", 0, [(True, D1, None), (False, None, None)]) is None
    # both done: the later one completes the order
    assert crd.balance_due("dispatch", 0, [(True, D1, None), (True, D3, None)]) == D3
    # arrival: every delivery received, the last arrival counts
    assert crd.balance_due("arrival", 0, [(True, D1, D3), (True, D2, None)]) is None
    assert crd.balance_due("arrival", 0, [(True, D1, D3), (True, D2, D2)]) == D3


def test_ord5_no_delivery_nothing_due():
    assert crd.balance_due("dispatch", 0, []) is None
    with pytest.raises(ValueError):
        crd.balance_due("invoice", 0, [(True, D1, D1)])


def test_ord5_overdue_from_the_day_after():
    assert not crd.is_overdue(D1, D1, 100.0)
    assert crd.is_overdue(D1, date(2026, 3, 2), 100.0)
    assert not crd.is_overdue(D1, date(2026, 3, 2), 0.004)
    assert not crd.is_overdue(None, D3, 100.0)
    assert crd.days_late(D1, D3) == 8
    assert crd.days_late(D3, D1) == 0


# ----------------------------------------------------------------------
# ORD-6: reminders to collect
# ----------------------------------------------------------------------
def test_ord6_reminder_on_due_date_and_every_seven_days():
    due = date(2026, 3, 1)
    assert not crd.collection_reminder_due(due, date(2026, 2, 28), None, 7)
    assert crd.collection_reminder_due(due, due, None, 7)
    # reminded on the due date: not again before the 8th
    assert not crd.collection_reminder_due(due, date(2026, 3, 7), due, 7)
    assert crd.collection_reminder_due(due, date(2026, 3, 8), due, 7)
    assert not crd.collection_reminder_due(due, date(2026, 3, 8), date(2026, 3, 8), 7)


def test_ord6_missed_runs_catch_up_once():
    due = date(2026, 3, 1)
    # the cron did not run for three weeks: one reminder, anchored on the 22nd
    assert crd.collection_reminder_due(due, date(2026, 3, 24), due, 7)
    assert not crd.collection_reminder_due(due, date(2026, 3, 24), date(2026, 3, 24), 7)
    # another interval from the settings
    assert crd.collection_reminder_due(due, date(2026, 3, 4), due, 3)
