# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..policy import archive as arc
from ..policy import budget as bud
from ..policy import credit as crd
from ..policy import targets as qta
from ..policy import travel as trv


class ResConfigSettings(models.TransientModel):
    """Settings > Sales Policy: the policy's configurable values."""

    _inherit = "res.config.settings"

    group_sales_policy_restrict_all = fields.Boolean(
        string="Restrict Customer Archives for All Employees",
        implied_group="sales_dept_policy.group_archive_restricted",
        group="base.group_user",
        help="ARC-3/ARC-5: when on, every employee outside the reading roles sees only "
        "their own customers' archives and those granted by an approved request. "
        "When off, only sales users are restricted.",
    )
    sales_policy_archive_grant_days = fields.Integer(
        string="Archive Access Length (days)",
        config_parameter="sales_dept_policy.archive_grant_days",
        default=arc.DEFAULT_GRANT_DAYS,
        help="ARC-5: default number of days an approved access request grants.",
    )

    sales_policy_discount_limit = fields.Float(
        string="Salesperson Discount Limit (%)",
        config_parameter="sales_dept_policy.discount_limit",
        default=crd.DEFAULT_DISCOUNT_LIMIT,
        help="CRD-5: a discount above this needs the sales manager's approval.",
    )
    sales_policy_major_contract_threshold = fields.Float(
        string="Major Contract Threshold",
        config_parameter="sales_dept_policy.major_contract_threshold",
        default=crd.DEFAULT_MAJOR_CONTRACT_THRESHOLD,
        help="CRD-5: an order above this untaxed amount, in company currency, needs the "
        "general manager's approval as well.",
    )
    sales_policy_default_deposit = fields.Float(
        string="Default Deposit (%)",
        config_parameter="sales_dept_policy.default_deposit_percent",
        default=crd.DEFAULT_DEPOSIT_PERCENT,
        help="CRD-1: the deposit share proposed for a new credit grade.",
    )

    sales_policy_rating_s = fields.Float(
        string="Rating S from (%)",
        config_parameter="sales_dept_policy.rating_s",
        default=qta.DEFAULT_THRESHOLDS[0][1] * 100,
        help="QTA-5: attainment from which a month is rated S.",
    )
    sales_policy_rating_a = fields.Float(
        string="Rating A from (%)",
        config_parameter="sales_dept_policy.rating_a",
        default=qta.DEFAULT_THRESHOLDS[1][1] * 100,
        help="QTA-5: attainment from which a month is rated A.",
    )
    sales_policy_rating_b = fields.Float(
        string="Rating B from (%)",
        config_parameter="sales_dept_policy.rating_b",
        default=qta.DEFAULT_THRESHOLDS[2][1] * 100,
        help="QTA-5: attainment from which a month is rated B; below it, C.",
    )

    sales_policy_per_diem = fields.Float(
        string="Per Diem per Day",
        help="TRV-9: the daily allowance on out-of-town trips (the cost of the Travel Per "
        "Diem product).",
    )
    sales_policy_intra_city_lodging_cap = fields.Float(
        string="Intra-City Lodging Cap",
        config_parameter="sales_dept_policy.intra_city_lodging_cap",
        default=trv.DEFAULT_INTRA_CITY_LODGING_CAP,
        help="TRV-7: the most paid a night for approved lodging on an intra-city trip.",
    )
    sales_policy_shared_room_percent = fields.Float(
        string="Shared Room Share (%)",
        config_parameter="sales_dept_policy.shared_room_percent",
        default=trv.DEFAULT_SHARE_PERCENT,
        help="TRV-8: a shared room is paid up to this share of the two travellers' caps.",
    )

    sales_policy_claim_due_days = fields.Integer(
        string="Claim Due (days after return)",
        config_parameter="sales_dept_policy.claim_due_days",
        default=trv.DEFAULT_CLAIM_DUE_DAYS,
        help="TRV-13 (回公司后及时进行报帐): a trip's claim is made within this many days "
        "after the return; the traveller gets a to-do on the return day.",
    )

    sales_policy_finance_group_id = fields.Many2one(
        "res.groups",
        string="Finance Group",
        config_parameter="sales_dept_policy.finance_group_id",
        help="ORD-3/4: told of every confirmed order; the only ones who release an order "
        "before its deposit. Empty: the addon's Finance group.",
    )
    sales_policy_production_group_id = fields.Many2one(
        "res.groups",
        string="Production Office Group",
        config_parameter="sales_dept_policy.production_group_id",
        help="ORD-3: told of every confirmed order. Empty: the addon's Production Office group.",
    )
    sales_policy_collection_reminder_days = fields.Integer(
        string="Collection Reminder (days)",
        config_parameter="sales_dept_policy.collection_reminder_days",
        default=crd.DEFAULT_COLLECTION_REMINDER_DAYS,
        help="ORD-6: the salesperson gets a to-do to collect on the due date and again every "
        "this many days while the balance is unpaid.",
    )

    sales_policy_budget_missing_policy = fields.Selection(
        [
            ("block", "Refuse It"),
            ("gm", "Ask the General Manager"),
            ("allow", "Allow It"),
        ],
        string="Without a Budget",
        config_parameter="sales_dept_policy.budget_missing_policy",
        default=bud.DEFAULT_MISSING_POLICY,
        help="BUD-2: what happens to a salesperson's trip or claim of a month without an "
        "approved budget: refused, approved by the general manager after the manager, or "
        "approved as any other.",
    )

    @api.model
    def get_values(self):
        res = super().get_values()
        res["sales_policy_per_diem"] = self.env["sales.trip"]._per_diem_rate()
        return res

    def set_values(self):
        if self.sales_policy_archive_grant_days < 1:
            raise ValidationError(
                self.env._("Archive Access Length must be at least one day (ARC-5).")
            )
        if not 0 <= self.sales_policy_discount_limit <= 100:
            raise ValidationError(
                self.env._("Salesperson Discount Limit must be between 0 and 100 (CRD-5).")
            )
        if self.sales_policy_major_contract_threshold < 0:
            raise ValidationError(
                self.env._("Major Contract Threshold cannot be negative (CRD-5).")
            )
        if not 0 <= self.sales_policy_default_deposit <= 100:
            raise ValidationError(self.env._("Default Deposit must be between 0 and 100 (CRD-1)."))
        if not (
            self.sales_policy_rating_s
            > self.sales_policy_rating_a
            > self.sales_policy_rating_b
            >= 0
        ):
            raise ValidationError(
                self.env._("The rating thresholds must go S > A > B ≥ 0 (QTA-5).")
            )
        if self.sales_policy_per_diem < 0 or self.sales_policy_intra_city_lodging_cap < 0:
            raise ValidationError(
                self.env._("Per Diem and Intra-City Lodging Cap cannot be negative (TRV-7, TRV-9).")
            )
        if self.sales_policy_claim_due_days < 0:
            raise ValidationError(
                self.env._("Claim Due (days after return) cannot be negative (TRV-13).")
            )
        if not 0 < self.sales_policy_shared_room_percent <= 100:
            raise ValidationError(
                self.env._("Shared Room Share must be above 0 and at most 100 (TRV-8).")
            )
        if self.sales_policy_collection_reminder_days < 1:
            raise ValidationError(
                self.env._("Collection Reminder (days) must be at least one day (ORD-6).")
            )
        res = super().set_values()
        per_diem = self.env["sales.trip"]._per_diem_product()
        if per_diem.standard_price != self.sales_policy_per_diem:
            per_diem.standard_price = self.sales_policy_per_diem
        return res
