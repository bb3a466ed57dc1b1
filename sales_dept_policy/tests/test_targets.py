# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import datetime

import openpyxl
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import SalesPolicyCase


@tagged("post_install", "-at_install")
class TestTargets(SalesPolicyCase):
    """QTA-1..5: forecasts, amounts, split, approval and actuals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "SDP Target Slab", "list_price": 1000.0, "taxes_id": [(5, 0, 0)]}
        )
        cls.customer.credit_grade_id = cls.env.ref("sales_dept_policy.credit_grade_a")
        cls.other_customer.credit_grade_id = cls.env.ref("sales_dept_policy.credit_grade_a")

    def _target(self, **vals):
        target = (
            self.env["sales.target"]
            .with_user(self.salesperson)
            .create(
                {
                    "year": 2027,
                    "forecast_low": 80000,
                    "forecast_likely": 100000,
                    "forecast_high": 130000,
                    "analysis": "Two new developers in Hangzhou",
                    **vals,
                }
            )
        )
        target.with_user(self.manager).target_amount = 120000.10
        return target

    def _confirmed_order(self, user, partner, when, qty=1.0):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": user.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        order.date_order = when
        return order

    def test_qta1_forecast_and_unique(self):
        target = self._target()
        self.assertEqual(target.user_id, self.salesperson)
        with self.assertRaisesRegex(ValidationError, "QTA-1"):
            target.with_user(self.salesperson).forecast_high = 1
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self._target()

    def test_qta2_only_manager_sets_amounts(self):
        target = self._target()
        with self.assertRaisesRegex(UserError, "QTA-2"):
            target.with_user(self.salesperson).target_amount = 1
        with self.assertRaisesRegex(UserError, "QTA-3"):
            target.period_ids[0].with_user(self.salesperson).target_amount = 1
        # the salesperson sees only their own targets
        self.env["sales.target"].with_user(self.salesperson2).create({"year": 2027})
        self.assertEqual(self.env["sales.target"].with_user(self.salesperson).search([]), target)

    def test_qta3_even_split_and_manager_split(self):
        target = self._target()
        amounts = target.period_ids.sorted("date_from").mapped("target_amount")
        self.assertEqual(len(amounts), 12)
        self.assertAlmostEqual(sum(amounts), 120000.10, places=2)
        self.assertEqual(amounts[0], 10000.01)
        self.assertEqual(amounts[-1], 10000.0)
        months = target.period_ids.sorted("date_from")
        # a manager moves 10,000 from February to January: still the whole year
        months[0].with_user(self.manager).target_amount = 20000.01
        months[1].with_user(self.manager).target_amount = 0.02
        with self.assertRaisesRegex(ValidationError, "0.01 off"):
            target.with_user(self.manager).action_submit()
        months[1].with_user(self.manager).target_amount = 0.01
        target.with_user(self.manager).action_submit()
        self.assertEqual(target.state, "submitted")

    def test_qta2_approval_lock_and_company_total(self):
        target = self._target()
        target.with_user(self.manager).action_submit()
        with self.assertRaises(AccessError):
            target.with_user(self.manager).action_approve()
        target.with_user(self.gm).action_approve()
        with self.assertRaisesRegex(UserError, "locked"):
            target.with_user(self.manager).target_amount = 1
        with self.assertRaisesRegex(UserError, "APR-3"):
            target.period_ids[0].with_user(self.manager).target_amount = 1
        self.assertAlmostEqual(self.env["sales.target"]._company_total(2027), 120000.10, places=2)

    def test_qta4_actuals_from_records(self):
        target = self._target()
        march = target.period_ids.filtered(lambda p: p.date_from.month == 3)
        self._confirmed_order(self.salesperson, self.customer, datetime(2027, 3, 10, 4, 0), qty=3)
        # excluded: another salesperson's, another month's, a draft
        self._confirmed_order(self.salesperson2, self.other_customer, datetime(2027, 3, 11), qty=5)
        self._confirmed_order(self.salesperson, self.customer, datetime(2027, 4, 2), qty=7)
        self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesperson.id,
                "date_order": datetime(2027, 3, 12),
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 9})],
            }
        )
        self.env.flush_all()
        march.invalidate_recordset()
        self.assertEqual(march.actual_signed, 3000.0)
        # the customer's first confirmed order ever is this March one
        self.assertEqual(march.new_customers, 1)
        april = target.period_ids.filtered(lambda p: p.date_from.month == 4)
        self.assertEqual(april.actual_signed, 7000.0)
        self.assertEqual(april.new_customers, 0)
        # the year's card: signed of the year against its target, in percent
        target.invalidate_recordset()
        self.assertEqual(target.actual_signed, 10000.0)
        self.assertAlmostEqual(target.attainment_percent, 8.33, places=2)  # of 120,000.10

    def test_qta5_rating(self):
        target = self._target()
        march = target.period_ids.filtered(lambda p: p.date_from.month == 3)
        march.with_user(self.manager).target_amount = 2500.0
        self._confirmed_order(self.salesperson, self.customer, datetime(2027, 3, 10), qty=3)
        self.env.flush_all()
        march.invalidate_recordset()
        self.assertAlmostEqual(march.attainment, 1.2)
        self.assertEqual(march.rating, "S")

    def test_qta4_collected_by_payment_date(self):
        target = self._target()
        finance = self.env["res.users"].create(
            {
                "name": "SDP Target Finance",
                "login": "sdp_tfin",
                "group_ids": [(4, self.env.ref("account.group_account_manager").id)],
            }
        )
        order = self._confirmed_order(self.salesperson, self.customer, datetime(2027, 3, 10))
        invoice = order._create_invoices()
        invoice.invoice_date = "2027-03-15"
        invoice.with_user(finance).action_post()
        self.assertEqual(invoice.invoice_user_id, self.salesperson)
        self.env["account.payment.register"].with_user(finance).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 400.0, "payment_date": "2027-05-03"}).action_create_payments()
        self.env.flush_all()
        periods = target.period_ids
        periods.invalidate_recordset()
        by_month = {p.date_from.month: p.actual_collected for p in periods}
        self.assertEqual(by_month[5], 400.0)
        self.assertEqual(by_month[3], 0.0)
        self.assertEqual(target.actual_collected, 400.0)

    def test_qta4_collected_is_money_in_only(self):
        """QTA-4: a credit note reconciled with the invoice is not collected; a partial
        payment counts what it paid; a cancelled order leaves the signed amount."""
        target = self._target()
        finance = self.env["res.users"].create(
            {
                "name": "SDP Target Finance Two",
                "login": "sdp_tfin2",
                "group_ids": [(4, self.env.ref("account.group_account_manager").id)],
            }
        )
        order = self._confirmed_order(self.salesperson, self.customer, datetime(2027, 4, 10), qty=2)
        invoice = order._create_invoices()
        invoice.invoice_date = "2027-04-12"
        invoice.with_user(finance).action_post()
        # a credit note of 300 reconciled with the invoice
        reversal = (
            self.env["account.move.reversal"]
            .with_user(finance)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Broken slab", "journal_id": invoice.journal_id.id})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.invoice_line_ids.with_user(finance).write({"quantity": 1, "price_unit": 300.0})
        refund.with_user(finance).action_post()
        (invoice | refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).with_user(finance).reconcile()
        self.assertAlmostEqual(invoice.amount_residual, invoice.amount_total - 300.0)
        # then a partial payment of 250 in May
        self.env["account.payment.register"].with_user(finance).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 250.0, "payment_date": "2027-05-20"}).action_create_payments()
        # and an order confirmed, then cancelled, in April
        cancelled = self._confirmed_order(
            self.salesperson, self.customer, datetime(2027, 4, 20), qty=5
        )
        cancelled._action_cancel()
        self.assertEqual(cancelled.state, "cancel")
        self.env.flush_all()
        periods = target.period_ids
        periods.invalidate_recordset()
        collected = {p.date_from.month: p.actual_collected for p in periods}
        signed = {p.date_from.month: p.actual_signed for p in periods}
        self.assertEqual(collected[4], 0.0)  # the credit note is no money in
        self.assertEqual(collected[5], 250.0)
        self.assertEqual(target.actual_collected, 250.0)
        self.assertEqual(signed[4], order.amount_untaxed)  # not the cancelled one

    def test_qta4_analysis_target_vs_actual(self):
        """The pivot/graph report: approved months against signed and collected."""
        target = self._target()
        target.with_user(self.manager).action_submit()
        target.with_user(self.gm).action_approve()
        other = self.env["sales.target"].with_user(self.salesperson2).create({"year": 2027})
        other.with_user(self.manager).target_amount = 24000
        # draft target: its months are not in the analysis
        self._confirmed_order(self.salesperson, self.customer, datetime(2027, 3, 10, 4, 0), qty=3)
        # 1 March 01:00 in Shanghai is still February in UTC: counted in March
        self._confirmed_order(self.salesperson, self.customer, datetime(2027, 2, 28, 17, 0))
        self._confirmed_order(self.salesperson2, self.other_customer, datetime(2027, 3, 11), qty=5)
        self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesperson.id,
                "date_order": datetime(2027, 3, 12),
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 9})],
            }
        )
        self.env.flush_all()
        Report = self.env["sales.target.report"].with_context(tz="Asia/Shanghai")
        domain = [("date", ">=", "2027-01-01"), ("date", "<", "2028-01-01")]

        def by_user_month(user):
            groups = Report.with_user(user)._read_group(
                domain,
                ["user_id", "date:month"],
                ["target_amount:sum", "actual_signed:sum"],
            )
            return {(u.id, m.month): (t, s) for u, m, t, s in groups}

        mine = by_user_month(self.salesperson)
        self.assertEqual({u for u, _m in mine}, {self.salesperson.id})
        self.assertEqual(mine[self.salesperson.id, 3], (10000.01, 4000.0))
        self.assertEqual(mine[self.salesperson.id, 4], (10000.01, 0.0))
        self.assertEqual(mine[self.salesperson.id, 12], (10000.0, 0.0))
        # the months of March agree with the target's own months
        march = target.period_ids.filtered(lambda p: p.date_from.month == 3)
        self.assertEqual(march.with_context(tz="Asia/Shanghai").actual_signed, 4000.0)
        everyone = by_user_month(self.manager)
        # the other salesperson's target is a draft: actuals without a target
        self.assertEqual(everyone[self.salesperson2.id, 3], (0.0, 5000.0))
        self.assertEqual(everyone[self.salesperson.id, 3], (10000.01, 4000.0))
        rows = Report.with_user(self.manager).search(
            domain + [("user_id", "=", self.salesperson.id)]
        )
        self.assertEqual(set(rows.territory_id.ids), set(target.territory_id.ids))
        year = Report.with_user(self.manager)._read_group(
            domain + [("user_id", "=", self.salesperson.id)], [], ["target_amount:sum", "gap:sum"]
        )[0]
        self.assertAlmostEqual(year[0], 120000.10, places=2)
        self.assertAlmostEqual(year[1], 4000.0 - 120000.10, places=2)
        with self.assertRaises(AccessError):
            Report.with_user(self.employee).search([])

    def test_qta_attainment_export(self):
        target = self._target()
        march = target.period_ids.filtered(lambda p: p.date_from.month == 3)
        march.with_user(self.manager).target_amount = 2500.0
        self._confirmed_order(self.salesperson, self.customer, datetime(2027, 3, 10), qty=2)
        self.env.flush_all()
        other = self.env["sales.target"].with_user(self.salesperson2).create({"year": 2027})
        wizard = (
            self.env["sales.target.export.wizard"]
            .with_user(self.salesperson)
            .create({"year": 2027})
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        # the title row first, then the header
        rows = list(book["Attainment"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            rows[0],
            ("Salesperson", "Month", "Target", "Signed", "Collected", "Attainment", "Rating"),
        )
        self.assertTrue(other.period_ids)
        self.assertEqual(len(rows), 13)  # own twelve months only, not the other's
        march_row = [r for r in rows if r[1] == "2027-03"][0]
        self.assertEqual(march_row[2:], (2500.0, 2000.0, 0.0, 0.8, "B"))

    def test_qta6_revision_with_history(self):
        target = self._target()
        target.with_user(self.manager).action_submit()
        target.with_user(self.gm).action_approve()
        with freeze_time("2027-06-15"):
            action = target.with_user(self.manager).action_revise()
            revision = self.env["sales.target.revision"].browse(action["res_id"])
            self.assertEqual(len(revision.line_ids), 6)  # July to December
            lines = revision.line_ids.sorted("date_from")
            revision.with_user(self.manager).reason = "Q2 review: Hangzhou project slips"
            lines[0].with_user(self.manager).new_amount = lines[0].old_amount - 5000
            with self.assertRaisesRegex(ValidationError, "QTA-6"):
                revision.with_user(self.manager).action_submit()
            lines[5].with_user(self.manager).new_amount = lines[5].old_amount + 5000
            revision.with_user(self.manager).action_submit()
            # the salesperson concerned and the manager who asked do not approve
            with self.assertRaises(AccessError):
                revision.with_user(self.manager).action_approve()
            revision.with_user(self.gm).action_approve()
        july = target.period_ids.filtered(lambda p: p.date_from.month == 7)
        december = target.period_ids.filtered(lambda p: p.date_from.month == 12)
        self.assertEqual(july.target_amount, 5000.01)
        self.assertEqual(december.target_amount, 15000.0)
        self.assertAlmostEqual(sum(target.period_ids.mapped("target_amount")), 120000.10, places=2)
        # the previous figures stay in the history
        self.assertEqual(lines[0].old_amount, 10000.01)
        self.assertEqual(target.revision_ids, revision)
        self.assertEqual(target.state, "approved")

    def test_qta5_thresholds_from_settings(self):
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        self.assertEqual(
            (
                settings.sales_policy_rating_s,
                settings.sales_policy_rating_a,
                settings.sales_policy_rating_b,
            ),
            (120.0, 100.0, 80.0),
        )
        settings.write({"sales_policy_rating_s": 110.0, "sales_policy_rating_b": 70.0})
        settings.execute()
        target = self._target()
        march = target.period_ids.filtered(lambda p: p.date_from.month == 3)
        march.with_user(self.manager).target_amount = 2500.0
        self._confirmed_order(self.salesperson, self.customer, datetime(2027, 3, 10), qty=3)
        self.env.flush_all()
        march.invalidate_recordset()
        march.with_user(self.manager).target_amount = 2700.0  # 111 %: A by default
        march.invalidate_recordset()
        self.assertEqual(march.rating, "S")
        march.with_user(self.manager).target_amount = 4000.0  # 75 %: C by default
        march.invalidate_recordset()
        self.assertEqual(march.rating, "B")
        bad = (
            self.env["res.config.settings"]
            .with_user(self.admin)
            .create({"sales_policy_rating_a": 130.0})
        )
        with self.assertRaisesRegex(ValidationError, "QTA-5"):
            bad.execute()

    def test_qta4_other_currency_converted(self):
        target = self._target()
        company_currency = self.env.company.currency_id
        other = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search(
                [("id", "!=", company_currency.id), ("name", "in", ("EUR", "CNY", "USD"))], limit=1
            )
        )
        other.active = True
        self.env["res.currency.rate"].search([("currency_id", "=", other.id)]).unlink()
        self.env["res.currency.rate"].create(
            {"currency_id": other.id, "rate": 2.0, "name": "2020-01-01", "company_id": False}
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "SDP Other Currency", "currency_id": other.id}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesperson.id,
                "pricelist_id": pricelist.id,
                # the pricelist price: 1,000 in company currency is 2,000 in the other
                "order_line": [(0, 0, {"product_id": self.product.id, "price_unit": 2000.0})],
            }
        )
        order.action_confirm()
        order.date_order = datetime(2027, 2, 10)
        self.assertEqual(order.currency_id, other)
        self.env.flush_all()
        february = target.period_ids.filtered(lambda p: p.date_from.month == 2)
        february.invalidate_recordset()
        # 2,000 in a currency worth half the company's: 1,000 in company currency
        self.assertAlmostEqual(february.actual_signed, 1000.0, places=2)
        # the figure of Odoo's Sales Analysis, read from the order rather than its lines
        [(analysis,)] = self.env["sale.report"]._read_group(
            [("name", "=", order.name)], [], ["price_subtotal:sum"]
        )
        self.assertAlmostEqual(february.actual_signed, analysis, places=2)
