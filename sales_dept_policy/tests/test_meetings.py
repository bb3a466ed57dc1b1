# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from ..models.sales_meeting import SalesMeeting
from .common_management import ManagementCase

APR15 = date(2027, 4, 15)
Q1 = (date(2027, 1, 1), date(2027, 4, 1))


@tagged("post_install", "-at_install")
class TestMeetings(ManagementCase):
    """MTG-1, MTG-2, MTG-4: meetings in the calendars, the agenda 15 days ahead with
    the figures of the records, decisions that become to-dos; MTG-3: the monthly
    meeting's view of the department."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Meeting = cls.env["sales.meeting"]
        cls.Decision = cls.env["sales.meeting.decision"]
        cls.todo = cls.env.ref("sales_dept_policy.mail_activity_type_meeting_decision")
        cls.reader.name = "SDP Archive Reader"

    def _meeting(self, kind="quarterly", user=None, **vals):
        return self.Meeting.with_user(user or self.manager).create({"kind": kind, **vals})

    def _notifications(self, meeting):
        return self.env["mail.message"].search(
            [
                ("model", "=", "sales.meeting"),
                ("res_id", "=", meeting.id),
                ("message_type", "=", "user_notification"),
            ]
        )

    def _held(self, meeting, decisions=()):
        meeting.with_user(self.manager).write(
            {
                "minutes": "<p>Reviewed the month.</p>",
                "decision_ids": [
                    Command.create({"name": name, "user_id": owner.id, "date_deadline": deadline})
                    for name, owner, deadline in decisions
                ],
            }
        )
        meeting.with_user(self.manager).action_close()
        self.assertEqual(meeting.state, "held")
        return meeting

    # ------------------------------------------------------------------
    # MTG-1: the day, the attendees, the calendar event
    # ------------------------------------------------------------------
    @freeze_time("2027-02-10 04:00:00")
    def test_mtg1_quarterly_on_the_15th_after_the_quarter_in_the_calendar(self):
        meeting = self._meeting()
        self.assertEqual(meeting.date, APR15)
        self.assertEqual((meeting.period_start, meeting.period_end), Q1)
        self.assertIn("2027 Q1", meeting.name)
        self.assertEqual(meeting.agenda_due_date, date(2027, 3, 31))
        event = meeting.calendar_event_id
        self.assertTrue(event)
        self.assertEqual(event.name, meeting.name)
        # 09:00 in Shanghai
        self.assertEqual(event.start, datetime(2027, 4, 15, 1, 0))
        self.assertEqual(event.stop, datetime(2027, 4, 15, 3, 0))
        self.assertEqual(event.user_id, self.manager)
        self.assertEqual(event.partner_ids, meeting.attendee_ids.partner_id)
        self.assertEqual((event.res_model, event.res_id), ("sales.meeting", meeting.id))
        self.assertFalse(meeting.activity_ids, "the event is no 'meeting' to-do on the meeting")
        # the attendees see it in their calendar
        self.assertIn(
            event,
            self.env["calendar.event"]
            .with_user(self.salesperson)
            .search([("partner_ids", "in", self.salesperson.partner_id.id)]),
        )
        # kept in step: the day, the time, the attendees
        meeting.with_user(self.manager).write({"date": "2027-04-16", "start_hour": 14.5})
        self.assertEqual(event.start, datetime(2027, 4, 16, 6, 30))
        meeting.with_user(self.manager).attendee_ids = [Command.unlink(self.salesperson.id)]
        self.assertNotIn(self.salesperson.partner_id, event.partner_ids)
        self.assertEqual(event.partner_ids, meeting.attendee_ids.partner_id)
        # a cancelled meeting leaves the calendars; planned again, it is back
        meeting.with_user(self.manager).action_cancel()
        self.assertFalse(event.active)
        meeting.with_user(self.manager).action_replan()
        self.assertTrue(event.active)
        self.assertEqual(meeting.calendar_event_id, event)

    @freeze_time("2027-02-10 04:00:00")
    def test_mtg1_monthly_and_annual_days_are_the_managers(self):
        with self.assertRaises(ValidationError) as caught:
            self._meeting("monthly")
        self.assertIn("MTG-1", str(caught.exception))
        with self.assertRaises(ValidationError):
            self._meeting("annual")
        monthly = self._meeting("monthly", date="2027-03-05")
        self.assertEqual(
            (monthly.period_start, monthly.period_end),
            (date(2027, 2, 1), Q1[1] - relativedelta(months=1)),
        )
        annual = self._meeting("annual", date="2028-01-20")
        self.assertEqual(
            (annual.period_start, annual.period_end), (date(2027, 1, 1), date(2028, 1, 1))
        )
        # a quarterly meeting's day may be moved by the manager
        moved = self._meeting(date="2027-04-20")
        self.assertEqual(moved.date, date(2027, 4, 20))
        self.assertEqual((moved.period_start, moved.period_end), Q1)

    @freeze_time("2027-02-10 04:00:00")
    def test_mtg2_agenda_budget_used_is_the_expense_report(self):
        """MTG-2 (budget used), BUD-3: a quarterly agenda carries each salesperson's
        approved budget of the quarter with what is committed and spent, equal to the
        personal expense report, and the company's total."""
        sp = self.salesperson
        budget = (
            self.env["sales.expense.budget"]
            .with_user(self.manager)
            .create({"user_id": sp.id, "year": 2027})
        )
        for kind, amount in {"travel": 1000.0, "entertainment": 500.0, "other": 200.0}.items():
            budget.line_ids.filtered(lambda ln, k=kind: ln.kind == k).with_user(self.manager).write(
                {"amount": amount}
            )
        budget.with_user(self.manager).action_submit()
        budget.with_user(self.gm).action_approve()
        with freeze_time("2027-02-10 04:00:00"):
            meeting = self._meeting()
        section = meeting._agenda_data()["budget"]
        rows = {row["user_id"]: row for row in section["rows"]}
        self.assertEqual(set(rows), {sp.id}, "only who has a budget or expenses")
        self.assertEqual(rows[sp.id]["budget"], 3 * 1700.0)
        report = self.env["sales.expense.report"]._read_group(
            [("user_id", "=", sp.id), ("date", ">=", Q1[0]), ("date", "<", Q1[1])],
            [],
            ["budget:sum", "committed:sum", "actual:sum", "remaining:sum"],
        )[0]
        row = rows[sp.id]
        self.assertEqual((row["budget"], row["committed"], row["actual"], row["remaining"]), report)
        self.assertEqual(section["total"]["budget"], 5100.0)
        self.assertEqual(section["total"]["remaining"], 5100.0)
        body = meeting.with_user(self.manager)._agenda_body(meeting._agenda_data())
        self.assertIn("Budget Used", body)
        # the monthly meeting's department list shows the reviewed month's budget
        with freeze_time("2027-02-10 04:00:00"):
            monthly = self._meeting("monthly", date=date(2027, 2, 20))
        member = monthly.member_ids.filtered(lambda m: m.user_id == sp)
        self.assertEqual(member.expense_budget, 1700.0)
        self.assertEqual(member.expense_remaining, 1700.0)

    def test_mtg1_only_managers_call_and_edit_meetings(self):
        with self.assertRaises(AccessError):
            self._meeting(user=self.salesperson)
        with self.assertRaises(AccessError):
            self.rpc(self.salesperson, "sales.meeting", "create", [{"kind": "quarterly"}])
        meeting = self._meeting()
        self.assertIn(self.salesperson, meeting.attendee_ids)
        with self.assertRaises(AccessError):
            meeting.with_user(self.salesperson).write({"agenda": "<p>Mine</p>"})
        for action in ("action_close", "action_cancel", "action_send_agenda"):
            with self.assertRaises(AccessError):
                getattr(meeting.with_user(self.salesperson), action)()
        self.assertEqual(meeting.state, "planned")
        # the general manager calls one too
        self.assertTrue(self._meeting(user=self.gm, date="2027-04-22"))

    def test_mtg1_attendees_by_role_and_the_groups_of_the_settings(self):
        monthly = self._meeting("monthly", date="2027-03-05")
        # the sales department: salespeople, their managers, the general manager
        for user in (self.salesperson, self.salesperson2, self.manager, self.gm):
            self.assertIn(user, monthly.attendee_ids)
        for user in (self.employee, self.reader, self.finance):
            self.assertNotIn(user, monthly.attendee_ids)
        quarterly = self._meeting(date="2027-04-15")
        # MTG-1's roles: the department, finance, and the other heads (archive readers)
        for user in (self.salesperson, self.manager, self.gm, self.finance, self.reader):
            self.assertIn(user, quarterly.attendee_ids)
        self.assertNotIn(self.employee, quarterly.attendee_ids)
        self.assertEqual(quarterly.calendar_event_id.partner_ids, quarterly.attendee_ids.partner_id)

        # Settings: only the sales managers and finance
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        self.assertIn(
            self.env.ref("sales_dept_policy.group_finance"),
            settings.sales_policy_meeting_group_ids,
        )
        settings.sales_policy_meeting_group_ids = [
            Command.set(
                [
                    self.env.ref("sales_dept_policy.group_sales_manager").id,
                    self.env.ref("sales_dept_policy.group_finance").id,
                ]
            )
        ]
        settings.execute()
        annual = self._meeting("annual", date="2028-01-20")
        for user in (self.manager, self.gm, self.finance):
            self.assertIn(user, annual.attendee_ids)
        for user in (self.salesperson, self.salesperson2, self.reader, self.employee):
            self.assertNotIn(user, annual.attendee_ids)
        # the planned meeting follows when invited again by role, its event too
        self.assertIn(self.salesperson, quarterly.attendee_ids)
        quarterly.with_user(self.manager).action_reset_attendees()
        self.assertEqual(quarterly.attendee_ids, annual.attendee_ids)
        self.assertNotIn(self.salesperson.partner_id, quarterly.calendar_event_id.partner_ids)
        # the monthly meeting stays the department's
        self.assertEqual(
            self._meeting("monthly", date="2027-04-05").attendee_ids, monthly.attendee_ids
        )

    # ------------------------------------------------------------------
    # MTG-2: the agenda, 15 days ahead, once, in each attendee's language
    # ------------------------------------------------------------------
    def test_mtg2_agenda_job_at_15_days_and_only_once(self):
        with freeze_time("2027-02-10 04:00:00"):
            meeting = self._meeting()
            monthly = self._meeting("monthly", date="2027-04-12")
        self.assertEqual(meeting.date, APR15)
        # 16 days before: not yet
        with freeze_time("2027-03-30 04:00:00"):
            self.Meeting._cron_send_agendas()
        self.assertFalse(meeting.agenda_sent_on)
        self.assertFalse(self._notifications(meeting))
        # 15 days before: to every attendee
        with freeze_time("2027-03-31 02:00:00"):
            self.Meeting._cron_send_agendas()
        self.assertEqual(meeting.agenda_sent_on, datetime(2027, 3, 31, 2, 0))
        notifications = self._notifications(meeting)
        self.assertTrue(notifications)
        self.assertEqual(notifications.partner_ids, meeting.attendee_ids.partner_id)
        self.assertEqual(notifications.author_id, self.manager.partner_id)
        self.assertTrue(
            any("Agenda sent to" in (m.body or "") for m in meeting.message_ids),
            "the meeting says who got the agenda",
        )
        # never twice: the next runs find it sent
        for day in ("2027-03-31 10:00:00", "2027-04-01 02:00:00", "2027-04-14 02:00:00"):
            with freeze_time(day):
                self.Meeting._cron_send_agendas()
        self.assertEqual(self._notifications(meeting), notifications)
        self.assertEqual(meeting.agenda_sent_on, datetime(2027, 3, 31, 2, 0))
        # a monthly meeting's agenda is the manager's affair
        self.assertFalse(monthly.agenda_sent_on)
        self.assertFalse(self._notifications(monthly))

        # a meeting called later than 15 days ahead gets it on the next run; one that
        # took place, none
        with freeze_time("2027-04-05 04:00:00"):
            late = self._meeting("annual", date="2027-04-12")
            past = self._meeting("annual", date="2027-04-02")
            self.Meeting._cron_send_agendas()
        self.assertTrue(late.agenda_sent_on)
        self.assertTrue(self._notifications(late))
        self.assertFalse(past.agenda_sent_on)
        # a sent agenda keeps the meeting (MTG-2)
        with self.assertRaises(UserError):
            late.with_user(self.manager).unlink()

    def test_mtg2_agenda_days_from_the_settings(self):
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        self.assertEqual(settings.sales_policy_agenda_days, 15)
        settings.sales_policy_agenda_days = 10
        settings.execute()
        with freeze_time("2027-02-10 04:00:00"):
            meeting = self._meeting()
        with freeze_time("2027-04-04 04:00:00"):
            self.Meeting._cron_send_agendas()
        self.assertFalse(meeting.agenda_sent_on)
        self.assertEqual(meeting.agenda_due_date, date(2027, 4, 5))
        with freeze_time("2027-04-05 04:00:00"):
            self.Meeting._cron_send_agendas()
        self.assertTrue(meeting.agenda_sent_on)

    @freeze_time("2027-03-31 04:00:00")
    def test_mtg2_agenda_in_each_attendees_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.salesperson2.lang = "zh_CN"
        self.manager.lang = "en_US"
        meeting = self._meeting(
            date="2027-04-15",
            attendee_ids=[Command.set((self.manager | self.salesperson | self.salesperson2).ids)],
            agenda="<p>Review Q1; plan the Xiamen fair</p>",
        )
        rendered = []
        original = SalesMeeting._agenda_body

        def spy(record, data, full=True):
            rendered.append(record.env.lang)
            return original(record, data, full=full)

        with patch.object(SalesMeeting, "_agenda_body", spy):
            meeting.with_user(self.manager).action_send_agenda()
        self.assertEqual(sorted(rendered), ["en_US", "zh_CN"])
        notifications = self._notifications(meeting)
        self.assertEqual(len(notifications), 2)
        chinese = notifications.filtered(lambda m: self.salesperson2.partner_id in m.partner_ids)
        self.assertEqual(chinese.partner_ids, self.salesperson2.partner_id)
        english = notifications - chinese
        self.assertEqual(english.partner_ids, (self.manager | self.salesperson).partner_id)
        for message in notifications:
            self.assertIn("Review Q1; plan the Xiamen fair", message.body)
            self.assertIn("2027 Q1", message.body)
        # the manager may send it again; the time is the last sending's
        meeting.with_user(self.manager).action_send_agenda()
        self.assertEqual(len(self._notifications(meeting)), 4)

    def test_mtg2_agenda_figures_are_the_records(self):
        sp, sp2 = self.salesperson, self.salesperson2
        target = self._approved_target(sp, 2027, 120000.0)  # 30,000 a quarter
        self._approved_target(sp2, 2027, 240000.0)
        # Q1: sp signs 5,000 + 7,000, sp2 12,000; April's and draft orders do not count
        self._confirmed_order(sp, self.customer, datetime(2027, 1, 10, 4, 0), 5000.0)
        self._confirmed_order(sp, self.customer2, datetime(2027, 3, 20, 4, 0), 7000.0)
        self._confirmed_order(sp, self.customer, datetime(2027, 4, 2, 4, 0), 900.0)
        self._confirmed_order(sp2, self.other_customer, datetime(2027, 2, 11, 4, 0), 12000.0)
        self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": sp.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 50})
                ],
            }
        )
        invoice = self._invoice(4000.0, "2026-12-20")
        self._pay(invoice, 1500.0, "2027-03-05")
        self._pay(invoice, 500.0, "2027-04-05")
        other = self._invoice(3000.0, "2027-01-20", user=sp2, partner=self.other_customer)
        self._pay(other, 3000.0, "2027-02-15")
        with freeze_time("2027-02-10 04:00:00"):
            meeting = self._meeting()
        data = meeting._agenda_data()
        self.assertEqual((data["period_start"], data["period_end"]), Q1)
        self.assertEqual(data["period_label"], "2027 Q1")
        rows = {row["user_id"]: row for row in data["rows"]}
        self.assertEqual(
            rows[sp.id],
            {
                "user_id": sp.id,
                "name": sp.name,
                "signed": 12000.0,
                "collected": 1500.0,
                "target": 30000.0,
                "attainment": 0.4,
                "rating": "C",
            },
        )
        self.assertEqual(rows[sp2.id]["signed"], 12000.0)
        self.assertEqual(rows[sp2.id]["collected"], 3000.0)
        self.assertEqual(rows[sp2.id]["target"], 60000.0)
        self.assertAlmostEqual(rows[sp2.id]["attainment"], 0.2)
        # the same as the targets' months of the quarter (one source, QTA-4)
        quarter = target.period_ids.filtered(lambda p: Q1[0] <= p.date_from < Q1[1])
        self.assertEqual(sum(quarter.mapped("actual_signed")), rows[sp.id]["signed"])
        self.assertEqual(sum(quarter.mapped("actual_collected")), rows[sp.id]["collected"])
        # the company: every salesperson's confirmed orders of the quarter
        orders = self.env["sale.order"].search(
            [
                ("state", "=", "sale"),
                ("company_id", "=", self.env.company.id),
                ("user_id", "!=", False),
                ("date_order", ">=", datetime(2026, 12, 31, 16, 0)),
                ("date_order", "<", datetime(2027, 3, 31, 16, 0)),
            ]
        )
        self.assertAlmostEqual(data["total"]["signed"], sum(orders.mapped("amount_untaxed")))
        self.assertAlmostEqual(
            data["total"]["collected"], sum(r["collected"] for r in data["rows"])
        )
        self.assertAlmostEqual(data["total"]["target"], sum(r["target"] for r in data["rows"]))
        self.assertFalse(data["next_year"])
        self.assertFalse(data["budget"], "no budget in the quarter: the section is left out")
        body = meeting._agenda_body(data)
        self.assertIn(sp.name, body)
        self.assertIn(sp2.name, body)
        self.assertNotIn("Budget Used", body)

        # the annual meeting: the year's figures and next year's approved targets
        self._approved_target(sp, 2028, 150000.0)
        self.env["sales.target"].with_user(sp2).create(
            {"year": 2028, "forecast_low": 1, "forecast_likely": 2, "forecast_high": 3}
        )
        annual = self._meeting("annual", date="2028-01-20")
        data = annual._agenda_data()
        rows = {row["user_id"]: row for row in data["rows"]}
        self.assertEqual(rows[sp.id]["signed"], 12900.0)
        self.assertEqual(rows[sp.id]["collected"], 2000.0)
        self.assertEqual(rows[sp.id]["target"], 120000.0)
        self.assertEqual(data["next_year"], 2028)
        self.assertEqual(
            [(r["user_id"], r["amount"]) for r in data["next_year_rows"]], [(sp.id, 150000.0)]
        )
        self.assertEqual(data["next_year_total"], 150000.0)
        self.assertEqual(data["next_year_total"], self.env["sales.target"]._company_total(2028))
        self.assertIn("2028", annual._agenda_body(data))

    # ------------------------------------------------------------------
    # MTG-4: minutes, decisions, to-dos
    # ------------------------------------------------------------------
    def test_mtg4_closing_needs_minutes_and_each_decision_an_owner_and_deadline(self):
        meeting = self._meeting("monthly", date="2027-03-05")
        deadline = date(2027, 3, 31)
        meeting.with_user(self.manager).write(
            {
                "decision_ids": [
                    Command.create(
                        {
                            "name": "Collect Jinshi",
                            "user_id": self.salesperson.id,
                            "date_deadline": deadline,
                        }
                    ),
                    Command.create({"name": "Quote the Xiamen tender"}),
                ]
            }
        )
        first, second = meeting.decision_ids.sorted("id")
        with self.assertRaises(ValidationError) as caught:
            meeting.with_user(self.manager).action_close()
        self.assertIn("minutes", str(caught.exception))
        self.assertIn("owner", str(caught.exception))
        self.assertIn("MTG-4", str(caught.exception))
        meeting.with_user(self.manager).minutes = "<p>Discussed February.</p>"
        with self.assertRaisesRegex(ValidationError, "owner"):
            meeting.with_user(self.manager).action_close()
        second.with_user(self.manager).user_id = self.salesperson2
        with self.assertRaisesRegex(ValidationError, "deadline"):
            meeting.with_user(self.manager).action_close()
        self.assertEqual(meeting.state, "planned")
        self.assertFalse(first.activity_ids, "no to-do before the meeting is closed")
        second.with_user(self.manager).date_deadline = date(2027, 4, 10)
        meeting.with_user(self.manager).action_close()
        self.assertEqual(meeting.state, "held")
        self.assertEqual(meeting.closed_by_id, self.manager)

        # each decision is its owner's to-do, due on its deadline
        for decision, owner, due in (
            (first, self.salesperson, deadline),
            (second, self.salesperson2, date(2027, 4, 10)),
        ):
            activity = decision.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.activity_type_id, self.todo)
            self.assertEqual(activity.user_id, owner)
            self.assertEqual(activity.date_deadline, due)
            self.assertEqual(activity.summary, decision.name)
        # the owner sees it among their to-dos
        self.assertIn(
            first.activity_ids,
            self.env["mail.activity"]
            .with_user(self.salesperson)
            .search([("user_id", "=", self.salesperson.id)]),
        )
        # only the owner (or a manager) reports it done; nobody else edits it
        with self.assertRaises(AccessError):
            first.with_user(self.salesperson2).action_done()
        with self.assertRaises(AccessError):
            second.with_user(self.salesperson2).write({"date_deadline": "2027-12-31"})
        with self.assertRaises(AccessError):
            second.with_user(self.salesperson2).write({"state": "done"})
        # the to-do marked done closes the decision
        first.activity_ids.with_user(self.salesperson).action_feedback(feedback="Paid on the 20th")
        self.assertEqual(first.state, "done")
        self.assertEqual(first.done_by_id, self.salesperson)
        self.assertFalse(first.activity_ids)
        # the decision reported done closes the to-do
        activity = second.activity_ids
        second.with_user(self.salesperson2).action_done()
        self.assertEqual(second.state, "done")
        self.assertFalse(second.activity_ids)
        self.assertFalse(activity.active)
        # a manager reopens it: a to-do again
        second.with_user(self.manager).action_reopen()
        self.assertEqual(second.state, "open")
        self.assertEqual(second.activity_ids.user_id, self.salesperson2)

        # a decision added to a held meeting is a to-do at once; it needs its owner
        # and deadline there
        meeting.with_user(self.manager).decision_ids = [
            Command.create(
                {
                    "name": "Visit Hengda",
                    "user_id": self.salesperson.id,
                    "date_deadline": "2027-04-30",
                }
            )
        ]
        added = meeting.decision_ids.filtered(lambda d: d.name == "Visit Hengda")
        self.assertEqual(added.activity_ids.user_id, self.salesperson)
        self.assertEqual(added.activity_ids.date_deadline, date(2027, 4, 30))
        with self.assertRaisesRegex(ValidationError, "MTG-4"):
            self.Decision.with_user(self.manager).create(
                {"name": "Nobody's", "meeting_id": meeting.id}
            )
        # the owner changed: the to-do moves with it
        added.with_user(self.manager).write(
            {"user_id": self.salesperson2.id, "date_deadline": "2027-05-15"}
        )
        self.assertEqual(added.activity_ids.user_id, self.salesperson2)
        self.assertEqual(added.activity_ids.date_deadline, date(2027, 5, 15))
        # a held meeting keeps what it was; its minutes are completed
        with self.assertRaises(UserError):
            meeting.with_user(self.manager).write({"date": "2027-03-06"})
        meeting.with_user(self.manager).minutes = "<p>Discussed February. Hengda next.</p>"
        with self.assertRaises(UserError):
            added.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            meeting.with_user(self.manager).unlink()

    def test_mtg4_open_decisions_of_the_last_meeting_on_the_next_agenda(self):
        last = self._held(
            self._meeting("monthly", date="2027-03-05"),
            [
                ("Collect Jinshi", self.salesperson, date(2027, 3, 31)),
                ("Quote the Xiamen tender", self.salesperson2, date(2027, 3, 20)),
            ],
        )
        done = last.decision_ids.filtered(lambda d: d.name.startswith("Quote"))
        done.with_user(self.salesperson2).action_done()
        # an older meeting's open decision is not the last meeting's
        self._held(
            self._meeting("monthly", date="2027-02-05"),
            [("Old business", self.salesperson, date(2027, 2, 28))],
        )
        meeting = self._meeting(date="2027-04-15")
        self.assertEqual(meeting.previous_meeting_id, last)
        self.assertEqual(meeting.open_decision_ids, last.decision_ids - done)
        data = meeting._agenda_data()
        self.assertEqual(
            data["open_decisions"],
            [
                {
                    "name": "Collect Jinshi",
                    "owner": self.salesperson.name,
                    "date_deadline": date(2027, 3, 31),
                    "meeting": last.name,
                }
            ],
        )
        body = meeting._agenda_body(data)
        self.assertIn("Collect Jinshi", body)
        self.assertNotIn("Quote the Xiamen tender", body)
        self.assertNotIn("Old business", body)

    # ------------------------------------------------------------------
    # who reads what
    # ------------------------------------------------------------------
    def test_mtg_attendees_read_their_meetings_others_none(self):
        meeting = self._meeting("monthly", date="2027-03-05")
        self.assertNotIn(self.employee, meeting.attendee_ids)
        # a non-attendee neither finds nor reads it
        self.assertFalse(self.Meeting.with_user(self.employee).search([("id", "=", meeting.id)]))
        with self.assertRaises(AccessError):
            self.Meeting.with_user(self.employee).browse(meeting.id).read(["name"])
        with self.assertRaises(AccessError):
            self.Meeting.with_user(self.reader).browse(meeting.id).read(["agenda"])
        # an attendee reads it, and posts on it, but does not edit it
        self.assertEqual(
            self.Meeting.with_user(self.salesperson).search([("id", "=", meeting.id)]), meeting
        )
        meeting.with_user(self.salesperson).read(["name", "agenda", "minutes", "attendee_ids"])
        meeting.with_user(self.salesperson).message_post(body="I will bring the Q1 figures")
        with self.assertRaises(AccessError):
            meeting.with_user(self.salesperson).read(["member_ids"])
        # a decision's owner reads it and its meeting, though not invited
        self._held(meeting, [("Send the catalogue", self.employee, date(2027, 3, 20))])
        decision = meeting.decision_ids
        self.assertEqual(self.Decision.with_user(self.employee).search([]), decision)
        decision.with_user(self.employee).read(["name", "meeting_id", "date_deadline"])
        meeting.with_user(self.employee).read(["name"])
        self.assertTrue(decision.with_user(self.employee).activity_ids)
        decision.with_user(self.employee).action_done()
        self.assertEqual(decision.state, "done")
        # someone else reads neither
        self.assertFalse(self.Decision.with_user(self.reader).search([]))
        with self.assertRaises(AccessError):
            self.Decision.with_user(self.reader).browse(decision.id).read(["name"])
        with self.assertRaises(AccessError):
            self.Decision.with_user(self.salesperson).create(
                {"name": "x", "meeting_id": meeting.id}
            )

    def test_mtg_hostile_client_changes_nothing(self):
        created = self.rpc(
            self.manager,
            "sales.meeting",
            "create",
            [{"kind": "monthly", "date": "2027-03-05", "minutes": "<p>Held already</p>"}],
        )
        meeting = self.Meeting.browse(created)
        self.assertEqual(meeting.state, "planned")
        self.assertFalse(meeting.agenda_sent_on)
        self.assertFalse(meeting.held_on)
        for vals in (
            {"state": "held"},
            {"agenda_sent_on": "2027-03-01 00:00:00"},
            {"calendar_event_id": False},
        ):
            with self.assertRaisesRegex(UserError, "APR-5"):
                self.rpc(self.manager, "sales.meeting", "write", meeting.ids, vals)
        self.assertEqual(meeting.state, "planned")
        self.assertTrue(meeting.calendar_event_id)
        self.rpc(
            self.manager,
            "sales.meeting",
            "write",
            meeting.ids,
            {
                "decision_ids": [
                    Command.create(
                        {
                            "name": "Collect Jinshi",
                            "user_id": self.salesperson.id,
                            "date_deadline": "2027-03-31",
                        }
                    )
                ]
            },
        )
        # the to-dos are made whatever the context says (mail_activity_automation_skip)
        self.rpc(self.manager, "sales.meeting", "action_close", meeting.ids)
        decision = meeting.decision_ids
        self.assertEqual(decision.activity_ids.user_id, self.salesperson)
        with self.assertRaisesRegex(UserError, "APR-5"):
            self.rpc(
                self.manager, "sales.meeting.decision", "write", decision.ids, {"state": "done"}
            )
        with self.assertRaises(AccessError):
            self.rpc(self.salesperson2, "sales.meeting.decision", "action_done", decision.ids)
        self.assertEqual(decision.state, "open")
        # a message is posted as oneself, now
        with self.assertRaises(AccessError):
            meeting.with_user(self.salesperson).message_post(
                body="Forged", author_id=self.manager.partner_id.id
            )

    # ------------------------------------------------------------------
    # MTG-3: the monthly meeting sees the department in one place
    # ------------------------------------------------------------------
    def test_mtg3_monthly_meeting_shows_every_salesperson_in_one_place(self):
        sp, sp2 = self.salesperson, self.salesperson2
        today = fields.Date.today()
        month = today.replace(day=1) - relativedelta(months=1)
        next_month = today.replace(day=1)
        self._approved_target(sp, month.year, 120000.0)
        self._confirmed_order(
            sp,
            self.customer,
            datetime.combine(month + timedelta(days=9), datetime.min.time()) + timedelta(hours=4),
            9000.0,
        )
        invoice = self._invoice(2000.0, month - timedelta(days=10))
        Report = self.env["sales.monthly.report"].with_user(sp)
        summary = Report.create(
            {
                "kind": "summary",
                "month": month,
                "went_well": "Signed",
                "went_wrong": "Late payment",
                "next_steps": "Call",
            }
        )
        summary.action_submit()
        plan = Report.create({"kind": "plan", "month": next_month})
        collection = (
            self.env["sales.collection.plan"]
            .with_user(sp)
            .create(
                {
                    "month": month,
                    "line_ids": [
                        Command.create(
                            {
                                "invoice_id": invoice.id,
                                "planned_amount": 2000.0,
                                "planned_date": month + timedelta(days=14),
                            }
                        )
                    ],
                }
            )
        )
        self._pay(invoice, 1200.0, month + timedelta(days=12))
        meeting = self._meeting("monthly", date=next_month + timedelta(days=4))
        self.assertEqual(meeting.period_start, month)
        members = {m.user_id: m for m in meeting.member_ids}
        # every salesperson of the department, not their managers
        self.assertIn(sp, members)
        self.assertIn(sp2, members)
        self.assertNotIn(self.manager, members)
        self.assertNotIn(self.gm, members)
        own = members[sp]
        self.assertEqual(own.summary_id, summary)
        self.assertEqual(own.summary_state, "submitted")
        self.assertEqual(own.plan_id, plan)
        self.assertEqual(own.plan_state, "draft")
        self.assertEqual(own.collection_plan_id, collection)
        self.assertEqual(own.collection_state, "draft")
        self.assertEqual(own.collection_planned, 2000.0)
        self.assertEqual(own.collection_received, 1200.0)
        self.assertEqual(own.target_amount, 10000.0)
        self.assertEqual(own.actual_signed, 9000.0)
        self.assertAlmostEqual(own.attainment, 0.9)
        self.assertEqual(own.rating, "B")
        behind = self.env["sales.activity.progress"].search_count(
            [
                ("user_id", "=", sp.id),
                ("state", "=", "behind"),
                ("date", ">=", month),
                ("date", "<", next_month),
            ]
        )
        self.assertEqual(own.activity_behind, behind)
        other = members[sp2]
        self.assertFalse(other.summary_id)
        self.assertFalse(other.summary_state)
        self.assertFalse(other.collection_plan_id)
        self.assertEqual(other.target_amount, 0.0)
        # the documents open from there
        self.assertEqual(own.action_open_summary()["res_id"], summary.id)
        self.assertEqual(own.action_open_collection_plan()["res_id"], collection.id)
        self.assertIn(("user_id", "=", sp2.id), other.action_open_summary()["domain"])
        self.assertEqual(own.action_open_activity()["res_model"], "sales.activity.progress")
        # the list follows the attendees; a quarterly meeting has none
        meeting.with_user(self.manager).attendee_ids = [Command.unlink(sp2.id)]
        self.assertEqual(set(meeting.member_ids.user_id.ids) & {sp.id, sp2.id}, {sp.id})
        self.assertFalse(self._meeting(date=next_month + timedelta(days=20)).member_ids)
