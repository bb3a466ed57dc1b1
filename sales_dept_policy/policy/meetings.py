"""MTG: sales meetings, their agenda and the monthly plans and summaries (SPEC MTG-1..4).

Plain values in, plain values out: dates are ``datetime.date``, amounts floats,
people ``(id, name)`` pairs. The models read the records and show what these
functions decide; the sentences behind the codes are translated by the models.
"""

from datetime import date, timedelta

from . import targets as qta
from ._markers import _lt

#: MTG-1: the kinds of meeting, with their English labels (Odoo translates them)
KIND_LABELS = (
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("annual", "Annual"),
)
KINDS = tuple(kind for kind, _label in KIND_LABELS)
#: MTG-2: the meetings whose agenda is sent ahead by the scheduled job
AGENDA_KINDS = ("quarterly", "annual")

#: MTG-1: a quarterly meeting is held on this day of the month after the quarter
QUARTERLY_MEETING_DAY = 15
#: MTG-2: the agenda reaches the attendees this many days before (configurable)
DEFAULT_AGENDA_DAYS = 15
#: MTG-1: the hour a meeting starts, local time, and how long it lasts (configurable)
DEFAULT_MEETING_HOUR = 9.0
DEFAULT_MEETING_DURATION = 2.0
#: MTG-3: reminders to file the plan in the last, the summary in the first
#: working days of the month (configurable)
DEFAULT_PLAN_REMINDER_DAYS = 3
DEFAULT_SUMMARY_REMINDER_DAYS = 3
#: MTG-3: the working days of the reminders (Monday to Friday)
WORKING_WEEKDAYS = (0, 1, 2, 3, 4)

#: MTG-3, MTG-4: why a report cannot be submitted or a meeting closed, with the
#: English sentence the models translate when shown
ERRORS = {
    "no_main_activities": _lt("Write the month's main activities (MTG-3)."),
    "no_key_customers": _lt("List the key customers of the month (MTG-3)."),
    "no_went_well": _lt("Write what went well in the month (MTG-3)."),
    "no_went_wrong": _lt("Write what did not go well in the month (MTG-3)."),
    "no_next_steps": _lt("Write the next steps (MTG-3)."),
    "no_minutes": _lt("Write the minutes of the meeting (MTG-4)."),
    "decision_no_owner": _lt("Each decision needs an owner (MTG-4)."),
    "decision_no_deadline": _lt("Each decision needs a deadline (MTG-4)."),
    "decision_no_name": _lt("Each decision needs a description (MTG-4)."),
}


# ----------------------------------------------------------------------
# Months and quarters
# ----------------------------------------------------------------------
def month_start(day):
    """The first day of the month of ``day``."""
    return day.replace(day=1)


