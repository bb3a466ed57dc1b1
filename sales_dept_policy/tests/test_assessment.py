# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import date, datetime

import openpyxl
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from ..policy import assessment as asm
from .common import SalesPolicyCase

#: APR-5: what a hostile client may send with its calls
HOSTILE_CONTEXT = {
    "sales_approval_transition": True,
    "active_test": False,
    "tracking_disable": True,
    "install_mode": True,
    "default_state": "approved",
    "default_decided_by_id": 1,
    "default_score_sales": 100.0,
    "default_weighted_score": 100.0,
    "default_is_measured": True,
    "default_sales_measured": True,
    "default_total_score": 100.0,
    "default_grade": "S",
    "default_computed_on": "2027-04-01 00:00:00",
}

FEB = date(2027, 2, 1)
MARCH = date(2027, 3, 1)
APRIL = date(2027, 4, 1)


@tagged("post_install", "-at_install")
class TestAssessment(SalesPolicyCase):
    """ASM-1..3: the monthly assessment from the records, the manager's judgment,
    the general manager's approval, who reads what, the monthly job, the year, the
    champions and the export.

    The March 2027 of ``salesperson`` is built in ``setUpClass`` from real records:
    an approved target (10,000 a month, collections 5,000 a month), two orders
    (15,000 untaxed, margin 6,000: 40 % against a 20 % target), their deposits paid
    (4,500 collected), one delivery on time and one late, two effective visits and
    one cold visit against 5 owed. So: sales 100, collections 90, profit 100,
    shipment 50, activity 40 → (4000 + 2700 + 1000 + 500 + 400) / 100 = 86 → A.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.Assessment = cls.env["sales.assessment"]
        cls.finance = cls._new_user("sdp_asm_fin", "sales_dept_policy.group_finance")
        cls.production = cls._new_user("sdp_asm_prod", "sales_dept_policy.group_production")
        cls.salesperson3 = cls._new_user("sdp_asm_sp3", "sales_dept_policy.group_salesperson")
        cls.customer3 = cls.env["res.partner"].create(
            {
                "name": "SDP Third Customer Co",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.salesperson3.id,
            }
        )
        # VIS-4: one activity target for the tests: 5 effective on-site visits a month
        cls.env["sales.activity.target"].search([]).active = False
        cls.env["sales.activity.target"].create(
            {
                "kind": "onsite",
                "period": "month",
                "count": 5,
                "group_id": ref("sales_dept_policy.group_salesperson").id,
            }
        )
        cls.customer.credit_grade_id = ref("sales_dept_policy.credit_grade_b")
        cls.product = cls.env["product.product"].create(
            {
                "name": "SDP Assessed Slab",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 60.0,
                "taxes_id": [Command.clear()],
            }
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, warehouse.lot_stock_id, 1000)

        # QTA: the salesperson's approved target of 2027
        target = (
            cls.env["sales.target"]
            .with_user(cls.manager)
            .create(
                {
                    "user_id": cls.salesperson.id,
                    "year": 2027,
                    "target_amount": 120000.0,
                    "collection_target": 60000.0,
                }
            )
        )
        target.with_user(cls.manager).action_submit()
        target.with_user(cls.gm).action_approve()
        cls.target = target

        with freeze_time("2027-03-10 02:00:00"):
            cls.order_on_time = cls._order(100, "2027-03-15 04:00:00")
            cls.order_late = cls._order(50, "2027-03-12 04:00:00")
            for order in cls.order_on_time | cls.order_late:
                cls._release(order)
        cls._deliver(cls.order_on_time, datetime(2027, 3, 14, 3, 0))
        cls._deliver(cls.order_late, datetime(2027, 3, 20, 3, 0))
        with freeze_time("2027-03-18 02:00:00"):
            cls._visits(cls.salesperson, 2)
            cold = cls._visit(cls.salesperson)
            cls._done(cold, customer_requested=False)

    # ------------------------------------------------------------------
    # fixtures: the records, made by each role as in the web client
    # ------------------------------------------------------------------
    @classmethod
    def _order(cls, qty, commitment):
        order = (
            cls.env["sale.order"]
            .with_user(cls.salesperson)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "contract_kind": "phone_fax",
                    "commitment_date": commitment,
                    "order_line": [
                        Command.create({"product_id": cls.product.id, "product_uom_qty": qty})
                    ],
                }
            )
        )
        order.with_user(cls.salesperson).action_confirm()
        return order

    @classmethod
    def _release(cls, order):
        """ORD-1/4: the contract approved and the 30 % deposit paid."""
        action = order.with_user(cls.salesperson).action_request_contract_review()
        review = cls.env["sales.contract.review"].browse(action["res_id"])
        review.with_user(cls.salesperson).action_submit()
        review.with_user(cls.manager).action_approve()
        wizard = (
            cls.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": 30})
        )
        wizard.create_invoices()
        invoice = order.invoice_ids.filtered(lambda m: m.state == "draft")
        invoice.with_user(cls.finance).action_post()
        cls.env["account.payment.register"].with_user(cls.finance).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": invoice.amount_total}).action_create_payments()

    @classmethod
    def _deliver(cls, order, when):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking = picking.with_user(cls.production)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.button_validate()
        picking.sudo().date_done = when
        return picking

    @classmethod
    def _visit(cls, user):
        return (
            cls.env["sales.visit"]
            .with_user(user)
            .create(
                {
                    "partner_id": {
                        cls.salesperson: cls.customer,
                        cls.salesperson2: cls.other_customer,
                        cls.salesperson3: cls.customer3,
                    }[user].id,
                    "kind": "onsite",
                    "purpose": "Present the spring range",
                    "date_planned": datetime.now(),
                }
            )
        )

    @classmethod
    def _done(cls, visit, **report):
        visit.with_user(visit.user_id).write({"outcome": "Discussed prices", **report})
        visit.with_user(visit.user_id).action_done()
        return visit

    @classmethod
    def _visits(cls, user, count):
        for _i in range(count):
            cls._done(cls._visit(user), customer_requested=True)

    def _assess(self, user, month=MARCH, period="month", **vals):
        return self.Assessment.with_user(self.manager).create(
            {"user_id": user.id, "period": period, "date_from": month, **vals}
        )

    def _activity_only(self, user, count, month):
        """An assessment measuring activity only: ``count`` effective visits of 5."""
        with freeze_time(datetime(month.year, month.month, 12, 2, 0)):
            self._visits(user, count)
        return self._assess(user, month)

    def _settings(self, **values):
        settings = self.env["res.config.settings"].with_user(self.admin).create(values)
        settings.execute()

    def _approve(self, assessment):
        assessment.with_user(self.manager).action_submit()
        assessment.with_user(self.gm).action_approve()
        self.assertEqual(assessment.state, "approved")
        return assessment

    def rpc(self, user, model, method, *args, **kwargs):
        env = self.env(user=user.id, su=False)
        return call_kw(env[model], method, list(args), {**kwargs, "context": HOSTILE_CONTEXT})

    # ------------------------------------------------------------------
    # ASM-1: the figures are the records'
    # ------------------------------------------------------------------
    def test_asm1_figures_equal_the_records(self):
        card = self._assess(self.salesperson)
        self.assertEqual(card.date_to, date(2027, 3, 31))
        # sales: the approved month's target against the confirmed orders
        self.assertAlmostEqual(card.sales_target, 10000.0)
        self.assertAlmostEqual(card.sales_signed, 15000.0)
        self.assertAlmostEqual(card.sales_ratio, 150.0)
        self.assertEqual(card.score_sales, 100.0)
        # collections: a twelfth of the yearly collection target (split as the sales
        # target, evenly), against the deposits paid in March
        self.assertAlmostEqual(card.collection_target, 5000.0)
        self.assertAlmostEqual(card.collection_collected, 4500.0)
        self.assertEqual(card.score_collection, 90.0)
        # profit: sale_margin's margin, 40 % against the 20 % target
        self.assertAlmostEqual(card.profit_amount, 15000.0)
        self.assertAlmostEqual(card.profit_margin, 6000.0)
        self.assertAlmostEqual(card.profit_margin_percent, 40.0)
        self.assertEqual(card.target_margin_percent, 20.0)
        self.assertEqual(card.score_profit, 100.0)
        # shipment: done on 14 March for the 15th; done on the 20th for the 12th
        self.assertEqual((card.shipment_done, card.shipment_on_time), (2, 1))
        self.assertEqual(card.score_shipment, 50.0)
        # activity: two effective visits (the cold one does not count) of 5 owed
        self.assertEqual(card.activity_done, 2)
        self.assertAlmostEqual(card.activity_target, 5.0)
        self.assertIn("2 / 5", card.activity_detail)
        self.assertEqual(card.score_activity, 40.0)
        # weights and result
        self.assertEqual(
            (card.weight_sales, card.weight_collection, card.weight_profit),
            (40.0, 30.0, 10.0),
        )
        self.assertEqual(card.weighted_score, 86.0)
        self.assertEqual(card.total_score, 86.0)
        self.assertEqual(card.grade, "A")
        self.assertEqual(card.share_sales, 40.0)

    def test_asm1_nothing_to_measure_is_left_out(self):
        """No target, no order, no delivery: only activity counts, carrying the total."""
        card = self._activity_only(self.salesperson2, 4, MARCH)
        self.assertFalse(card.sales_measured)
        self.assertFalse(card.shipment_measured)
        self.assertTrue(card.activity_measured)
        self.assertEqual(card.score_activity, 80.0)
        self.assertEqual(card.weighted_score, 80.0)
        self.assertEqual(card.share_activity, 100.0)
        self.assertEqual(card.share_sales, 0.0)

    def test_asm1_late_delivery_boundary_is_the_local_promised_day(self):
        """Done on the promised day, late in the evening (local time), is on time;
        a delivery validated on 1 April local time (31 March UTC) is April's."""
        with freeze_time("2027-03-10 02:00:00"):
            order = self._order(10, "2027-03-25 01:00:00")
            self._release(order)
        # 25 March 23:30 in Shanghai
        self._deliver(order, datetime(2027, 3, 25, 15, 30))
        with freeze_time("2027-03-10 02:00:00"):
            april = self._order(10, "2027-04-02 01:00:00")
            self._release(april)
        # 1 April 01:00 in Shanghai
        self._deliver(april, datetime(2027, 3, 31, 17, 0))
        card = self._assess(self.salesperson)
        self.assertEqual((card.shipment_done, card.shipment_on_time), (3, 2))
        self.assertEqual(self._assess(self.salesperson, APRIL).shipment_done, 1)

    # ------------------------------------------------------------------
    # ASM-2: grades at their thresholds, the settings, the band
    # ------------------------------------------------------------------
    def test_asm2_grade_at_each_threshold(self):
        card = self._activity_only(self.salesperson2, 4, MARCH)
        self.assertEqual((card.total_score, card.grade), (80.0, "A"), "exactly 80: A")
        judge = card.with_user(self.manager)
        judge.write({"manager_adjustment": -0.01, "comment": "Late weekly plans"})
        self.assertEqual((card.total_score, card.grade), (79.99, "B"))
        judge.manager_adjustment = 10.0
        self.assertEqual((card.total_score, card.grade), (90.0, "S"), "exactly 90: S")
        judge.manager_adjustment = 9.99
        self.assertEqual((card.total_score, card.grade), (89.99, "A"))

        low = self._activity_only(self.salesperson2, 3, FEB)
        self.assertEqual((low.total_score, low.grade), (60.0, "B"), "exactly 60: B")
        low.with_user(self.manager).write({"manager_adjustment": -0.01, "comment": "Absent"})
        self.assertEqual((low.total_score, low.grade), (59.99, "C"))

    def test_asm1_asm2_weights_and_thresholds_changed_in_settings(self):
        card = self._assess(self.salesperson)
        self.assertEqual((card.weighted_score, card.grade), (86.0, "A"))
        approved = self._approve(self._activity_only(self.salesperson2, 4, MARCH))
        self._settings(
            sales_policy_assessment_weight_sales=20,
            sales_policy_assessment_weight_collection=20,
            sales_policy_assessment_weight_profit=20,
            sales_policy_assessment_weight_shipment=20,
            sales_policy_assessment_weight_activity=20,
        )
        # a draft takes them when recomputed: (100 + 90 + 100 + 50 + 40) / 5 = 76
        self.assertEqual(card.weighted_score, 86.0)
        card.with_user(self.manager).action_recompute()
        self.assertEqual((card.weighted_score, card.grade), (76.0, "B"))
        self.assertEqual(card.weight_sales, 20.0)
        self.assertIn("Figures recomputed", card.message_ids[0].body)
        self._settings(sales_policy_assessment_grade_a=75.0)
        card.with_user(self.manager).action_recompute()
        self.assertEqual((card.grade, card.threshold_a), ("A", 75.0))
        # an approved one keeps what was approved
        self.assertEqual((approved.threshold_a, approved.grade), (80.0, "A"))
        with self.assertRaises(UserError):
            approved.with_user(self.manager).action_recompute()

    def test_asm_settings_refuse_bad_values(self):
        with self.assertRaisesRegex(ValidationError, "sum to 100"):
            self._settings(sales_policy_assessment_weight_sales=41)
        with self.assertRaisesRegex(ValidationError, "S > A > B"):
            self._settings(sales_policy_assessment_grade_a=90.0)
        with self.assertRaisesRegex(ValidationError, "S > A > B"):
            self._settings(sales_policy_assessment_grade_s=101.0)
        with self.assertRaisesRegex(ValidationError, "Adjustment Band"):
            self._settings(sales_policy_assessment_band=-1.0)
        with self.assertRaisesRegex(ValidationError, "Target Margin"):
            self._settings(sales_policy_assessment_target_margin=0.0)
        self.assertEqual(self.Assessment._assessment_settings()["weights"], asm.DEFAULT_WEIGHTS)

    def test_asm2_adjustment_band_and_comment(self):
        card = self._activity_only(self.salesperson2, 4, MARCH).with_user(self.manager)
        # (Odoo's assertRaises rolls the failed write back, cache included)
        with self.assertRaises(ValidationError) as caught:
            card.write({"manager_adjustment": 11.0, "comment": "Best month ever"})
        self.assertIn("± 10.0 points (ASM-2)", str(caught.exception))
        self.assertEqual((card.manager_adjustment, card.comment), (0.0, False))
        with self.assertRaises(ValidationError) as caught:
            card.write({"manager_adjustment": 5.0})
        self.assertIn("needs a comment", str(caught.exception))
        card.write({"manager_adjustment": 10.0, "comment": "Brought the Hengda tender"})
        self.assertEqual(card.total_score, 90.0)
        card.write({"manager_adjustment": -10.0})
        self.assertEqual(card.total_score, 70.0)
        # a narrower band in the Settings applies when the figures are recomputed
        self._settings(sales_policy_assessment_band=5.0)
        with self.assertRaises(ValidationError) as caught:
            card.action_recompute()
        self.assertIn("± 5.0", str(caught.exception))
        self.assertEqual(card.adjustment_band, 10.0)
        card.manager_adjustment = -5.0
        card.action_recompute()
        self.assertEqual((card.adjustment_band, card.total_score), (5.0, 75.0))
        # the total stays on the scale
        self.assertEqual(asm.total_score(98.0, 5.0), 100.0)

    # ------------------------------------------------------------------
    # APR: prepared by the manager, approved by the general manager, locked
    # ------------------------------------------------------------------
    def test_asm2_general_manager_approves_and_it_locks(self):
        card = self._activity_only(self.salesperson2, 4, MARCH)
        # the salesperson neither submits nor judges
        with self.assertRaises(AccessError):
            card.with_user(self.salesperson2).action_submit()
        with self.assertRaises(AccessError):
            card.with_user(self.salesperson2).write({"manager_adjustment": 10, "comment": "Me"})
        card.with_user(self.manager).write({"manager_adjustment": 2.0, "comment": "Team player"})
        card.with_user(self.manager).action_submit()
        self.assertEqual(card.state, "submitted")
        self.assertIn(self.gm, card.approver_ids)
        self.assertNotIn(self.manager, card.approver_ids)
        # the manager who submitted it does not approve it, nor does another manager
        with self.assertRaisesRegex(AccessError, "APR-4"):
            card.with_user(self.manager).action_approve()
        manager2 = self._new_user("sdp_asm_mgr2", "sales_dept_policy.group_sales_manager")
        with self.assertRaisesRegex(AccessError, "APR-2"):
            card.with_user(manager2).action_approve()
        with self.assertRaisesRegex(UserError, "locked"):
            card.with_user(self.manager).write({"comment": "Changed my mind"})
        card.with_user(self.gm).action_approve()
        self.assertEqual((card.state, card.decided_by_id), ("approved", self.gm))
        # the salesperson is told, and reads it
        told = card.message_ids.filtered(lambda m: self.salesperson2.partner_id in m.partner_ids)
        self.assertIn("82.0 points", told[0].body)
        self.assertEqual(card.with_user(self.salesperson2).total_score, 82.0)
        # locked: no judgment, no recompute, no cancel, no delete
        with self.assertRaisesRegex(UserError, "locked"):
            card.with_user(self.manager).write({"manager_adjustment": 5.0})
        with self.assertRaises(UserError):
            card.with_user(self.manager).action_recompute()
        with self.assertRaises(UserError):
            card.with_user(self.manager).action_cancel()
        with self.assertRaisesRegex(UserError, "APR-3"):
            card.with_user(self.manager).unlink()

    def test_asm2_nobody_prepares_or_decides_their_own(self):
        """APR-4: a sales manager with a target is assessed too: prepared and submitted
        by another, approved by a general manager who did not submit it."""
        target = (
            self.env["sales.target"]
            .with_user(self.gm)
            .create({"user_id": self.manager.id, "year": 2027, "target_amount": 60000.0})
        )
        target.with_user(self.gm).action_submit()
        target.with_user(self.gm2).action_approve()
        with self.assertRaisesRegex(AccessError, "APR-4"):
            self._assess(self.manager)
        card = self.Assessment.with_user(self.gm).create(
            {"user_id": self.manager.id, "date_from": MARCH}
        )
        self.assertTrue(card.sales_measured)
        self.assertEqual(card.sales_target, 5000.0)
        with self.assertRaisesRegex(AccessError, "APR-4"):
            card.with_user(self.manager).write({"comment": "I was great"})
        with self.assertRaisesRegex(AccessError, "APR-4"):
            card.with_user(self.manager).action_submit()
        card.with_user(self.gm).action_submit()
        with self.assertRaisesRegex(AccessError, "APR-4"):
            card.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(AccessError, "APR-4"):
            card.with_user(self.gm).action_approve()
        card.with_user(self.gm2).action_approve()
        self.assertEqual(card.decided_by_id, self.gm2)
        # nothing to measure: not submitted
        empty = self.Assessment.with_user(self.gm).create(
            {"user_id": self.manager.id, "date_from": date(2026, 3, 1)}
        )
        with self.assertRaisesRegex(UserError, "nothing to assess"):
            empty.with_user(self.gm).action_submit()

    def test_asm1_one_assessment_per_person_and_month(self):
        self._assess(self.salesperson2, date(2027, 3, 17))
        with self.assertRaisesRegex(ValidationError, "already has an assessment"):
            self._assess(self.salesperson2, MARCH)
        # a year is kept as its 1 January, a month as its first day
        year = self._assess(self.salesperson2, date(2027, 6, 5), period="year")
        self.assertEqual((year.date_from, year.date_to), (date(2027, 1, 1), date(2027, 12, 31)))
        with self.assertRaisesRegex(UserError, "stays of its salesperson"):
            year.with_user(self.manager).date_from = date(2026, 1, 1)
        # the database's constraint stays the last guard
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env.cr.execute(
                "INSERT INTO sales_assessment (user_id, period, date_from, company_id, state)"
                " VALUES (%s, 'year', %s, %s, 'draft')",
                (self.salesperson2.id, date(2027, 1, 1), self.env.company.id),
            )

    # ------------------------------------------------------------------
    # ASM-2: who reads what
    # ------------------------------------------------------------------
    def test_asm2_read_rules(self):
        mine = self._activity_only(self.salesperson2, 4, MARCH)
        other = self._approve(self._activity_only(self.salesperson3, 4, MARCH))
        Mine = self.Assessment.with_user(self.salesperson2)
        # not their own draft
        self.assertFalse(Mine.search([("id", "=", mine.id)]))
        with self.assertRaises(AccessError):
            mine.with_user(self.salesperson2).read(["total_score"])
        # never another's, approved or not
        self.assertFalse(Mine.search([("id", "=", other.id)]))
        with self.assertRaises(AccessError):
            other.with_user(self.salesperson2).read(["total_score"])
        # their own once approved
        self._approve(mine)
        self.assertEqual(Mine.search([("period", "=", "month")]), mine)
        self.assertEqual(mine.with_user(self.salesperson2).read(["grade"])[0]["grade"], "A")
        # managers and general managers read all
        both = mine | other
        self.assertEqual(
            self.Assessment.with_user(self.manager).search([("id", "in", both.ids)]), both
        )
        self.assertEqual(self.Assessment.with_user(self.gm).search([("id", "in", both.ids)]), both)
        # an employee outside sales reads none; the ranking is the managers'
        with self.assertRaises(AccessError):
            self.Assessment.with_user(self.employee).search([])
        with self.assertRaises(AccessError):
            self.env["sales.assessment.ranking"].with_user(self.salesperson2).search([])
        # the salesperson may ask about their scorecard, in its chatter
        mine.with_user(self.salesperson2).message_post(body="Why is shipment not measured?")

    # ------------------------------------------------------------------
    # ASM-1/3: the monthly job, the year
    # ------------------------------------------------------------------
    def test_asm1_cron_drafts_last_month_once(self):
        Assessment = self.Assessment.sudo()
        drafts = Assessment._cron_draft_assessments(today=APRIL)
        ours = drafts.filtered(lambda a: a.user_id in (self.salesperson | self.salesperson2))
        self.assertEqual(len(ours), 2)
        self.assertEqual(set(ours.mapped("date_from")), {MARCH})
        self.assertEqual(set(ours.mapped("state")), {"draft"})
        mine = ours.filtered(lambda a: a.user_id == self.salesperson)
        self.assertEqual((mine.sales_signed, mine.total_score), (15000.0, 86.0))
        # managers without a target are not assessed
        self.assertNotIn(self.manager, drafts.user_id)
        # the preparer's to-do
        todo = mine.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("sales_dept_policy.mail_activity_type_assessment")
            )
        )
        self.assertIn(self.manager, todo.user_id)
        self.assertNotIn(self.gm, todo.user_id)
        # run again: nothing new; a cancelled one is not drafted again either
        ours.filtered(lambda a: a.user_id == self.salesperson2).with_user(
            self.manager
        ).action_cancel()
        self.assertFalse(Assessment._cron_draft_assessments(today=date(2027, 4, 2)))
        self.assertEqual(
            Assessment.search_count(
                [("user_id", "=", self.salesperson.id), ("date_from", "=", MARCH)]
            ),
            1,
        )
        # submitting closes the to-do
        mine.with_user(self.manager).action_submit()
        self.assertFalse(
            mine.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref("sales_dept_policy.mail_activity_type_assessment")
                )
            )
        )

    def test_asm3_year_from_approved_months(self):
        march = self._activity_only(self.salesperson2, 4, MARCH)
        march.with_user(self.manager).write({"manager_adjustment": 5.0, "comment": "Helped"})
        self._approve(march)
        self._approve(self._activity_only(self.salesperson2, 3, FEB))
        # April is a draft: not counted
        self._activity_only(self.salesperson2, 5, APRIL)
        with freeze_time("2028-01-01 01:00:00"):
            drafts = self.Assessment.sudo()._cron_draft_assessments(today=date(2028, 1, 1))
        year = drafts.filtered(lambda a: a.period == "year" and a.user_id == self.salesperson2)
        self.assertEqual(year.date_from, date(2027, 1, 1))
        self.assertEqual(year.month_count, 2)
        # activity: (80 + 60) / 2; computed score: the months' totals (85 + 60) / 2
        self.assertEqual(year.score_activity, 70.0)
        self.assertEqual(year.weighted_score, 72.5)
        self.assertEqual((year.total_score, year.grade), (72.5, "B"))
        self.assertEqual(year.activity_done, 7)
        # the year waits for the months still open
        with self.assertRaisesRegex(UserError, "ASM-3"):
            year.with_user(self.manager).action_submit()
        self.Assessment.search(
            [
                ("user_id", "=", self.salesperson2.id),
                ("period", "=", "month"),
                ("state", "=", "draft"),
            ]
        ).with_user(self.manager).action_cancel()
        self._approve(year)

    # ------------------------------------------------------------------
    # ASM-3: the champions
    # ------------------------------------------------------------------
    def test_asm3_ranking_champions(self):
        self._approve(self._assess(self.salesperson))
        self._approve(self._activity_only(self.salesperson2, 4, MARCH))
        self._approve(self._activity_only(self.salesperson3, 4, MARCH))
        Ranking = self.env["sales.assessment.ranking"].with_user(self.manager)
        users = self.salesperson | self.salesperson2 | self.salesperson3
        quarter = Ranking.search(
            [
                ("period", "=", "quarter"),
                ("date_from", "=", date(2027, 1, 1)),
                ("user_id", "in", users.ids),
            ]
        )
        by_user = {row.user_id: row for row in quarter}
        self.assertEqual(by_user[self.salesperson].rank, 1)
        self.assertTrue(by_user[self.salesperson].is_champion)
        self.assertEqual(by_user[self.salesperson].signed, 15000.0)
        self.assertEqual(by_user[self.salesperson].grade_a_count, 1)
        # equal sales and equal average: they share the rank
        self.assertEqual((by_user[self.salesperson2].rank, by_user[self.salesperson3].rank), (2, 2))
        self.assertFalse(by_user[self.salesperson2].is_champion)
        # the report ranks as the policy does
        expected = asm.ranking([(row.user_id.id, row.signed, row.average_score) for row in quarter])
        self.assertEqual({row.user_id.id: row.rank for row in quarter}, expected)
        year = Ranking.search(
            [
                ("period", "=", "year"),
                ("date_from", "=", date(2027, 1, 1)),
                ("user_id", "=", self.salesperson.id),
            ]
        )
        self.assertTrue(year.is_champion)
        self.assertEqual(year.month_count, 1)

    # ------------------------------------------------------------------
    # the export, reopened
    # ------------------------------------------------------------------
    def test_asm_xlsx_export_of_a_month(self):
        self._assess(self.salesperson)
        self._approve(self._activity_only(self.salesperson2, 4, MARCH))
        wizard = (
            self.env["sales.assessment.export.wizard"]
            .with_user(self.manager)
            .create({"month": date(2027, 3, 20)})
        )
        action = wizard.action_export()
        self.assertIn("assessments_2027-03.xlsx", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        sheet = book.active
        self.assertIn("2027-03", sheet.cell(1, 1).value)
        header = [cell.value for cell in sheet[2]]
        rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
        mine = dict(zip(header, rows[self.salesperson.name], strict=False))
        self.assertEqual(mine["Signed"], 15000.0)
        self.assertEqual(mine["Sales Score"], 100.0)
        self.assertEqual(mine["Collected"], 4500.0)
        self.assertEqual(mine["Deliveries Done"], 2)
        self.assertEqual(mine["Delivered On Time"], 1)
        self.assertEqual(mine["Total"], 86.0)
        self.assertEqual(mine["Grade"], "A · Good")
        other = dict(zip(header, rows[self.salesperson2.name], strict=False))
        self.assertIsNone(other["Sales Score"], "not measured: blank, not 0")
        self.assertEqual(other["Status"], "Approved")
        # only approved
        wizard.approved_only = True
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        names = {row[0] for row in book.active.iter_rows(min_row=3, values_only=True)}
        self.assertNotIn(self.salesperson.name, names)
        self.assertIn(self.salesperson2.name, names)
        # salespeople export nothing
        with self.assertRaises(AccessError):
            self.env["sales.assessment.export.wizard"].with_user(self.salesperson).create(
                {"month": MARCH}
            )

    # ------------------------------------------------------------------
    # APR-5: a hostile client
    # ------------------------------------------------------------------
    def test_apr5_hostile_create_and_write_over_rpc(self):
        vals = {"user_id": self.salesperson2.id, "date_from": str(MARCH)}
        # the salesperson creates nothing, whatever the context
        with self.assertRaises(AccessError):
            self.rpc(self.salesperson2, "sales.assessment", "create", vals)
        # the manager's create: the context's defaults of the policy's fields are dropped
        card_id = self.rpc(self.manager, "sales.assessment", "create", vals)
        card = self.Assessment.browse(card_id)
        self.assertEqual(card.state, "draft")
        # from the records: no target, no visit (activity 0 of 5): 0, graded C
        self.assertFalse(card.sales_measured)
        self.assertEqual(card.score_sales, 0.0)
        self.assertEqual((card.weighted_score, card.total_score, card.grade), (0.0, 0.0, "C"))
        # scores, figures, results and decisions sent in the values are refused
        for forged in (
            {"score_sales": 100.0},
            {"sales_signed": 1e6},
            {"weighted_score": 99.0},
            {"total_score": 100.0},
            {"grade": "S"},
            {"weight_sales": 100.0},
            {"adjustment_band": 100.0},
            {"state": "approved"},
            {"decided_by_id": self.gm.id},
        ):
            with self.subTest(forged=forged), self.assertRaises(UserError):
                self.rpc(self.manager, "sales.assessment", "write", [card_id], forged)
            with self.subTest(create=forged), self.assertRaises(UserError):
                self.rpc(
                    self.manager,
                    "sales.assessment",
                    "create",
                    {"user_id": self.salesperson3.id, "date_from": str(MARCH), **forged},
                )
        self.env.invalidate_all()
        self.assertEqual((card.state, card.score_sales, card.grade), ("draft", 0.0, "C"))
        # the judgment goes through; out of band it is refused whatever the context
        with self.assertRaises(ValidationError):
            self.rpc(
                self.manager, "sales.assessment", "write", [card_id], {"manager_adjustment": 50.0}
            )
        # the decision is the general manager's, whatever the context says
        self.rpc(self.manager, "sales.assessment", "action_submit", [card_id])
        with self.assertRaises(AccessError):
            self.rpc(self.manager, "sales.assessment", "action_approve", [card_id])
        with self.assertRaises(AccessError):
            self.rpc(self.salesperson2, "sales.assessment", "action_approve", [card_id])
        self.rpc(self.gm, "sales.assessment", "action_approve", [card_id])
        self.env.invalidate_all()
        self.assertEqual(card.state, "approved")
