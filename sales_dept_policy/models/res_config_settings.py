# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..policy import archive as arc
from ..policy import assessment as asm
from ..policy import budget as bud
from ..policy import credit as crd
from ..policy import meetings as mtg
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

    # ASM-1/2: the assessment of salespeople
    sales_policy_assessment_weight_sales = fields.Integer(
        string="Sales Weight",
        config_parameter="sales_dept_policy.assessment_weight_sales",
        default=asm.DEFAULT_WEIGHTS["sales"],
        help="ASM-1: points of sales (signed vs target) in the assessment; the five weights "
        "sum to 100.",
    )
    sales_policy_assessment_weight_collection = fields.Integer(
        string="Collections Weight",
        config_parameter="sales_dept_policy.assessment_weight_collection",
        default=asm.DEFAULT_WEIGHTS["collection"],
        help="ASM-1: points of collections (collected vs collection target).",
    )
    sales_policy_assessment_weight_profit = fields.Integer(
        string="Profit Weight",
        config_parameter="sales_dept_policy.assessment_weight_profit",
        default=asm.DEFAULT_WEIGHTS["profit"],
        help="ASM-1: points of profit (margin rate of the month's confirmed orders vs the "
        "target margin).",
    )
    sales_policy_assessment_weight_shipment = fields.Integer(
        string="Shipment Weight",
        config_parameter="sales_dept_policy.assessment_weight_shipment",
        default=asm.DEFAULT_WEIGHTS["shipment"],
        help="ASM-1: points of shipment (deliveries done by the promised day).",
    )
    sales_policy_assessment_weight_activity = fields.Integer(
        string="Activity Weight",
        config_parameter="sales_dept_policy.assessment_weight_activity",
        default=asm.DEFAULT_WEIGHTS["activity"],
        help="ASM-1: points of activity (effective records vs the VIS-4 targets).",
    )
    sales_policy_assessment_band = fields.Float(
        string="Adjustment Band (points)",
        config_parameter="sales_dept_policy.assessment_band",
        default=asm.DEFAULT_BAND,
        help="ASM-2: the sales manager's judgment moves the total by at most this many "
        "points either way.",
    )
    sales_policy_assessment_grade_s = fields.Float(
        string="Grade S from",
        config_parameter="sales_dept_policy.assessment_grade_s",
        default=asm.DEFAULT_THRESHOLDS[0][1],
        help="ASM-2: the lowest total graded S (优秀).",
    )
    sales_policy_assessment_grade_a = fields.Float(
        string="Grade A from",
        config_parameter="sales_dept_policy.assessment_grade_a",
        default=asm.DEFAULT_THRESHOLDS[1][1],
        help="ASM-2: the lowest total graded A (良好).",
    )
    sales_policy_assessment_grade_b = fields.Float(
        string="Grade B from",
        config_parameter="sales_dept_policy.assessment_grade_b",
        default=asm.DEFAULT_THRESHOLDS[2][1],
        help="ASM-2: the lowest total graded B (一般); below it, C (需改进).",
    )
    sales_policy_assessment_target_margin = fields.Float(
        string="Target Margin (%)",
        config_parameter="sales_dept_policy.assessment_target_margin",
        default=asm.DEFAULT_TARGET_MARGIN,
        help="ASM-1: the margin rate on the month's confirmed orders that earns full marks "
        "on profit.",
    )

    def _check_assessment_settings(self):
        """ASM-1/2: weights summing to 100, a band, thresholds S > A > B, a target
        margin: refused with the field and the rule named."""
        weights = {c: self[f"sales_policy_assessment_weight_{c}"] for c in asm.CRITERIA}
        if asm.weights_error(weights):
            raise ValidationError(
                self.env._(
                    "The assessment weights must each be between 0 and 100 and sum to 100 "
                    "(ASM-1); they sum to %(total)s.",
                    total=sum(weights.values()),
                )
            )
        if asm.band_error(self.sales_policy_assessment_band):
            raise ValidationError(
                self.env._("Adjustment Band must be between 0 and 100 points (ASM-2).")
            )
        if asm.thresholds_error(
            self.sales_policy_assessment_grade_s,
            self.sales_policy_assessment_grade_a,
            self.sales_policy_assessment_grade_b,
        ):
            raise ValidationError(
                self.env._(
                    "The grade thresholds must go 100 ≥ S > A > B ≥ 0 (ASM-2): Grade S from, "
                    "Grade A from and Grade B from."
                )
            )
        if asm.target_margin_error(self.sales_policy_assessment_target_margin):
            raise ValidationError(
                self.env._("Target Margin must be above 0 and at most 100 % (ASM-1).")
            )

    sales_policy_meeting_group_ids = fields.Many2many(
        related="company_id.sales_meeting_group_ids",
        readonly=False,
        string="Quarterly and Annual Meeting Attendees",
        help="MTG-1: the members of these groups are invited to the quarterly and annual "
        "sales meetings. Empty: the policy's default roles.",
    )
    sales_policy_agenda_days = fields.Integer(
        string="Agenda Sent (days before)",
        config_parameter="sales_dept_policy.agenda_days",
        default=mtg.DEFAULT_AGENDA_DAYS,
        help="MTG-2: the agenda of a quarterly or annual meeting reaches every attendee this "
        "many days before it.",
    )
    sales_policy_meeting_hour = fields.Float(
        string="Meetings Start at",
        config_parameter="sales_dept_policy.meeting_hour",
        default=mtg.DEFAULT_MEETING_HOUR,
        help="MTG-1: the start time proposed for a new meeting, in the company's time zone.",
    )
    sales_policy_plan_reminder_days = fields.Integer(
        string="Plan Reminder (last working days)",
        config_parameter="sales_dept_policy.plan_reminder_days",
        default=mtg.DEFAULT_PLAN_REMINDER_DAYS,
        help="MTG-3: in this many last working days (Monday to Friday) of a month, each "
        "salesperson without a plan for the next month gets a draft and a to-do to file it. "
        "0: no reminder.",
    )
    sales_policy_summary_reminder_days = fields.Integer(
        string="Summary Reminder (first working days)",
        config_parameter="sales_dept_policy.summary_reminder_days",
        default=mtg.DEFAULT_SUMMARY_REMINDER_DAYS,
        help="MTG-3: in this many first working days of a month, each salesperson without a "
        "summary of the last month gets a draft and a to-do to file it. 0: no reminder.",
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
        self._check_assessment_settings()
        if not 1 <= self.sales_policy_agenda_days <= 90:
            raise ValidationError(
                self.env._("Agenda Sent (days before) must be between 1 and 90 (MTG-2).")
            )
        if not 0 <= self.sales_policy_meeting_hour < 24:
            raise ValidationError(
                self.env._("Meetings Start at must be a time of the day (MTG-1).")
            )
        if not (
            0 <= self.sales_policy_plan_reminder_days <= 10
            and 0 <= self.sales_policy_summary_reminder_days <= 10
        ):
            raise ValidationError(
                self.env._(
                    "The plan and summary reminders run on 0 to 10 working days of the month "
                    "(MTG-3)."
                )
            )
        res = super().set_values()
        per_diem = self.env["sales.trip"]._per_diem_product()
        if per_diem.standard_price != self.sales_policy_per_diem:
            per_diem.standard_price = self.sales_policy_per_diem
        return res
