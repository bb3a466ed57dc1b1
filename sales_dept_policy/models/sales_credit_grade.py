# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..policy import credit as crd


class SalesCreditGrade(models.Model):
    """CRD-1: a customer credit grade (A, B, C) and what it decides.

    Access: every employee reads grades; policy administrators edit them.
    The grade of a customer changes only through an approved
    ``sales.credit.grade.change`` (CRD-6).
    """

    _name = "sales.credit.grade"
    _description = "Customer Credit Grade"
    _order = "sequence, code"

    code = fields.Char(required=True, help="Short code shown on customers and orders: A, B, C.")
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    deposit_percent = fields.Float(
        string="Deposit (%)",
        default=lambda self: float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("sales_dept_policy.default_deposit_percent", crd.DEFAULT_DEPOSIT_PERCENT)
        ),
        digits=(5, 2),
        help="Share of the order paid as a deposit before production (CRD-1, CRD-4).",
    )
    balance_due_event = fields.Selection(
        selection=[("dispatch", "Goods Dispatched"), ("arrival", "Goods Arrived")],
        string="Balance Due At",
        required=True,
        default="arrival",
        help="The event from which the balance is due (CRD-1).",
    )
    balance_due_days = fields.Integer(
        string="Days After",
        help="Days after the event within which the balance is paid (CRD-1).",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Terms",
        required=True,
        help="The Odoo payment terms that say the same on the customer's documents; "
        "confirmed orders take them (CRD-3).",
    )
    note = fields.Text(translate=True)
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    _code_uniq = models.Constraint("UNIQUE (code)", "A credit grade code must be unique.")

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("credit_grade_id", "in", self.ids)], ["credit_grade_id"], ["__count"]
            )
        )
        for grade in self:
            grade.partner_count = counts.get(grade, 0)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for grade in self:
            grade.display_name = f"{grade.code} - {grade.name}" if grade.name else grade.code

    @api.constrains("deposit_percent", "balance_due_event", "balance_due_days")
    def _check_values(self):
        messages = {
            "deposit_range": self.env._("Deposit (%) must be between 0 and 100 (CRD-1)."),
            "due_event": self.env._("Choose when the balance is due (CRD-1)."),
            "due_days": self.env._("Days After cannot be negative (CRD-1)."),
        }
        for grade in self:
            errors = crd.grade_errors(
                grade.deposit_percent, grade.balance_due_event, grade.balance_due_days
            )
            if errors:
                raise ValidationError(
                    self.env._("Grade %(code)s: ", code=grade.code)
                    + " ".join(messages[e] for e in errors)
                )
