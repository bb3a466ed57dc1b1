# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common_management import ManagementCase

MARCH = date(2027, 3, 1)
APRIL = date(2027, 4, 1)
MAY = date(2027, 5, 1)


@tagged("post_install", "-at_install")
class TestMonthlyReport(ManagementCase):
    """MTG-3: the salesperson's monthly plan and summary, reviewed by the sales
    manager; the summary's actuals from the records; the reminders to file them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["sales.monthly.report"]
        cls.Line = cls.env["sales.monthly.report.line"]

    def _plan(self, user=None, month=MARCH, lines=None, **vals):
        user = user or self.salesperson
        if lines is None:
            lines = [(self.customer, 5000.0, 3000.0, "Present the spring range")]
        return self.Report.with_user(user).create(
            {
                "kind": "plan",
                "month": month,
                "line_ids": [
                    Command.create(
                        {
                            "partner_id": partner.id,
                            "expected_orders": orders,
                            "expected_collections": collections,
                            "activities": activities,
                        }
                    )
                    for partner, orders, collections, activities in lines
                ],
                **vals,
            }
        )

    def _summary(self, user=None, month=MARCH, **vals):
        user = user or self.salesperson
        return self.Report.with_user(user).create({"kind": "summary", "month": month, **vals})

    def _visit(self, when, effective=True):
        visit = (
            self.env["sales.visit"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "kind": "onsite",
                    "purpose": "Present the spring range",
                    "date_planned": when,
                    "customer_requested": effective,
                }
            )
        )
        visit.with_user(self.salesperson).write({"outcome": "Discussed prices"})
        visit.with_user(self.salesperson).action_done()
        self.assertEqual(visit.is_effective, effective)
        return visit

    # ------------------------------------------------------------------
    # the plan: filed, reviewed, locked (APR-1..5)
    # ------------------------------------------------------------------
    def test_mtg3_plan_reviewed_by_the_manager_never_the_salesperson(self):
        plan = self._plan()
        self.assertEqual(plan.display_name, "Monthly Plan 2027-03 · " + self.salesperson.name)
        self.assertEqual(plan.expected_orders_total, 5000.0)
        self.assertEqual(plan.expected_collections_total, 3000.0)
        # MTG-3: the main activities are required
        with self.assertRaises(ValidationError) as caught:
            plan.with_user(self.salesperson).action_submit()
        self.assertIn("main activities", str(caught.exception))
        self.assertIn("MTG-3", str(caught.exception))
        self.assertEqual(plan.state, "draft")
        # and the key customers
        empty = self._plan(month=APRIL, lines=[], main_activities="Trade fair")
        with self.assertRaisesRegex(ValidationError, "key customers"):
            empty.with_user(self.salesperson).action_submit()
        plan.with_user(self.salesperson).main_activities = "Visit Hengda; Xiamen stone fair"
        plan.with_user(self.salesperson).action_submit()
        self.assertEqual(plan.state, "submitted")
        self.assertIn(self.manager, plan.approver_ids)
        self.assertNotIn(self.salesperson, plan.approver_ids)
        # APR-4: never the salesperson, whatever the client sends
        with self.assertRaises(AccessError) as caught:
            self.rpc(self.salesperson, "sales.monthly.report", "action_approve", plan.ids)
        self.assertIn("APR-4", str(caught.exception))
        self.assertEqual(plan.state, "submitted")
        with self.assertRaises(AccessError):
            plan.with_user(self.salesperson2).action_approve()
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.decided_by_id, self.manager)
        # APR-3: locked, the report and its lines, for the salesperson and the manager
        for user in (self.salesperson, self.manager):
            with self.assertRaises(UserError):
                plan.with_user(user).write({"main_activities": "Changed"})
            with self.assertRaises(UserError):
                plan.line_ids.with_user(user).write({"expected_orders": 1.0})
            with self.assertRaises(UserError):
                plan.line_ids.with_user(user).unlink()
            with self.assertRaises(UserError):
                self.Line.with_user(user).create(
                    {"report_id": plan.id, "partner_id": self.customer2.id}
                )
            with self.assertRaises(UserError):
                plan.with_user(user).unlink()
        self.assertEqual(plan.line_ids.expected_orders, 5000.0)
        self.assertEqual(plan.main_activities, "Visit Hengda; Xiamen stone fair")

    def test_mtg3_manager_rejects_with_a_reason(self):
        plan = self._plan(main_activities="Visits")
        plan.with_user(self.salesperson).action_submit()
        with self.assertRaises(ValidationError):
            plan.with_user(self.manager).action_reject(reason=" ")
        plan.with_user(self.manager).action_reject(reason="Name the Jinshi tender too")
        self.assertEqual(plan.state, "rejected")
        plan.with_user(self.salesperson).action_draft()
        plan.line_ids.with_user(self.salesperson).expected_orders = 6000.0
        self.assertEqual(plan.expected_orders_total, 6000.0)

    def test_mtg3_salesperson_files_own_reports_only(self):
        with self.assertRaises(AccessError) as caught:
            self._plan(user_id=self.salesperson2.id, lines=[])
        self.assertIn("MTG-3", str(caught.exception))
        # nor through a default the client sends
        with self.assertRaises(AccessError):
            self.Report.with_user(self.salesperson).with_context(
                default_user_id=self.salesperson2.id
            ).create({"month": MARCH})
        own = self._plan()
        with self.assertRaises(AccessError):
            own.with_user(self.salesperson).write({"user_id": self.salesperson2.id})
        self.assertFalse(self.Report.search([("user_id", "=", self.salesperson2.id)]))
        # ARC-4: a key customer is one whose archive the salesperson reads
        with self.assertRaisesRegex(UserError, "ARC-4"):
            self._plan(month=APRIL, lines=[(self.other_customer, 1.0, 1.0, "Steal")])
        # a sales manager files one for the team
        filed = self._plan(
            user=self.manager,
            user_id=self.salesperson2.id,
            lines=[(self.other_customer, 100.0, 0.0, "Follow the tender")],
        )
        self.assertEqual(filed.user_id, self.salesperson2)

    def test_mtg3_one_plan_and_one_summary_a_month(self):
        plan = self._plan(month="2027-03-17")
        self.assertEqual(plan.month, MARCH)
        with self.assertRaises(ValidationError) as caught:
            self._plan(month="2027-03-31", lines=[])
        self.assertIn("one plan and one summary per salesperson and month", str(caught.exception))
        # the summary of the same month is another report
        summary = self._summary()
        self.assertEqual(summary.plan_id, plan)
        with self.assertRaises(ValidationError):
            self._summary()
        # another salesperson's March is theirs
        self.assertTrue(self._plan(user=self.salesperson2, lines=[]))
        april = self._plan(month=APRIL, lines=[])
        with self.assertRaises(ValidationError):
            april.with_user(self.salesperson).write({"month": "2027-03-09"})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                "UPDATE sales_monthly_report SET month = %s WHERE id = %s", (MARCH, april.id)
            )

    # ------------------------------------------------------------------
    # the summary: the month's actuals from the records
    # ------------------------------------------------------------------
    def test_mtg3_summary_actuals_are_the_records(self):
        target = self._approved_target(self.salesperson, 2027, 120000.0)  # 10,000 a month
        self._confirmed_order(self.salesperson, self.customer, datetime(2027, 3, 10, 4, 0), 7000.0)
        self._confirmed_order(self.salesperson, self.customer2, datetime(2027, 3, 20, 4, 0), 2000.0)
        # not March's: another month, another salesperson
        self._confirmed_order(self.salesperson, self.customer, datetime(2027, 4, 2, 4, 0), 900.0)
        self._confirmed_order(
            self.salesperson2, self.other_customer, datetime(2027, 3, 11, 4, 0), 5000.0
        )
        invoice = self._invoice(4000.0, "2027-02-20")
        self._pay(invoice, 1500.0, "2027-03-05")
        self._pay(invoice, 500.0, "2027-04-05")
        self._visit(datetime(2027, 3, 12, 2, 0))
        self._visit(datetime(2027, 3, 13, 2, 0))
        self._visit(datetime(2027, 3, 14, 2, 0), effective=False)

        plan = self._plan(
            lines=[
                (self.customer, 5000.0, 3000.0, "Present the spring range"),
                (self.customer2, 1000.0, 0.0, "First order"),
            ],
            main_activities="Visits",
        )
        summary = self._summary()
        self.assertEqual(summary.actual_signed, 9000.0)
        self.assertEqual(summary.actual_collected, 1500.0)
        self.assertEqual(summary.new_customers, 2)
        self.assertEqual(summary.effective_visits, 2)
        self.assertEqual(summary.target_amount, 10000.0)
        self.assertAlmostEqual(summary.attainment, 0.9)
        self.assertEqual(summary.rating, "B")
        # the same as the target's March (one source, QTA-4)
        march = target.period_ids.filtered(lambda p: p.date_from == MARCH)
        self.assertEqual(march.actual_signed, summary.actual_signed)
        self.assertEqual(march.actual_collected, summary.actual_collected)
        self.assertEqual(march.rating, summary.rating)
        # a plan carries no actuals
        self.assertEqual(plan.actual_signed, 0.0)
        self.assertFalse(plan.rating)

        # MTG-3: the summary reports on the plan, line by line
        summary.with_user(self.salesperson).action_load_plan()
        lines = summary.line_ids.sorted(lambda ln: ln.partner_id.name)
        self.assertEqual(lines.partner_id, self.customer2 | self.customer)
        self.assertEqual(lines.plan_line_id, plan.line_ids)
        by_partner = {line.partner_id: line for line in summary.line_ids}
        own = by_partner[self.customer]
        self.assertEqual(own.expected_orders, 5000.0)
        self.assertEqual(own.expected_collections, 3000.0)
        self.assertEqual(own.activities, "Present the spring range")
        self.assertEqual(own.actual_orders, 7000.0)
        self.assertEqual(own.actual_collections, 1500.0)
        self.assertEqual(by_partner[self.customer2].actual_orders, 2000.0)
        self.assertEqual(summary.expected_orders_total, 6000.0)
        # loading again adds nothing twice
        summary.with_user(self.salesperson).action_load_plan()
        self.assertEqual(len(summary.line_ids), 2)
        # the plan's expectations are never typed on the summary
        with self.assertRaisesRegex(UserError, "MTG-3"):
            own.with_user(self.salesperson).write({"expected_orders": 99999.0})
        with self.assertRaisesRegex(UserError, "MTG-3"):
            self.Line.with_user(self.salesperson).create(
                {"report_id": summary.id, "partner_id": self.contact.id, "expected_orders": 5.0}
            )
        # a summary line reports on the plan of its own month only
        april_plan = self._plan(month=APRIL, main_activities="x")
        with self.assertRaisesRegex(ValidationError, "MTG-3"):
            own.with_user(self.salesperson).write({"plan_line_id": april_plan.line_ids.id})
        # APR-5: the actuals are the policy's, whatever the client sends
        with self.assertRaisesRegex(UserError, "APR-5"):
            summary.with_user(self.salesperson).write({"actual_signed": 99999.0})
        with self.assertRaisesRegex(UserError, "APR-5"):
            own.with_user(self.salesperson).write({"actual_orders": 99999.0})
        with self.assertRaises(UserError):
            self.rpc(
                self.salesperson, "sales.monthly.report", "write", summary.ids, {"rating": "S"}
            )
        forged = self.rpc(
            self.salesperson,
            "sales.monthly.report",
            "create",
            [{"kind": "summary", "month": "2027-02-01"}],
        )
        forged = self.Report.browse(forged)
        self.assertEqual(forged.state, "draft")
        self.assertEqual(forged.actual_signed, 0.0)
        self.assertNotEqual(forged.rating, "S")
        self.assertEqual(summary.actual_signed, 9000.0)

        # a late order shows once refreshed; after submitting, the figures are as reviewed
        self._confirmed_order(self.salesperson, self.customer, datetime(2027, 3, 30, 4, 0), 3000.0)
        self.assertEqual(summary.actual_signed, 9000.0)
        summary.with_user(self.salesperson).action_refresh_figures()
        self.assertEqual(summary.actual_signed, 12000.0)
        self.assertEqual(summary.rating, "S")
        self.assertEqual(own.actual_orders, 10000.0)

    def test_mtg3_summary_needs_its_texts(self):
        summary = self._summary()
        with self.assertRaises(ValidationError) as caught:
            summary.with_user(self.salesperson).action_submit()
        message = str(caught.exception)
        self.assertIn("what went well", message)
        self.assertIn("what did not go well", message)
        self.assertIn("next steps", message)
        summary.with_user(self.salesperson).write(
            {"went_well": "Hengda signed", "went_wrong": "Jinshi paid late"}
        )
        with self.assertRaisesRegex(ValidationError, "next steps"):
            summary.with_user(self.salesperson).action_submit()
        self.assertEqual(summary.state, "draft")
        summary.with_user(self.salesperson).next_steps = "Call Jinshi on Monday"
        # no plan to load: said so
        with self.assertRaisesRegex(UserError, "no plan"):
            summary.with_user(self.salesperson).action_load_plan()
        self._confirmed_order(self.salesperson, self.customer, datetime(2027, 3, 3, 4, 0), 800.0)
        summary.with_user(self.salesperson).action_submit()
        # submitting takes the figures as they are then
        self.assertEqual(summary.actual_signed, 800.0)
        self._confirmed_order(self.salesperson, self.customer, datetime(2027, 3, 4, 4, 0), 200.0)
        with self.assertRaisesRegex(UserError, "APR-3"):
            summary.with_user(self.salesperson).action_refresh_figures()
        summary._recompute_figures()
        self.assertEqual(summary.actual_signed, 800.0, "a submitted summary keeps its figures")
        summary.with_user(self.manager).action_approve()
        with self.assertRaises(UserError):
            summary.with_user(self.salesperson).write({"went_well": "Everything"})

    # ------------------------------------------------------------------
    # who reads what
    # ------------------------------------------------------------------
    def test_mtg3_salesperson_reads_only_own_reports(self):
        plan = self._plan()
        Report2 = self.Report.with_user(self.salesperson2)
        self.assertFalse(Report2.search([("id", "=", plan.id)]))
        self.assertFalse(
            self.Line.with_user(self.salesperson2).search([("report_id", "=", plan.id)])
        )
        with self.assertRaises(AccessError):
            Report2.browse(plan.id).read(["main_activities"])
        with self.assertRaises(AccessError):
            self.Line.with_user(self.salesperson2).browse(plan.line_ids.id).read(
                ["expected_orders"]
            )
        with self.assertRaises(AccessError):
            Report2.browse(plan.id).write({"main_activities": "mine now"})
        self.assertEqual(self.Report.with_user(self.manager).search([("id", "=", plan.id)]), plan)
        with self.assertRaises(AccessError):
            self.Report.with_user(self.employee).search([])

    # ------------------------------------------------------------------
    # MTG-3: the reminders in the working days
    # ------------------------------------------------------------------
    def _reminded(self, kind, month):
        return self.Report.search(
            [
                ("kind", "=", kind),
                ("month", "=", month),
                ("user_id", "in", (self.salesperson | self.salesperson2 | self.manager).ids),
            ]
        )

    def test_mtg3_plan_reminder_in_the_last_working_days(self):
        todo = self.env.ref("sales_dept_policy.mail_activity_type_monthly_report")
        # Tuesday 27 April 2027: not yet (the last 3 working days are 28, 29, 30)
        with freeze_time("2027-04-27 04:00:00"):
            self.Report._cron_remind_reports()
        self.assertFalse(self._reminded("plan", MAY))
        with freeze_time("2027-04-28 04:00:00"):
            self.Report._cron_remind_reports()
        plans = self._reminded("plan", MAY)
        # each salesperson, not the manager (who reviews them)
        self.assertEqual(plans.user_id, self.salesperson | self.salesperson2)
        self.assertEqual(set(plans.mapped("state")), {"draft"})
        for plan in plans:
            activity = plan.activity_ids.filtered(lambda a: a.activity_type_id == todo)
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, plan.user_id)
            self.assertEqual(activity.date_deadline, date(2027, 4, 30))
            self.assertIn("2027-05", activity.summary)
        # never twice: the next days find the drafts
        with freeze_time("2027-04-29 04:00:00"):
            self.Report._cron_remind_reports()
        self.assertEqual(self._reminded("plan", MAY), plans)
        self.assertEqual(len(plans.activity_ids.filtered(lambda a: a.activity_type_id == todo)), 2)
        # the salesperson reads and files the draft made for them
        own = plans.filtered(lambda p: p.user_id == self.salesperson)
        own.with_user(self.salesperson).write(
            {
                "main_activities": "Visits",
                "line_ids": [Command.create({"partner_id": self.customer.id})],
            }
        )
        own.with_user(self.salesperson).action_submit()
        self.assertEqual(own.state, "submitted")

    def test_mtg3_summary_reminder_loads_the_plan(self):
        plan = self._plan(month=APRIL, main_activities="Visits")
        # Saturday 1 May: no working day; Monday 3 May: the first
        with freeze_time("2027-05-01 04:00:00"):
            self.Report._cron_remind_reports()
        self.assertFalse(self._reminded("summary", APRIL))
        with freeze_time("2027-05-03 04:00:00"):
            self.Report._cron_remind_reports()
        summaries = self._reminded("summary", APRIL)
        self.assertEqual(summaries.user_id, self.salesperson | self.salesperson2)
        own = summaries.filtered(lambda s: s.user_id == self.salesperson)
        self.assertEqual(own.line_ids.plan_line_id, plan.line_ids)
        self.assertEqual(own.activity_ids.date_deadline, date(2027, 5, 5))
        # Thursday 6 May: past the first 3 working days
        own.unlink()
        with freeze_time("2027-05-06 04:00:00"):
            self.Report._cron_remind_reports()
        self.assertFalse(
            self._reminded("summary", APRIL).filtered(lambda s: s.user_id == self.salesperson)
        )

    def test_mtg3_reminder_days_from_the_settings(self):
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        self.assertEqual(settings.sales_policy_plan_reminder_days, 3)
        self.assertEqual(settings.sales_policy_summary_reminder_days, 3)
        settings.sales_policy_plan_reminder_days = 1
        settings.execute()
        with freeze_time("2027-04-29 04:00:00"):
            self.Report._cron_remind_reports()
        self.assertFalse(self._reminded("plan", MAY))
        with freeze_time("2027-04-30 04:00:00"):
            self.Report._cron_remind_reports()
        self.assertTrue(self._reminded("plan", MAY))
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        settings.sales_policy_summary_reminder_days = 11
        with self.assertRaisesRegex(ValidationError, "MTG-3"):
            settings.execute()
