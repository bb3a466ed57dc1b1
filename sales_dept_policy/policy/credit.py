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
