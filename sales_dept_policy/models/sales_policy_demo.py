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

    # ------------------------------------------------------------------
    # The demo company: 广西家家装石材有限公司, as in the regulations (001)
    # ------------------------------------------------------------------
    @api.model
    def _setup_demo_company(self):
        """Make the demo's main company the regulations' own: a stone and building
        materials maker in Nanning, Guangxi, keeping its books in CNY and its days in
        Asia/Shanghai.

        Odoo's own demo has already booked a few sample invoices and payments of its
        US sample company in US dollars; a company cannot change its currency once it
        has journal items, so those sample entries are removed first (demo data only,
        of the main company only). Odoo's other sample companies keep theirs.
        """
        company = self.env.ref("base.main_company")
        cny = self.env.ref("base.CNY")
        cny.active = True
        if company.currency_id != cny:
            self._demo_clear_sample_accounting(company)
            # rates are relative to the company currency, which has 1: every rate is
            # divided by CNY's, so that CNY has 1 and every conversion stays the same
            factor = cny.with_company(company).rate or 1.0
            rates = self.env["res.currency.rate"].with_context(active_test=False)
            for rate in rates.search([("rate", "!=", 0)]):
                rate.rate = rate.rate / factor
            company.currency_id = cny
        # the company's prices in its currency (a pricelist fixes the orders' currency)
        self.env["product.pricelist"].with_context(active_test=False).search(
            [("company_id", "in", (company.id, False))]
        ).currency_id = cny
        company.write(
            {
                "name": "广西家家装石材有限公司",
                "street": "西乡塘区科园大道31号",
                "street2": "石材产业园8栋",
                "city": "南宁市",
                "zip": "530007",
                "state_id": self.env.ref("base.state_cn_GX").id,
                "country_id": self.env.ref("base.cn").id,
                "phone": "+86 771 388 6600",
                "email": "info@jiajiazhuang-stone.example.com",
                "website": "https://jiajiazhuang-stone.example.com",
            }
        )
        # the company counts its days in China's time (SPEC: times are the company's)
        company.partner_id.tz = "Asia/Shanghai"
        # the company's administrator, not Odoo's sample persona (Mitchell Admin)
        admin = self.env.ref("base.user_admin")
        admin.write({"name": "系统管理员", "tz": "Asia/Shanghai"})

    @api.model
    def _demo_clear_sample_accounting(self, company):
        """Remove the journal entries, payments and statement lines Odoo's demo booked
        for ``company`` (before the policy's demo books any)."""
        lines = self.env["account.bank.statement.line"].search([("company_id", "=", company.id)])
        lines.move_id.filtered(lambda m: m.state == "posted").button_draft()
        lines.unlink()
        payments = self.env["account.payment"].search([("company_id", "=", company.id)])
        payments.filtered(lambda p: p.state != "draft").action_draft()
        payments.unlink()
        moves = self.env["account.move"].search([("company_id", "=", company.id)])
        moves.filtered(lambda m: m.state in ("posted", "cancel")).button_draft()
        moves.with_context(force_delete=True).unlink()

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
                        "name": f"{order.name} 合同(已签).pdf",
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
        minghui.with_user(finance)._release_deposit("已收到定金的银行承兑汇票;到账后入账。")
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

    #: the context of the demo's past records: without Odoo's creation logs, field
    #: tracking and "assigned to you" notices of a year ago (the policy's own
    #: decisions are still posted, and its to-dos still made and closed)
    _DEMO_PAST = {
        "tracking_disable": True,
        "mail_create_nolog": True,
        "mail_notrack": True,
        "mail_activity_quick_update": True,
    }

    @api.model
    def _demo_past_orders(self, specs):
        """Past orders through the whole flow, each stage at its own date and for all
        of them at once (one creation and confirmation per salesperson, one posting
        and one payment run per stage: the ORM's batches, not an order at a time).
        ``specs`` are dicts: ``partner``, ``product``, ``qty``, ``confirmed`` and
        the dates an order got to, or None where it has not got there yet:
        ``promised`` (the delivery date promised), ``deposit`` (the deposit
        invoiced) and ``deposit_paid``, ``sent`` (dispatched, its balance invoiced
        that day), ``received``, ``balance_paid``. Returns the orders, in order."""
        self = self.with_context(**self._DEMO_PAST)
        production = self._ref("user_production_demo")
        made = {}
        by_salesperson = {}
        for index, spec in enumerate(specs):
            salesperson = spec["partner"].user_id or self._ref("user_salesperson_demo")
            by_salesperson.setdefault(salesperson, []).append(index)
        for salesperson, indexes in by_salesperson.items():
            # made and confirmed by the salesperson; what follows as the demo loader
            orders = (
                self.env["sale.order"]
                .with_user(salesperson)
                .create(
                    [
                        {
                            "partner_id": specs[i]["partner"].id,
                            "user_id": salesperson.id,
                            "contract_kind": "no_contract",
                            "order_line": [
                                Command.create(
                                    {
                                        "product_id": specs[i]["product"].id,
                                        "product_uom_qty": specs[i]["qty"],
                                    }
                                )
                            ],
                        }
                        for i in indexes
                    ]
                )
            )
            orders.action_confirm()
            made.update(zip(indexes, orders.with_env(self.env), strict=True))
        orders = self.env["sale.order"].concat(*(made[i] for i in range(len(specs))))
        for order, spec in zip(orders, specs, strict=True):
            # the order as it was signed that day (the confirmation sets today's date)
            order.date_order = self._demo_utc(spec["confirmed"], 10)
            if spec.get("promised"):
                order.with_user(order.user_id).commitment_date = self._demo_utc(
                    spec["promised"], 17
                )
            self._demo_review(order)
        # CRD-4: the deposits, invoiced by the advance wizard (one order at a time)
        deposits = []
        for order, spec in zip(orders, specs, strict=True):
            if not spec.get("deposit"):
                continue
            self.env["sale.advance.payment.inv"].with_context(
                active_model="sale.order", active_ids=order.ids
            ).create({"advance_payment_method": "percentage", "amount": 30}).create_invoices()
            invoice = order.invoice_ids.filtered(lambda m: m.state == "draft")
            invoice.invoice_date = spec["deposit"]
            deposits.append((invoice, spec.get("deposit_paid")))
        self._demo_post_and_pay(deposits)
        # ORD-4/5: the production office dispatches; the salesperson records arrival
        sent = [(o, s) for o, s in zip(orders, specs, strict=True) if s.get("sent")]
        pickings = self.env["stock.picking"].concat(
            *(o.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")) for o, _s in sent)
        )
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        # the SMS confirmation dialog of stock_sms is a question for a person
        pickings.with_user(production).with_context(skip_sms=True).button_validate()
        for order, spec in sent:
            picking = order.picking_ids.filtered(lambda p: p.state == "done")
            picking.date_done = self._demo_utc(spec["sent"], 11)
            if spec.get("received"):
                picking.with_user(order.user_id).received_on = spec["received"]
        # ORD-5: the balance, invoiced on dispatch, paid by the customer's habits
        balances = []
        if sent:
            shipped = self.env["sale.order"].concat(*(o for o, _s in sent))
            invoices = shipped._create_invoices(final=True, grouped=True)
            for order, spec in sent:
                invoice = invoices.filtered(
                    lambda m, o=order: o in m.line_ids.sale_line_ids.order_id
                )
                invoice.invoice_date = spec["sent"]
                balances.append((invoice, spec.get("balance_paid")))
        self._demo_post_and_pay(balances)
        return orders

    @api.model
    def _demo_post_and_pay(self, invoices_paid):
        """Finance posts the invoices of ``invoices_paid`` ((invoice, day) pairs) and
        registers each payment in full on its day (None: still open), as the bank
        statement brings them: the payments made and posted together, each then
        matched with its invoice."""
        if not invoices_paid:
            return
        finance = self._ref("user_finance_demo")
        invoices = self.env["account.move"].concat(*(i for i, _day in invoices_paid))
        invoices.with_user(finance).action_post()
        paid = [(i, day) for i, day in invoices_paid if day]
        if not paid:
            return
        payments = (
            self.env["account.payment"]
            .with_user(finance)
            .create(
                [
                    {
                        "payment_type": "inbound",
                        "partner_type": "customer",
                        "partner_id": invoice.commercial_partner_id.id,
                        "amount": invoice.amount_residual,
                        "currency_id": invoice.currency_id.id,
                        "date": day,
                        "memo": invoice.name,
                    }
                    for invoice, day in paid
                ]
            )
        )
        payments.action_post()
        for payment, (invoice, _day) in zip(payments, paid, strict=True):
            (payment.move_id.line_ids | invoice.line_ids).filtered(
                lambda line: (
                    line.account_id.account_type == "asset_receivable" and not line.reconciled
                )
            ).reconcile()
            invoice.matched_payment_ids += payment

    @api.model
    def _demo_month_visits(self, user, partners, month, counts):
        """``counts`` (info, call, onsite) effective records of ``user`` spread over
        ``month``, and one cold visit (VIS-3: it does not count), as reviewed reports."""
        last_day = ((month + timedelta(days=32)).replace(day=1) - timedelta(days=1)).day
        manager = self._ref("user_manager_demo")
        kinds = {
            "info": {
                "purpose": "找到采购负责人及其直线电话",
                "outcome": "找到了项目采购负责人;记下了直线电话。",
                "contact_name": "吴经理",
                "contact_phone": "139 1234 5602",
            },
            "call": {
                "purpose": "致电采购经理介绍新品系列",
                "outcome": "对方有意向;方案当天已发出。",
                "contact_name": "周女士",
                "interested": True,
                "proposal_sent": True,
            },
            "onsite": {
                "purpose": "展示客户要求的样品",
                "outcome": "样品已确认;随后报价。",
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
                        "review_comment": "已阅。",
                    }
                )
        vals_list.append(
            {
                **kinds["onsite"],
                "user_id": user.id,
                "partner_id": partners[0].id,
                "kind": "onsite",
                "customer_requested": False,
                "outcome": "未预约上门;采购不在。",
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
        # each month's orders: confirmed on the 5th, the deposit invoiced on the 6th
        # and paid on the 7th, promised on day ``promised``, dispatched on day
        # ``delivered`` with its balance invoice, paid ten days later (the next
        # month, for a late delivery; today at the latest)
        specs = []
        for month in months:
            for partner, product, qty, promised, delivered in orders[month]:
                sent = month.replace(day=delivered)
                specs.append(
                    {
                        "partner": self._ref(partner),
                        "product": self._ref(product),
                        "qty": qty,
                        "confirmed": month.replace(day=5),
                        "promised": month.replace(day=promised),
                        "deposit": month.replace(day=6),
                        "deposit_paid": month.replace(day=7),
                        "sent": sent,
                        "balance_paid": min(sent + timedelta(days=10), today.date()),
                    }
                )
        self._demo_past_orders(specs)
        past = self.with_context(**self._DEMO_PAST)
        for index, month in enumerate(months):
            for user, counts in visits.items():
                past._demo_month_visits(user, customers[user], month, counts[index])

        Assessment = self.env["sales.assessment"]
        manager, gm = self._ref("user_manager_demo"), self._ref("user_gm_demo")
        judgments = {
            (0, li_wei): (
                3.0,
                "独立拿下恒达的返单,并协助张敏完成柳州投标。",
            ),
            (1, zhang_min): (
                -4.0,
                "两份周计划迟交;东海的交期未经生产部确认就承诺了客户。",
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
                "大堂工程验收;二期报价",
            ),
            (
                "partner_jinshi_demo",
                15000.0,
                20000.0,
                "催收逾期发票;发送新价目表",
            ),
            ("partner_huaxia_demo", 10000.0, 5000.0, "酒店卫生间石材样品"),
        ),
        "user_senior_demo": (
            ("partner_minghui_demo", 80000.0, 50000.0, "桂林别墅项目投标"),
            ("partner_donghai_demo", 30000.0, 30000.0, "公园铺装:交货与验收"),
            ("partner_tianyu_demo", 20000.0, 10000.0, "幕墙样品;约见建筑师"),
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
                "main_activities": "每个重点客户拜访两次;跟进在投标项目;25 日前收回到期货款。",
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
                "went_well": "重点客户均已拜访;恒达大堂工程已验收。",
                "went_wrong": "金石再次逾期付款;一个投标因价格落标。",
                "next_steps": "每周致电金石财务;二期报价更有竞争力。",
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
            "<ol><li>本季度销售、回款及目标完成情况</li>"
            "<li>逾期应收款</li><li>下季度工作重点</li></ol>",
            decisions=(
                (
                    "每周一向业务部发送逾期清单",
                    "user_finance_demo",
                    30,
                ),
                ("与生产部一起准备桂林别墅项目投标", "user_senior_demo", 20),
            ),
            minutes="<p>本季度南宁片区未完成目标;回款有所改善。财务部每周跟进逾期应收款。</p>",
            send=True,
        )
        last_month = mtg.add_months(today, -1).replace(day=5)
        held = self._demo_meeting(
            "monthly",
            last_month,
            "<ol><li>上月工作总结</li><li>本月工作计划</li></ol>",
            decisions=(
                (
                    "每周致电金石财务,直至发票付清",
                    "user_salesperson_demo",
                    20,
                ),
                ("寄送明辉的样品", "user_senior_demo", 7),
            ),
            minutes="<p>已审阅工作总结;金石的回款是首要问题。</p>",
        )
        held.decision_ids.filtered(lambda d: d.user_id == self._ref("user_senior_demo")).with_user(
            self._ref("user_senior_demo")
        ).action_done()
        self._demo_meeting(
            "monthly",
            today,
            "<ol><li>上月总结与本月计划</li><li>回款计划</li><li>未达标的业务活动</li></ol>",
            decisions=(("与经理一起拜访光明市政工程", "user_salesperson_demo", 10),),
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
                    user, entertainment, dinner + 10 * month, day, f"客户招待餐 {day}"
                ) | self._demo_claim(user, other, sundry + 5 * month, day, f"样品及邮寄费 {day}")
                claims.with_user(manager).action_approve()

        # BUD-2: a trip within the month's travel budget, approved: it commits its estimate
        suzhou = (
            self.env["sales.trip"]
            .with_user(li_wei)
            .create(
                {
                    "destination": "北海市",
                    "purpose": "与建筑师一起察看华夏的展厅,确定样品。",
                    "partner_id": self._ref("partner_huaxia_demo").id,
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
                    "destination": "广州市",
                    "purpose": "广州石材展:会见三家询价的进口商。",
                    "planned_departure": self._demo_local(today + timedelta(days=4), 8),
                    "planned_return": self._demo_local(today + timedelta(days=6), 20),
                    "flight_requested": True,
                    "pre_approval_reason": "火车单程需两天;展会为期三天。",
                    "estimated_transport": 1400.0,
                    "estimated_lodging": 200.0,
                }
            )
        )
        guangzhou.with_user(zhang_min).action_submit()
        guangzhou.with_user(manager).action_approve()

        # BUD-2: a claim over the month's entertainment budget, approved by the manager,
        # waiting for the general manager
        banquet = self._demo_claim(li_wei, entertainment, 1200.0, today, "宴请恒达采购团队")
        banquet.with_user(manager).action_approve()

    # ------------------------------------------------------------------
    # A year of the department's work, made by a seeded generator
    # ------------------------------------------------------------------
    #: the generator's seed: the same history on every install
    _HISTORY_SEED = 20170621  # the day the regulations were issued (001)

    #: the customers the generator adds, by salesperson: name, city, grade
    _HISTORY_CUSTOMERS = {
        "user_salesperson2_demo": (
            ("桂林漓江石材装饰有限公司", "桂林市", "a"),
            ("柳州鑫源建筑工程有限公司", "柳州市", "b"),
            ("河池金城江建材市场经营部", "河池市", "c"),
            ("桂林山水园林景观工程有限公司", "桂林市", "b"),
        ),
        "user_salesperson3_demo": (
            ("玉林华美家居建材有限公司", "玉林市", "b"),
            ("梧州盛世房地产开发有限公司", "梧州市", "a"),
            ("贺州宏达石业有限公司", "贺州市", "c"),
            ("贵港港北装饰材料城", "贵港市", "b"),
        ),
    }

    #: by salesperson: the customers they sell to (xml ids, then those added), how many
    #: orders a month (chosen among), and the share of the year's target they reach
    _HISTORY_SALES = {
        "user_salesperson_demo": (
            ("partner_hengda_demo", "partner_huaxia_demo", "partner_baoli_demo"),
            (1,),
        ),
        "user_senior_demo": (
            ("partner_minghui_demo", "partner_donghai_demo", "partner_tianyu_demo"),
            (1,),
        ),
        "user_salesperson2_demo": ((), (1,)),
        "user_salesperson3_demo": ((), (1,)),
    }

    #: the targets the generator sets, by salesperson: the share of the year's signed
    #: sales the target asks (above 1: behind; below: ahead), forecast and analysis
    _HISTORY_TARGETS = {
        "user_salesperson2_demo": (0.85, "桂林、柳州两地的酒店和园林项目增长较快。"),
        "user_salesperson3_demo": (1.3, "玉林家居建材市场竞争激烈,需新开发两家开发商。"),
    }

    @api.model
    def _history_customers(self, user_xmlid):
        """The customers of a salesperson the generator added (created once)."""
        user = self._ref(user_xmlid)
        Partner = self.env["res.partner"]
        customers = Partner
        grades = {
            code: (self._ref(f"credit_grade_{code}"), self._ref(f"payment_term_grade_{code}"))
            for code in ("a", "b", "c")
        }
        for index, (name, city, grade) in enumerate(self._HISTORY_CUSTOMERS.get(user_xmlid, ())):
            partner = Partner.search([("name", "=", name)], limit=1)
            if not partner:
                partner = Partner.create(
                    {
                        "name": name,
                        "is_company": True,
                        "customer_rank": 1,
                        "city": city,
                        "state_id": self.env.ref("base.state_cn_GX").id,
                        "country_id": self.env.ref("base.cn").id,
                        "phone": f"+86 77{index} 555 {index + 21:04d}",
                        "user_id": user.id,
                        "credit_grade_id": grades[grade][0].id,
                        "property_payment_term_id": grades[grade][1].id,
                        "customer_characteristics": "工程项目客户,按项目分批采购。",
                    }
                )
            customers |= partner
        return customers

    @api.model
    def _history_spec(self, partner, product, qty, confirmed, rng, today):
        """One order of ``partner``'s salesperson, confirmed on ``confirmed``: the
        contract reviewed, the deposit paid two days later, dispatched 8 to 20 days
        after, received 1 to 3 days later and its balance paid by the customer's
        habits (grade C late, the last ones still open), as far as ``today``: the
        dates of ``_demo_past_orders``."""
        spec = {"partner": partner, "product": product, "qty": qty, "confirmed": confirmed}
        deposit_day = confirmed + timedelta(days=2)
        if deposit_day > today:
            return spec  # waiting for its deposit (CRD-4)
        spec.update(deposit=confirmed, deposit_paid=deposit_day)
        sent = deposit_day + timedelta(days=rng.randint(6, 18))
        if sent > today:
            return spec  # in production
        received = sent + timedelta(days=rng.randint(1, 3))
        grade = partner.credit_grade_id.code
        # ORD-5: the balance falls due at dispatch (A), on arrival (B), 14 days later (C)
        due = {"A": sent, "B": received}.get(grade, received + timedelta(days=14))
        delay = {"A": (0, 5), "B": (0, 12)}.get(grade, (-3, 40))
        pay_day = due + timedelta(days=rng.randint(*delay))
        spec.update(
            sent=sent,
            received=received if received <= today else None,
            balance_paid=pay_day if pay_day <= today else None,
        )
        return spec

    @api.model
    def _history_visits(self, user, partners, weeks, rng):
        """VIS-1..4: a salesperson's visits of every kind, week after week: most count
        (VIS-3), a few do not (no direct line, no proposal, not asked for), all
        reported and reviewed by the sales manager."""
        manager = self._ref("user_manager_demo")
        contacts = ("覃经理", "黄工", "韦总", "陆女士", "莫经理", "梁主任")
        effective = {
            "info": lambda c: {
                "purpose": "了解项目采购负责人及联系方式",
                "outcome": f"找到项目采购负责人{c},记下了直线电话。",
                "contact_name": c,
                "contact_phone": f"139 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            },
            "call": lambda c: {
                "purpose": "电话介绍新品并发送方案",
                "outcome": f"{c}有意向,方案当天发出。",
                "contact_name": c,
                "interested": True,
                "proposal_sent": True,
            },
            "onsite": lambda c: {
                "purpose": "应客户邀请上门展示样品",
                "outcome": f"向{c}展示了样品,客户要求报价。",
                "contact_name": c,
                "customer_requested": True,
            },
        }
        ineffective = {
            "info": lambda c: {
                "purpose": "了解项目采购负责人",
                "outcome": "只拿到总机号码。",
                "contact_name": c,
            },
            "call": lambda c: {
                "purpose": "电话回访",
                "outcome": f"{c}暂无需求。",
                "contact_name": c,
            },
            "onsite": lambda c: {
                "purpose": "顺路拜访",
                "outcome": "未预约上门,采购不在。",
            },
        }
        per_week = {"info": (7, 12), "call": (7, 12), "onsite": (1, 2)}
        vals_list = []
        for monday in weeks:
            for kind, (low, high) in per_week.items():
                count = rng.randint(low, high)
                misses = rng.randint(0, 1 if kind == "onsite" else 2)
                for index in range(count + misses):
                    contact = rng.choice(contacts)
                    values = (effective if index < count else ineffective)[kind](contact)
                    day = monday + timedelta(days=rng.randint(0, 4))
                    vals_list.append(
                        {
                            **values,
                            "user_id": user.id,
                            "partner_id": rng.choice(partners).id,
                            "kind": kind,
                            "date_planned": self._demo_utc(day, rng.choice((9, 10, 14, 15, 16))),
                            "state": "reviewed",
                            "reviewed_by_id": manager.id,
                            "review_comment": "已阅。",
                        }
                    )
        # demo history, as the data files make it (the reports reviewed in the past)
        return self.env["sales.visit"].sudo().create(vals_list)

    @api.model
    def _history_target(self, user_xmlid, year, signed):
        """QTA-1..3: ``user``'s target of ``year``: their forecast, the amounts set by
        the sales manager from the year's sales, submitted and approved by the general
        manager."""
        share, analysis = self._HISTORY_TARGETS[user_xmlid]
        user = self._ref(user_xmlid)
        manager, gm = self._ref("user_manager_demo"), self._ref("user_gm_demo")
        amount = round(signed * share, -4)
        target = (
            self.env["sales.target"]
            .with_user(user)
            .create(
                {
                    "user_id": user.id,
                    "year": year,
                    "territory_id": self.env["sales.territory"]
                    .search([("user_ids", "in", user.id)], limit=1)
                    .id,
                    "forecast_low": round(amount * 0.8, -4),
                    "forecast_likely": amount,
                    "forecast_high": round(amount * 1.2, -4),
                    "analysis": analysis,
                }
            )
        )
        target.with_user(manager).write(
            {"target_amount": amount, "collection_target": round(amount * 0.9, -4)}
        )
        target.with_user(manager).action_submit()
        target.with_user(gm).action_approve()
        return target

    @api.model
    def _create_history_demo(self):
        """A year of the department's work, the same on every install (a seeded
        generator, not thousands of records in files): every salesperson's orders
        month by month from the contract to the last payment (some paid late, the
        last ones still open), their visits week by week, and this year's targets of
        the salespeople the data files do not set, from the year's sales. The three
        months the assessments look at (``_create_assessment_demo``) are left to it."""
        import random  # noqa: PLC0415  (demo only)

        self = self.with_context(**self._DEMO_PAST)
        read_before = self._demo_last_notification()
        rng = random.Random(self._HISTORY_SEED)
        today = datetime.now(pytz.timezone(self.env.company.partner_id.tz or "Asia/Shanghai"))
        today = today.date()
        this_month = today.replace(day=1)
        first_month = this_month - relativedelta(months=12)
        # the months and weeks the assessments' demo does not make for its two people
        assessed = {"user_salesperson_demo", "user_senior_demo"}
        assessed_from = this_month - relativedelta(months=3)
        products = (
            (self._ref("product_granite_slab_demo"), (80, 260)),
            (self._ref("product_marble_tile_demo"), (400, 1300)),
        )
        specs = []
        for user_xmlid, (partner_xmlids, per_month) in self._HISTORY_SALES.items():
            user = self._ref(user_xmlid)
            partners = [self._ref(x) for x in partner_xmlids] or list(
                self._history_customers(user_xmlid)
            )
            month = first_month
            while month <= this_month:
                skip = user_xmlid in assessed and assessed_from <= month < this_month
                for _ in range(rng.choice(per_month)):
                    day = month + timedelta(days=rng.randint(0, 27))
                    product, (low, high) = rng.choice(products)
                    qty = rng.randint(low, high)
                    if skip or day >= today:
                        continue
                    partner = rng.choice(partners)
                    specs.append(self._history_spec(partner, product, qty, day, rng, today))
                month += relativedelta(months=1)
            # VIS-1..4: every week of the year but this one
            monday = first_month - timedelta(days=first_month.weekday())
            weeks = []
            while monday + timedelta(days=7) <= today - timedelta(days=today.weekday()):
                in_assessed = user_xmlid in assessed and assessed_from <= monday < this_month
                if monday >= first_month and not in_assessed:
                    weeks.append(monday)
                monday += timedelta(days=7)
            self._history_visits(user, partners, weeks, rng)
        orders = self._demo_past_orders(specs)
        xmlids = {self._ref(x): x for x in self._HISTORY_SALES}
        signed = {}
        for order, spec in zip(orders, specs, strict=True):
            if spec["confirmed"].year == today.year:
                user_xmlid = xmlids[order.user_id]
                signed[user_xmlid] = signed.get(user_xmlid, 0.0) + order.amount_untaxed
        for user_xmlid in self._HISTORY_TARGETS:
            self._history_target(user_xmlid, today.year, signed.get(user_xmlid, 0.0))
        self._demo_mark_read(read_before)
        self.env["sale.order"]._cron_balance_followup()

    @api.model
    def _demo_last_notification(self):
        return self.env["mail.notification"].search([], order="id desc", limit=1).id

    @api.model
    def _demo_mark_read(self, after):
        """The history's notifications were read when they came (a year ago): only
        today's are new in each inbox."""
        self.env["mail.notification"].search([("id", ">", after), ("is_read", "=", False)]).write(
            {"is_read": True}
        )

    #: TRV: the year's trips of each salesperson: (months ago, customer index, nights)
    _HISTORY_TRIPS = ((9, 0, 2), (5, 1, 1), (2, 2, 2))

    @api.model
    def _create_trip_history_demo(self):
        """TRV-1..13, BUD-2: the trips this year of every salesperson to their customers'
        cities, approved before they left (demo history: made approved, as the data
        files make past records), each with its claim: the train at the traveller's
        class, the hotel within the cap, the per diem of the trip's days, submitted by
        the traveller and approved by the sales manager. The salespeople the budgets'
        demo does not cover get their approved budget first."""
        self = self.with_context(**self._DEMO_PAST)
        read_before = self._demo_last_notification()
        manager, gm = self._ref("user_manager_demo"), self._ref("user_gm_demo")
        today = datetime.now(pytz.timezone("Asia/Shanghai")).date()
        lodging = self._ref("product_travel_lodging")
        transport = self._ref("product_travel_transport")
        for user_xmlid in self._HISTORY_CUSTOMERS:
            user = self._ref(user_xmlid)
            budget = self.env["sales.expense.budget"].search(
                [("user_id", "=", user.id), ("year", "=", today.year)], limit=1
            )
            if not budget:
                self._demo_budget(
                    manager,
                    user,
                    today.year,
                    {"travel": 1800.0, "entertainment": 600.0, "other": 300.0},
                    approver=gm,
                )
        for user_xmlid, (partner_xmlids, _per_month) in self._HISTORY_SALES.items():
            user = self._ref(user_xmlid)
            employee = user.employee_id
            partners = [self._ref(x) for x in partner_xmlids] or list(
                self._history_customers(user_xmlid)
            )
            for months_ago, index, nights in self._HISTORY_TRIPS:
                day = (today - relativedelta(months=months_ago)).replace(day=12)
                if day.year != today.year:
                    continue
                partner = partners[index % len(partners)]
                departure = self._demo_local(day, 8)
                back = self._demo_local(day + timedelta(days=nights), 18)
                trip = (
                    self.env["sales.trip"]
                    .sudo()
                    .create(
                        {
                            "employee_id": employee.id,
                            "partner_id": partner.id,
                            "destination": partner.city,
                            "purpose": f"拜访{partner.name},跟进在建项目的供货与回款。",
                            "planned_departure": departure,
                            "planned_return": back,
                            "departure_at": departure,
                            "return_at": back,
                            "state": "approved",
                        }
                    )
                )
                trip.with_user(user).action_create_per_diem()
                claims = (
                    self.env["hr.expense"]
                    .with_user(user)
                    .create(
                        [
                            {
                                "name": f"{partner.city}酒店住宿 {nights} 晚",
                                "employee_id": employee.id,
                                "product_id": lodging.id,
                                "trip_id": trip.id,
                                "nights": nights,
                                "total_amount_currency": 55.0 * nights,
                                "date": day,
                                "payment_mode": "own_account",
                            },
                            {
                                "name": f"火车 南宁—{partner.city} 往返 硬座",
                                "employee_id": employee.id,
                                "product_id": transport.id,
                                "trip_id": trip.id,
                                "transport_class": "train_hard_seat",
                                "train_fare_reference": 90.0,
                                "total_amount_currency": 90.0,
                                "date": day,
                                "payment_mode": "own_account",
                            },
                        ]
                    )
                )
                claims |= trip.expense_ids.filtered(lambda e: e.state == "draft")
                claims.with_user(user).action_submit()
                claims.with_user(manager).action_approve()
        self._demo_mark_read(read_before)

    @api.model
    def _demo_users_speak_chinese(self):
        """The demo's people read Chinese when the database has it (``scripts/serve``
        loads it): their screens, messages, to-dos and exports in 简体中文 (set as
        soon as they exist, so that what the demo sends them is in their language)."""
        if not self.env["res.lang"]._lang_get("zh_CN"):
            return
        users = self.env["ir.model.data"].search(
            [("module", "=", "sales_dept_policy"), ("model", "=", "res.users")]
        )
        self.env["res.users"].browse(users.mapped("res_id")).write({"lang": "zh_CN"})

    @api.model
    def _demo_archive_odoo_samples(self):
        """Odoo's own sample customers (Azure Interior, Deco Addict…) are not the
        department's: archived, with their contacts, so that the customer archives and
        pickers show the company's own (their records and orders stay)."""
        ours = self.env["ir.model.data"].search(
            [("module", "=", "sales_dept_policy"), ("model", "=", "res.partner")]
        )
        samples = self.env["ir.model.data"].search(
            [("module", "!=", "sales_dept_policy"), ("model", "=", "res.partner")]
        )
        partners = (
            self.env["res.partner"]
            .browse(samples.mapped("res_id"))
            .exists()
            .filtered(
                lambda p: (
                    p.customer_rank
                    and p.is_company
                    and p.partner_share
                    and not p.user_ids
                    and p.id not in ours.mapped("res_id")
                )
            )
        )
        companies = self.env["res.company"].with_context(active_test=False)
        partners -= companies.search([("partner_id", "!=", False)]).partner_id
        (partners | partners.child_ids).write({"active": False})