def add_months(day, months):
    """The first day of the month ``months`` after (or before) the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter_of(day):
    """MTG-1: ``(year, quarter)`` of ``day``, quarters numbered 1 to 4."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year, quarter):
    """The quarter as ``(first day, first day of the next quarter)``."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"MTG-1: no quarter {quarter!r}")
    start = date(year, 3 * (quarter - 1) + 1, 1)
    return start, add_months(start, 3)


def quarterly_meeting_date(year, quarter):
    """MTG-1: the quarterly meeting of a quarter is on the 15th of the month after
    the quarter ends (Q4's in January of the next year)."""
    _start, end = quarter_bounds(year, quarter)
    return end.replace(day=QUARTERLY_MEETING_DAY)


def next_quarterly_meeting(today):
    """MTG-1: the first quarterly meeting day on or after ``today``: the one of the
    quarter that just ended while its day is still ahead, else the next one's."""
    year, quarter = quarter_of(today)
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    meeting = quarterly_meeting_date(*previous)
    if meeting >= today:
        return meeting
    return quarterly_meeting_date(year, quarter)


def default_meeting_date(kind, today):
    """MTG-1: the day a new meeting is proposed on: the quarterly one's is fixed by
    the policy; the monthly and annual ones' the manager chooses (``None``)."""
    if kind == "quarterly":
        return next_quarterly_meeting(today)
    return None


def reviewed_period(kind, meeting_date):
    """MTG-2: the period a meeting reviews, as ``(first day, first day after)``.

    Monthly: the month before the meeting's (the summaries filed in its first
    working days). Quarterly: the last quarter ended before the meeting (Q4 for
    the meeting of 15 January). Annual: the year before when the meeting is held
    in the first half of a year, else the meeting's own year (a year-end meeting).
    """
    if not meeting_date:
        return None
    if kind == "monthly":
        end = month_start(meeting_date)
        return add_months(end, -1), end
    if kind == "quarterly":
        year, quarter = quarter_of(quarter_bounds(*quarter_of(meeting_date))[0] - timedelta(days=1))
        return quarter_bounds(year, quarter)
    if kind == "annual":
        year = meeting_date.year - 1 if meeting_date.month <= 6 else meeting_date.year
        return date(year, 1, 1), date(year + 1, 1, 1)
    raise ValueError(f"MTG-1: no meeting kind {kind!r}")


def period_label(kind, start):
    """A reviewed period as the agenda names it: ``2026-03``, ``2026 Q1``, ``2026``."""
    if not start:
        return ""
    if kind == "monthly":
        return f"{start.year:04d}-{start.month:02d}"
    if kind == "quarterly":
        return f"{start.year:04d} Q{quarter_of(start)[1]}"
    return f"{start.year:04d}"


# ----------------------------------------------------------------------
# MTG-2: when the agenda goes out
# ----------------------------------------------------------------------
def agenda_due_day(meeting_date, days=DEFAULT_AGENDA_DAYS):
    """MTG-2: the day the agenda is due: ``days`` before the meeting."""
    return meeting_date - timedelta(days=days)


def agenda_due(meeting_date, today, days=DEFAULT_AGENDA_DAYS):
    """MTG-2: whether the agenda of a meeting on ``meeting_date`` is to be sent on
    ``today``: from its due day until the meeting itself (a meeting planned later
    than its due day gets it on the next run; a past meeting none)."""
    if not meeting_date or not today:
        return False
    return agenda_due_day(meeting_date, days) <= today <= meeting_date


# ----------------------------------------------------------------------
# MTG-3: the working days of the reminders
# ----------------------------------------------------------------------
def working_days(month, weekdays=WORKING_WEEKDAYS):
    """MTG-3: the working days (Monday to Friday) of the month of ``month``."""
    day = month_start(month)
    end = add_months(day, 1)
    days = []
    while day < end:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def plan_reminder(today, days=DEFAULT_PLAN_REMINDER_DAYS):
    """MTG-3: ``(month, deadline)`` when ``today`` is one of the last ``days``
    working days of its month: next month's plan is due by the month's last
    working day. ``None`` on the other days (and when ``days`` is 0)."""
    if days <= 0:
        return None
    window = working_days(today)[-days:]
    if today not in window:
        return None
    return add_months(today, 1), window[-1]


def summary_reminder(today, days=DEFAULT_SUMMARY_REMINDER_DAYS):
    """MTG-3: ``(month, deadline)`` when ``today`` is one of the first ``days``
    working days of its month: last month's summary is due by the last of them.
    ``None`` on the other days (and when ``days`` is 0)."""
    if days <= 0:
        return None
    window = working_days(today)[:days]
    if today not in window:
        return None
    return add_months(today, -1), window[-1]


# ----------------------------------------------------------------------
# MTG-2, MTG-3: the figures, shaped
# ----------------------------------------------------------------------
def figure_row(signed, collected, target, thresholds=qta.DEFAULT_THRESHOLDS):
    """MTG-2, MTG-3: a salesperson's or the company's figures of a period: signed,
    collected, target, attainment (signed / target, ``None`` without a target) and
    the rating of that attainment (QTA-5)."""
    signed, collected, target = signed or 0.0, collected or 0.0, target or 0.0
    ratio = qta.attainment(signed, target)
    return {
        "signed": signed,
        "collected": collected,
        "target": target,
        "attainment": ratio,
        "rating": qta.rating(ratio, thresholds),
    }


def figure_rows(users, signed, collected, targets, thresholds=qta.DEFAULT_THRESHOLDS):
    """MTG-2: the agenda's figures: one row per salesperson, by name, and the
    company's total row.

    ``users``: ``(id, name)`` of the salespeople to show; ``signed``,
    ``collected``, ``targets``: ``{user id: amount}`` of the period (anyone in
    them is shown too, named by id when not in ``users``). A salesperson with no
    figure at all (nothing signed, collected or targeted) is left out. Returns
    ``(rows, total)``; each row is ``figure_row`` with ``user_id`` and ``name``.
    """
    names = dict(users)
    ids = set(names) | set(signed) | set(collected) | set(targets)
    rows = []
    for user_id in ids:
        row = figure_row(
            signed.get(user_id), collected.get(user_id), targets.get(user_id), thresholds
        )
        if not (row["signed"] or row["collected"] or row["target"]):
            continue
        rows.append({"user_id": user_id, "name": names.get(user_id) or str(user_id), **row})
    rows.sort(key=lambda row: (row["name"], row["user_id"]))
    total = figure_row(
        sum(r["signed"] for r in rows),
        sum(r["collected"] for r in rows),
        sum(r["target"] for r in rows),
        thresholds,
    )
    return rows, total


def target_rows(users, amounts):
    """MTG-2: next year's approved targets per salesperson, by name, and their
    total (the company's responsibility amount, QTA-2): ``(rows, total)``."""
    names = dict(users)
    rows = [
        {"user_id": user_id, "name": names.get(user_id) or str(user_id), "amount": amount}
        for user_id, amount in amounts.items()
        if amount
    ]
    rows.sort(key=lambda row: (row["name"], row["user_id"]))
    return rows, sum(row["amount"] for row in rows)


# ----------------------------------------------------------------------
# MTG-3, MTG-4: completeness
# ----------------------------------------------------------------------
def _blank(text):
    return not (text or "").strip()


def report_submit_errors(
    kind, main_activities="", line_count=0, went_well="", went_wrong="", next_steps=""
):
    """MTG-3: what a monthly plan or summary lacks before it is submitted, as codes
    of ``ERRORS`` (empty: complete). Texts are plain text (HTML already stripped)."""
    if kind == "plan":
        errors = []
        if not line_count:
            errors.append("no_key_customers")
        if _blank(main_activities):
            errors.append("no_main_activities")
        return errors
    if kind == "summary":
        return [
            code
            for code, text in (
                ("no_went_well", went_well),
                ("no_went_wrong", went_wrong),
                ("no_next_steps", next_steps),
            )
            if _blank(text)
        ]
    raise ValueError(f"MTG-3: no report kind {kind!r}")


def close_errors(minutes, decisions):
    """MTG-4: what a meeting lacks before it is closed, as codes of ``ERRORS``.

    ``minutes``: their plain text; ``decisions``: ``(name, owner id, deadline)``
    of each decision. A meeting may end without decisions, never without minutes.
    """
    errors = []
    if _blank(minutes):
        errors.append("no_minutes")
    if any(_blank(name) for name, _owner, _deadline in decisions):
        errors.append("decision_no_name")
    if any(not owner for _name, owner, _deadline in decisions):
        errors.append("decision_no_owner")
    if any(not deadline for _name, _owner, deadline in decisions):
        errors.append("decision_no_deadline")
    return errors
