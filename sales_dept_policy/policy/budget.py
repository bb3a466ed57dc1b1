"""BUD: the sales expense budget and what consumes it (SPEC BUD-1..3).

A salesperson's yearly budget is split by month and by kind (travel,
entertainment, other). Approved trips and approved claims consume it: a trip
commits its estimate against the month of its departure when it is approved;
the claims approved then replace the committed amount with what was actually
spent. A trip or claim that would take the month over its budget needs the
general manager as well; without a budget for the month, a setting says what
happens (block, ask the general manager, allow).

Plain values in, plain values out: amounts are numbers in company currency,
months are the ``date`` of their first day, datetimes are naive UTC (as the
database keeps them) with the time zone of the person they belong to.
"""

from collections import namedtuple
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ._markers import _lt

#: BUD-1: the kinds of expense a budget is split into, with their English labels
KIND_LABELS = (
    ("travel", "Travel"),
    ("entertainment", "Entertainment"),
    ("other", "Other"),
)
KINDS = tuple(code for code, _label in KIND_LABELS)

#: BUD-2: what happens to a trip or claim of a month without a budget (configurable)
MISSING_POLICIES = ("block", "gm", "allow")
DEFAULT_MISSING_POLICY = "gm"

#: BUD-3: the expense is shown per this amount of signed sales (元/万元)
SALES_UNIT = 10000.0

#: amounts closer to zero than this are nil (the cent of the company currency)
_EPSILON = 0.005

Check = namedtuple("Check", "status budget consumed amount remaining overrun")
Check.__doc__ = """What approving a trip or claim does to its month's budget (BUD-2).

``status``: a code of :data:`STATUSES`; ``budget``: the month's budget of the kind
(``None`` without one); ``consumed``: what is committed and spent already;
``amount``: what the approval adds; ``remaining``: the budget left before it
(``None`` without a budget); ``overrun``: how far past the budget it would go.
"""

#: the statuses of a :class:`Check`, with the English sentence the models translate
STATUSES = {
    "within": _lt("Within the month's budget."),
    "over": _lt("Over the month's budget: the general manager approves as well."),
    "no_budget_gm": _lt("No budget for the month: the general manager approves as well."),
    "no_budget_block": _lt("No budget for the month: it cannot be approved."),
    "no_budget_allow": _lt("No budget for the month: allowed by the settings."),
}


def month_start(day):
    """The first day of the month of ``day``."""
    return day.replace(day=1)


def next_month_start(day):
    """The first day of the month after the month of ``day``."""
    return (month_start(day) + timedelta(days=32)).replace(day=1)


def local_month(value, tz_name=None):
    """BUD-2: the month (its first day) a trip or claim consumes.

    ``value``: a ``date`` (a claim's date, already a local day), or a naive UTC
    ``datetime`` (a departure) read in ``tz_name`` (the traveller's time zone, UTC
    without one): 16:30 UTC on 31 January is 1 February in Shanghai."""
    if value is None or value is False:
        return None
    if isinstance(value, datetime):
        zone = ZoneInfo(tz_name or "UTC")
        value = value.replace(tzinfo=timezone.utc).astimezone(zone).date()
    return month_start(value)


def year_months(year):
    """BUD-1: the twelve months of ``year`` (their first days)."""
    return [date(year, month, 1) for month in range(1, 13)]


def trip_committed(approved, estimate, approved_actual, approved_lines, pending_lines):
    """BUD-2: what a trip still commits against its month.

    Nothing until it is approved (a submitted, rejected or cancelled trip commits
    nothing). Approved: its estimate less what its approved claims already spent,
    never below zero, until its claim is settled (at least one line approved and
    none left to decide); then nothing, the actual having replaced it.
    ``approved_lines`` / ``pending_lines``: how many claim lines are approved /
    still draft or submitted (refused lines count in neither)."""
    if not approved:
        return 0.0
    if approved_lines and not pending_lines:
        return 0.0
    return max((estimate or 0.0) - (approved_actual or 0.0), 0.0)


def trip_claim_increase(estimate, approved_actual, approved_lines, pending_lines, amount):
    """BUD-2: how much approving one pending claim line of ``amount`` on an approved
    trip adds to its month's consumption (committed + actual); below zero when it
    settles the claim under the estimate and so releases the rest of it.
    ``pending_lines`` counts this line."""
    before = (
        trip_committed(True, estimate, approved_actual, approved_lines, pending_lines)
        + approved_actual
    )
    actual = approved_actual + amount
    after = (
        trip_committed(True, estimate, actual, approved_lines + 1, max(pending_lines - 1, 0))
        + actual
    )
    return after - before


def remaining(budget, committed, actual):
    """BUD-1..3: the budget left: budget − committed − actual (below zero: overrun)."""
    return (budget or 0.0) - (committed or 0.0) - (actual or 0.0)


def missing_policy(value):
    """BUD-2: the no-budget setting, the default when it is not a known one."""
    return value if value in MISSING_POLICIES else DEFAULT_MISSING_POLICY


def check(amount, budget, consumed, policy=DEFAULT_MISSING_POLICY):
    """BUD-2: what approving ``amount`` does to a month whose budget of the kind is
    ``budget`` (``None``: there is none) with ``consumed`` already committed and
    spent. Nothing added (``amount`` ≤ 0) is always within."""
    amount = amount or 0.0
    consumed = consumed or 0.0
    if budget is None:
        if amount <= _EPSILON:
            return Check("within", None, consumed, amount, None, 0.0)
        status = "no_budget_" + missing_policy(policy)
        return Check(status, None, consumed, amount, None, amount)
    left = budget - consumed
    over = amount - max(left, 0.0)
    if amount <= _EPSILON or over <= _EPSILON:
        return Check("within", budget, consumed, amount, left, 0.0)
    return Check("over", budget, consumed, amount, left, over)


def needs_general_manager(status):
    """BUD-2: whether the general manager approves as well."""
    return status in ("over", "no_budget_gm")


def blocked(status):
    """BUD-2: whether it cannot be approved at all (no budget, setting 'block')."""
    return status == "no_budget_block"


def expense_per_sales_unit(expense, signed, unit=SALES_UNIT):
    """BUD-3: the expense per ``unit`` (10,000) of signed sales, ``None`` without
    signed sales."""
    if not signed or signed <= _EPSILON:
        return None
    return (expense or 0.0) * unit / signed


def revisable(month, today):
    """BUD-1: a revision changes the months not over yet (this month and later)."""
    return bool(month) and month >= month_start(today)
