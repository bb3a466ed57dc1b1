# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import datetime, timedelta

import openpyxl
import pytz

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import tagged
from odoo.tools import SQL

from ..policy import activity as vis
from .common import SalesPolicyCase

SHANGHAI = pytz.timezone("Asia/Shanghai")

#: APR-5: what a hostile client may send with its call
HOSTILE_CONTEXT = {
    "sales_visit_transition": True,
    "sales_approval_transition": True,
    "active_test": False,
    "tracking_disable": True,
    "install_mode": True,
}


@tagged("post_install", "-at_install")
class TestVisits(SalesPolicyCase):
    """VIS-1..6 and TER-3: visits, what counts, reviews, targets, plans, reports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.phone = "+86 571 8888 6666"
        cls.Visit = cls.env["sales.visit"]

    def _visit(self, user=None, **vals):
        user = user or self.salesperson
        return self.Visit.with_user(user).create(
            {
                "partner_id": self.customer.id,
                "kind": "onsite",
                "purpose": "Present the spring range",
                "date_planned": datetime.now() - timedelta(minutes=1),
                **vals,
            }
        )

    def _done(self, visit, **report):
        visit.with_user(visit.user_id).write({"outcome": "Discussed prices", **report})
        visit.with_user(visit.user_id).action_done()
        return visit

    # ------------------------------------------------------------------
    # VIS-3: what counts
    # ------------------------------------------------------------------
    def test_vis3_information_gathering(self):
        named = self._done(
            self._visit(kind="info"), contact_name="Manager Wu", contact_phone="139 1234 5678"
        )
        self.assertTrue(named.is_effective)
        no_name = self._done(self._visit(kind="info"), contact_phone="139 1234 5678")
        self.assertFalse(no_name.is_effective)
        self.assertIn("named contact", no_name.ineffective_reason)
        # the switchboard, written another way, is not a direct line
        switchboard = self._done(
            self._visit(kind="info"), contact_name="Reception", contact_phone="0571-88886666"
        )
        self.assertFalse(switchboard.is_effective)
        self.assertEqual(switchboard.effective_code, "switchboard")
        self.assertIn("switchboard", switchboard.ineffective_reason)
        email = self._done(
            self._visit(kind="info"), contact_name="Manager Wu", contact_email="wu@example.com"
        )
        self.assertTrue(email.is_effective)

    def test_vis3_phone_proposal_and_onsite(self):
        call = self._done(self._visit(kind="call"), interested=True, proposal_sent=True)
        self.assertTrue(call.is_effective)
        no_proposal = self._done(self._visit(kind="call"), interested=True)
        self.assertEqual(no_proposal.effective_code, "no_proposal")
        not_interested = self._done(self._visit(kind="call"), proposal_sent=True)
        self.assertEqual(not_interested.effective_code, "not_interested")
        asked = self._done(self._visit(kind="onsite"), customer_requested=True)
        self.assertTrue(asked.is_effective)
        cold = self._done(self._visit(kind="onsite"))
        self.assertFalse(cold.is_effective)
        self.assertIn("cold visit", cold.ineffective_reason)
        planned = self._visit(kind="onsite", customer_requested=True)
        self.assertFalse(planned.is_effective, "nothing counts before it is done")

    def test_vis3_qq_or_wechat_is_a_direct_contact(self):
        qq = self._done(self._visit(kind="info"), contact_name="Ms. Chen", contact_qq="20480963")
        self.assertTrue(qq.is_effective)
        wechat = self._done(
            self._visit(kind="info"), contact_name="Ms. Chen", contact_wechat="chen_hz88"
        )
        self.assertTrue(wechat.is_effective)
        # an id without a named contact does not count, nor blank ids
        anonymous = self._done(self._visit(kind="info"), contact_qq="20480963")
        self.assertEqual(anonymous.effective_code, "no_contact")
        blank = self._done(
            self._visit(kind="info"), contact_name="Ms. Chen", contact_qq=" ", contact_wechat=" "
        )
        self.assertEqual(blank.effective_code, "no_direct_line")
        self.assertIn("QQ or WeChat", blank.ineffective_reason)
        # beside the switchboard, the id is the direct contact
        switchboard = self._done(
            self._visit(kind="info"), contact_name="Reception", contact_phone="0571-88886666"
        )
        self.assertEqual(switchboard.effective_code, "switchboard")
        # a done visit may still complete its report with the id (VIS-2)
        switchboard.with_user(self.salesperson).contact_wechat = "+86 139 1234 5678"
        self.assertTrue(switchboard.is_effective)
        switchboard.with_user(self.salesperson).contact_wechat = False
        self.assertFalse(switchboard.is_effective)
        # once submitted, the report and its ids are locked
        qq.with_user(self.salesperson).action_submit()
        with self.assertRaisesRegex(UserError, "locked"):
            qq.with_user(self.salesperson).contact_qq = "10000"

    def test_vis3_im_id_format_is_checked(self):
        visit = self._visit(kind="info")
        for field, value in (
            ("contact_qq", "1234"),  # one digit short
            ("contact_qq", "wu@qq.com"),
            ("contact_wechat", "abcde"),  # one character short
            ("contact_wechat", "0571-8888 6666"),
        ):
            with (
                self.subTest(field=field, value=value),
                self.assertRaisesRegex(ValidationError, "VIS-3"),
                self.env.cr.savepoint(),
            ):
                visit.with_user(self.salesperson).write({field: value})
        # the boundaries that hold
        visit.with_user(self.salesperson).write({"contact_qq": "10000", "contact_wechat": "abcdef"})
        with self.assertRaisesRegex(ValidationError, "VIS-3"), self.env.cr.savepoint():
            self._visit(kind="info", contact_qq="12345678901234")

    # ------------------------------------------------------------------
    # VIS-1, VIS-2: logging and flow
    # ------------------------------------------------------------------
    def test_vis1_logging_rights(self):
        # a customer the salesperson may not read (ARC-3)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self._visit(partner_id=self.other_customer.id)
        # only as themselves
        with self.assertRaisesRegex(AccessError, "only as yourself"), self.env.cr.savepoint():
            self._visit(user_id=self.salesperson2.id)
        # a manager logs for the team
        visit = self._visit(
            user=self.manager, user_id=self.salesperson2.id, partner_id=self.other_customer.id
        )
        self.assertEqual(visit.user_id, self.salesperson2)
        # purpose is required before the visit
        with self.assertRaisesRegex(ValidationError, "VIS-1"), self.env.cr.savepoint():
            self._visit(purpose=False)
        # the other salesperson does not see it
        self.assertFalse(self.Visit.with_user(self.salesperson).search([("id", "=", visit.id)]))

    def test_vis2_flow_and_review_refusals(self):
        visit = self._visit()
        with self.assertRaisesRegex(ValidationError, "Outcome"):
            visit.with_user(self.salesperson).action_done()
        self._done(visit, customer_requested=True)
        self.assertEqual(visit.state, "done")
        # review before submit
        with self.assertRaisesRegex(UserError, "submitted before"):
            visit.with_user(self.manager).action_review("Fine")
        visit.with_user(self.salesperson).action_submit()
        with self.assertRaisesRegex(UserError, "locked"):
            visit.with_user(self.salesperson).outcome = "Rewritten"
        # wrong role (another salesperson cannot even read it), then no comment
        with self.assertRaises(AccessError):
            visit.with_user(self.salesperson2).action_review("Fine")
        with self.assertRaisesRegex(ValidationError, "Review Comment"):
            visit.with_user(self.manager).action_review("  ")
        visit.with_user(self.manager).action_review("Good, follow up the quotation")
        self.assertEqual(visit.state, "reviewed")
        self.assertEqual(visit.reviewed_by_id, self.manager)
        self.assertIn("Reviewed by", visit.message_ids[0].body)
        # a manager's own report is reviewed by someone else
        own = self._done(self._visit(user=self.manager, partner_id=self.other_customer.id))
        own.with_user(self.manager).action_submit()
        with self.assertRaisesRegex(AccessError, "your own"):
            own.with_user(self.manager).action_review("Self-praise")
        with self.assertRaisesRegex(UserError, "Only a planned"):
            visit.with_user(self.salesperson).unlink()

    def test_vis2_urgent_report_notifies_the_manager(self):
        visit = self._done(self._visit(urgent=True))
        visit.with_user(self.salesperson).action_submit()
        reviewers = visit._get_reviewers()
        self.assertIn(self.manager, reviewers)
        todo = visit.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertTrue(todo)
        self.assertIn("Urgent", todo.summary)
        message = visit.message_ids[0]
        self.assertIn("URGENT", message.body)
        self.assertIn(self.manager.partner_id, message.partner_ids)

    def test_vis5_requests_become_follow_ups(self):
        visit = self._done(
            self._visit(),
            customer_requests="Revised quotation\n- Samples of the grey granite\n\n",
        )
        follow_ups = visit.activity_ids.filtered(lambda a: a.user_id == self.salesperson)
        self.assertEqual(
            sorted(follow_ups.mapped("summary")),
            ["Follow up: Revised quotation", "Follow up: Samples of the grey granite"],
        )

    def test_ter3_out_of_territory_visit(self):
        Territory = self.env["sales.territory"]
        country = self.env.ref("base.cn")
        mine = Territory.create(
            {"name": "SDP North", "country_id": country.id, "user_ids": [(4, self.salesperson.id)]}
        )
        other = Territory.create({"name": "SDP South", "country_id": country.id})
        self.customer.write({"territory_id": mine.id, "territory_manual": True})
        inside = self._visit()
        self.assertFalse(inside.out_of_territory)
        self.customer.write({"territory_id": other.id, "territory_manual": True})
        outside = self._visit()
        self.assertTrue(outside.out_of_territory)

    def _out_of_territory(self):
        """The salesperson works in SDP North; their customer is in SDP South."""
        Territory = self.env["sales.territory"]
        country = self.env.ref("base.cn")
        mine = Territory.create(
            {"name": "SDP North", "country_id": country.id, "user_ids": [(4, self.salesperson.id)]}
        )
        other = Territory.create({"name": "SDP South", "country_id": country.id})
        self.customer.write({"territory_id": other.id, "territory_manual": True})
        return mine, other

    def _decisions(self, visit):
        decision = self.env.ref("sales_dept_policy.mail_activity_type_decision")
        return visit.sudo().activity_ids.filtered(lambda a: a.activity_type_id == decision)

    def test_ter3_out_of_territory_visit_needs_approval(self):
        self._out_of_territory()
        visit = self._visit(customer_requested=True)
        self.assertTrue(visit.out_of_territory)
        visit.with_user(self.salesperson).outcome = "Met the buyer"
        # not done before approval, whoever marks it
        for user in (self.salesperson, self.manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "TER-3"):
                visit.with_user(user).action_done()
        self.assertEqual(visit.state, "planned")
        # the salesperson asks; the sales managers get a to-do, the salesperson none
        visit.with_user(self.salesperson).action_request_territory_approval()
        todos = self._decisions(visit)
        self.assertIn(self.manager, todos.user_id)
        self.assertNotIn(self.salesperson, todos.user_id)
        self.assertTrue(visit.territory_requested_on)
        self.assertIn("Out-of-territory approval asked by", visit.message_ids[0].body)
        visit.with_user(self.salesperson).action_request_territory_approval()
        self.assertEqual(self._decisions(visit), todos, "asking again adds no to-do")
        # the salesperson cannot approve their own; another salesperson cannot either
        with self.assertRaisesRegex(AccessError, "APR-4"):
            visit.with_user(self.salesperson).action_approve_out_of_territory()
        with self.assertRaises(AccessError):
            visit.with_user(self.salesperson2).action_approve_out_of_territory()
        self.assertFalse(visit.territory_approved_by_id)
        # a sales manager approves: logged with who and when, the to-dos closed
        visit.with_user(self.manager).action_approve_out_of_territory()
        self.assertEqual(visit.territory_approved_by_id, self.manager)
        self.assertTrue(visit.territory_approved_on)
        self.assertIn(
            f"Out-of-territory visit approved by {self.manager.name}", visit.message_ids[0].body
        )
        self.assertEqual(visit.message_ids[0].author_id, self.manager.partner_id)
        self.assertFalse(self._decisions(visit))
        with self.assertRaisesRegex(UserError, "already approved"):
            visit.with_user(self.gm).action_approve_out_of_territory()
        # then done works, and the approval is kept
        visit.with_user(self.salesperson).action_done()
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.territory_approved_by_id, self.manager)
        with self.assertRaisesRegex(UserError, "no longer planned"):
            visit.with_user(self.gm).action_approve_out_of_territory()

    def test_ter3_visit_in_territory_needs_nothing(self):
        mine, _other = self._out_of_territory()
        self.customer.write({"territory_id": mine.id, "territory_manual": True})
        visit = self._visit(customer_requested=True)
        self.assertFalse(visit.out_of_territory)
        with self.assertRaisesRegex(UserError, "needs no approval"):
            visit.with_user(self.salesperson).action_request_territory_approval()
        with self.assertRaisesRegex(UserError, "needs no approval"):
            visit.with_user(self.manager).action_approve_out_of_territory()
        self._done(visit)
        self.assertEqual(visit.state, "done")
        self.assertFalse(visit.territory_approved_by_id)
        # a salesperson with no territory is not restricted (TER-3 applies to the assigned)
        free = self._done(
            self._visit(
                user=self.manager, user_id=self.salesperson2.id, partner_id=self.other_customer.id
            )
        )
        self.assertFalse(free.out_of_territory)
        self.assertEqual(free.state, "done")

    def test_ter3_territories_as_they_stand_when_done(self):
        """Boundary: the flag is taken again when the visit is done: a customer
        moved into the salesperson's territory needs no approval any more, and one
        moved out of it does."""
        mine, other = self._out_of_territory()
        visit = self._visit()
        self.assertTrue(visit.out_of_territory)
        self.customer.write({"territory_id": mine.id, "territory_manual": True})
        self._done(visit)
        self.assertEqual(visit.state, "done")
        self.assertFalse(visit.out_of_territory)
        inside = self._visit()
        self.assertFalse(inside.out_of_territory)
        self.customer.write({"territory_id": other.id, "territory_manual": True})
        inside.with_user(self.salesperson).outcome = "Met the buyer"
        with self.assertRaisesRegex(UserError, "TER-3"):
            inside.with_user(self.salesperson).action_done()
        self.assertTrue(inside.out_of_territory)

    def test_ter3_manager_own_visit_is_approved_by_another(self):
        mine, _other = self._out_of_territory()
        mine.user_ids = [(4, self.manager.id)]
        own = self._visit(user=self.manager)
        self.assertTrue(own.out_of_territory)
        own.with_user(self.manager).action_request_territory_approval()
        self.assertNotIn(self.manager, self._decisions(own).user_id)
        with self.assertRaisesRegex(AccessError, "APR-4"):
            own.with_user(self.manager).action_approve_out_of_territory()
        own.with_user(self.gm).action_approve_out_of_territory()
        self.assertEqual(own.territory_approved_by_id, self.gm)

    def test_ter3_approval_cannot_be_forged(self):
        """APR-5: the approval is the action's alone, whatever the client sends."""
        self._out_of_territory()
        visit = self._visit()
        env = self.env(user=self.salesperson.id, su=False)
        hostile = {"context": dict(HOSTILE_CONTEXT)}
        for user in (self.salesperson, self.manager):
            for vals in (
                {"territory_approved_by_id": self.manager.id},
                {"territory_approved_on": "2027-01-01 00:00:00"},
                {"territory_requested_on": "2027-01-01 00:00:00"},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaisesRegex(UserError, "APR-5"),
                    self.env.cr.savepoint(),
                ):
                    call_kw(
                        self.env(user=user.id, su=False)["sales.visit"],
                        "write",
                        [visit.ids, vals],
                        hostile,
                    )
        with self.assertRaisesRegex(UserError, "APR-5"), self.env.cr.savepoint():
            call_kw(
                env["sales.visit"],
                "create",
                [
                    {
                        "partner_id": self.customer.id,
                        "purpose": "x",
                        "territory_approved_by_id": self.manager.id,
                    }
                ],
                hostile,
            )
        # the salesperson's own approval, through RPC with a hostile context
        with self.assertRaisesRegex(AccessError, "APR-4"):
            call_kw(env["sales.visit"], "action_approve_out_of_territory", [visit.ids], hostile)
        # the private path is no RPC method
        with self.assertRaises(AccessError):
            call_kw(
                env["sales.visit"],
                "_set_state",
                [visit.ids, {"territory_approved_by_id": self.salesperson.id}],
                hostile,
            )
        self.env.invalidate_all()
        self.assertFalse(visit.territory_approved_by_id)
        self.assertFalse(visit.territory_requested_on)

    def test_ter3_approval_follows_salesperson_and_customer(self):
        """A change of customer voids the approval; an approver who leaves hands
        their to-do on (APR-5)."""
        self._out_of_territory()
        second = self.env["res.partner"].create(
            {
                "name": "SDP Second Customer",
                "is_company": True,
                "customer_rank": 1,
                "user_id": self.salesperson.id,
                "territory_id": self.customer.territory_id.id,
                "territory_manual": True,
            }
        )
        visit = self._visit()
        visit.with_user(self.salesperson).action_request_territory_approval()
        # the manager leaves: the others keep theirs, nobody is left with a stale to-do
        self.manager.action_archive()
        todos = self._decisions(visit)
        self.assertTrue(todos)
        self.assertNotIn(self.manager, todos.user_id)
        visit.with_user(self.gm).action_approve_out_of_territory()
        self.assertEqual(visit.territory_approved_by_id, self.gm)
        visit.with_user(self.salesperson).partner_id = second
        self.assertFalse(visit.territory_approved_by_id)
        self.assertFalse(visit.territory_requested_on)
        self.assertIn("approval is void", visit.message_ids[0].body)
        visit.with_user(self.salesperson).outcome = "Met the buyer"
        with self.assertRaisesRegex(UserError, "TER-3"):
            visit.with_user(self.salesperson).action_done()

    # ------------------------------------------------------------------
    # VIS-4: targets and progress
    # ------------------------------------------------------------------
    def test_vis4_week_boundary_in_local_time(self):
        now_local = datetime.now(SHANGHAI).replace(tzinfo=None)
        monday = (now_local - timedelta(days=now_local.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        sunday_late = monday - timedelta(minutes=1)  # last Sunday 23:59 in Shanghai

        def at(local):
            return SHANGHAI.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

        for when in (sunday_late, sunday_late - timedelta(days=1), monday):
            self._done(
                self._visit(kind="info", date_planned=at(when)),
                contact_name="Manager Wu",
                contact_phone="139 1234 5678",
            )
        self._done(self._visit(kind="info", date_planned=at(monday)))  # no contact: not counted
        Progress = self.env["sales.activity.progress"].with_user(self.salesperson)
        rows = Progress.search([("kind", "=", "info"), ("period", "=", "week")])
        self.assertEqual(rows.user_id, self.salesperson)
        by_ago = {row.periods_ago: row for row in rows}
        self.assertEqual((by_ago[1].done, by_ago[1].target, by_ago[1].gap), (2, 10, 8))
        self.assertEqual(by_ago[1].state, "behind")
        self.assertEqual(by_ago[1].date, (monday - timedelta(days=7)).date())
        self.assertEqual(by_ago[0].done, 1)
        self.assertEqual(by_ago[0].state, "in_progress")
        self.assertEqual(by_ago[2].done, 0)
        self.assertEqual(
            [by_ago[n].period_label for n in (0, 1, 2)], ["This Week", "Last Week", "2 Weeks Ago"]
        )
        # managers see everyone's rows, a salesperson only theirs
        everyone = self.env["sales.activity.progress"].with_user(self.manager).search([])
        self.assertIn(self.salesperson2, everyone.user_id)
        self.assertNotIn(self.manager, everyone.user_id, "a manager owes no salesperson target")

    def _counters(self):
        """The kept counters of the test's salespeople, and the same counted from the
        visits themselves: {(user, kind, period, local start): effective visits}."""
        users = (self.salesperson | self.salesperson2).ids
        self.env.flush_all()
        kept = self.env.execute_query(
            SQL(
                "SELECT user_id, kind, period, date, done FROM sales_activity_count"
                " WHERE user_id = ANY(%s) AND done <> 0",
                users,
            )
        )
        counted = self.env.execute_query(
            SQL(
                """
                SELECT v.user_id, v.kind, p.period,
                       date_trunc(p.period, v.date_planned AT TIME ZONE 'UTC'
                                  AT TIME ZONE COALESCE(rp.tz, 'UTC'))::date, COUNT(*)
                  FROM sales_visit v
                  JOIN res_users ru ON ru.id = v.user_id
                  JOIN res_partner rp ON rp.id = ru.partner_id
                 CROSS JOIN (VALUES ('week'), ('month')) p(period)
                 WHERE v.is_effective AND v.user_id = ANY(%s)
                 GROUP BY 1, 2, 3, 4
                """,
                users,
            )
        )
        return {row[:4]: row[4] for row in kept}, {row[:4]: row[4] for row in counted}

    def assertCountersExact(self, expected_total):
        kept, counted = self._counters()
        self.assertEqual(kept, counted)
        weeks = sum(done for (_u, _k, period, _d), done in kept.items() if period == "week")
        self.assertEqual(weeks, expected_total)

    def test_vis4_counters_follow_the_visits(self):
        """VIS-4: the counters the progress reads are kept exact by every change of
        the visits: report done, kind, date, salesperson, a customer's phone that
        makes visits count or not, deletion, and a salesperson's time zone."""
        before = self._counters()[0]
        self.assertFalse(before)

        def info(user=None, **vals):
            return self._done(
                self._visit(user=user, kind="info", **vals),
                contact_name="Manager Wu",
                contact_phone="139 1234 5678",
            )

        first = info()
        second = info(date_planned=datetime.now() - timedelta(days=9))
        self._done(self._visit(kind="info"))  # no contact: does not count
        self.assertCountersExact(2)

        # a done visit changes only in its report (VIS-2): its date, kind and
        # salesperson change only outside the ORM (a data fix), which counts too
        def fix(visit, column, value):
            self.env.cr.execute(
                SQL(
                    "UPDATE sales_visit SET %s = %s WHERE id = %s",
                    SQL.identifier(column),
                    value,
                    visit.id,
                )
            )
            self.env.invalidate_all()

        fix(second, "date_planned", datetime.now() - timedelta(days=40))
        self.assertCountersExact(2)
        fix(first, "kind", "call")
        self.assertCountersExact(2)
        fix(first, "user_id", self.salesperson2.id)
        self.assertCountersExact(2)
        fix(first, "is_effective", False)
        self.assertCountersExact(1)
        fix(first, "is_effective", True)
        fix(first, "kind", "info")  # as it was reported, for the recompute below
        self.assertCountersExact(2)
        # a contact's phone that is the customer's switchboard is no direct line
        # (VIS-3): when the customer's phone changes, the visits are recomputed
        switchboard = self._done(
            self._visit(kind="info"), contact_name="Wu", contact_phone="+86 571 8888 6666"
        )
        self.assertFalse(switchboard.is_effective)
        self.assertCountersExact(2)
        self.customer.phone = "+86 571 8888 7777"
        self.env.flush_all()
        self.assertTrue(switchboard.is_effective)
        self.assertCountersExact(3)
        # several visits at once, then deleted at once (planned visits only)
        planned = self.Visit.with_user(self.salesperson).create(
            [
                {
                    "partner_id": self.customer.id,
                    "kind": "info",
                    "purpose": "Batch",
                    "date_planned": datetime.now(),
                }
                for _i in range(3)
            ]
        )
        self.assertCountersExact(3)
        planned.unlink()
        self.env.cr.execute(SQL("DELETE FROM sales_visit WHERE id = %s", second.id))
        self.assertCountersExact(2)
        # a salesperson who moves to another time zone has their periods recounted
        self.salesperson2.tz = "America/Los_Angeles"
        self.assertCountersExact(2)
        self.assertEqual(sum(self._counters()[0].values()), 2 * 2, "week + month")

    def test_vis4_progress_state_sql_agrees_with_the_policy(self):
        """The report's SQL is generated from policy.activity.PROGRESS_STATES: on
        every boundary it states what progress_state says."""
        cases = [
            (done, target, over)
            for done in (0, 5, 6, 7)
            for target in (0, 6)
            for over in (False, True)
        ]
        rows = self.env.execute_query(
            SQL(
                "SELECT v.done, v.target, v.over, %s FROM (VALUES %s) v(done, target, over)",
                self.env["sales.activity.progress"]._progress_state_sql(
                    SQL("v.done >= v.target"), SQL("v.over")
                ),
                SQL(", ").join(SQL("(%s, %s, %s)", *case) for case in cases),
            )
        )
        self.assertEqual(len(rows), len(cases))
        for done, target, over, state in rows:
            with self.subTest(done=done, target=target, over=over):
                self.assertEqual(state, vis.progress_state(done, target, period_over=over))
        self.assertEqual({row[3] for row in rows}, {"met", "behind", "in_progress"})

    def test_vis4_targets_are_data(self):
        target = self.env.ref("sales_dept_policy.activity_target_info_week")
        target.count = 2
        self._done(
            self._visit(kind="info"), contact_name="Manager Wu", contact_email="wu@example.com"
        )
        self._done(
            self._visit(kind="info"), contact_name="Manager Li", contact_email="li@example.com"
        )
        row = (
            self.env["sales.activity.progress"]
            .with_user(self.salesperson)
            .search([("kind", "=", "info"), ("period", "=", "week"), ("periods_ago", "=", 0)])
        )
        self.assertEqual((row.done, row.target, row.state), (2, 2, "met"))
        with self.assertRaisesRegex(ValidationError, "VIS-4"):
            target.count = 0

    def test_vis4_target_by_travel_level(self):
        staff = self.env.ref("sales_dept_policy.travel_level_staff")
        self.env["hr.employee"].create(
            {"name": "SDP Visit Staff", "user_id": self.salesperson.id, "travel_level_id": staff.id}
        )
        self.env["sales.activity.target"].create(
            {"kind": "return", "period": "week", "count": 3, "travel_level_id": staff.id}
        )
        self._done(self._visit(kind="return"))
        Progress = self.env["sales.activity.progress"]
        row = Progress.with_user(self.salesperson).search(
            [("kind", "=", "return"), ("period", "=", "week"), ("periods_ago", "=", 0)]
        )
        self.assertEqual((row.done, row.target, row.gap), (1, 3, 2))
        # the other salesperson has no level: no return-visit target
        self.assertFalse(Progress.with_user(self.salesperson2).search([("kind", "=", "return")]))
        with self.assertRaisesRegex(ValidationError, "role or to a level"):
            self.env["sales.activity.target"].create({"kind": "info", "period": "week", "count": 3})

    def test_vis4_who_owes_a_role_target(self):
        """VIS-4: a role's target is owed by the active internal users holding the role
        and no higher one, as the roles stand in the transaction; for given users,
        theirs only."""
        Target = self.env["sales.activity.target"]
        info = Target.search(
            [("kind", "=", "info"), ("period", "=", "week"), ("group_id", "!=", False)]
        )
        owed = Target._targets_by_user()
        self.assertEqual(owed[self.salesperson.id][("info", "week")], info.count)
        # sales managers imply the salesperson role and owe none of its targets
        for user in (self.manager, self.gm, self.employee):
            self.assertNotIn(user.id, owed)
        self.salesperson2.active = False
        self.employee.group_ids = [(4, self.env.ref("sales_dept_policy.group_salesperson").id)]
        owed = Target._targets_by_user()
        self.assertNotIn(self.salesperson2.id, owed)
        self.assertEqual(owed[self.employee.id], owed[self.salesperson.id])
        self.assertEqual(
            Target._targets_by_user(self.salesperson | self.manager),
            {self.salesperson.id: owed[self.salesperson.id]},
        )
        self.assertEqual(Target._targets_by_user(self.env["res.users"]), {})

    def test_vis4_export(self):
        self._done(self._visit(kind="onsite"), customer_requested=True)
        wizard = (
            self.env["sales.activity.export.wizard"]
            .with_user(self.salesperson)
            .create({"period": "month", "periods_back": 2})
        )
        wizard.action_export()
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data))).active
        # the title row first, then the header
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(rows[0][0], "Salesperson")
        body = [row for row in rows[1:] if row[2] == "On-Site Visit"]
        self.assertEqual(len(body), 2)
        self.assertEqual({row[0] for row in rows[1:]}, {self.salesperson.name})
        current = [row for row in body if row[3] == 1]
        self.assertEqual(len(current), 1)
        self.assertEqual(current[0][4:6], (6, 5))

    # ------------------------------------------------------------------
    # VIS-6: weekly plan and daily report
    # ------------------------------------------------------------------
    def test_vis6_weekly_plan_creates_visits(self):
        Plan = self.env["sales.visit.plan"].with_user(self.salesperson)
        monday = Plan._fields["week_start"].default(Plan)
        self.assertEqual(monday.weekday(), 0)
        plan = Plan.create(
            {
                "week_start": monday,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "partner_id": self.customer.id,
                            "date_planned": datetime.combine(monday, datetime.min.time())
                            + timedelta(hours=2),
                            "purpose": "Second batch",
                        },
                    )
                ],
            }
        )
        with self.assertRaisesRegex(ValidationError, "Monday"), self.env.cr.savepoint():
            plan.week_start = monday + timedelta(days=1)
        plan.action_submit()
        with self.assertRaises(AccessError):
            plan.with_user(self.salesperson).action_approve()
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "approved")
        plan.action_create_visits()
        visit = plan.line_ids.visit_id
        self.assertEqual(
            (visit.kind, visit.state, visit.user_id), ("return", "planned", self.salesperson)
        )
        plan.action_create_visits()
        self.assertEqual(len(plan.line_ids.visit_id), 1, "lines create their visit once")

    def test_vis6_daily_report(self):
        Report = self.env["sales.daily.report"].with_user(self.salesperson)
        report = Report.create({"work_done": "Visited Hengda", "problems": "A damaged crate"})
        with self.assertRaisesRegex(ValidationError, "own reports"), self.env.cr.savepoint():
            Report.create({"work_done": "x", "user_id": self.salesperson2.id})
        report.action_submit()
        with self.assertRaisesRegex(UserError, "locked"):
            report.with_user(self.salesperson).work_done = "Rewritten"
        report.with_user(self.manager).action_reject("Say what the solution is")
        self.assertEqual(report.state, "rejected")
        self.assertIn("Say what the solution is", report.message_ids[0].body)
