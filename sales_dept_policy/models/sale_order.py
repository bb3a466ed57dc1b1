# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

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
    _policy_protected_fields = frozenset({"deviation_ids"})

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
            order.deviation_fingerprint = (
                crd.fingerprint(
                    [
                        (
                            line.id,
                            line.product_id.id,
                            line.product_uom_qty,
                            line.price_unit,
                            line.discount,
                        )
                        for line in order.order_line
                        if not line.display_type
                    ],
                    order.payment_term_id.id,
                    order.currency_id.id,
                    order.currency_id.rounding or 0.01,
                )
                if roles
                else False
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
            order.deviation_state = current.state or "required"

    @api.depends("contract_review_ids")
    def _compute_contract_review_id(self):
        for order in self:
            order.contract_review_id = order.contract_review_ids.sorted("id")[-1:]

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
        return super().action_confirm()

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
