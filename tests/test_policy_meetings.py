"""MTG-1..4 rules of policy/meetings.py (meetings, agenda, monthly reports), without Odoo."""

from datetime import date

import pytest

from policy import meetings as mtg


# ----------------------------------------------------------------------
# MTG-1: quarters and the quarterly meeting day
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2027, 1, 1), (2027, 1)),
        (date(2027, 3, 31), (2027, 1)),
        (date(2027, 4, 1), (2027, 2)),
        (date(2027, 9, 30), (2027, 3)),
        (date(2027, 12, 31), (2027, 4)),
    ],
)
def test_mtg1_quarter_of(day, quarter):
    assert mtg.quarter_of(day) == quarter


def test_mtg1_quarter_bounds_and_meeting_day():
    assert mtg.quarter_bounds(2027, 1) == (date(2027, 1, 1), date(2027, 4, 1))
    assert mtg.quarter_bounds(2027, 4) == (date(2027, 10, 1), date(2028, 1, 1))
    assert mtg.quarterly_meeting_date(2027, 1) == date(2027, 4, 15)
    assert mtg.quarterly_meeting_date(2027, 3) == date(2027, 10, 15)
    # Q4's meeting is in January of the next year
    assert mtg.quarterly_meeting_date(2027, 4) == date(2028, 1, 15)
    with pytest.raises(ValueError):
        mtg.quarter_bounds(2027, 5)


@pytest.mark.parametrize(
    ("today", "meeting"),
    [
        # the quarter that just ended, while its day is ahead (and on the day)
        (date(2027, 4, 1), date(2027, 4, 15)),
        (date(2027, 4, 15), date(2027, 4, 15)),
        # the day passed: the next quarter's
        (date(2027, 4, 16), date(2027, 7, 15)),
        (date(2027, 12, 2), date(2028, 1, 15)),
        (date(2028, 1, 14), date(2028, 1, 15)),
        (date(2028, 1, 16), date(2028, 4, 15)),
    ],
)
def test_mtg1_next_quarterly_meeting(today, meeting):
    assert mtg.next_quarterly_meeting(today) == meeting
    assert mtg.default_meeting_date("quarterly", today) == meeting


def test_mtg1_monthly_and_annual_dates_are_the_managers():
    assert mtg.default_meeting_date("monthly", date(2027, 4, 1)) is None
    assert mtg.default_meeting_date("annual", date(2027, 4, 1)) is None


@pytest.mark.parametrize(
    ("kind", "meeting", "period"),
    [
        ("monthly", date(2027, 3, 5), (date(2027, 2, 1), date(2027, 3, 1))),
        ("monthly", date(2027, 1, 31), (date(2026, 12, 1), date(2027, 1, 1))),
        ("quarterly", date(2027, 4, 15), (date(2027, 1, 1), date(2027, 4, 1))),
        ("quarterly", date(2028, 1, 15), (date(2027, 10, 1), date(2028, 1, 1))),
        # held before its quarter ends: the quarter before that, which is complete
        ("quarterly", date(2027, 12, 28), (date(2027, 7, 1), date(2027, 10, 1))),
        ("annual", date(2028, 1, 20), (date(2027, 1, 1), date(2028, 1, 1))),
        ("annual", date(2028, 6, 30), (date(2027, 1, 1), date(2028, 1, 1))),
        ("annual", date(2027, 12, 20), (date(2027, 1, 1), date(2028, 1, 1))),
    ],
)
def test_mtg2_reviewed_period(kind, meeting, period):
    assert mtg.reviewed_period(kind, meeting) == period


def test_mtg2_period_label():
    assert mtg.period_label("monthly", date(2027, 3, 1)) == "2027-03"
    assert mtg.period_label("quarterly", date(2027, 10, 1)) == "2027 Q4"
    assert mtg.period_label("annual", date(2027, 1, 1)) == "2027"
    assert mtg.period_label("annual", None) == ""
    assert mtg.reviewed_period("monthly", None) is None
    with pytest.raises(ValueError):
        mtg.reviewed_period("weekly", date(2027, 1, 1))


