# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

from ..policy import meetings as mtg


class SalesPolicyDemo(models.AbstractModel):
    """The demo database's history, made by the roles themselves through the same
    methods the web client calls (demo data only: called from ``demo/`` files)."""

    _name = "sales.policy.demo"
    _description = "Sales Policy Demo Data"

    @api.model
    def _ref(self, name):
        return self.env.ref(f"sales_dept_policy.{name}")

    @api.model
    def _demo_order(self, partner, product, qty, kind):
        partner = self._ref(partner)
        salesperson = partner.user_id or self._ref("user_salesperson_demo")
        order = (
            self.env["sale.order"]
            .with_user(salesperson)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": salesperson.id,
                    "contract_kind": kind,
                    "order_line": [
                        Command.create(
                            {"product_id": self._ref(product).id, "product_uom_qty": qty}
                        )
                    ],
                }
            )
        )
        order.with_user(salesperson).action_confirm()
        return order

    @api.model
    def _demo_review(self, order, approve=True, attach=False):
        salesperson = order.user_id
        action = order.with_user(salesperson).action_request_contract_review()
        review = self.env["sales.contract.review"].browse(action["res_id"])
        if attach:
            attachment = (
                self.env["ir.attachment"]
                .with_user(salesperson)
                .create(
                    {
                        "name": f"{order.name} signed contract.pdf",
                        "datas": base64.b64encode(b"%PDF-1.4 demo signed contract"),
                        "res_model": "sales.contract.review",
                        "res_id": review.id,
                    }
                )
            )
            review.with_user(salesperson).attachment_ids = [Command.link(attachment.id)]
        review.with_user(salesperson).action_submit()
        manager, gm = self._ref("user_manager_demo"), self._ref("user_gm_demo")
        first = manager if salesperson != manager else gm
        review.with_user(first).action_approve()
        if approve and review.state == "submitted":
            second = gm if first != gm else self._ref("user_deputy_demo")
            review.with_user(second).action_approve()
        return review

    @api.model
    def _demo_invoice_and_pay(self, order, down_payment=False, amount=None):
        finance = self._ref("user_finance_demo")
        if down_payment:
            wizard = (
                self.env["sale.advance.payment.inv"]
                .with_context(active_model="sale.order", active_ids=order.ids)
                .create({"advance_payment_method": "percentage", "amount": 30})
            )
            wizard.create_invoices()
            invoice = order.invoice_ids.filtered(lambda m: m.state == "draft")
        else:
            invoice = order._create_invoices(final=True)
        invoice.with_user(finance).action_post()
        if amount is not False:
            self.env["account.payment.register"].with_user(finance).with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"amount": amount or invoice.amount_residual}).action_create_payments()
        return invoice

    @api.model
    def _demo_deliver(self, order, days_ago, received_days_ago=None):
        production = self._ref("user_production_demo")
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        # the SMS confirmation dialog of stock_sms is a question for a person
        picking.with_user(production).with_context(skip_sms=True).button_validate()
        tz = pytz.timezone(order._policy_tz())
        today = order._policy_today()
        sent = tz.localize(datetime.combine(today - timedelta(days=days_ago), time(10, 0)))
        picking.date_done = sent.astimezone(pytz.utc).replace(tzinfo=None)
        if received_days_ago is not None:
            picking.with_user(order.user_id).received_on = today - timedelta(days=received_days_ago)
        return picking

    @api.model
    def _create_order_to_cash_demo(self):
        """ORD-1..6: orders in each state from the contract to the last payment."""
        finance = self._ref("user_finance_demo")
        # ORD-1: a formal contract reviewed by the manager, waiting for the GM office
        hengda = self._ref("sale_order_hengda_demo")
        hengda.with_user(hengda.user_id).contract_kind = "contract"
        self._demo_review(hengda, approve=False, attach=True)
        # ORD-4: contract approved, the deposit not in: the delivery is held
        jinshi = self._ref("sale_order_jinshi_demo")
        jinshi.with_user(jinshi.user_id).contract_kind = "phone_fax"
        self._demo_review(jinshi)
        # ORD-4: released by finance before the deposit, ready to deliver
        minghui = self._demo_order(
            "partner_minghui_demo", "product_marble_tile_demo", 150, "phone_fax"
        )
        self._demo_review(minghui)
        minghui.with_user(finance)._release_deposit(
            "Bank acceptance bill for the deposit received; booked when it clears."
        )
        # ORD-5: delivered, the balance due by the grade: A on dispatch (today), B on
        # arrival (received today), C 14 days after arrival (received 5 days ago)
        due = [
            ("partner_xinhua_demo", "product_granite_slab_demo", 25, 0, None),
            ("partner_donghai_demo", "product_marble_tile_demo", 200, 2, 0),
            ("partner_tianyu_demo", "product_granite_slab_demo", 18, 8, 5),
            # ORD-6: overdue (received 30 days ago, due 16 days ago), with its to-do
            ("partner_longteng_demo", "product_granite_slab_demo", 35, 33, 30),
            # ORD-6: paid to the last yuan
            ("partner_yongxin_demo", "product_marble_tile_demo", 90, 20, 18),
        ]
        for partner, product, qty, sent, received in due:
            order = self._demo_order(partner, product, qty, "no_contract")
            self._demo_review(order)
            self._demo_invoice_and_pay(order, down_payment=True)
            self._demo_deliver(order, sent, received)
            paid = partner == "partner_yongxin_demo"
            self._demo_invoice_and_pay(order, amount=None if paid else False)
        self.env["sale.order"]._cron_balance_followup()

    # ------------------------------------------------------------------
    # ASM-1..3: three past months of two salespeople, then their assessments
    # ------------------------------------------------------------------
    @api.model
    def _demo_utc(self, day, hour):
        """The naive UTC datetime of ``hour`` o'clock on ``day`` in the company's time."""
        tz = pytz.timezone(self.env.company.partner_id.tz or "Asia/Shanghai")
        return (
            tz.localize(datetime.combine(day, time(hour, 0)))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )

    @api.model
    def _demo_invoice_on(self, order, invoice_day, pay_day, down_payment=False):
        """An invoice of ``order`` dated ``invoice_day``, paid in full on ``pay_day``."""
        finance = self._ref("user_finance_demo")
        if down_payment:
            self.env["sale.advance.payment.inv"].with_context(
                active_model="sale.order", active_ids=order.ids
            ).create({"advance_payment_method": "percentage", "amount": 30}).create_invoices()
            invoice = order.invoice_ids.filtered(lambda m: m.state == "draft")
        else:
            invoice = order._create_invoices(final=True)
        invoice.invoice_date = invoice_day
        invoice.with_user(finance).action_post()
        self.env["account.payment.register"].with_user(finance).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {"amount": invoice.amount_residual, "payment_date": pay_day}
        ).action_create_payments()
        return invoice

    @api.model
    def _demo_past_order(self, partner, product, qty, month, promised, delivered):
        """A month's order of the partner's salesperson: confirmed on the 5th, its deposit
        paid on the 7th, promised on day ``promised``, delivered on day ``delivered``, its
        balance invoiced that day and paid ten days later (the next month, for a late
        delivery; today at the latest)."""
        today = datetime.now(pytz.timezone(self.env.company.partner_id.tz or "Asia/Shanghai"))
        # made and confirmed by the salesperson; what follows as the demo loader
        order = self._demo_order(partner, product, qty, "no_contract").with_env(self.env)
        # the order as it was signed that month (the confirmation sets today's date)
        order.date_order = self._demo_utc(month.replace(day=5), 10)
        order.with_user(order.user_id).commitment_date = self._demo_utc(
            month.replace(day=promised), 17
        )
        self._demo_review(order)
        self._demo_invoice_on(order, month.replace(day=6), month.replace(day=7), down_payment=True)
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.with_user(self._ref("user_production_demo")).with_context(
            skip_sms=True
        ).button_validate()
        picking.date_done = self._demo_utc(month.replace(day=delivered), 11)
        day = month.replace(day=delivered)
        self._demo_invoice_on(order, day, min(day + timedelta(days=10), today.date()))
        return order

    @api.model
    def _demo_month_visits(self, user, partners, month, counts):
        """``counts`` (info, call, onsite) effective records of ``user`` spread over
        ``month``, and one cold visit (VIS-3: it does not count), as reviewed reports."""
        last_day = ((month + timedelta(days=32)).replace(day=1) - timedelta(days=1)).day
        manager = self._ref("user_manager_demo")
        kinds = {
            "info": {
                "purpose": "Find the purchasing lead and their direct line",
                "outcome": "Found the project purchasing lead; noted the direct line.",
                "contact_name": "Manager Wu",
                "contact_phone": "139 1234 5602",
            },
            "call": {
                "purpose": "Call the purchasing manager about the new range",
                "outcome": "Interested; the proposal was sent the same day.",
                "contact_name": "Ms. Zhou",
                "interested": True,
                "proposal_sent": True,
            },
            "onsite": {
                "purpose": "Present the samples the customer asked for",
                "outcome": "Samples approved; a quotation follows.",
                "customer_requested": True,
            },
        }
        vals_list = []
        for (kind, values), count in zip(kinds.items(), counts, strict=True):
            for index in range(count):
                day = month.replace(day=1 + index * last_day // count)
                vals_list.append(
                    {
                        **values,
                        "user_id": user.id,
                        "partner_id": partners[index % len(partners)].id,
                        "kind": kind,
                        "date_planned": self._demo_utc(day, 10),
                        "state": "reviewed",
                        "reviewed_by_id": manager.id,
                        "review_comment": "Noted.",
                    }
                )
        vals_list.append(
            {
                **kinds["onsite"],
                "user_id": user.id,
                "partner_id": partners[0].id,
                "kind": "onsite",
                "customer_requested": False,
                "outcome": "Dropped in unannounced; the buyer was out.",
                "date_planned": self._demo_utc(month.replace(day=20), 15),
                "state": "done",
            }
        )
        # demo history, as the data files make it (the reports reviewed in the past)
        return self.env["sales.visit"].sudo().create(vals_list)

    @api.model
    def _create_assessment_demo(self):
        """ASM-1..3: three past months of Li Wei and Zhang Min from their own records
        (orders, deposits, deliveries on time and late, payments, visits), then the
        assessments the monthly job drafts: the two older months prepared by the sales
        manager and approved by the general manager, last month's one submitted (Li
        Wei) and one to prepare (Zhang Min)."""
        granite = self._ref("product_granite_slab_demo")
        marble = self._ref("product_marble_tile_demo")
        # the products' costs, so that sale_margin's margins are real ones; the orders
        # already made take them too
        granite.standard_price = 390.0
        marble.standard_price = 78.0
        lines = self.env["sale.order.line"].search([("product_id", "in", (granite | marble).ids)])
        self.env.add_to_compute(lines._fields["purchase_price"], lines)
        lines.flush_recordset(["purchase_price"])

        today = datetime.now(pytz.timezone(self.env.company.partner_id.tz or "Asia/Shanghai"))
        this_month = today.date().replace(day=1)
        months = [this_month - relativedelta(months=n) for n in (3, 2, 1)]
        li_wei, zhang_min = self._ref("user_salesperson_demo"), self._ref("user_senior_demo")
        # (partner, product, quantity, promised day, delivered day) by month
        orders = {
            months[0]: [
                ("partner_hengda_demo", "product_granite_slab_demo", 110, 14, 12),
                ("partner_baoli_demo", "product_marble_tile_demo", 180, 10, 16),
                ("partner_minghui_demo", "product_granite_slab_demo", 60, 18, 15),
            ],
            months[1]: [
                ("partner_jinshi_demo", "product_marble_tile_demo", 300, 20, 18),
                ("partner_huaxia_demo", "product_granite_slab_demo", 95, 22, 21),
                ("partner_donghai_demo", "product_marble_tile_demo", 260, 12, 19),
                ("partner_tianyu_demo", "product_granite_slab_demo", 40, 25, 24),
            ],
            months[2]: [
                ("partner_hengda_demo", "product_granite_slab_demo", 70, 12, 19),
                ("partner_huaxia_demo", "product_marble_tile_demo", 150, 20, 17),
                ("partner_ruifeng_demo", "product_granite_slab_demo", 90, 24, 22),
            ],
        }
        visits = {
            li_wei: ((28, 22, 5), (34, 30, 7), (18, 15, 4)),
            zhang_min: ((20, 25, 6), (15, 12, 3), (30, 26, 6)),
        }
        customers = {
            li_wei: [self._ref(x) for x in ("partner_hengda_demo", "partner_huaxia_demo")],
            zhang_min: [self._ref(x) for x in ("partner_minghui_demo", "partner_donghai_demo")],
        }
        for index, month in enumerate(months):
            for partner, product, qty, promised, delivered in orders[month]:
                self._demo_past_order(partner, product, qty, month, promised, delivered)
            for user, counts in visits.items():
                self._demo_month_visits(user, customers[user], month, counts[index])

        Assessment = self.env["sales.assessment"]
        manager, gm = self._ref("user_manager_demo"), self._ref("user_gm_demo")
        judgments = {
            (0, li_wei): (
                3.0,
                "Closed the Hengda repeat order himself and helped Zhang Min "
                "with the Ningbo tender.",
            ),
            (1, zhang_min): (
                -4.0,
                "Two weekly plans filed late; the Donghai delivery was "
                "promised without asking production.",
            ),
        }
        for index, month in enumerate(months):
            drafts = Assessment._cron_draft_assessments(today=month + relativedelta(months=1))
            for card in drafts.filtered(lambda a: a.user_id in (li_wei | zhang_min)):
                judged = judgments.get((index, card.user_id))
                if judged:
                    card.with_user(manager).write(
                        {"manager_adjustment": judged[0], "comment": judged[1]}
                    )
                if index == 2 and card.user_id == zhang_min:
                    continue  # last month: still to prepare
                card.with_user(manager).action_submit()
                if index < 2:
                    card.with_user(gm).action_approve()

    # MTG-1..4: six months of plans and summaries, meetings and decisions
    # ------------------------------------------------------------------
    #: MTG-3: each demo salesperson's key customers, with what they expect a month
    _DEMO_KEY_CUSTOMERS = {
        "user_salesperson_demo": (
            (
                "partner_hengda_demo",
                60000.0,
                40000.0,
                "Site acceptance of the lobby; quote phase 2",
            ),
            (
                "partner_jinshi_demo",
                15000.0,
                20000.0,
                "Collect the overdue invoice; new price list",
            ),
            ("partner_huaxia_demo", 10000.0, 5000.0, "Samples for the hotel bathrooms"),
        ),
        "user_senior_demo": (
            ("partner_minghui_demo", 80000.0, 50000.0, "Tender for the Ningbo villas"),
            ("partner_donghai_demo", 30000.0, 30000.0, "Park paving: deliveries and acceptance"),
            ("partner_tianyu_demo", 20000.0, 10000.0, "Facade samples; meet the architect"),
        ),
    }

    @api.model
    def _demo_month(self, months_ago):
        today = fields.Date.context_today(self)
        return mtg.add_months(today, -months_ago)

    @api.model
    def _demo_plan(self, user, month, state):
        """MTG-3: ``user``'s plan of ``month``, filed by them and reviewed as ``state``
        says (draft, submitted or approved by the sales manager)."""
        Report = self.env["sales.monthly.report"].with_user(user)
        xmlid_user = next(k for k in self._DEMO_KEY_CUSTOMERS if self._ref(k) == user)
        plan = Report.create(
            {
                "kind": "plan",
                "month": month,
                "main_activities": "Visit every key customer twice; follow the open tenders; "
                "collect what is due before the 25th.",
                "line_ids": [
                    Command.create(
                        {
                            "partner_id": self._ref(partner).id,
                            "expected_orders": orders,
                            "expected_collections": collections,
                            "activities": activities,
                        }
                    )
                    for partner, orders, collections, activities in self._DEMO_KEY_CUSTOMERS[
                        xmlid_user
                    ]
                ],
            }
        )
        self._demo_decide(plan, state)
        return plan

    @api.model
    def _demo_summary(self, user, month, state):
        """MTG-3: ``user``'s summary of ``month``, loaded from the plan, its actuals from
        the records."""
        summary = (
            self.env["sales.monthly.report"]
            .with_user(user)
            .create({"kind": "summary", "month": month})
        )
        if summary.plan_id:
            summary.with_user(user).action_load_plan()
        summary.with_user(user).write(
            {
                "went_well": "The key customers were all visited; Hengda accepted the lobby.",
                "went_wrong": "Jinshi paid late again; one tender was lost on price.",
                "next_steps": "Weekly calls to Jinshi's finance; a sharper quote for phase 2.",
            }
        )
        self._demo_decide(summary, state)
        return summary

    @api.model
    def _demo_decide(self, report, state):
        if state == "draft":
            return
        report.with_user(report.user_id).action_submit()
        if state == "approved":
            report.with_user(self._ref("user_manager_demo")).action_approve()

    @api.model
    def _create_monthly_reports_demo(self):
        """MTG-3: six months of plans and summaries of Li Wei and Zhang Min: the older
        ones reviewed, last month's summary waiting for the manager (Zhang Min's still a
        draft), this month's plans filed."""
        for xmlid in self._DEMO_KEY_CUSTOMERS:
            user = self._ref(xmlid)
            for months_ago in range(6, 0, -1):
                month = self._demo_month(months_ago)
                self._demo_plan(user, month, "approved")
                if months_ago > 1:
                    state = "approved"
                else:
                    state = "submitted" if xmlid == "user_salesperson_demo" else "draft"
                self._demo_summary(user, month, state)
            this_month = "approved" if xmlid == "user_salesperson_demo" else "submitted"
            self._demo_plan(user, self._demo_month(0), this_month)

    @api.model
    def _demo_meeting(self, kind, day, agenda, decisions=(), minutes=None, send=False):
        manager = self._ref("user_manager_demo")
        meeting = (
            self.env["sales.meeting"]
            .with_user(manager)
            .create(
                {
                    "kind": kind,
                    "date": day,
                    "agenda": agenda,
                    "decision_ids": [
                        Command.create(
                            {
                                "name": name,
                                "user_id": self._ref(owner).id,
                                "date_deadline": day + timedelta(days=days),
                            }
                        )
                        for name, owner, days in decisions
                    ],
                }
            )
        )
        if send:
            meeting.with_user(manager).action_send_agenda()
        if minutes:
            meeting.with_user(manager).minutes = minutes
            meeting.with_user(manager).action_close()
        return meeting

    @api.model
    def _create_meetings_demo(self):
        """MTG-1..4: last quarter's meeting, held, its agenda sent; last month's
        monthly meeting, held, one decision done and one open; this month's, planned
        for today with the department's plans and summaries on it."""
        today = fields.Date.context_today(self)
        year, quarter = mtg.quarter_of(today)
        previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        quarterly_day = mtg.quarterly_meeting_date(*previous)
        if quarterly_day > today:
            before = (previous[0], previous[1] - 1) if previous[1] > 1 else (previous[0] - 1, 4)
            quarterly_day = mtg.quarterly_meeting_date(*before)
        self._demo_meeting(
            "quarterly",
            quarterly_day,
            "<ol><li>The quarter's sales, collections and attainment</li>"
            "<li>Overdue balances</li><li>Next quarter's priorities</li></ol>",
            decisions=(
                (
                    "Send the overdue list to the sales department every Monday",
                    "user_finance_demo",
                    30,
                ),
                ("Prepare the Ningbo villas tender with production", "user_senior_demo", 20),
            ),
            minutes="<p>The quarter ended below target in Hangzhou; collections improved. "
            "Finance follows the overdue balances weekly.</p>",
            send=True,
        )
        last_month = mtg.add_months(today, -1).replace(day=5)
        held = self._demo_meeting(
            "monthly",
            last_month,
            "<ol><li>Last month's summaries</li><li>This month's plans</li></ol>",
            decisions=(
                (
                    "Call Jinshi's finance weekly until the invoice is paid",
                    "user_salesperson_demo",
                    20,
                ),
                ("Send the Minghui samples", "user_senior_demo", 7),
            ),
            minutes="<p>Summaries reviewed; Jinshi's payment is the first concern.</p>",
        )
        held.decision_ids.filtered(lambda d: d.user_id == self._ref("user_senior_demo")).with_user(
            self._ref("user_senior_demo")
        ).action_done()
        self._demo_meeting(
            "monthly",
            today,
            "<ol><li>Last month's summaries and this month's plans</li>"
            "<li>Collection plans</li><li>Activity behind target</li></ol>",
            decisions=(
                ("Visit Guangming Municipal Works with the manager", "user_salesperson_demo", 10),
            ),
        )

    # BUD-1..3: expense budgets, what consumes them, a trip over budget
    # ------------------------------------------------------------------
    @api.model
    def _demo_budget(self, setter, user, year, amounts, approver=None):
        """A budget set by ``setter`` (a sales manager) with ``amounts`` a month by kind,
        submitted, and approved by ``approver`` when given."""
        budget = (
            self.env["sales.expense.budget"]
            .with_user(setter)
            .create({"user_id": user.id, "year": year})
        )
        for kind, amount in amounts.items():
            budget.line_ids.filtered(lambda ln, k=kind: ln.kind == k).with_user(setter).write(
                {"amount": amount}
            )
        budget.with_user(setter).action_submit()
        if approver:
            budget.with_user(approver).action_approve()
        return budget

    @api.model
    def _demo_claim(self, user, product, amount, day, name):
        """A claim of ``user``'s, submitted, and approved by their manager."""
        expense = (
            self.env["hr.expense"]
            .with_user(user)
            .create(
                {
                    "name": name,
                    "employee_id": user.employee_id.id,
                    "product_id": product.id,
                    "total_amount_currency": amount,
                    "date": day,
                    "payment_mode": "own_account",
                }
            )
        )
        expense.with_user(user).action_submit()
        return expense

    @api.model
    def _demo_local(self, day, hour):
        """``day`` at ``hour`` in Shanghai, as the database keeps it (UTC)."""
        tz = pytz.timezone("Asia/Shanghai")
        moment = tz.localize(datetime.combine(day, time(hour, 0)))
        return moment.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _create_expense_budget_demo(self):
        """BUD-1..3: this year's approved budgets of the salespeople, trips and claims
        consuming them, one trip over budget waiting for the general manager, one
        claim over budget too, and the sales manager's own budget waiting for the
        general manager's approval."""
        manager, gm = self._ref("user_manager_demo"), self._ref("user_gm_demo")
        director = self._ref("user_director_demo")
        li_wei, zhang_min = self._ref("user_salesperson_demo"), self._ref("user_senior_demo")
        today = datetime.now(pytz.timezone("Asia/Shanghai")).date()
        years = sorted({today.year, (today + timedelta(days=10)).year})
        plans = {
            li_wei: {"travel": 2000.0, "entertainment": 800.0, "other": 300.0},
            zhang_min: {"travel": 1500.0, "entertainment": 600.0, "other": 300.0},
        }
        for year in years:
            for user, amounts in plans.items():
                self._demo_budget(manager, user, year, amounts, approver=gm)
        # BUD-1: the sales manager's own budget, set by the director, for the GM to approve
        self._demo_budget(
            director,
            manager,
            today.year,
            {"travel": 3000.0, "entertainment": 1500.0, "other": 500.0},
        )

        # BUD-2: the months gone by: customer dinners and other costs, approved
        entertainment = self._ref("product_sales_entertainment")
        other = self._ref("product_sales_other_expense")
        for month in range(1, today.month):
            day = today.replace(month=month, day=15)
            for user, dinner, sundry in ((li_wei, 420.0, 120.0), (zhang_min, 360.0, 90.0)):
                claims = self._demo_claim(
                    user, entertainment, dinner + 10 * month, day, f"Dinner with customers {day}"
                ) | self._demo_claim(
                    user, other, sundry + 5 * month, day, f"Samples and postage {day}"
                )
                claims.with_user(manager).action_approve()

        # BUD-2: a trip within the month's travel budget, approved: it commits its estimate
        suzhou = (
            self.env["sales.trip"]
            .with_user(li_wei)
            .create(
                {
                    "destination": "Suzhou",
                    "purpose": "Walk the Jinshi showroom with the architect and agree the samples.",
                    "partner_id": self._ref("partner_jinshi_demo").id,
                    "planned_departure": self._demo_local(today + timedelta(days=2), 9),
                    "planned_return": self._demo_local(today + timedelta(days=3), 17),
                    "estimated_transport": 180.0,
                    "estimated_lodging": 60.0,
                }
            )
        )
        suzhou.with_user(li_wei).action_submit()
        suzhou.with_user(manager).action_approve()

        # BUD-2: a trip over the month's travel budget: the manager approved it, it waits
        # for the general manager, the overrun on its form and chatter
        guangzhou = (
            self.env["sales.trip"]
            .with_user(zhang_min)
            .create(
                {
                    "destination": "Guangzhou",
                    "purpose": "Canton stone fair: meet the three importers who asked for quotes.",
                    "planned_departure": self._demo_local(today + timedelta(days=4), 8),
                    "planned_return": self._demo_local(today + timedelta(days=6), 20),
                    "flight_requested": True,
                    "pre_approval_reason": "Two days by train each way; the fair lasts three.",
                    "estimated_transport": 1400.0,
                    "estimated_lodging": 200.0,
                }
            )
        )
        guangzhou.with_user(zhang_min).action_submit()
        guangzhou.with_user(manager).action_approve()

        # BUD-2: a claim over the month's entertainment budget, approved by the manager,
        # waiting for the general manager
        banquet = self._demo_claim(
            li_wei, entertainment, 1200.0, today, "Banquet for Hengda's purchasing team"
        )
        banquet.with_user(manager).action_approve()
