# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..policy import credit as crd
from .sales_contract_review import CONTRACT_KINDS

#: ARC-4: the customers an order names
_ORDER_PARTNERS = ("partner_id", "partner_invoice_id", "partner_shipping_id")


class SaleOrder(models.Model):
    """CRD-2..5 on sales orders.

    - no credit grade on the customer, no confirmation (CRD-2);
    - the grade's payment terms and deposit share (Odoo's prepayment) are the
      order's; a salesperson cannot set others (CRD-3);
    - a confirmed order is ``awaiting_deposit`` until the deposit is received
      (CRD-4);
    - a price below the pricelist, a discount above the salesperson's limit or
      other terms need the sales manager's approval, a major contract the
      general manager's as well, before confirmation (CRD-5), through
      ``sales.order.deviation`` requests.
    """

    _name = "sale.order"
    _inherit = ["sale.order", "sales.policy.guard"]

    #: APR-5: the grade, the deposit, the deviation and its approvals are the
    #: policy's (the stored computes and the related grade are guarded too)
    _policy_protected_fields = frozenset(
        {
            "deviation_ids",
            # ORD-4: finance's release is written by ``_release_deposit`` only
            "deposit_release_reason",
            "deposit_released_by_id",
            "deposit_released_on",
            # ORD-6: the reminders' own bookkeeping
            "balance_reminded_on",
        }
    )

    credit_grade_id = fields.Many2one(
        "sales.credit.grade",
        string="Credit Grade",
        related="partner_id.commercial_partner_id.credit_grade_id",
        store=True,
        index=True,
    )
    is_sales_manager = fields.Boolean(compute="_compute_is_sales_manager")
    deposit_received = fields.Monetary(
        compute="_compute_deposit_received",
        store=True,
        help="Down payments paid and online prepayments received for this order (CRD-4).",
    )
    awaiting_deposit = fields.Boolean(
        compute="_compute_awaiting_deposit",
        store=True,
        index=True,
        help="Confirmed, and the deposit of the customer's grade is not received yet: "
        "production waits (CRD-4).",
    )
    is_major_contract = fields.Boolean(
        compute="_compute_is_major_contract",
        store=True,
        help="Untaxed amount, in company currency, above the major-contract threshold "
        "of the settings: the general manager approves it (CRD-5).",
    )
    deviation_details = fields.Json(
        compute="_compute_deviation",
        store=True,
        help="CRD-5: why this order needs approval, as the policy's codes: a list of "
        "[product id (0 for the whole order), [codes]].",
    )
    deviation_reasons = fields.Text(
        compute="_compute_deviation_reasons",
        help="Why this order needs approval before confirmation (CRD-5).",
    )
    deviation_roles = fields.Selection(
        selection=[
            ("manager_gm", "Sales Manager, then General Manager"),
            ("confirm", "Sales Manager or General Manager"),
        ],
        string="Deviation Approvers",
        compute="_compute_deviation",
        store=True,
        help="CRD-5: who decides the order's terms before confirmation: a deviation is "
        "reviewed by the sales manager, then approved by the general manager or a deputy; a "
        "major contract within the terms is confirmed by the sales manager or the general "
        "manager.",
    )
    contract_kind = fields.Selection(
        CONTRACT_KINDS,
        tracking=True,
        help="ORD-1/2: what the order rests on: a formal signed contract, no contract (the "
        "customer will not sign one), or an order by phone or fax.",
    )
    contract_review_ids = fields.One2many(
        "sales.contract.review", "order_id", string="Contract Reviews", readonly=True
    )
    contract_review_id = fields.Many2one(
        "sales.contract.review",
        compute="_compute_contract_review_id",
        store=True,
        help="ORD-1/2: the latest review of what the order rests on.",
    )
    contract_state = fields.Selection(
        related="contract_review_id.state", string="Contract Review Status"
    )
    major_contract_reported = fields.Boolean(
        readonly=True,
        copy=False,
        help="CRD-5: the general managers were told of this major contract (a message and "
        "a to-do).",
    )
    production_status = fields.Selection(
        selection=list(crd.PRODUCTION_STATES.items()),
        compute="_compute_production_status",
        store=True,
        index=True,
        help="ORD-4: whether production and delivery may start: the contract approved "
        "(ORD-1/2) and the deposit in (CRD-4), or the deposit released by finance.",
    )
    production_released = fields.Boolean(
        compute="_compute_production_status",
        store=True,
        help="ORD-4: the contract is approved and the deposit in, or finance released it: "
        "the order's deliveries may be validated.",
    )
    production_hold_message = fields.Text(
        string="Production Hold",
        compute="_compute_production_hold_message",
        help="ORD-4: what the order's deliveries wait for.",
    )
    can_release_deposit = fields.Boolean(compute="_compute_can_release_deposit")
    deposit_release_reason = fields.Text(
        readonly=True,
        copy=False,
        tracking=True,
        help="ORD-4: why finance let production and delivery start before the deposit.",
    )
    deposit_released_by_id = fields.Many2one(
        "res.users", string="Released By", readonly=True, copy=False
    )
    deposit_released_on = fields.Datetime(string="Released On", readonly=True, copy=False)
    balance_due_date = fields.Date(
        compute="_compute_balance_due_date",
        store=True,
        index=True,
        help="ORD-5: when the balance is due, from the deliveries and the credit grade: on "
        "dispatch (A), on arrival (B), 14 days after arrival (C). The delivery that "
        "completes the order counts.",
    )
    balance_residual = fields.Monetary(
        string="Balance to Collect",
        compute="_compute_balance_residual",
        store=True,
        help="ORD-5/6: what the customer still owes on the order: the open amount of its "
        "invoices and what is not invoiced yet.",
    )
    balance_overdue = fields.Boolean(
        compute="_compute_balance_overdue",
        store=True,
        index=True,
        help="ORD-5/6: the due date is past and the balance is not paid.",
    )
    balance_days_late = fields.Integer(
        string="Days Late",
        compute="_compute_balance_days_late",
        help="ORD-6: whole days since the balance fell due.",
    )
    balance_reminded_on = fields.Date(
        readonly=True,
        copy=False,
        help="ORD-6: the last day the salesperson got a to-do to collect this balance.",
    )
    deviation_fingerprint = fields.Char(
        compute="_compute_deviation",
        store=True,
        help="CRD-5: a hash of the prices, quantities, discounts and terms approved.",
    )
    deviation_ids = fields.One2many(
        "sales.order.deviation", "order_id", string="Deviation Approvals", readonly=True
    )
    deviation_state = fields.Selection(
        selection=[
            ("none", "Within Policy"),
            ("required", "Approval Required"),
            ("submitted", "Waiting Approval"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        compute="_compute_deviation_state",
        store=True,
        index=True,
        help="Whether the commercial terms of this order deviate from the policy and "
        "where their approval stands (CRD-5).",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends_context("uid")
    def _compute_is_sales_manager(self):
        self.is_sales_manager = self._is_sales_manager()

    @api.depends("partner_id")
    def _compute_payment_term_id(self):
        # CRD-3: a graded customer's quotations carry the grade's payment terms
        res = super()._compute_payment_term_id()
        for order in self:
            grade = order.partner_id.commercial_partner_id.credit_grade_id
            if grade:
                order.payment_term_id = grade.payment_term_id
        return res

    @api.depends("partner_id")
    def _compute_require_payment(self):
        res = super()._compute_require_payment()
        for order in self:
            grade = order.partner_id.commercial_partner_id.credit_grade_id
            if grade:
                order.require_payment = grade.deposit_percent > 0
        return res

    @api.depends("require_payment")
    def _compute_prepayment_percent(self):
        res = super()._compute_prepayment_percent()
        for order in self:
            grade = order.partner_id.commercial_partner_id.credit_grade_id
            if grade and grade.deposit_percent > 0:
                order.prepayment_percent = grade.deposit_percent / 100.0
        return res

    @api.depends(
        "transaction_ids.state",
        "transaction_ids.amount",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.amount_residual",
    )
    def _compute_deposit_received(self):
        for order in self:
            online = sum(
                tx.amount
                for tx in order.sudo().transaction_ids
                if tx.state in ("authorized", "done")
            )
            moves = (
                order.sudo()
                .order_line.filtered("is_downpayment")
                .invoice_lines.move_id.filtered(
                    lambda m: m.state == "posted" and m.move_type == "out_invoice"
                )
            )
            paid = sum(m.amount_total - m.amount_residual for m in moves)
            order.deposit_received = online + paid

    @api.depends(
        "state",
        "amount_total",
        "prepayment_percent",
        "require_payment",
        "deposit_received",
        "credit_grade_id",
    )
    def _compute_awaiting_deposit(self):
        for order in self:
            percent = order.prepayment_percent * 100 if order.require_payment else 0.0
            # CRD-4 is the deposit of a credit grade: orders of ungraded customers
            # (confirmed before the policy) wait for nothing of ours
            order.awaiting_deposit = bool(order.credit_grade_id) and crd.awaiting_deposit(
                order.state == "sale",
                order.amount_total,
                percent,
                order.deposit_received,
                order.currency_id.rounding or 0.01,
            )

    def _major_contract_threshold(self):
        return float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(
                "sales_dept_policy.major_contract_threshold",
                crd.DEFAULT_MAJOR_CONTRACT_THRESHOLD,
            )
        )

    def _discount_limit(self):
        return float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("sales_dept_policy.discount_limit", crd.DEFAULT_DISCOUNT_LIMIT)
        )

    def _amount_untaxed_company(self):
        self.ensure_one()
        return self.currency_id._convert(
            self.amount_untaxed,
            self.company_id.currency_id,
            self.company_id,
            self.date_order or fields.Date.context_today(self),
        )

    @api.depends("amount_untaxed", "currency_id", "company_id", "date_order")
    def _compute_is_major_contract(self):
        threshold = self._major_contract_threshold()
        for order in self:
            order.is_major_contract = crd.is_major_contract(
                order._amount_untaxed_company(), threshold
            )

    def _line_deviation_reasons(self):
        """CRD-5: (line, reasons) for the lines that deviate from the pricelist."""
        self.ensure_one()
        # CRD-5: the salesperson's own limit, else the Settings' default
        default = self._discount_limit()
        limit = self.user_id._sales_discount_limits(default).get(self.user_id.id, default)
        result = []
        for line in self.order_line:
            if line.display_type or line.is_downpayment or not line.product_id:
                continue
            line = line.with_company(line.company_id)
            pricelist_net = line._get_pricelist_price()
            list_price = line._get_display_price_ignore_combo()
            pricelist_discount = (
                (list_price - pricelist_net) / list_price * 100
                if list_price and line.pricelist_item_id._show_discount()
                else 0.0
            )
            reasons = crd.line_deviations(
                line.price_unit,
                list_price,
                line.discount,
                limit,
                pricelist_discount=pricelist_discount,
                rounding=line.currency_id.rounding or 0.01,
            )
            if reasons:
                result.append((line, reasons))
        return result

    def _terms_deviate(self):
        self.ensure_one()
        grade = self.partner_id.commercial_partner_id.credit_grade_id
        return (
            bool(grade and self.payment_term_id) and self.payment_term_id != grade.payment_term_id
        )

    @api.depends(
        "state",
        "deviation_ids.state",
        "order_line.price_unit",
        "order_line.discount",
        "order_line.product_id",
        "order_line.product_uom_qty",
        "pricelist_id",
        "payment_term_id",
        "partner_id",
        "is_major_contract",
    )
    def _compute_deviation(self):
        for order in self:
            if order.state not in ("draft", "sent"):
                # CRD-5 is decided before confirmation: a confirmed order keeps
                # the deviation it was approved with, or none
                approved = order.deviation_ids.filtered(lambda d: d.state == "approved")
                order.deviation_details = approved[:1].reason_details or False
                order.deviation_roles = approved[:1].approval_level or False
                order.deviation_fingerprint = approved[:1].fingerprint or False
                continue
            lines = order._line_deviation_reasons()
            terms = order._terms_deviate()
            roles = crd.approval_steps(bool(lines), order.is_major_contract, terms)
            details = [[line.product_id.id, list(why)] for line, why in lines]
            if terms:
                details.append([0, ["terms"]])
            if order.is_major_contract:
                details.append([0, ["major"]])
            order.deviation_details = details or False
            order.deviation_roles = crd.approval_level(roles) or False
            order.deviation_fingerprint = order._terms_fingerprint() if roles else False

    def _terms_fingerprint(self):
        """CRD-5: the hash of the order's prices, quantities, discounts and terms."""
        self.ensure_one()
        return crd.fingerprint(
            [
                (line.id, line.product_id.id, line.product_uom_qty, line.price_unit, line.discount)
                for line in self.order_line
                if not line.display_type
            ],
            self.payment_term_id.id,
            self.currency_id.id,
            self.currency_id.rounding or 0.01,
        )

    @api.depends("deviation_details")
    @api.depends_context("lang")
    def _compute_deviation_reasons(self):
        for order in self:
            order.deviation_reasons = self._deviation_text(order.deviation_details) or False

    @api.model
    def _deviation_text(self, details):
        """CRD-5: the reasons of ``details`` in the reader's language, a line each."""
        products = self.env["product.product"].browse(
            [product_id for product_id, _codes in details or [] if product_id]
        )
        names = {product.id: product.display_name for product in products.sudo().exists()}
        lines = []
        for product_id, codes in details or []:
            words = ", ".join(
                self.env._(crd.REASONS[code]) for code in codes if code in crd.REASONS
            )
            lines.append(f"{names[product_id]}: {words}" if product_id in names else words)
        return "\n".join(lines)

    def _deviation_role_list(self):
        """CRD-5: the steps this order's terms are decided in, in their order."""
        self.ensure_one()
        return crd.APPROVAL_LEVELS.get(self.deviation_roles, ())

    @api.depends(
        "deviation_roles",
        "deviation_fingerprint",
        "deviation_ids.state",
        "deviation_ids.fingerprint",
        "deviation_ids.approval_level",
        "contract_review_ids.state",
        "contract_review_ids.terms_fingerprint",
    )
    def _compute_deviation_state(self):
        for order in self:
            if not order.deviation_roles:
                order.deviation_state = "none"
                continue
            # the latest request for the order as it is now (its fingerprint)
            current = order.deviation_ids.filtered(
                lambda d, o=order: (
                    d.fingerprint == o.deviation_fingerprint
                    and d.approval_level == o.deviation_roles
                    and d.state in ("submitted", "approved", "rejected")
                )
            ).sorted("id")[-1:]
            if order.deviation_roles == "confirm":
                # CRD-5, ORD-1/2: a major contract's terms are confirmed by its
                # contract review (one request, not two): the review of the order
                # as it is now counts as the confirmation
                review = order.contract_review_ids.filtered(
                    lambda r, o=order: (
                        r.terms_fingerprint == o.deviation_fingerprint
                        and r.state in ("submitted", "approved", "rejected")
                    )
                ).sorted("id")[-1:]
                # the later of the two requests decides (a deviation request made
                # before this rule still counts)
                latest = max(
                    (r for r in (current, review) if r),
                    key=lambda r: r.submitted_on or fields.Datetime.to_datetime("1970-01-01"),
                    default=None,
                )
                order.deviation_state = latest.state if latest else "required"
                continue
            order.deviation_state = current.state or "required"

    @api.depends("contract_review_ids")
    def _compute_contract_review_id(self):
        for order in self:
            order.contract_review_id = order.contract_review_ids.sorted("id")[-1:]

    @api.depends(
        "state",
        "credit_grade_id",
        "contract_review_id.state",
        "awaiting_deposit",
        "deposit_release_reason",
    )
    def _compute_production_status(self):
        for order in self:
            if order.state != "sale" or not order.credit_grade_id:
                # ORD-4 holds the policy's orders (graded customers) once confirmed;
                # orders confirmed before the policy wait for nothing of ours
                order.production_status = False
                order.production_released = order.state == "sale"
                continue
            status = crd.production_status(
                order.contract_review_id.state == "approved",
                order.awaiting_deposit,
                bool(order.deposit_release_reason),
            )
            order.production_status = status
            order.production_released = crd.production_released(status)

    @api.depends_context("lang")
    @api.depends("production_status", "deposit_received", "contract_review_id.state")
    def _compute_production_hold_message(self):
        for order in self:
            order.production_hold_message = order._production_hold_message()

    @api.depends_context("uid")
    @api.depends("production_status")
    def _compute_can_release_deposit(self):
        finance = self.env["res.users"]._sales_policy_current_in_department("finance")
        for order in self:
            order.can_release_deposit = finance and order.production_status == "wait_deposit"

    # ------------------------------------------------------------------
    # ORD-5: the balance
    # ------------------------------------------------------------------
    def _policy_tz(self):
        """ORD-5: the time zone the company counts its days in."""
        self.ensure_one()
        return self.company_id.partner_id.tz or crd.DEFAULT_TZ

    def _policy_today(self):
        """ORD-5/6: today in the company's time zone."""
        return datetime.now(pytz.timezone(self._policy_tz())).date()

    def _outgoing_deliveries(self):
        """ORD-4/5: the order's deliveries to the customer that are not cancelled."""
        self.ensure_one()
        return self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
        )

    @api.depends(
        "state",
        "credit_grade_id.balance_due_event",
        "credit_grade_id.balance_due_days",
        "picking_ids.state",
        "picking_ids.date_done",
        "picking_ids.received_on",
        "company_id.partner_id.tz",
    )
    def _compute_balance_due_date(self):
        for order in self:
            grade = order.credit_grade_id
            if order.state != "sale" or not grade:
                order.balance_due_date = False
                continue
            tz = pytz.timezone(order._policy_tz())
            deliveries = [
                (
                    picking.state == "done",
                    picking.date_done
                    and pytz.utc.localize(picking.date_done).astimezone(tz).date(),
                    picking.received_on or None,
                )
                for picking in order._outgoing_deliveries()
            ]
            order.balance_due_date = (
                crd.balance_due(grade.balance_due_event, grade.balance_due_days, deliveries)
                or False
            )

    @api.depends(
        "state",
        "amount_total",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.amount_residual",
        "order_line.invoice_lines.move_id.amount_total",
    )
    def _compute_balance_residual(self):
        for order in self:
            if order.state != "sale":
                order.balance_residual = 0.0
                continue
            invoiced = residual = 0.0
            for move in order.sudo().order_line.invoice_lines.move_id:
                if move.state != "posted" or move.move_type not in ("out_invoice", "out_refund"):
                    continue
                sign = 1 if move.move_type == "out_invoice" else -1
                invoiced += sign * move.amount_total
                residual += sign * move.amount_residual
            order.balance_residual = order.currency_id.round(
                max(0.0, order.amount_total - invoiced) + residual
            )

    @api.depends("balance_due_date", "balance_residual")
    def _compute_balance_overdue(self):
        # depends on today too: the daily job refreshes what fell due since
        for order in self:
            order.balance_overdue = crd.is_overdue(
                order.balance_due_date,
                order._policy_today(),
                order.balance_residual,
                order.currency_id.rounding or 0.01,
            )

    @api.depends("balance_due_date", "balance_overdue")
    def _compute_balance_days_late(self):
        for order in self:
            order.balance_days_late = (
                crd.days_late(order.balance_due_date, order._policy_today())
                if order.balance_overdue
                else 0
            )

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------
    def _is_sales_manager(self):
        return self.env["res.users"]._sales_policy_current_is_manager()

    @api.model_create_multi
    def create(self, vals_list):
        self._check_policy_write(vals_list)
        self._check_readable_customers(vals_list, _ORDER_PARTNERS)
        orders = super().create(vals_list)
        orders._report_major_contracts()
        return orders

    def write(self, vals):
        self._check_policy_write([vals])
        if "contract_kind" in vals and not self.env.su:
            # ORD-1/2, APR-3: what was reviewed does not change under the review
            reviewed = self.filtered(lambda o: o.contract_state in ("submitted", "approved"))
            if reviewed.filtered(lambda o: o.contract_kind != vals["contract_kind"]):
                raise UserError(
                    self.env._(
                        "The contract of %(order)s is under review or approved (ORD-1/2): "
                        "what the order rests on no longer changes.",
                        order=reviewed[0].name,
                    )
                )
        self._check_readable_customers([vals], _ORDER_PARTNERS)
        # CRD-3: a salesperson cannot set other commercial terms than the grade's
        if {"payment_term_id", "require_payment", "prepayment_percent"} & set(
            vals
        ) and not self._is_sales_manager():
            for order in self:
                grade = order.partner_id.commercial_partner_id.credit_grade_id
                if not grade:
                    continue
                term = vals.get("payment_term_id", order.payment_term_id.id)
                percent = vals.get("prepayment_percent", order.prepayment_percent)
                if term != grade.payment_term_id.id or (
                    grade.deposit_percent > 0 and abs(percent * 100 - grade.deposit_percent) > 1e-6
                ):
                    raise UserError(
                        self.env._(
                            "The payment terms and deposit of %(order)s come from the credit "
                            "grade %(grade)s of %(partner)s (CRD-3). Other terms are a "
                            "deviation: ask your sales manager.",
                            order=order.name,
                            grade=grade.code,
                            partner=order.partner_id.commercial_partner_id.display_name,
                        )
                    )
        res = super().write(vals)
        if "order_line" in vals or "pricelist_id" in vals or "currency_id" in vals:
            self._report_major_contracts()
        return res

    def _report_major_contracts(self):
        """CRD-5: a major contract is reported to the general managers at once, whether
        or not it deviates: a message on the order and a to-do for each of them."""
        orders = self.filtered(
            lambda o: (
                o.is_major_contract
                and not o.major_contract_reported
                and o.state in ("draft", "sent")
            )
        )
        if not orders:
            return
        managers = (
            self.env.ref("sales_dept_policy.group_general_manager")
            .sudo()
            .all_user_ids.filtered(lambda u: u.active and not u.share)
        )
        # the report is the policy's (a salesperson may not write the flag), and the
        # to-dos are the general managers': on these orders only
        for order in orders.sudo():
            order.write({"major_contract_reported": True})
            amount = order.company_id.currency_id.format(order._amount_untaxed_company())
            order.message_post(
                body=self.env._(
                    "Major contract (CRD-5): %(order)s, %(amount)s untaxed, reported to "
                    "%(managers)s; its terms are confirmed before the order is.",
                    order=order.name,
                    amount=amount,
                    managers=", ".join(managers.mapped("name")) or "-",
                ),
                partner_ids=managers.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
            for manager in managers:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Major contract: %(order)s", order=order.name),
                    note=self.env._(
                        "%(order)s for %(customer)s is above the major-contract threshold "
                        "(CRD-5): %(amount)s.",
                        order=order.name,
                        customer=order.partner_id.commercial_partner_id.display_name,
                        amount=amount,
                    ),
                    user_id=manager.id,
                )

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error:
            return error
        grade = self.partner_id.commercial_partner_id.credit_grade_id
        if not grade:
            return self.env._(
                "%(partner)s has no credit grade, so %(order)s cannot be confirmed (CRD-2). "
                "Ask a general manager or the finance manager to approve a grade for this "
                "customer (Sales Policy > Customers > Credit Grade Changes).",
                partner=self.partner_id.commercial_partner_id.display_name,
                order=self.name,
            )
        if self.deviation_state in ("required", "submitted", "rejected"):
            return self.env._(
                "%(order)s deviates from the policy and needs approval before confirmation "
                "(CRD-5): %(reasons)s. Status: %(state)s.",
                order=self.name,
                reasons=(self.deviation_reasons or "").replace("\n", "; "),
                state=dict(self._fields["deviation_state"]._description_selection(self.env))[
                    self.deviation_state
                ],
            )
        return False

    def _refresh_deviation(self):
        """CRD-5: recompute the deviation with the latest settings before deciding on
        it. The policy's own write of its results, as superuser for these fields
        (a salesperson may not write them, APR-5)."""
        orders = self.sudo()
        orders._compute_is_major_contract()
        orders._compute_deviation()
        orders._compute_deviation_state()

    def action_confirm(self):
        # recompute with the latest settings before checking (CRD-5)
        self._refresh_deviation()
        for order in self:
            grade = order.partner_id.commercial_partner_id.credit_grade_id
            if grade and order.deviation_state == "none":
                # CRD-3: the grade's payment terms and deposit, whatever was there,
                # written by the policy (as superuser: a salesperson may not set
                # terms, and these are the grade's, not theirs)
                order.sudo().write(
                    {
                        "payment_term_id": grade.payment_term_id.id,
                        "require_payment": grade.deposit_percent > 0,
                        "prepayment_percent": grade.deposit_percent / 100.0
                        if grade.deposit_percent > 0
                        else order.prepayment_percent,
                    }
                )
        res = super().action_confirm()
        # ORD-3: production and finance are told of what was confirmed
        self.filtered(lambda o: o.state == "sale")._notify_departments()
        return res

    def action_request_contract_review(self):
        """ORD-1/2: open the review of what the order rests on (a draft to complete
        with the signed contract and submit), made from the order itself."""
        self.ensure_one()
        self.check_access("write")
        if not self.contract_kind:
            raise UserError(
                self.env._(
                    "Say what %(order)s rests on (a formal contract, no contract, or an "
                    "order by phone or fax) before asking for its review (ORD-1/2).",
                    order=self.name,
                )
            )
        review = self.contract_review_id
        if (
            not review
            or review.state in ("rejected", "cancelled")
            or (review.contract_kind != self.contract_kind and review.state == "draft")
        ):
            # the policy makes the request from the order's own kind (APR-5)
            review = (
                self.env["sales.contract.review"]
                .sudo()
                .create({"order_id": self.id, "contract_kind": self.contract_kind})
                .with_env(self.env)
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.contract.review",
            "res_id": review.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_request_deviation_approval(self):
        """CRD-5: ask the approvers the order needs, one request per role."""
        self.ensure_one()
        self._refresh_deviation()
        if self.deviation_state == "none":
            raise UserError(self.env._("%(order)s is within the policy.", order=self.name))
        if self.deviation_state in ("submitted", "approved"):
            raise UserError(
                self.env._(
                    "The approval of %(order)s is already requested or given.", order=self.name
                )
            )
        if self.deviation_roles == "confirm" and self.contract_kind:
            # CRD-5, ORD-1/2: a major contract within the terms is confirmed by its
            # contract review: one request, not two (without a kind yet, the
            # confirmation is a request of its own)
            return self.action_request_contract_review()
        # APR-5: the requests say what the order really is: created by the policy
        # from the order's computed reasons and fingerprint, for an order the user
        # may change, never from values a client sends
        self.check_access("write")
        Deviation = self.env["sales.order.deviation"].sudo()
        requests = Deviation
        requests |= Deviation.create(
            {
                "order_id": self.id,
                "approval_level": self.deviation_roles,
                "reason_details": self.deviation_details,
                "fingerprint": self.deviation_fingerprint,
            }
        )
        requests.with_env(self.env).action_submit()
        return True

    # ------------------------------------------------------------------
    # ORD-3: production and finance are told
    # ------------------------------------------------------------------
    def _order_essentials_html(self):
        """ORD-3: the order's essentials, in the environment's language."""
        self.ensure_one()
        order = self.sudo()
        lines = Markup("").join(
            Markup("<li>%s × %s</li>")
            % (
                line.product_id.display_name or line.name,
                f"{line.product_uom_qty:g} {line.product_uom_id.name or ''}".strip(),
            )
            for line in order.order_line
            if not line.display_type and not line.is_downpayment and line.product_id
        )
        delivery = order.commitment_date or order.expected_date
        rows = [
            (self.env._("Customer"), order.partner_id.commercial_partner_id.display_name),
            (
                self.env._("Contact"),
                ", ".join(
                    filter(
                        None,
                        [order.partner_id.name, order.partner_id.phone, order.partner_id.email],
                    )
                ),
            ),
            (
                self.env._("Delivery Address"),
                order.partner_shipping_id._display_address(without_company=False).replace(
                    "\n", ", "
                ),
            ),
            (self.env._("Order Date"), format_date(self.env, order.date_order)),
            (self.env._("Delivery Date"), format_date(self.env, delivery) if delivery else "-"),
            (self.env._("Amount"), order.currency_id.format(order.amount_total)),
        ]
        table = Markup("").join(
            Markup("<li><strong>%s:</strong> %s</li>") % (label, value or "-")
            for label, value in rows
        )
        return Markup("<ul>%s</ul><p><strong>%s</strong></p><ul>%s</ul>") % (
            table,
            self.env._("Products"),
            lines,
        )

    def _notify_departments(self):
        """ORD-3 (发送至生产部办公室和财务部): on confirmation the production office and
        finance get a message with the order's essentials and a to-do, each in
        their own language."""
        Users = self.env["res.users"]
        recipients = Users._sales_policy_department_users(
            "production"
        ) | Users._sales_policy_department_users("finance")
        if not recipients:
            return
        for order in self.filtered("credit_grade_id").sudo():
            for lang in set(recipients.mapped(lambda u: u.lang or "en_US")):
                readers = recipients.filtered(lambda u, lang=lang: (u.lang or "en_US") == lang)
                local = order.with_context(lang=lang)
                body = (
                    Markup("<p>%s</p>")
                    % local.env._(
                        "Confirmed order %(order)s for production and finance (ORD-3).",
                        order=order.name,
                    )
                ) + local._order_essentials_html()
                # the policy's notice, on orders the readers need not follow
                order.message_post(
                    body=body, partner_ids=readers.partner_id.ids, subtype_xmlid="mail.mt_note"
                )
                for reader in readers:
                    order.activity_schedule(
                        "sales_dept_policy.mail_activity_type_order_confirmed",
                        summary=local.env._("Confirmed order: %(order)s", order=order.name),
                        note=local._order_essentials_html(),
                        user_id=reader.id,
                    )

    # ------------------------------------------------------------------
    # ORD-4: no delivery before the contract and the deposit
    # ------------------------------------------------------------------
    def _production_hold_message(self):
        """ORD-4: what this order's deliveries wait for, in words; False when they
        may go."""
        self.ensure_one()
        if self.production_released or not self.production_status:
            return False
        missing = []
        if self.production_status in ("wait_contract", "wait_both"):
            review = self.contract_review_id
            if review:
                state = dict(review._fields["state"]._description_selection(self.env))[review.state]
                missing.append(
                    self.env._(
                        "the contract review is %(state)s, not approved (ORD-1/2)", state=state
                    )
                )
            else:
                missing.append(self.env._("the contract review is not requested yet (ORD-1/2)"))
        if self.production_status in ("wait_deposit", "wait_both"):
            required = crd.deposit_amount(
                self.amount_total,
                self.prepayment_percent * 100 if self.require_payment else 0.0,
                self.currency_id.rounding or 0.01,
            )
            missing.append(
                self.env._(
                    "the deposit of %(required)s is not received (%(received)s so far, CRD-4)",
                    required=self.currency_id.format(required),
                    received=self.currency_id.format(self.deposit_received),
                )
            )
        return self.env._(
            "%(order)s may not be delivered yet (ORD-4): %(missing)s. Finance may release "
            "an order waiting for its deposit, with a reason.",
            order=self.name,
            missing="; ".join(missing),
        )

    def _check_production_released(self):
        """ORD-4: refuse, naming what is missing, if an order may not be delivered."""
        for order in self:
            message = order.sudo()._production_hold_message()
            if message:
                raise UserError(message)

    def _release_deposit(self, reason):
        """ORD-4: finance lets production and delivery start before the deposit,
        with a reason kept on the order's chatter. Finance only (the configurable
        group of the Settings), whatever the caller sends."""
        if not self.env["res.users"]._sales_policy_current_in_department("finance"):
            raise AccessError(
                self.env._("Only finance releases an order before its deposit is received (ORD-4).")
            )
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(
                self.env._("Give the reason to release the order before its deposit (ORD-4).")
            )
        for order in self:
            if order.state != "sale" or not order.awaiting_deposit:
                raise UserError(
                    self.env._(
                        "%(order)s does not wait for its deposit: there is nothing to release "
                        "(ORD-4).",
                        order=order.name,
                    )
                )
            if order.deposit_release_reason:
                raise UserError(
                    self.env._(
                        "%(order)s is already released by %(user)s (ORD-4).",
                        order=order.name,
                        user=order.deposit_released_by_id.name,
                    )
                )
        # APR-5: the release is the policy's write, after the finance check above
        # (the fields are refused to every client); the user is who decided
        self.sudo().write(
            {
                "deposit_release_reason": reason,
                "deposit_released_by_id": self.env.uid,
                "deposit_released_on": fields.Datetime.now(),
            }
        )
        for order in self:
            order.message_post(
                body=self.env._(
                    "Released for production and delivery before the deposit by %(user)s "
                    "(ORD-4): %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_release_deposit(self):
        """ORD-4: finance's release, with its reason (a dialog)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Before Deposit"),
            "res_model": "sales.deposit.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    # ------------------------------------------------------------------
    # ORD-5: the invoices' due dates follow the policy's
    # ------------------------------------------------------------------
    def _policy_invoice_due_date(self, move):
        """ORD-5, CRD-1: when a customer invoice of this order is due by the policy:
        a deposit invoice at once, a balance invoice on the balance's due date once
        the deliveries give it (None until then: the grade's terms meanwhile)."""
        self.ensure_one()
        sale_lines = move.invoice_line_ids.sale_line_ids
        if sale_lines and all(line.is_downpayment for line in sale_lines):
            return move.invoice_date or self._policy_today()
        return self.balance_due_date or None

    def _policy_invoices(self, states):
        """ORD-5: {invoice: order} for the unpaid customer invoices of the graded
        orders among these, in ``states``."""
        result = {}
        for order in self.filtered("credit_grade_id"):
            for move in order.sudo().order_line.invoice_lines.move_id:
                if (
                    move.move_type == "out_invoice"
                    and move.state in states
                    and move.payment_state not in ("paid", "in_payment", "reversed")
                ):
                    result[move] = order
        return result

    def _prepare_invoices_due_dates(self, moves):
        """ORD-5: before ``moves`` (drafts of these orders) are posted, their due date
        is the policy's: an explicit date, without terms to count from."""
        for move, order in self._policy_invoices(("draft",)).items():
            if move not in moves:
                continue
            due = order._policy_invoice_due_date(move)
            if due and (move.invoice_date_due != due or move.invoice_payment_term_id):
                move.write({"invoice_payment_term_id": False, "invoice_date_due": due})

    def _sync_invoice_due_dates(self):
        """ORD-5: once the deliveries give the balance's due date, write it on the
        orders' posted invoices, so that Odoo's own receivables (aged receivable,
        follow-up) say what the policy says."""
        for move, order in self._policy_invoices(("posted",)).items():
            due = order._policy_invoice_due_date(move)
            terms = move.line_ids.filtered(
                lambda line: line.display_type == "payment_term" and not line.reconciled
            )
            if not due or (
                move.invoice_date_due == due and all(t.date_maturity == due for t in terms)
            ):
                continue
            # the policy's date, not the user's: as superuser for these two fields
            # (the delivery's user need not write invoices), without Odoo's resync
            # of the payment terms, which would put back the terms' own dates
            ctx = {"skip_invoice_sync": True, "check_move_validity": False}
            terms.sudo().with_context(**ctx).write({"date_maturity": due})
            move.sudo().with_context(**ctx).write({"invoice_date_due": due})

    # ------------------------------------------------------------------
    # ORD-6: collections
    # ------------------------------------------------------------------
    def _collection_reminder_days(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(
                "sales_dept_policy.collection_reminder_days",
                crd.DEFAULT_COLLECTION_REMINDER_DAYS,
            )
            or crd.DEFAULT_COLLECTION_REMINDER_DAYS
        )

    @api.model
    def _cron_balance_followup(self):
        """ORD-5/6, daily: balances that fell due since yesterday become overdue; the
        salesperson gets a to-do to collect on the due date and every N days while
        unpaid; the to-dos of paid balances are closed."""
        Order = self.sudo()
        # a day's margin: the company's today may be ahead of the server's
        horizon = fields.Date.add(fields.Date.today(), days=1)
        due = Order.search(
            [
                ("state", "=", "sale"),
                ("balance_due_date", "<=", horizon),
                ("balance_residual", ">", 0),
            ]
        )
        due._compute_balance_overdue()
        every = self._collection_reminder_days()
        for order in due:
            today = order._policy_today()
            if not crd.collection_reminder_due(
                order.balance_due_date, today, order.balance_reminded_on or None, every
            ):
                continue
            order.write({"balance_reminded_on": today})
            user = order.user_id if order.user_id.active else order.team_id.user_id
            if not user:
                continue
            local = order.with_context(lang=user.lang or "en_US")
            order.activity_schedule(
                "sales_dept_policy.mail_activity_type_collect",
                date_deadline=today,
                summary=local.env._("Collect %(order)s", order=order.name),
                note=local.env._(
                    "%(amount)s of %(order)s for %(customer)s was due on %(date)s "
                    "(%(days)s days late, ORD-6).",
                    amount=order.currency_id.format(order.balance_residual),
                    order=order.name,
                    customer=order.partner_id.commercial_partner_id.display_name,
                    date=format_date(local.env, order.balance_due_date),
                    days=crd.days_late(order.balance_due_date, today),
                ),
                user_id=user.id,
            )
        paid = Order.search(
            [
                ("balance_reminded_on", "!=", False),
                ("balance_residual", "<=", 0),
                (
                    "activity_ids.activity_type_id",
                    "=",
                    self.env.ref("sales_dept_policy.mail_activity_type_collect").id,
                ),
            ]
        )
        paid._close_collection_activities()

    def _close_collection_activities(self):
        collect = self.env.ref("sales_dept_policy.mail_activity_type_collect")
        for order in self:
            activities = order.activity_ids.filtered(lambda a: a.activity_type_id == collect)
            if activities:
                activities.action_feedback(
                    feedback=self.env._("Paid: nothing left to collect (ORD-6).")
                )