# ----------------------------------------------------------------------
# MTG-2: the agenda 15 days ahead
# ----------------------------------------------------------------------
def test_mtg2_agenda_due_at_15_days_not_16():
    meeting = date(2027, 4, 15)
    assert mtg.agenda_due_day(meeting) == date(2027, 3, 31)
    assert not mtg.agenda_due(meeting, date(2027, 3, 30))  # 16 days before
    assert mtg.agenda_due(meeting, date(2027, 3, 31))  # 15 days before
    # a meeting planned later than its due day: on the next run
    assert mtg.agenda_due(meeting, date(2027, 4, 10))
    assert mtg.agenda_due(meeting, meeting)
    # a meeting that took place gets none
    assert not mtg.agenda_due(meeting, date(2027, 4, 16))
    assert not mtg.agenda_due(None, date(2027, 4, 16))


def test_mtg2_agenda_days_configurable():
    meeting = date(2027, 4, 15)
    assert not mtg.agenda_due(meeting, date(2027, 4, 4), days=10)
    assert mtg.agenda_due(meeting, date(2027, 4, 5), days=10)


# ----------------------------------------------------------------------
# MTG-3: reminders in the working days
# ----------------------------------------------------------------------
def test_mtg3_working_days_monday_to_friday():
    days = mtg.working_days(date(2027, 3, 17))
    # March 2027: the 1st is a Monday, the 31st a Wednesday: 23 working days
    assert len(days) == 23
    assert days[0] == date(2027, 3, 1) and days[-1] == date(2027, 3, 31)
    assert date(2027, 3, 6) not in days  # a Saturday
    assert date(2027, 3, 7) not in days  # a Sunday


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # the last 3 working days of April 2027: Wed 28, Thu 29, Fri 30
        (date(2027, 4, 27), None),
        (date(2027, 4, 28), (date(2027, 5, 1), date(2027, 4, 30))),
        (date(2027, 4, 30), (date(2027, 5, 1), date(2027, 4, 30))),
        # July 2027 ends on a Saturday: Wed 28, Thu 29, Fri 30; the 31st is no day
        (date(2027, 7, 27), None),
        (date(2027, 7, 28), (date(2027, 8, 1), date(2027, 7, 30))),
        (date(2027, 7, 31), None),
        # December: next year's January
        (date(2027, 12, 31), (date(2028, 1, 1), date(2027, 12, 31))),
    ],
)
def test_mtg3_plan_reminder_last_working_days(today, expected):
    assert mtg.plan_reminder(today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # May 2027: Sat 1, Sun 2; the first 3 working days are Mon 3, Tue 4, Wed 5
        (date(2027, 5, 1), None),
        (date(2027, 5, 3), (date(2027, 4, 1), date(2027, 5, 5))),
        (date(2027, 5, 5), (date(2027, 4, 1), date(2027, 5, 5))),
        (date(2027, 5, 6), None),
        # January: last year's December
        (date(2027, 1, 1), (date(2026, 12, 1), date(2027, 1, 5))),
    ],
)
def test_mtg3_summary_reminder_first_working_days(today, expected):
    assert mtg.summary_reminder(today) == expected


def test_mtg3_reminder_days_configurable():
    # one day: only the last (first) working day
    assert mtg.plan_reminder(date(2027, 4, 29), days=1) is None
    assert mtg.plan_reminder(date(2027, 4, 30), days=1) == (date(2027, 5, 1), date(2027, 4, 30))
    assert mtg.summary_reminder(date(2027, 5, 4), days=1) is None
    assert mtg.summary_reminder(date(2027, 5, 3), days=1) == (date(2027, 4, 1), date(2027, 5, 3))
    # five days: from Monday 26 April
    assert mtg.plan_reminder(date(2027, 4, 26), days=5)
    assert not mtg.plan_reminder(date(2027, 4, 23), days=5)
    # off
    assert mtg.plan_reminder(date(2027, 4, 30), days=0) is None
    assert mtg.summary_reminder(date(2027, 5, 3), days=0) is None


