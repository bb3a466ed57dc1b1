"""CRD: customer credit grades and the sales-order controls (SPEC CRD-1..6)."""

import hashlib
import json
import math
from datetime import timedelta

from ._markers import _lt

#: CRD-1: the default deposit share of every grade, in percent.
DEFAULT_DEPOSIT_PERCENT = 30.0
#: CRD-5: the default discount a salesperson may give without approval, in percent.
DEFAULT_DISCOUNT_LIMIT = 0.0
#: CRD-5: the default major-contract threshold, in company currency.
DEFAULT_MAJOR_CONTRACT_THRESHOLD = 200000.0

#: CRD-1: the grades of the policy: (code, due event, days after it).
DEFAULT_GRADES = (
    ("A", "dispatch", 0),
    ("B", "arrival", 0),
    ("C", "arrival", 14),
)

BALANCE_DUE_EVENTS = ("dispatch", "arrival")


def grade_errors(deposit_percent, balance_due_event, balance_due_days):
    """CRD-1: what is wrong with a grade's values, as keys; empty when valid."""
    errors = []
    if deposit_percent is None or not 0 <= deposit_percent <= 100:
        errors.append("deposit_range")
    if balance_due_event not in BALANCE_DUE_EVENTS:
        errors.append("due_event")
    if balance_due_days is None or balance_due_days < 0:
        errors.append("due_days")
    return errors


def deposit_amount(total, deposit_percent, rounding=0.01):
    """CRD-1/CRD-4: the deposit a grade requires on an order of ``total``."""
    amount = (total or 0.0) * (deposit_percent or 0.0) / 100.0
    return round(round(amount / rounding) * rounding, 10)


def balance_due_date(event_date, balance_due_days):
    """CRD-1: when the balance is due, from the date of the grade's event."""
    return event_date + timedelta(days=balance_due_days or 0)


def awaiting_deposit(is_confirmed, total, deposit_percent, paid, rounding=0.01):
    """CRD-4: a confirmed order waits while the deposit received is short.

    ``paid`` is what was received against the order (down payments paid,
    online prepayments done), in the order's currency.
    """
    if not is_confirmed:
        return False
    required = deposit_amount(total, deposit_percent, rounding)
    if required <= 0:
        return False
    return (paid or 0.0) < required - rounding / 2


def line_deviations(
    price_unit, pricelist_price, discount, discount_limit, pricelist_discount=0.0, rounding=0.01
):
    """CRD-5: why one order line deviates from the quoted terms, as keys.

    - ``below_pricelist``: the unit price (before discount) is below the
      pricelist's price (压价);
    - ``above_pricelist``: it is above it (抬价 is a deviation as much);
    - ``discount``: the discount given beyond the pricelist's own discount is
      above the salesperson's limit (exactly at the limit is allowed).
    """
    reasons = []
    discount = (discount or 0.0) - (pricelist_discount or 0.0)
    limit = discount_limit or 0.0
    if discount > limit + 1e-9:
        reasons.append("discount")
    if price_unit is not None and pricelist_price is not None:
        if price_unit < pricelist_price - rounding / 2:
            reasons.append("below_pricelist")
        elif price_unit > pricelist_price + rounding / 2:
            reasons.append("above_pricelist")
    return reasons


def is_major_contract(amount_company, threshold):
    """CRD-5: an order above the threshold (strictly) is a major contract."""
    return threshold is not None and threshold > 0 and (amount_company or 0.0) > threshold


def approval_steps(has_deviation, is_major, terms_changed=False):
    """CRD-5: the ordered steps an order's terms are decided in before confirmation.

    A deviation (a line's price or discount, other payment terms) is reviewed by
    the sales manager, then approved by the general manager or a deputy
    (业务部经理审核, 上报至副总经理或者总经理审批); that covers a major contract too. A
    major contract that deviates in nothing has its terms confirmed by the sales
    manager or the general manager's office, one step (``confirm``).
    """
    if has_deviation or terms_changed:
        return ("manager", "general_manager")
    if is_major:
        return ("confirm",)
    return ()


#: CRD-5: why an order needs approval, as stored codes, with the English words the
#: models translate when they show them (a line's codes follow its product).
REASONS = {
    "discount": _lt("discount above the limit"),
    "below_pricelist": _lt("price below the pricelist"),
    "above_pricelist": _lt("price above the pricelist"),
    "terms": _lt("payment terms other than the credit grade's"),
    "major": _lt("major contract"),
}

#: CRD-5: how an order is decided, stored as one code: the steps of ``approval_steps``.
APPROVAL_LEVELS = {
    "manager_gm": ("manager", "general_manager"),
    "confirm": ("confirm",),
}


