# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import date, datetime
from unittest.mock import patch

import openpyxl
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import Form, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.sales_target import SalesTargetPeriod
from .common import SalesPolicyCase

#: APR-5: what a hostile client may send with its call
HOSTILE_CONTEXT = {
    "sales_approval_transition": True,
    "active_test": False,
    "tracking_disable": True,
    "install_mode": True,
    "default_user_id": None,  # set per test
    "default_state": "approved",
    "default_decided_by_id": 1,
    "default_received_amount": 999.0,
    "default_difference": -999.0,
    "default_planned_total": 999.0,
}

MARCH = date(2027, 3, 1)
APRIL = date(2027, 4, 1)


@tagged("post_install", "-at_install")
class TestCollectionPlan(SalesPolicyCase):
    """ORD-6: the monthly collection plan, reviewed by the sales manager, and the
    month's report: planned against what the payments brought in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = new_test_user(
            cls.env,
            login="sdp_col_fin",
            name="SDP Collection Finance",
            groups="account.group_account_manager,sales_dept_policy.group_archive_reader",
            tz="Asia/Shanghai",
            context={"no_reset_password": True},
        )
        cls.Plan = cls.env["sales.collection.plan"]
        cls.Line = cls.env["sales.collection.plan.line"]

    # ------------------------------------------------------------------
    # fixtures: invoices, payments and credit notes, as finance makes them
    # ------------------------------------------------------------------
    def _invoice(self, amount, invoice_date, due_date, user=None, partner=None, post=True):
        invoice = (
            self.env["account.move"]
            .with_user(self.finance)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or self.customer).id,
                    "invoice_user_id": (user or self.salesperson).id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": due_date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "SDP Slab",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            invoice.action_post()
        self.assertEqual(invoice.invoice_date_due, date.fromisoformat(due_date))
        return invoice

    def _pay(self, invoice, amount, when):
        return (
            self.env["account.payment.register"]
            .with_user(self.finance)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": when})
            ._create_payments()
        )

    def _credit_note(self, invoice, amount, when):
        refund = (
            self.env["account.move"]
            .with_user(self.finance)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "invoice_user_id": invoice.invoice_user_id.id,
                    "invoice_date": when,
                    "reversed_entry_id": invoice.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "SDP Broken Slab",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        refund.action_post()
        (invoice | refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).with_user(self.finance).reconcile()
        return refund

    def _plan(self, user=None, month=MARCH, lines=(), **vals):
        user = user or self.salesperson
        return self.Plan.with_user(user).create(
            {
                "month": month,
                "line_ids": [
                    Command.create(
                        {
                            "invoice_id": invoice.id,
                            "planned_amount": amount,
                            "planned_date": planned_date,
                        }
                    )
                    for invoice, amount, planned_date in lines
                ],
                **vals,
            }
        )

    def rpc(self, user, model, method, *args, **kwargs):
        env = self.env(user=user.id, su=False)
        context = dict(HOSTILE_CONTEXT, default_user_id=user.id)
        return call_kw(env[model], method, list(args), {**kwargs, "context": context})

    # ------------------------------------------------------------------
    # received: the payments' own money, in the plan's month
    # ------------------------------------------------------------------
    def test_ord6_received_is_the_payment_not_the_credit_note(self):
        """ORD-6: an invoice settled partly by a payment and partly by a credit note in
        the month: received is the payment's part only; the next month's payment
        counts in the next month's plan, not in this one."""
        invoice = self._invoice(1000.0, "2027-02-10", "2027-03-15")
        plan = self._plan(lines=[(invoice, 1000.0, "2027-03-15")])
        line = plan.line_ids
        self.assertEqual(line.received_amount, 0.0)
        self.assertEqual(line.amount_residual, 1000.0)
        self._credit_note(invoice, 300.0, "2027-03-05")
        march_payment = self._pay(invoice, 400.0, "2027-03-20")
        self._pay(invoice, 200.0, "2027-04-02")  # the next month
        self.assertAlmostEqual(invoice.amount_residual, 100.0)
        # recomputed from the reconciliations, nobody typed it
        self.assertEqual(line.received_amount, 400.0)
        self.assertEqual(line.difference, 600.0)
        self.assertEqual(plan.planned_total, 1000.0)
        self.assertEqual(plan.received_total, 400.0)
        self.assertEqual(plan.difference_total, 600.0)
        self.assertEqual(plan.received_outside_plan, 0.0)
        self.assertEqual(plan.collected_total, 400.0)
        # the same invoice in April's plan: open on 1 April (1000 - 300 - 400)
        april = self._plan(month=APRIL, lines=[(invoice, 300.0, "2027-04-10")])
        self.assertEqual(april.line_ids.received_amount, 200.0)
        self.assertEqual(april.difference_total, 100.0)
        # the plan agrees with the target's collected figure (one source, QTA-4)
        period = self.env["sales.target.period"]
        by_month = period._collected_by_user_month(self.salesperson, MARCH, date(2027, 5, 1))
        company = self.env.company.id
        self.assertEqual(by_month[company, self.salesperson.id, MARCH], 400.0)
        self.assertEqual(by_month[company, self.salesperson.id, APRIL], 200.0)
        # a payment unreconciled from the invoice is no longer received
        march_payment.move_id.line_ids.with_user(self.finance).remove_move_reconcile()
        self.assertAlmostEqual(invoice.amount_residual, 500.0)
        self.assertEqual(line.received_amount, 0.0)
        self.assertEqual(plan.received_total, 0.0)
        self.assertEqual(april.line_ids.received_amount, 200.0)

    def test_ord6_collected_outside_the_plan(self):
        """ORD-6: the month's collections on invoices not in the plan are shown beside
        it; another salesperson's collections are not."""
        planned = self._invoice(800.0, "2027-02-01", "2027-03-10")
        unplanned = self._invoice(500.0, "2027-02-05", "2027-03-20")
        others = self._invoice(
            700.0, "2027-02-05", "2027-03-20", user=self.salesperson2, partner=self.other_customer
        )
        plan = self._plan(lines=[(planned, 800.0, "2027-03-10")])
        self._pay(planned, 800.0, "2027-03-09")
        self._pay(unplanned, 150.0, "2027-03-25")
        self._pay(unplanned, 50.0, "2027-02-28")  # before the month
        self._pay(others, 700.0, "2027-03-11")
        self.env.invalidate_all()
        self.assertEqual(plan.received_total, 800.0)
        self.assertEqual(plan.difference_total, 0.0)
        self.assertEqual(plan.received_outside_plan, 150.0)
        self.assertEqual(plan.collected_total, 950.0)

    def test_ord6_received_in_one_query_for_all_lines(self):
        """ORD-6: the received amounts of many lines and the outside figure of many
        plans come from one query each, not one per record."""
        invoices = [self._invoice(100.0 * (i + 1), "2027-02-01", "2027-03-10") for i in range(3)]
        plan = self._plan(lines=[(inv, inv.amount_total, "2027-03-10") for inv in invoices])
        other = self._plan(
            user=self.salesperson2,
            lines=[
                (
                    self._invoice(
                        90.0,
                        "2027-02-01",
                        "2027-03-10",
                        user=self.salesperson2,
                        partner=self.other_customer,
                    ),
                    90.0,
                    "2027-03-12",
                )
            ],
        )
        for invoice in invoices:
            self._pay(invoice, 50.0, "2027-03-05")
        self.env.flush_all()
        lines = (plan | other).line_ids
        self.assertEqual(len(lines), 4)
        calls = []
        original = SalesTargetPeriod._collected_rows_sql

        def counted(model):
            calls.append(model._name)
            return original(model)

        with patch.object(SalesTargetPeriod, "_collected_rows_sql", counted):
            self.env.add_to_compute(self.Line._fields["received_amount"], lines)
            lines.flush_recordset()
            self.assertEqual(len(calls), 1)
            self.env.invalidate_all()
            plans = self.Plan.browse((plan | other).ids)
            self.assertEqual(plans.mapped("received_outside_plan"), [0.0, 0.0])
            self.assertEqual(len(calls), 2)
        self.assertEqual(plan.line_ids.mapped("received_amount"), [50.0, 50.0, 50.0])

    # ------------------------------------------------------------------
    # who files, who reviews, what is locked (APR-1..5)
    # ------------------------------------------------------------------
    def test_ord6_salesperson_files_own_plan_only(self):
        invoice = self._invoice(400.0, "2027-02-01", "2027-03-10", user=self.salesperson2)
        with self.assertRaises(AccessError) as caught:
            self._plan(user=self.salesperson, user_id=self.salesperson2.id)
        self.assertIn("ORD-6", str(caught.exception))
        # nor through a default the client sends in its context
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.salesperson).with_context(
                default_user_id=self.salesperson2.id
            ).create({"month": MARCH})
        # nor by moving their own plan to someone else
        own = self._plan()
        with self.assertRaises(AccessError):
            own.with_user(self.salesperson).write({"user_id": self.salesperson2.id})
        self.assertEqual(self.Plan.search_count([("user_id", "=", self.salesperson2.id)]), 0)
        # a sales manager files one for the team
        plan = self._plan(
            user=self.manager,
            user_id=self.salesperson2.id,
            lines=[(invoice, 400.0, "2027-03-10")],
        )
        self.assertEqual(plan.user_id, self.salesperson2)
        self.assertEqual(plan.display_name, "Collection plan 2027-03 · " + self.salesperson2.name)

    def test_ord6_manager_reviews_never_the_salesperson(self):
        invoice = self._invoice(600.0, "2027-02-01", "2027-03-10")
        plan = self._plan(lines=[(invoice, 600.0, "2027-03-10")])
        plan.with_user(self.salesperson).action_submit()
        self.assertEqual(plan.state, "submitted")
        self.assertEqual(plan.approval_step, "manager")
        self.assertIn(self.manager, plan.approver_ids)
        self.assertNotIn(self.salesperson, plan.approver_ids)
        # APR-4: the salesperson cannot approve their own plan, whatever the client sends
        with self.assertRaises(AccessError) as caught:
            self.rpc(self.salesperson, "sales.collection.plan", "action_approve", plan.ids)
        self.assertIn("APR-4", str(caught.exception))
        self.assertEqual(plan.state, "submitted")
        # another salesperson neither reads nor decides it
        with self.assertRaises(AccessError):
            plan.with_user(self.salesperson2).action_approve()
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.decided_by_id, self.manager)
        self.assertTrue(
            any(
                "Approved by " + self.manager.name in (message.body or "")
                for message in plan.message_ids
            )
        )
        # APR-3: the approved lines are locked, for the salesperson and the manager
        line = plan.line_ids
        for user in (self.salesperson, self.manager):
            with self.assertRaises(UserError) as caught:
                line.with_user(user).write({"planned_amount": 100.0})
            self.assertIn("APR-3", str(caught.exception))
            with self.assertRaises(UserError):
                line.with_user(user).unlink()
            with self.assertRaises(UserError):
                plan.with_user(user).write({"month": APRIL})
        other = self._invoice(100.0, "2027-02-01", "2027-03-11")
        with self.assertRaises(UserError):
            self.Line.with_user(self.salesperson).create(
                {"plan_id": plan.id, "invoice_id": other.id, "planned_amount": 100.0}
            )
        with self.assertRaises(UserError):
            plan.with_user(self.salesperson).action_add_open_invoices()
        with self.assertRaises(UserError):
            plan.with_user(self.salesperson).unlink()
        self.assertEqual(line.planned_amount, 600.0)
        self.assertEqual(plan.line_ids, line)
        # the report keeps running after approval: received is the payments'
        self._pay(invoice, 250.0, "2027-03-12")
        self.assertEqual(line.received_amount, 250.0)
        self.assertEqual(plan.received_total, 250.0)

    def test_ord6_manager_can_reject_with_reason(self):
        invoice = self._invoice(600.0, "2027-02-01", "2027-03-10")
        plan = self._plan(lines=[(invoice, 600.0, "2027-03-10")])
        with self.assertRaises(UserError):
            self._plan(month=APRIL).with_user(self.salesperson).action_submit()  # no lines
        plan.with_user(self.salesperson).action_submit()
        plan.with_user(self.manager).action_reject(reason="Collect the March invoices too")
        self.assertEqual(plan.state, "rejected")
        self.assertEqual(self.Line.search_count([("plan_state", "=", "rejected")]), 1)
        plan.with_user(self.salesperson).action_draft()
        plan.line_ids.with_user(self.salesperson).planned_amount = 500.0
        self.assertEqual(plan.planned_total, 500.0)
        # a cancelled plan goes with its lines; a decided one stays (APR-3)
        plan.with_user(self.salesperson).action_cancel()
        plan.with_user(self.salesperson).unlink()
        self.assertFalse(self.Line.search([("invoice_id", "=", invoice.id)]))

    def test_ord6_salesperson_reads_only_own_plans(self):
        invoice = self._invoice(300.0, "2027-02-01", "2027-03-10")
        plan = self._plan(lines=[(invoice, 300.0, "2027-03-10")])
        Plan2 = self.Plan.with_user(self.salesperson2)
        self.assertFalse(Plan2.search([("id", "=", plan.id)]))
        self.assertFalse(self.Line.with_user(self.salesperson2).search([("plan_id", "=", plan.id)]))
        with self.assertRaises(AccessError):
            Plan2.browse(plan.id).read(["month"])
        with self.assertRaises(AccessError):
            self.Line.with_user(self.salesperson2).browse(plan.line_ids.id).read(["planned_amount"])
        with self.assertRaises(AccessError):
            Plan2.browse(plan.id).write({"note": "mine now"})
        # the manager reads every plan
        self.assertEqual(self.Plan.with_user(self.manager).search([("id", "=", plan.id)]), plan)
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.employee).search([])

    def test_ord6_one_plan_per_salesperson_and_month(self):
        plan = self._plan(month="2027-03-17")  # any day: the month's first day is kept
        self.assertEqual(plan.month, MARCH)
        with self.assertRaises(ValidationError) as caught:
            self._plan(month="2027-03-31")
        self.assertIn("one plan per salesperson and month (ORD-6)", str(caught.exception))
        april = self._plan(month=APRIL)
        with self.assertRaises(ValidationError):
            april.with_user(self.salesperson).write({"month": "2027-03-05"})
        self.assertEqual(april.month, APRIL)
        # another salesperson's March is theirs
        self.assertTrue(self._plan(user=self.salesperson2))
        # the constraint holds in the database too
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                "UPDATE sales_collection_plan SET month = %s WHERE id = %s", (MARCH, april.id)
            )

    @freeze_time("2027-03-17")
    def test_ord6_default_month_is_this_month(self):
        plan = self.Plan.with_user(self.salesperson).create({})
        self.assertEqual(plan.month, MARCH)
        self.assertEqual(plan.user_id, self.salesperson)
        self.assertEqual(plan.company_id, self.env.company)

    def test_ord6_bad_input_refused_nothing_written(self):
        invoice = self._invoice(1000.0, "2027-02-01", "2027-03-10")
        plan = self._plan()
        Line = self.Line.with_user(self.salesperson)
        others = self._invoice(
            300.0, "2027-02-01", "2027-03-10", user=self.salesperson2, partner=self.other_customer
        )
        paid_before = self._invoice(200.0, "2027-01-10", "2027-02-10")
        self._pay(paid_before, 200.0, "2027-02-10")
        draft = self._invoice(200.0, "2027-02-01", "2027-03-10", post=False)
        later = self._invoice(200.0, "2027-03-05", "2027-04-05")  # issued and due after
        cases = [
            ({"invoice_id": invoice.id, "planned_amount": -10.0}, "Planned Amount"),
            ({"invoice_id": invoice.id, "planned_amount": 0.0}, "Planned Amount"),
            ({"invoice_id": invoice.id, "planned_amount": 1000.01}, "Planned Amount"),
            (
                {"invoice_id": invoice.id, "planned_amount": 10.0, "planned_date": "2027-04-01"},
                "Planned Date",
            ),
            (
                {"invoice_id": invoice.id, "planned_amount": 10.0, "planned_date": "2027-02-28"},
                "Planned Date",
            ),
            ({"invoice_id": others.id, "planned_amount": 10.0}, "Invoice"),
            ({"invoice_id": paid_before.id, "planned_amount": 10.0}, "Invoice"),
            ({"invoice_id": draft.id, "planned_amount": 10.0}, "Invoice"),
            ({"invoice_id": later.id, "planned_amount": 10.0}, "Invoice"),
        ]
        for vals, field in cases:
            with self.subTest(vals=vals):
                with self.assertRaises(ValidationError) as caught:
                    Line.create({"plan_id": plan.id, **vals})
                self.assertIn(field, str(caught.exception))
                self.assertIn("ORD-6", str(caught.exception))
                self.assertEqual(self.Line.search_count([("plan_id", "=", plan.id)]), 0)
        # and the same through the plan, as the form saves it
        with self.assertRaises(ValidationError):
            plan.with_user(self.salesperson).write(
                {"line_ids": [Command.create({"invoice_id": invoice.id, "planned_amount": -5})]}
            )
        with self.assertRaises(ValidationError):
            self._plan(month=APRIL, lines=[(others, 10.0, "2027-04-02")])
        self.assertFalse(self.Plan.search([("month", "=", APRIL)]))
        plan.invalidate_recordset()
        self.assertFalse(plan.line_ids)
        # the boundaries themselves are accepted: the whole total, the month's last day
        line = Line.create(
            {
                "plan_id": plan.id,
                "invoice_id": invoice.id,
                "planned_amount": 1000.0,
                "planned_date": "2027-03-31",
            }
        )
        self.assertEqual(line.partner_id, self.customer)
        # moving the plan out of the invoice's reach is refused too
        with self.assertRaises(ValidationError):
            plan.with_user(self.manager).write({"user_id": self.salesperson2.id})
        # an invoice is planned once in a plan
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            Line.create({"plan_id": plan.id, "invoice_id": invoice.id, "planned_amount": 1.0})

    def test_ord6_computed_fields_are_the_policys(self):
        """APR-5: received, difference and totals are computed, never typed in, by
        any client whatever its context."""
        invoice = self._invoice(500.0, "2027-02-01", "2027-03-10")
        plan = self._plan(lines=[(invoice, 500.0, "2027-03-10")])
        line = plan.line_ids
        for vals in ({"received_amount": 500.0}, {"difference": 0.0}, {"month": APRIL}):
            with self.subTest(vals=vals), self.assertRaises(UserError) as caught:
                self.rpc(self.salesperson, "sales.collection.plan.line", "write", line.ids, vals)
            self.assertIn("APR-5", str(caught.exception))
        with self.assertRaises(UserError):
            self.rpc(
                self.manager,
                "sales.collection.plan",
                "write",
                plan.ids,
                {"received_total": 500.0},
            )
        with self.assertRaises(UserError):
            self.rpc(
                self.salesperson,
                "sales.collection.plan.line",
                "create",
                {
                    "plan_id": plan.id,
                    "invoice_id": self._invoice(50.0, "2027-02-01", "2027-03-10").id,
                    "planned_amount": 50.0,
                    "received_amount": 50.0,
                },
            )
        # nor created already approved
        with self.assertRaises(UserError):
            self.rpc(
                self.salesperson,
                "sales.collection.plan",
                "create",
                {"month": APRIL, "state": "approved"},
            )
        self.assertEqual(line.received_amount, 0.0)
        self.assertEqual(plan.state, "draft")
        self.assertFalse(self.Plan.search([("month", "=", APRIL)]))
        # a default state in the context decides nothing either (APR-5), nor does a
        # default received amount
        created = self.Plan.browse(
            self.rpc(self.salesperson, "sales.collection.plan", "create", {"month": APRIL})
        )
        self.assertEqual(created.state, "draft")
        self.assertFalse(created.decided_by_id)
        self.assertEqual(created.planned_total, 0.0)
        april_line = self.Line.browse(
            self.rpc(
                self.salesperson,
                "sales.collection.plan.line",
                "create",
                {"plan_id": created.id, "invoice_id": invoice.id, "planned_amount": 50.0},
            )
        )
        self.assertEqual(april_line.received_amount, 0.0)
        self.assertEqual(april_line.difference, 50.0)
        self.assertEqual(created.planned_total, 50.0)

    # ------------------------------------------------------------------
    # filling a plan, and the month's report
    # ------------------------------------------------------------------
    def test_ord6_form_proposes_amount_and_date(self):
        """ORD-6: in the form, an invoice picked proposes its open amount and its due
        date moved into the month; only plannable invoices are offered."""
        invoice = self._invoice(800.0, "2027-02-10", "2027-04-30")
        self._pay(invoice, 300.0, "2027-02-20")
        with Form(self.Plan.with_user(self.salesperson)) as form:
            form.month = date(2027, 3, 9)
            self.assertIn(invoice.id, form.eligible_invoice_ids.ids)
            with form.line_ids.new() as line:
                line.invoice_id = invoice
                self.assertEqual(line.planned_amount, 500.0)
                self.assertEqual(line.planned_date, date(2027, 3, 31))
                self.assertEqual(line.received_amount, 0.0)
                line.planned_amount = 450.0
        plan = form.record
        self.assertEqual(plan.month, MARCH)
        self.assertEqual(plan.line_ids.planned_amount, 450.0)
        self.assertEqual(plan.planned_total, 450.0)

    def test_ord6_add_open_invoices(self):
        due_in_month = self._invoice(1000.0, "2027-02-10", "2027-03-15")
        open_due_later = self._invoice(400.0, "2027-02-20", "2027-04-30")
        self._pay(open_due_later, 100.0, "2027-02-25")
        due_early = self._invoice(300.0, "2027-01-05", "2027-02-05")  # overdue, still open
        issued_in_month = self._invoice(250.0, "2027-03-03", "2027-03-25")
        paid_before = self._invoice(200.0, "2027-01-10", "2027-02-10")
        self._pay(paid_before, 200.0, "2027-02-10")
        issued_later_due_later = self._invoice(150.0, "2027-03-05", "2027-04-20")
        others = self._invoice(
            700.0, "2027-02-05", "2027-03-20", user=self.salesperson2, partner=self.other_customer
        )
        plan = self._plan()
        self.assertEqual(
            set(plan.eligible_invoice_ids.ids),
            {due_in_month.id, open_due_later.id, due_early.id, issued_in_month.id},
        )
        self.assertNotIn(others, plan.eligible_invoice_ids)
        self.assertNotIn(paid_before, plan.eligible_invoice_ids)
        self.assertNotIn(issued_later_due_later, plan.eligible_invoice_ids)
        plan.with_user(self.salesperson).action_add_open_invoices()
        got = {line.invoice_id: (line.planned_amount, line.planned_date) for line in plan.line_ids}
        self.assertEqual(
            got,
            {
                due_in_month: (1000.0, date(2027, 3, 15)),
                open_due_later: (300.0, date(2027, 3, 31)),  # the open amount, in the month
                due_early: (300.0, date(2027, 3, 1)),
                issued_in_month: (250.0, date(2027, 3, 25)),
            },
        )
        with self.assertRaises(UserError):
            plan.with_user(self.salesperson).action_add_open_invoices()  # nothing left
        self.assertEqual(len(plan.line_ids), 4)
        self.assertEqual(plan.planned_total, 1850.0)

    def test_ord6_report_by_salesperson_and_month(self):
        mine = self._invoice(1000.0, "2027-02-10", "2027-03-15")
        theirs = self._invoice(
            600.0, "2027-02-05", "2027-03-20", user=self.salesperson2, partner=self.other_customer
        )
        self._plan(lines=[(mine, 1000.0, "2027-03-15")])
        self._plan(month=APRIL, lines=[(mine, 1000.0, "2027-04-15")])
        self._plan(user=self.salesperson2, lines=[(theirs, 600.0, "2027-03-20")])
        self._pay(mine, 700.0, "2027-03-16")
        self._pay(theirs, 600.0, "2027-03-18")
        self.env.flush_all()

        def report(user):
            groups = self.Line.with_user(user)._read_group(
                [("month", ">=", MARCH)],
                ["user_id", "month:month"],
                ["planned_amount:sum", "received_amount:sum", "difference:sum"],
            )
            return {(u, date(m.year, m.month, 1)): (p, r, d) for u, m, p, r, d in groups}

        everyone = report(self.manager)
        self.assertEqual(everyone[self.salesperson, MARCH], (1000.0, 700.0, 300.0))
        self.assertEqual(everyone[self.salesperson, APRIL], (1000.0, 0.0, 1000.0))
        self.assertEqual(everyone[self.salesperson2, MARCH], (600.0, 600.0, 0.0))
        self.assertEqual(
            set(report(self.salesperson)), {(self.salesperson, MARCH), (self.salesperson, APRIL)}
        )
        action = self.env.ref("sales_dept_policy.sales_collection_plan_line_action_report")
        self.assertIn("search_default_group_user", action.context)
        self.assertIn("pivot", action.view_mode)
        self.assertIn("graph", action.view_mode)

    def test_ord6_export_reopened(self):
        invoice = self._invoice(1000.0, "2027-02-10", "2027-03-15")
        second = self._invoice(200.0, "2027-02-11", "2027-03-20")
        outside = self._invoice(500.0, "2027-02-12", "2027-04-20")
        theirs = self._invoice(
            600.0, "2027-02-05", "2027-03-20", user=self.salesperson2, partner=self.other_customer
        )
        plan = self._plan(lines=[(invoice, 1000.0, "2027-03-15"), (second, 200.0, "2027-03-20")])
        self._plan(user=self.salesperson2, lines=[(theirs, 600.0, "2027-03-20")])
        self._credit_note(invoice, 300.0, "2027-03-05")
        self._pay(invoice, 400.0, "2027-03-20")
        self._pay(outside, 120.0, "2027-03-22")
        self._pay(theirs, 600.0, "2027-03-18")
        self.assertEqual(plan.received_total, 400.0)

        def export(user, month):
            wizard = (
                self.env["sales.collection.export.wizard"].with_user(user).create({"month": month})
            )
            action = wizard.action_export()
            self.assertEqual(action["type"], "ir.actions.act_url")
            self.assertEqual(wizard.file_name, "collections_2027-03.xlsx")
            return openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))

        book = export(self.manager, "2027-03-09")  # any day of the month
        self.assertEqual(book.sheetnames, ["Planned Collections", "Salespeople"])
        self.assertIn("Month 2027-03", book["Planned Collections"]["A1"].value)
        rows = list(book["Planned Collections"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            rows[0],
            (
                "Salesperson",
                "Customer",
                "Invoice",
                "Planned Date",
                "Planned",
                "Received",
                "Difference",
            ),
        )
        data = {row[2]: row for row in rows[1:-1]}
        self.assertEqual(
            data[invoice.name],
            (
                self.salesperson.name,
                self.customer.name,
                invoice.name,
                datetime(2027, 3, 15),
                1000.0,
                400.0,
                600.0,
            ),
        )
        self.assertEqual(data[second.name][4:], (200.0, 0.0, 200.0))
        self.assertEqual(data[theirs.name][0], self.salesperson2.name)
        self.assertEqual(len(data), 3)
        self.assertEqual(rows[-1][3], "Total")  # total row under the lines
        totals = list(book["Salespeople"].iter_rows(min_row=3, values_only=True))
        by_user = {row[0]: row for row in totals[:-1]}
        self.assertEqual(
            by_user[self.salesperson.name],
            (self.salesperson.name, 1200.0, 400.0, 120.0, 800.0, "Draft"),
        )
        self.assertEqual(by_user[self.salesperson2.name][1:4], (600.0, 600.0, 0.0))
        # a salesperson exports their own plan only
        book = export(self.salesperson, MARCH)
        rows = list(book["Planned Collections"].iter_rows(min_row=3, values_only=True))
        self.assertEqual({row[0] for row in rows[:-1]}, {self.salesperson.name})
        totals = list(book["Salespeople"].iter_rows(min_row=3, values_only=True))
        self.assertEqual([row[0] for row in totals[:-1]], [self.salesperson.name])