# ----------------------------------------------------------------------
# MTG-2: the figures
# ----------------------------------------------------------------------
def test_mtg2_figure_row_attainment_and_rating():
    row = mtg.figure_row(120.0, 50.0, 100.0)
    assert row == {
        "signed": 120.0,
        "collected": 50.0,
        "target": 100.0,
        "attainment": 1.2,
        "rating": "S",
    }
    assert mtg.figure_row(79.99, 0, 100.0)["rating"] == "C"
    assert mtg.figure_row(80.0, 0, 100.0)["rating"] == "B"
    no_target = mtg.figure_row(500.0, None, None)
    assert no_target["attainment"] is None and no_target["rating"] is False
    # thresholds as the Settings say
    assert mtg.figure_row(90.0, 0, 100.0, (("S", 1.5), ("A", 1.1), ("B", 0.9)))["rating"] == "B"


def test_mtg2_figure_rows_per_salesperson_and_total():
    users = [(1, "Zhang Min"), (2, "Li Wei"), (3, "Nobody Sold")]
    rows, total = mtg.figure_rows(
        users,
        signed={1: 300.0, 2: 100.0, 7: 50.0},
        collected={2: 80.0},
        targets={1: 200.0, 2: 100.0},
    )
    # by name; the one with no figure left out; one not in users shown by id
    assert [r["user_id"] for r in rows] == [7, 2, 1]
    assert rows[0]["name"] == "7"
    assert rows[1] == {
        "user_id": 2,
        "name": "Li Wei",
        "signed": 100.0,
        "collected": 80.0,
        "target": 100.0,
        "attainment": 1.0,
        "rating": "A",
    }
    assert rows[2]["attainment"] == 1.5
    assert total["signed"] == 450.0
    assert total["collected"] == 80.0
    assert total["target"] == 300.0
    assert total["attainment"] == 1.5
    assert mtg.figure_rows([], {}, {}, {}) == ([], mtg.figure_row(0, 0, 0))


def test_mtg2_next_year_target_rows():
    rows, total = mtg.target_rows([(1, "Zhang Min"), (2, "Li Wei")], {1: 1200.0, 2: 800.0, 3: 0})
    assert [(r["name"], r["amount"]) for r in rows] == [("Li Wei", 800.0), ("Zhang Min", 1200.0)]
    assert total == 2000.0


# ----------------------------------------------------------------------
# MTG-3, MTG-4: completeness
# ----------------------------------------------------------------------
def test_mtg3_plan_needs_customers_and_activities():
    assert mtg.report_submit_errors("plan") == ["no_key_customers", "no_main_activities"]
    assert mtg.report_submit_errors("plan", main_activities="  ", line_count=2) == [
        "no_main_activities"
    ]
    assert mtg.report_submit_errors("plan", main_activities="Visit Hengda", line_count=1) == []


def test_mtg3_summary_needs_the_three_texts():
    assert mtg.report_submit_errors("summary") == ["no_went_well", "no_went_wrong", "no_next_steps"]
    assert mtg.report_submit_errors(
        "summary", went_well="Hengda signed", went_wrong="\n", next_steps="Call Jinshi"
    ) == ["no_went_wrong"]
    assert mtg.report_submit_errors("summary", went_well="a", went_wrong="b", next_steps="c") == []
    with pytest.raises(ValueError):
        mtg.report_submit_errors("weekly")


def test_mtg4_close_needs_minutes_and_complete_decisions():
    assert mtg.close_errors("", []) == ["no_minutes"]
    assert mtg.close_errors("Discussed Q1", []) == []
    deadline = date(2027, 4, 30)
    assert mtg.close_errors("Discussed Q1", [("Call Jinshi", 5, deadline)]) == []
    assert mtg.close_errors("Discussed Q1", [("Call Jinshi", None, deadline)]) == [
        "decision_no_owner"
    ]
    assert mtg.close_errors("Discussed Q1", [("Call Jinshi", 5, None)]) == ["decision_no_deadline"]
    assert mtg.close_errors(" ", [(" ", False, False)]) == [
        "no_minutes",
        "decision_no_name",
        "decision_no_owner",
        "decision_no_deadline",
    ]
    for code in ("no_minutes", "decision_no_owner", "no_key_customers", "no_next_steps"):
        assert "MTG-" in mtg.ERRORS[code]