def approval_level(steps):
    """CRD-5: the stored code of the steps ``approval_steps`` returned, or None."""
    steps = tuple(steps or ())
    for level, level_steps in APPROVAL_LEVELS.items():
        if level_steps == steps:
            return level
    if steps:
        raise ValueError(f"CRD-5: no approval level for the steps {steps!r}")
    return None


def fingerprint(lines, payment_term_id, currency_id, rounding=0.01):
    """CRD-5: a hash of what is approved: each line's (id, product, quantity, unit
    price, discount), the payment terms and the currency, prices rounded to the
    currency, so that a later change of any of them needs a new approval while
    the same order always gives the same fingerprint."""
    digits = max(0, -int(round(math.log10(rounding)))) if rounding else 2

    def money(value):
        return f"{round((value or 0.0) / rounding) * rounding:.{digits}f}"

    canonical = {
        "lines": sorted(
            [
                int(line_id or 0),
                int(product_id or 0),
                f"{float(quantity or 0.0):.6f}",
                money(price_unit),
                f"{float(discount or 0.0):.6f}",
            ]
            for line_id, product_id, quantity, price_unit, discount in lines
        ),
        "payment_term": int(payment_term_id or 0),
        "currency": int(currency_id or 0),
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# ----------------------------------------------------------------------
# ORD: from the signed contract to the last payment
# ----------------------------------------------------------------------
#: ORD-5: the time zone whose days the policy counts in when the company says none.
DEFAULT_TZ = "Asia/Shanghai"
#: ORD-6: a reminder to collect on the due date and every this many days after.
DEFAULT_COLLECTION_REMINDER_DAYS = 7

#: ORD-4: what an order waits for before production and delivery, as stored codes.
PRODUCTION_STATES = {
    "ready": _lt("Ready"),
    "released": _lt("Released by Finance"),
    "wait_contract": _lt("Waiting for Contract Approval"),
    "wait_deposit": _lt("Waiting for Deposit"),
    "wait_both": _lt("Waiting for Contract Approval and Deposit"),
}


def production_status(contract_approved, awaiting_deposit, released_by_finance):
    """ORD-4, CRD-4: whether production and delivery may start, as a code of
    ``PRODUCTION_STATES``.

    An order starts once its contract (or the order without one) is approved
    (ORD-1/2) and its deposit is in (CRD-4); finance may release an order that
    still waits for its deposit, with a reason, never one whose contract is not
    approved: the release is of the deposit (生产部根据财务收到的定金或者收款单安排生产).
    """
    deposit_missing = bool(awaiting_deposit) and not released_by_finance
    if not contract_approved:
        return "wait_both" if deposit_missing else "wait_contract"
    if deposit_missing:
        return "wait_deposit"
    return "released" if awaiting_deposit else "ready"


def production_released(status):
    """ORD-4: production and delivery may start in this state."""
    return status in ("ready", "released")


def balance_due(event, days, deliveries):
    """ORD-5, CRD-1: the balance's due date, from the order's deliveries.

    ``deliveries`` holds, for each outgoing delivery that is not cancelled,
    ``(done, dispatched_on, received_on)``: whether it is done, the local day it
    left and the local day the customer received it (or None). The event is the
    one of the delivery that completes the order: nothing is due while a
    delivery is still open, nor, for an arrival grade, while a done delivery is
    not yet received. ``days`` are counted from that day. None when not due yet.
    """
    deliveries = list(deliveries or ())
    if not deliveries or not all(done for done, _sent, _received in deliveries):
        return None
    if event == "dispatch":
        days_of_event = [sent for _done, sent, _received in deliveries]
    elif event == "arrival":
        days_of_event = [received for _done, _sent, received in deliveries]
    else:
        raise ValueError(f"ORD-5: unknown due event {event!r}")
    if any(day is None for day in days_of_event):
        return None
    return balance_due_date(max(days_of_event), days)


def is_overdue(due_date, today, residual, rounding=0.01):
    """ORD-5/6: a balance is overdue the day after its due date while unpaid."""
    return bool(due_date) and today > due_date and (residual or 0.0) > rounding / 2


def days_late(due_date, today):
    """ORD-6: whole days past the due date (0 on it or before)."""
    if not due_date:
        return 0
    return max(0, (today - due_date).days)


def collection_reminder_due(due_date, today, last_reminded, every_days):
    """ORD-6: whether the salesperson gets a to-do to collect today.

    On the due date and every ``every_days`` after it: the latest of those days
    that is not after ``today`` is owed a reminder unless one was given on or
    after it (a missed run catches up once, not once per missed day).
    """
    if not due_date or today < due_date:
        return False
    every = max(1, int(every_days or DEFAULT_COLLECTION_REMINDER_DAYS))
    latest = due_date + timedelta(days=((today - due_date).days // every) * every)
    return last_reminded is None or last_reminded < latest
