"""ORD-6: the monthly collection plan and the month's collections (SPEC ORD-6).

A salesperson plans, for a month, which of their invoices they will collect,
how much and by when (业务员应收账款回收计划表); the month's report
(本月应收账款回收月报表) sets what was received against it. Money received is
the payments' own (bank or cash), never a credit note; the figures come from
the records, these functions only decide with them.
"""

from datetime import date, timedelta

#: ORD-6: amounts closer to zero than this are nil (the cent of the company currency)
_EPSILON = 0.005


def month_start(day):
    """ORD-6: the first day of the month of ``day`` (a plan's month is always one)."""
    return day.replace(day=1)


def next_month_start(day):
    """The first day of the month after the month of ``day``."""
    start = month_start(day)
    return (start + timedelta(days=32)).replace(day=1)


def month_bounds(day):
    """The month of ``day`` as ``(first day, first day of the next month)``: the
    start included, the end excluded."""
    return month_start(day), next_month_start(day)


def month_last_day(day):
    """The last day of the month of ``day``."""
    return next_month_start(day) - timedelta(days=1)


def in_month(day, month):
    """ORD-6: whether ``day`` falls in the month of ``month``."""
    if not day or not month:
        return False
    start, end = month_bounds(month)
    return start <= day < end


def clamp_to_month(day, month):
    """ORD-6: ``day`` moved into the month of ``month``: a day before it becomes
    its first day, a day after it its last day; no day at all, its last day."""
    start = month_start(month)
    last = month_last_day(month)
    if not day:
        return last
    return min(max(day, start), last)


def month_label(month):
    """A month as its plans and reports name it: ``2026-03``."""
    return f"{month.year:04d}-{month.month:02d}" if isinstance(month, date) else ""


def is_plannable(invoice_date, due_date, residual_at_start, month):
    """ORD-6: whether an invoice belongs in a plan of ``month``: it was open at the
    start of the month (issued before it, with a residual left on its first day),
    or it falls due in the month."""
    start = month_start(month)
    if in_month(due_date, month):
        return True
    return bool(invoice_date and invoice_date < start and (residual_at_start or 0.0) > _EPSILON)


def planned_amount_error(planned, invoice_total):
    """ORD-6: ``None`` when ``planned`` is a valid amount to collect on an invoice
    of ``invoice_total``; ``"not_positive"`` or ``"above_total"`` otherwise."""
    planned = planned or 0.0
    if planned <= _EPSILON:
        return "not_positive"
    if planned > (invoice_total or 0.0) + _EPSILON:
        return "above_total"
    return None


def split_collected(collected_by_invoice, planned_invoice_ids):
    """ORD-6: a salesperson's month collections ``{invoice id: amount}`` split into
    ``(received on planned invoices, received outside the plan)``."""
    planned = set(planned_invoice_ids)
    in_plan = sum(amount for inv, amount in collected_by_invoice.items() if inv in planned)
    outside = sum(amount for inv, amount in collected_by_invoice.items() if inv not in planned)
    return in_plan, outside


def difference(planned, received):
    """ORD-6: what is still to collect against the plan (planned − received);
    below zero, more came in than was planned."""
    return (planned or 0.0) - (received or 0.0)
