# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import date, datetime

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import Form, freeze_time, tagged

from .common import SalesPolicyCase

#: APR-5: what a hostile client may send with its call
HOSTILE_CONTEXT = {
    "sales_approval_transition": True,
    "active_test": False,
    "tracking_disable": True,
    "install_mode": True,
    "default_state": "approved",
    "default_decided_by_id": 1,
    "default_budget_reviewed_by_id": 1,
    "default_budget_committed": 0.0,
    "default_committed": 0.0,
    "default_budget_actual": 0.0,
}

MARCH = date(2027, 3, 1)
APRIL = date(2027, 4, 1)


@tagged("post_install", "-at_install")
@freeze_time("2027-03-01 02:00:00")
class TestBudget(SalesPolicyCase):
    """BUD-1..3: budgets set by the manager and approved by the general manager,
    consumed by approved trips and claims, the GM's extra step over budget, and
    the personal expense report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.env["ir.config_parameter"].set_param("sales_dept_policy.budget_missing_policy", "gm")
        staff = ref("sales_dept_policy.travel_level_staff")
        Employee = cls.env["hr.employee"]
        cls.emp_manager = Employee.create(
            {
                "name": "SDP Budget Manager",
                "user_id": cls.manager.id,
                "travel_level_id": ref("sales_dept_policy.travel_level_manager").id,
                "tz": "Asia/Shanghai",
            }
        )
        cls.emp_sp = Employee.create(
            {
                "name": "SDP Budget Salesperson",
                "user_id": cls.salesperson.id,
                "parent_id": cls.emp_manager.id,
                "travel_level_id": staff.id,
                "tz": "Asia/Shanghai",
            }
        )
        cls.emp_sp2 = Employee.create(
            {
                "name": "SDP Budget Salesperson Two",
                "user_id": cls.salesperson2.id,
                "parent_id": cls.emp_manager.id,
                "travel_level_id": staff.id,
                "tz": "Asia/Shanghai",
            }
        )
        cls.lodging = ref("sales_dept_policy.product_travel_lodging")
        cls.transport = ref("sales_dept_policy.product_travel_transport")
        cls.entertainment = ref("sales_dept_policy.product_sales_entertainment")
        cls.other = ref("sales_dept_policy.product_sales_other_expense")
        cls.currency = cls.env.company.currency_id

    # ------------------------------------------------------------------
    def _budget(self, user=None, amounts=None, year=2027, approve=True, months=None):
        """A budget of ``user`` set by the manager: ``amounts`` by kind, every month
        (or only ``months``), submitted and approved by the general manager."""
        user = user or self.salesperson
        amounts = amounts or {"travel": 1000.0, "entertainment": 500.0, "other": 200.0}
        budget = (
            self.env["sales.expense.budget"]
            .with_user(self.manager)
            .create({"user_id": user.id, "year": year})
        )
        for kind, amount in amounts.items():
            budget.line_ids.filtered(
                lambda ln, k=kind: ln.kind == k and (not months or ln.month in months)
            ).with_user(self.manager).write({"amount": amount})
        if approve:
            budget.with_user(self.manager).action_submit()
            budget.with_user(self.gm).action_approve()
        return budget

    def _line(self, budget, month=MARCH, kind="travel"):
        return budget.line_ids.filtered(lambda ln: ln.month == month and ln.kind == kind)

    def _trip(self, user=None, transport=200.0, lodging=180.0, **vals):
        user = user or self.salesperson
        return (
            self.env["sales.trip"]
            .with_user(user)
            .create(
                {
                    "destination": "Hangzhou",
                    "purpose": "Visit Hengda",
                    # 08:30 and, three days later, 18:00 in Shanghai: 4 days, 120 per diem
                    "planned_departure": datetime(2027, 3, 10, 0, 30),
                    "planned_return": datetime(2027, 3, 13, 10, 0),
                    "estimated_transport": transport,
                    "estimated_lodging": lodging,
                    **vals,
                }
            )
        )

    def _claim(self, product, amount, day=date(2027, 3, 10), trip=None, user=None, **vals):
        user = user or self.salesperson
        return (
            self.env["hr.expense"]
            .with_user(user)
            .create(
                {
                    "name": f"Claim {product.name} {amount}",
                    "employee_id": user.employee_id.id,
                    "product_id": product.id,
                    "trip_id": trip.id if trip else False,
                    "total_amount_currency": amount,
                    "date": day,
                    "payment_mode": "own_account",
                    **vals,
                }
            )
        )

    def _approved_claim(self, product, amount, **kwargs):
        claim = self._claim(product, amount, **kwargs)
        claim.with_user(kwargs.get("user") or self.salesperson).action_submit()
        claim.with_user(self.manager).action_approve()
        return claim

    def rpc(self, user, model, method, *args, **kwargs):
        env = self.env(user=user.id, su=False)
        return call_kw(env[model], method, list(args), {**kwargs, "context": HOSTILE_CONTEXT})

    def _set_missing_policy(self, value):
        self.env["ir.config_parameter"].set_param("sales_dept_policy.budget_missing_policy", value)

    # ------------------------------------------------------------------
    # BUD-1: set by the manager, approved by the general manager, locked
    # ------------------------------------------------------------------
    def test_bud1_budget_set_by_manager_approved_by_gm(self):
        budget = self._budget(approve=False)
        self.assertEqual(len(budget.line_ids), 36, "12 months × 3 kinds")
        self.assertEqual(budget.amount_total, 12 * 1700.0)
        self.assertEqual(
            (budget.amount_travel, budget.amount_entertainment, budget.amount_other),
            (12000.0, 6000.0, 2400.0),
        )
        # a salesperson sets no budget, theirs or anyone's
        with self.assertRaises(AccessError):
            self.env["sales.expense.budget"].with_user(self.salesperson).create(
                {"user_id": self.salesperson.id, "year": 2028}
            )
        with self.assertRaises(AccessError):
            self._line(budget).with_user(self.salesperson).write({"amount": 99999.0})
        budget.with_user(self.manager).action_submit()
        self.assertTrue(budget.activity_ids.filtered(lambda a: a.user_id == self.gm))
        # the manager who submitted does not decide; the salesperson it concerns neither
        with self.assertRaisesRegex(AccessError, "APR-"):
            budget.with_user(self.manager).action_approve()
        with self.assertRaises(AccessError):
            budget.with_user(self.salesperson).action_approve()
        budget.with_user(self.gm).action_approve()
        self.assertEqual(budget.state, "approved")
        self.assertEqual(budget.decided_by_id, self.gm)
        self.assertTrue(any("BUD-1" in (m.body or "") for m in budget.message_ids))
        # one budget per salesperson and year
        with self.assertRaisesRegex(ValidationError, "BUD-1"):
            self.env["sales.expense.budget"].with_user(self.manager).create(
                {"user_id": self.salesperson.id, "year": 2027}
            )
        # the department's total is the sum of the approved budgets
        Budget = self.env["sales.expense.budget"].with_user(self.manager)
        before = Budget._department_total(2027)
        self.assertGreaterEqual(before, 12 * 1700.0)
        self._budget(user=self.salesperson2, amounts={"travel": 100.0})
        self.assertEqual(Budget._department_total(2027), before + 12 * 100.0)

    def test_bud1_gm_never_approves_own_budget(self):
        budget = self._budget(user=self.gm, approve=False)
        budget.with_user(self.manager).action_submit()
        with self.assertRaisesRegex(AccessError, "APR-4"):
            budget.with_user(self.gm).action_approve()
        budget.with_user(self.gm2).action_approve()
        self.assertEqual(budget.state, "approved")

    def test_bud1_approved_budget_locked_revision_keeps_history(self):
        budget = self._budget()
        march, january = self._line(budget), self._line(budget, date(2027, 1, 1))
        with self.assertRaisesRegex(UserError, "APR-3"):
            march.with_user(self.manager).write({"amount": 5000.0})
        with self.assertRaisesRegex(UserError, "APR-3"):
            budget.with_user(self.manager).write({"note": "changed"})
        with self.assertRaisesRegex(UserError, "APR-3"):
            budget.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "BUD-1"):
            budget.with_user(self.salesperson).action_revise()
        action = budget.with_user(self.manager).action_revise()
        revision = self.env["sales.expense.budget.revision"].browse(action["res_id"])
        # the months not over yet: March to December, 3 kinds
        self.assertEqual(len(revision.line_ids), 30)
        self.assertNotIn(january, revision.line_ids.budget_line_id)
        revised = revision.line_ids.filtered(lambda ln: ln.budget_line_id == march)
        revised.with_user(self.manager).new_amount = 1500.0
        revision.with_user(self.manager).reason = "Canton fair added in March"
        # the previous figures are the revision's own, never a client's
        with self.assertRaisesRegex(UserError, "APR-5"):
            revised.with_user(self.manager).write({"old_amount": 1.0})
        revision.with_user(self.manager).action_submit()
        self.assertEqual(march.amount, 1000.0, "unchanged until the revision is approved")
        with self.assertRaises(ValidationError):
            revised.with_user(self.manager).new_amount = 9.0
        revision.with_user(self.gm).action_approve()
        self.assertEqual(march.amount, 1500.0)
        self.assertEqual((revised.old_amount, revised.new_amount), (1000.0, 1500.0))
        self.assertEqual(budget.amount_total, 12 * 1700.0 + 500.0)
        self.assertIn("Canton fair", budget.message_ids[0].body)
        # a second revision: the first keeps its figures, the history has both
        action = budget.with_user(self.manager).action_revise()
        second = self.env["sales.expense.budget.revision"].browse(action["res_id"])
        line = second.line_ids.filtered(lambda ln: ln.budget_line_id == march)
        self.assertEqual(line.old_amount, 1500.0)
        line.with_user(self.manager).new_amount = 800.0
        second.with_user(self.manager).action_submit()
        second.with_user(self.gm).action_approve()
        self.assertEqual(march.amount, 800.0)
        self.assertEqual((revised.old_amount, revised.new_amount), (1000.0, 1500.0))
        self.assertEqual(budget.revision_ids, second | revision)
        self.assertEqual(budget.with_user(self.salesperson).revision_count, 2)

    def test_bud1_revision_of_past_months_refused(self):
        budget = self._budget()
        revision = (
            self.env["sales.expense.budget.revision"]
            .with_user(self.manager)
            .create(
                {
                    "budget_id": budget.id,
                    "reason": "Back-date January",
                    "line_ids": [
                        (0, 0, {"budget_line_id": self._line(budget, date(2027, 1, 1)).id})
                    ],
                }
            )
        )
        with self.assertRaisesRegex(ValidationError, "BUD-1"):
            revision.with_user(self.manager).action_submit()
        self.assertEqual(revision.state, "draft")

    # ------------------------------------------------------------------
    # BUD-2: what consumes the budget
    # ------------------------------------------------------------------
    def test_bud2_trip_commits_its_estimate_when_approved(self):
        budget = self._budget()
        march = self._line(budget)
        trip = self._trip()
        self.assertEqual(trip.per_diem_amount, 120.0)
        self.assertEqual(trip.estimated_per_diem, 120.0)
        self.assertEqual(trip.estimated_total, 500.0)
        self.assertEqual(trip.budget_month, MARCH)
        # the approver sees the month before approving
        self.assertEqual(
            (trip.budget_amount, trip.budget_remaining, trip.budget_overrun, trip.budget_status),
            (1000.0, 1000.0, 0.0, "within"),
        )
        trip.with_user(self.salesperson).action_submit()
        self.assertEqual((march.committed, march.remaining), (0.0, 1000.0), "submitted: nothing")
        # the estimate is the one requested: locked once submitted (APR-3)
        with self.assertRaisesRegex(UserError, "APR-3"):
            trip.with_user(self.salesperson).estimated_transport = 10.0
        trip.with_user(self.manager).action_approve()
        self.assertEqual(trip.state, "approved", "within budget: the manager alone")
        self.assertEqual(trip.budget_committed, 500.0)
        march.invalidate_recordset()
        self.assertEqual((march.committed, march.actual, march.remaining), (500.0, 0.0, 500.0))
        self.assertEqual(budget.committed_total, 500.0)
        # later ticket times change the per diem, not the approved estimate
        trip.with_user(self.salesperson).return_at = datetime(2027, 3, 14, 10, 0)
        self.assertEqual(trip.per_diem_amount, 150.0)
        self.assertEqual(trip.estimated_per_diem, 120.0)
        self.assertEqual(trip.budget_committed, 500.0)
        # the April line is untouched
        self.assertEqual(self._line(budget, APRIL).committed, 0.0)

    def test_bud2_actual_replaces_committed_at_claim_approval(self):
        budget = self._budget()
        march = self._line(budget)
        trip = self._trip()
        trip.with_user(self.salesperson).action_submit()
        trip.with_user(self.manager).action_approve()
        per_diem = trip._per_diem_line()
        self.assertEqual(per_diem.total_amount, 120.0)
        hotel = self._approved_claim(self.lodging, 180.0, trip=trip, nights=3)
        self.assertEqual(hotel.budget_kind, "travel")
        self.assertEqual(hotel.budget_actual, 180.0)
        march.invalidate_recordset()
        # part claimed, the per diem pending: the rest of the estimate stays committed
        self.assertEqual((march.committed, march.actual, march.remaining), (320.0, 180.0, 500.0))
        self._approved_claim(self.transport, 150.0, trip=trip, transport_class="bus")
        per_diem.with_user(self.salesperson).action_submit()
        per_diem.with_user(self.manager).action_approve()
        # settled: the actual replaced the committed amount, the rest released
        self.assertEqual(trip.budget_committed, 0.0)
        march.invalidate_recordset()
        self.assertEqual((march.committed, march.actual, march.remaining), (0.0, 450.0, 550.0))

    def test_bud2_rejected_and_refused_release(self):
        budget = self._budget(amounts={"travel": 600.0})
        march = self._line(budget)
        first = self._trip()
        first.with_user(self.salesperson).action_submit()
        first.with_user(self.manager).action_approve()
        march.invalidate_recordset()
        self.assertEqual(march.remaining, 100.0)
        # a second trip would go over: the manager approves, the GM rejects it
        second = self._trip(transport=100.0, lodging=0.0)
        second.with_user(self.salesperson).action_submit()
        second.with_user(self.manager).action_approve()
        self.assertEqual(second.approval_step, "general_manager")
        second.with_user(self.gm).action_reject("No second trip this month")
        self.assertEqual((second.state, second.budget_committed), ("rejected", 0.0))
        march.invalidate_recordset()
        self.assertEqual(march.committed, 500.0, "the rejected trip commits nothing")
        # a refused claim line is no spending: the approved ones settle the claim
        first._per_diem_line().with_user(self.salesperson).action_submit()
        first._per_diem_line().with_user(self.manager).action_approve()
        hotel = self._claim(self.lodging, 180.0, trip=first, nights=3)
        hotel.with_user(self.salesperson).action_submit()
        hotel.with_user(self.manager)._do_refuse("Hotel booked by the customer")
        self.assertEqual(hotel.budget_actual, 0.0)
        march.invalidate_recordset()
        self.assertEqual((march.committed, march.actual), (0.0, 120.0))
        # a cancelled draft commits nothing either
        third = self._trip()
        third.with_user(self.salesperson).action_cancel()
        self.assertEqual(third.budget_committed, 0.0)

    def test_bud2_trip_over_budget_needs_the_general_manager(self):
        budget = self._budget(amounts={"travel": 300.0})
        trip = self._trip()
        self.assertTrue(trip.budget_needs_gm)
        self.assertEqual((trip.budget_remaining, trip.budget_overrun), (300.0, 200.0))
        trip.with_user(self.salesperson).action_submit()
        self.assertIn("BUD-2", trip.message_ids[0].body)
        self.assertIn("200.00", trip.message_ids[0].body)
        trip.with_user(self.manager).action_approve()
        self.assertEqual(trip.state, "submitted", "over budget: the GM approves as well")
        self.assertEqual(trip.approval_step, "general_manager")
        self.assertEqual(trip.reviewed_by_id, self.manager)
        self.assertTrue(trip.activity_ids.filtered(lambda a: a.user_id == self.gm))
        self.assertEqual(self._line(budget).committed, 0.0)
        # the manager decided their step; neither they nor the traveller decide the GM's
        with self.assertRaises(AccessError):
            trip.with_user(self.manager).action_approve()
        with self.assertRaises(AccessError):
            trip.with_user(self.salesperson).action_approve()
        trip.with_user(self.gm).action_approve()
        self.assertEqual((trip.state, trip.decided_by_id), ("approved", self.gm))
        line = self._line(budget)
        self.assertEqual((line.committed, line.remaining), (500.0, -200.0))
        self.assertTrue(line.over_budget)

    def test_bud2_forms_of_new_records_show_the_budget(self):
        """The web client's onchange of a trip or claim not saved yet (no id) checks
        the month's budget as the saved record does: the draft form warns (BUD-2)."""
        self._budget(amounts={"travel": 300.0, "entertainment": 500.0})
        with Form(self.env["sales.trip"].with_user(self.salesperson)) as form:
            form.destination = "Hangzhou"
            form.purpose = "Visit Hengda"
            form.planned_departure = datetime(2027, 3, 10, 0, 30)
            form.planned_return = datetime(2027, 3, 13, 10, 0)
            form.estimated_transport = 200.0
            form.estimated_lodging = 180.0
            self.assertEqual((form.budget_remaining, form.budget_overrun), (300.0, 200.0))
            self.assertEqual(form.budget_status, "over")
            self.assertTrue(form.budget_needs_gm)
        self.assertEqual(form.record.budget_overrun, 200.0)
        with Form(self.env["hr.expense"].with_user(self.salesperson)) as form:
            form.product_id = self.entertainment
            form.date = date(2027, 3, 10)
            form.total_amount_currency = 600.0
            self.assertEqual((form.budget_remaining, form.budget_overrun), (500.0, 100.0))
            self.assertTrue(form.budget_needs_gm)
        self.assertEqual(form.record.budget_overrun, 100.0)

    def test_bud2_under_budget_no_extra_step(self):
        self._budget(amounts={"travel": 500.0})
        trip = self._trip()  # exactly the budget
        self.assertFalse(trip.budget_needs_gm)
        trip.with_user(self.salesperson).action_submit()
        trip.with_user(self.manager).action_approve()
        self.assertEqual(trip.state, "approved")
        self.assertFalse(trip.reviewed_by_id)
        self.assertFalse(trip.activity_ids.filtered(lambda a: a.user_id == self.gm))

    def test_bud2_gm_deciding_the_managers_step_approves_both(self):
        self._budget(amounts={"travel": 100.0})
        # the traveller's manager is a general manager
        self.emp_manager.user_id = self.gm
        trip = self._trip()
        trip.with_user(self.salesperson).action_submit()
        self.assertEqual(trip.manager_user_id, self.gm)
        trip.with_user(self.gm).action_approve()
        self.assertEqual((trip.state, trip.decided_by_id), ("approved", self.gm))

    def test_bud2_claim_over_budget_needs_the_general_manager(self):
        budget = self._budget(amounts={"entertainment": 500.0})
        within = self._claim(self.entertainment, 300.0)
        self.assertEqual((within.budget_kind, within.budget_month), ("entertainment", MARCH))
        self.assertEqual((within.budget_remaining, within.budget_status), (500.0, "within"))
        within.with_user(self.salesperson).action_submit()
        within.with_user(self.manager).action_approve()
        self.assertEqual(within.approval_state, "approved", "within: the manager alone")
        dinner = self._claim(self.entertainment, 350.0, day=date(2027, 3, 20))
        self.assertEqual(
            (dinner.budget_remaining, dinner.budget_overrun, dinner.budget_needs_gm),
            (200.0, 150.0, True),
        )
        dinner.with_user(self.salesperson).action_submit()
        # the manager's approval is a review: recorded, then the GM decides
        self.assertTrue(dinner.with_user(self.manager).can_approve)
        dinner.with_user(self.manager).action_approve()
        self.assertEqual(dinner.approval_state, "submitted")
        self.assertEqual(dinner.budget_reviewed_by_id, self.manager)
        self.assertIn("150.00", dinner.message_ids[0].body)
        self.assertTrue(dinner.activity_ids.filtered(lambda a: a.user_id == self.gm))
        # APR-5: a general manager who leaves takes no decision with them; the to-dos
        # are with who decides now
        self.gm2.action_archive()
        self.assertFalse(dinner.activity_ids.filtered(lambda a: a.user_id == self.gm2))
        dinner.sudo().activity_ids.filtered(lambda a: a.user_id == self.gm).unlink()
        dinner._sync_decision_activities()
        self.assertTrue(dinner.activity_ids.filtered(lambda a: a.user_id == self.gm))
        self.assertFalse(dinner.with_user(self.manager).can_approve)
        with self.assertRaisesRegex(UserError, "BUD-2"):
            dinner.with_user(self.manager).action_approve()
        # no way round it: a direct write of the state, by the manager
        with self.assertRaisesRegex(UserError, "BUD-2"):
            dinner.with_user(self.manager).write({"approval_state": "approved"})
        # the GM reads it (their rule) and approves, though not the employee's manager
        self.assertIn(dinner, self.env["hr.expense"].with_user(self.gm).search([]))
        self.assertTrue(dinner.with_user(self.gm).can_approve)
        dinner.with_user(self.gm).action_approve()
        self.assertEqual(dinner.approval_state, "approved")
        self.assertEqual(dinner.manager_id, self.gm)
        self.assertFalse(
            dinner.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref("sales_dept_policy.mail_activity_type_decision")
                )
            )
        )
        line = self._line(budget, kind="entertainment")
        self.assertEqual((line.actual, line.remaining), (650.0, -150.0))

    def test_bud2_batch_approval_counts_the_whole_batch(self):
        self._budget(amounts={"entertainment": 500.0})
        first = self._claim(self.entertainment, 300.0)
        second = self._claim(self.entertainment, 300.0, day=date(2027, 3, 11))
        (first | second).with_user(self.salesperson).action_submit()
        (first | second).with_user(self.manager).action_approve()
        self.assertEqual(first.approval_state, "approved")
        self.assertEqual(
            (second.approval_state, second.budget_reviewed_by_id), ("submitted", self.manager)
        )

    def test_bud2_trip_claim_past_the_estimate(self):
        self._budget(amounts={"travel": 600.0})
        trip = self._trip()  # 500 committed, 100 left
        trip.with_user(self.salesperson).action_submit()
        trip.with_user(self.manager).action_approve()
        # within the estimate: nothing new consumed
        bus = self._claim(self.transport, 150.0, trip=trip, transport_class="bus")
        self.assertEqual((bus.budget_increase, bus.budget_status), (0.0, "within"))
        bus.with_user(self.salesperson).action_submit()
        bus.with_user(self.manager).action_approve()
        self.assertEqual(bus.approval_state, "approved")
        # the last open line goes 110 past the estimate, 10 past the month's budget
        hotel = self._claim(self.lodging, 180.0, trip=trip, nights=3)
        taxi = self._claim(self.transport, 280.0, trip=trip, transport_class="bus")
        self.assertEqual(taxi.budget_increase, 0.0, "the per diem and hotel still pending")
        hotel.with_user(self.salesperson).action_submit()
        hotel.with_user(self.manager).action_approve()
        self.assertEqual(hotel.approval_state, "approved")
        taxi.with_user(self.salesperson).action_submit()
        self.assertEqual(taxi.budget_increase, 110.0)
        self.assertEqual(taxi.budget_overrun, 10.0)
        taxi.with_user(self.manager).action_approve()
        self.assertEqual(taxi.budget_reviewed_by_id, self.manager)
        self.assertEqual(taxi.approval_state, "submitted")

    def test_bud2_no_budget_settings(self):
        # gm (the default): the general manager approves as well
        self.assertEqual(
            self.env["sales.expense.budget.line"]._missing_policy(), "gm", "default: ask the GM"
        )
        trip = self._trip()
        self.assertEqual((trip.budget_status, trip.budget_needs_gm), ("no_budget_gm", True))
        trip.with_user(self.salesperson).action_submit()
        self.assertIn("No approved travel budget", trip.message_ids[0].body)
        trip.with_user(self.manager).action_approve()
        self.assertEqual(trip.approval_step, "general_manager")
        claim = self._claim(self.other, 80.0)
        claim.with_user(self.salesperson).action_submit()
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.budget_reviewed_by_id, self.manager)
        # block: neither submitted nor approved
        self._set_missing_policy("block")
        blocked = self._trip()
        self.assertEqual(blocked.budget_status, "no_budget_block")
        with self.assertRaisesRegex(UserError, "BUD-2"):
            blocked.with_user(self.salesperson).action_submit()
        self.assertEqual(blocked.state, "draft")
        with self.assertRaisesRegex(UserError, "BUD-2"):
            trip.with_user(self.gm).action_approve()
        with self.assertRaisesRegex(UserError, "BUD-2"):
            self._claim(self.other, 80.0).with_user(self.salesperson).action_submit()
        self.assertFalse(claim.with_user(self.gm).can_approve)
        # allow: the manager alone, the settings' choice on the chatter
        self._set_missing_policy("allow")
        allowed = self._trip()
        allowed.with_user(self.salesperson).action_submit()
        self.assertIn("allowed without one", allowed.message_ids[0].body)
        allowed.with_user(self.manager).action_approve()
        self.assertEqual(allowed.state, "approved")
        free = self._approved_claim(self.other, 95.0)
        self.assertEqual(free.approval_state, "approved")
        # Settings edit the value, and only to a known one
        settings = self.env["res.config.settings"].create(
            {"sales_policy_budget_missing_policy": "block"}
        )
        settings.execute()
        self.assertEqual(self.env["sales.expense.budget.line"]._missing_policy(), "block")
        self._set_missing_policy("nonsense")
        self.assertEqual(self.env["sales.expense.budget.line"]._missing_policy(), "gm")

    def test_bud2_not_sales_staff_unchecked(self):
        employee = self.env["hr.employee"].create(
            {
                "name": "SDP Plain Employee",
                "user_id": self.employee.id,
                "parent_id": self.emp_manager.id,
            }
        )
        self.assertEqual(self.employee.employee_id, employee)
        claim = self._claim(self.other, 80.0, user=self.employee)
        self.assertFalse(claim.budget_status)
        claim.with_user(self.employee).action_submit()
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.approval_state, "approved")

    def test_bud2_month_boundaries_in_shanghai(self):
        budget = self._budget(
            amounts={"travel": 1000.0}, months=[date(2027, 4, 1)]
        )  # April only; March has 0
        # 00:30 on 1 April in Shanghai is 16:30 UTC on 31 March
        trip = self._trip(
            planned_departure=datetime(2027, 3, 31, 16, 30),
            planned_return=datetime(2027, 4, 2, 10, 0),
        )
        self.assertEqual(trip.budget_month, APRIL)
        self.assertEqual((trip.budget_amount, trip.budget_status), (1000.0, "within"))
        trip.with_user(self.salesperson).action_submit()
        trip.with_user(self.manager).action_approve()
        self.assertEqual(trip.state, "approved")
        self.assertEqual(self._line(budget, APRIL).committed, trip.estimated_total)
        self.assertEqual(self._line(budget, MARCH).committed, 0.0)
        # 23:59 on 31 March in Shanghai is still March
        march_trip = self._trip(
            planned_departure=datetime(2027, 3, 31, 15, 59),
            planned_return=datetime(2027, 4, 2, 10, 0),
        )
        self.assertEqual(march_trip.budget_month, MARCH)
        self.assertEqual(march_trip.budget_status, "over")
        # the same instant for a traveller in UTC is March too
        self.emp_sp.tz = "UTC"
        self.assertEqual(trip.budget_month, APRIL, "approved: the month stays")
        utc_trip = self._trip(
            planned_departure=datetime(2027, 3, 31, 16, 30),
            planned_return=datetime(2027, 4, 2, 10, 0),
        )
        self.assertEqual(utc_trip.budget_month, MARCH)
        # a claim's date is the local day it was spent
        claim = self._claim(self.other, 10.0, day=date(2027, 3, 31))
        self.assertEqual(claim.budget_month, MARCH)

    def test_bud2_currency_conversion(self):
        budget = self._budget(amounts={"entertainment": 500.0})
        foreign = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search(
                [("id", "!=", self.currency.id), ("name", "in", ["EUR", "USD", "CNY"])], limit=1
            )
        )
        foreign.active = True
        self.env["res.currency.rate"].search([("currency_id", "=", foreign.id)]).unlink()
        self.env["res.currency.rate"].create(
            {"currency_id": foreign.id, "name": "2027-01-01", "rate": 0.5}
        )
        claim = self._claim(self.entertainment, 100.0, currency_id=foreign.id)
        self.assertEqual(claim.total_amount_currency, 100.0)
        self.assertEqual(claim.total_amount, 200.0, "0.5 of the foreign currency a unit")
        self.assertEqual(claim.budget_increase, 200.0)
        claim.with_user(self.salesperson).action_submit()
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.budget_actual, 200.0)
        line = self._line(budget, kind="entertainment")
        self.assertEqual((line.actual, line.remaining), (200.0, 300.0))

    def test_bud2_expense_category_maps_to_kind(self):
        self.assertEqual(self.lodging.sales_budget_kind, "travel")
        self.assertEqual(self._claim(self.lodging, 60.0, nights=1).budget_kind, "travel")
        self.assertEqual(self._claim(self.other, 10.0).budget_kind, "other")
        # configurable: the category's kind decides
        self.other.product_tmpl_id.sales_budget_kind = "entertainment"
        self.assertEqual(self._claim(self.other, 10.0).budget_kind, "entertainment")
        plain = self.env["product.product"].create(
            {"name": "SDP Taxi Fare", "can_be_expensed": True}
        )
        self.assertEqual(self._claim(plain, 10.0).budget_kind, "other")

    # ------------------------------------------------------------------
    # BUD-3: the personal expense report
    # ------------------------------------------------------------------
    def _signed_order(self, amount, when):
        self.customer.credit_grade_id = self.env.ref("sales_dept_policy.credit_grade_a")
        product = self.env["product.product"].create(
            {"name": "SDP Budget Slab", "list_price": amount, "taxes_id": [(5, 0, 0)]}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesperson.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        order.date_order = when
        return order

    def _report_setup(self):
        budget = self._budget()
        trip = self._trip()
        trip.with_user(self.salesperson).action_submit()
        trip.with_user(self.manager).action_approve()
        self._approved_claim(self.entertainment, 300.0)
        self._approved_claim(self.other, 150.0, day=date(2027, 4, 2))
        self._signed_order(90000.0, datetime(2027, 3, 15, 3, 0))
        # the other salesperson's budget: not the salesperson's to read
        self._budget(user=self.salesperson2, amounts={"travel": 50.0})
        return budget

    def test_bud3_report_figures(self):
        self._report_setup()
        Report = self.env["sales.expense.report"].with_user(self.manager)
        (row,) = Report.search([("user_id", "=", self.salesperson.id), ("date", "=", MARCH)])
        self.assertEqual((row.budget, row.committed, row.actual), (1700.0, 500.0, 300.0))
        self.assertEqual(row.remaining, 900.0)
        signed = self.env["sales.target.period"]._signed_by_user_month(
            self.salesperson, MARCH, APRIL
        )
        self.assertEqual(row.signed, signed[self.env.company.id, self.salesperson.id, MARCH])
        self.assertEqual(row.signed, 90000.0)
        self.assertAlmostEqual(row.expense_per_10k, 300.0 * 10000 / 90000.0, places=2)
        (april,) = Report.search([("user_id", "=", self.salesperson.id), ("date", "=", APRIL)])
        self.assertEqual((april.actual, april.signed), (150.0, 0.0))
        self.assertFalse(april.expense_per_10k)
        # a quarter divides its sums, never averages its months' ratios
        ((user, budget, actual, signed, per_10k),) = Report._read_group(
            [
                ("user_id", "=", self.salesperson.id),
                ("date", ">=", date(2027, 1, 1)),
                ("date", "<=", date(2027, 3, 31)),
            ],
            ["user_id"],
            ["budget:sum", "actual:sum", "signed:sum", "expense_per_10k:avg"],
        )
        self.assertEqual(
            (user, budget, actual, signed), (self.salesperson, 3 * 1700.0, 300.0, 90000.0)
        )
        self.assertAlmostEqual(per_10k, 300.0 * 10000 / 90000.0, places=2)
        # the salesperson reads their own rows only
        mine = self.env["sales.expense.report"].with_user(self.salesperson).search([])
        self.assertTrue(mine)
        self.assertEqual(mine.user_id, self.salesperson)
        self.assertIn(self.salesperson2, Report.search([]).user_id)

    def test_bud3_budget_used_rows_for_the_meetings(self):
        self._report_setup()
        Line = self.env["sales.expense.budget.line"]
        rows = Line.with_user(self.manager)._budget_used_rows(date(2027, 1, 1), date(2027, 3, 31))
        by_user = {row["user_id"]: row for row in rows}
        row = by_user[self.salesperson.id]
        self.assertEqual(
            (row["budget"], row["committed"], row["actual"], row["used"], row["remaining"]),
            (3 * 1700.0, 500.0, 300.0, 800.0, 3 * 1700.0 - 800.0),
        )
        self.assertEqual(row["signed"], 90000.0)
        self.assertAlmostEqual(row["expense_per_10k"], 300.0 * 10000 / 90000.0, places=2)
        self.assertEqual(by_user[self.salesperson2.id]["budget"], 150.0)
        # the caller's rights apply
        own = Line.with_user(self.salesperson)._budget_used_rows(
            date(2027, 1, 1), date(2027, 3, 31)
        )
        self.assertEqual([row["user_id"] for row in own], [self.salesperson.id])

    def test_bud3_export_reopened(self):
        self._report_setup()

        def export(user):
            wizard = self.env["sales.expense.export.wizard"].with_user(user).create({"year": 2027})
            action = wizard.action_export()
            self.assertEqual(action["type"], "ir.actions.act_url")
            self.assertEqual(wizard.file_name, "expense_report_2027.xlsx")
            return openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))

        book = export(self.manager)
        self.assertEqual(book.sheetnames, ["Personal Expense Report", "Budget Lines"])
        sheet = book["Personal Expense Report"]
        self.assertIn("Year 2027", sheet["A1"].value)
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            rows[0],
            (
                "Salesperson",
                "Month",
                "Budget",
                "Committed",
                "Actual",
                "Remaining",
                "Signed Sales",
                "Expense per 10,000 Signed",
            ),
        )
        march = next(
            row for row in rows[1:] if row[0] == self.salesperson.name and row[1] == "2027-03"
        )
        self.assertEqual(march[2:7], (1700.0, 500.0, 300.0, 900.0, 90000.0))
        self.assertAlmostEqual(march[7], 33.33, places=2)
        lines = list(book["Budget Lines"].iter_rows(min_row=3, values_only=True))
        travel = next(
            row
            for row in lines
            if row[0] == self.salesperson.name and row[1] == "2027-03" and row[2] == "Travel"
        )
        self.assertEqual(travel[3:7], (1000.0, 500.0, 0.0, 500.0))
        # a salesperson exports their own figures only
        own = export(self.salesperson)
        names = {
            row[0]
            for row in own["Personal Expense Report"].iter_rows(min_row=3, values_only=True)
            if row[0]
        }
        self.assertEqual(names, {self.salesperson.name})

    # ------------------------------------------------------------------
    # Security
    # ------------------------------------------------------------------
    def test_bud1_salesperson_reads_only_own_budget(self):
        mine = self._budget()
        theirs = self._budget(user=self.salesperson2)
        Budget = self.env["sales.expense.budget"].with_user(self.salesperson)
        self.assertEqual(Budget.search([]), mine)
        self.assertEqual(mine.with_user(self.salesperson).remaining_total, 12 * 1700.0)
        with self.assertRaises(AccessError):
            theirs.with_user(self.salesperson).read(["amount_total"])
        Line = self.env["sales.expense.budget.line"].with_user(self.salesperson)
        self.assertEqual(Line.search([]).budget_id, mine)
        with self.assertRaises(AccessError):
            theirs.line_ids[:1].with_user(self.salesperson).read(["amount"])
        self.assertEqual(
            self.env["sales.expense.budget"].with_user(self.manager).search([]) & (mine | theirs),
            mine | theirs,
        )

    def test_bud2_hostile_context_changes_nothing(self):
        budget = self._budget(amounts={"entertainment": 100.0})
        # a budget is created as a draft, whatever the context defaults
        created = self.rpc(
            self.manager,
            "sales.expense.budget",
            "create",
            [{"user_id": self.salesperson2.id, "year": 2028}],
        )
        self.assertEqual(self.env["sales.expense.budget"].browse(created).state, "draft")
        with self.assertRaisesRegex(UserError, "APR-5"):
            self.rpc(
                self.manager,
                "sales.expense.budget",
                "create",
                [{"user_id": self.salesperson2.id, "year": 2029, "state": "approved"}],
            )
        # the figures are the records', never a client's
        line = self._line(budget, kind="entertainment")
        with self.assertRaisesRegex(UserError, "APR-5"):
            self.rpc(self.manager, "sales.expense.budget.line", "write", line.ids, {"actual": 0})
        trip = self._trip()
        with self.assertRaisesRegex(UserError, "APR-5"):
            self.rpc(self.salesperson, "sales.trip", "write", trip.ids, {"estimated_per_diem": 0.0})
        with self.assertRaisesRegex(UserError, "APR-5"):
            self.rpc(self.salesperson, "sales.trip", "write", trip.ids, {"budget_committed": 0.0})
        # a claim over the budget: no context lets the manager approve it alone
        dinner = self._claim(self.entertainment, 300.0)
        with self.assertRaisesRegex(UserError, "APR-5"):
            self.rpc(
                self.salesperson,
                "hr.expense",
                "write",
                dinner.ids,
                {"budget_reviewed_by_id": self.manager.id},
            )
        self.rpc(self.salesperson, "hr.expense", "action_submit", dinner.ids)
        self.rpc(self.manager, "hr.expense", "action_approve", dinner.ids)
        self.assertEqual(dinner.approval_state, "submitted")
        with self.assertRaisesRegex(UserError, "BUD-2"):
            self.rpc(self.manager, "hr.expense", "action_approve", dinner.ids)
        with self.assertRaisesRegex(UserError, "BUD-2"):
            self.rpc(
                self.manager, "hr.expense", "write", dinner.ids, {"approval_state": "approved"}
            )
        self.assertEqual(dinner.approval_state, "submitted")
        self.assertEqual(line.actual, 0.0)
        # the same for a trip over the budget
        self._set_missing_policy("gm")
        self.rpc(self.salesperson, "sales.trip", "action_submit", trip.ids)
        self.rpc(self.manager, "sales.trip", "action_approve", trip.ids)
        self.assertEqual((trip.state, trip.approval_step), ("submitted", "general_manager"))
        with self.assertRaises(AccessError):
            self.rpc(self.manager, "sales.trip", "action_approve", trip.ids)
        self.rpc(self.gm, "sales.trip", "action_approve", trip.ids)
        self.assertEqual(trip.state, "approved")
