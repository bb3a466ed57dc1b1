# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import date, datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..policy import assessment as asm
from ..policy import collections as ord6
from ..policy import credit as crd
from .sales_approval_mixin import WORKFLOW_FIELDS

#: ASM-1: the figures behind the scores, the scores and the rules in force when they
#: were computed: written by the policy only (``_write_figures``), never by a client
_FIGURE_FIELDS = frozenset(
    {
        "computed_on",
        "weight_sales",
        "weight_collection",
        "weight_profit",
        "weight_shipment",
        "weight_activity",
        "threshold_s",
        "threshold_a",
        "threshold_b",
        "adjustment_band",
        "target_margin_percent",
        "sales_target",
        "sales_signed",
        "collection_target",
        "collection_collected",
        "profit_amount",
        "profit_margin",
        "shipment_done",
        "shipment_on_time",
        "activity_target",
        "activity_done",
        "activity_detail",
        "month_count",
        "score_sales",
        "score_collection",
        "score_profit",
        "score_shipment",
        "score_activity",
        "sales_measured",
        "collection_measured",
        "profit_measured",
        "shipment_measured",
        "activity_measured",
        "weighted_score",
        "is_measured",
    }
)
#: ASM-1: what an assessment is of: set when it is made, never changed
_KEY_FIELDS = ("user_id", "period", "date_from", "company_id")
#: ASM-2: what the manager writes on a draft: the judgment
_JUDGMENT_FIELDS = frozenset({"manager_adjustment", "comment"})

_GRADES = [(code, label) for code, label in asm.GRADE_LABELS]


def _settings_key(name):
    return f"sales_dept_policy.assessment_{name}"


class SalesAssessment(models.Model):
    """ASM-1..3: a salesperson's assessment of a month or a year (考核).

    A month's scores come from the records (``_compute_month_figures``, one query
    per source for all the assessments computed): sales (signed vs the approved
    monthly target, QTA-4), collections (collected vs the month's share of the
    yearly collection target), profit (the margin rate of the month's confirmed
    orders vs the target margin), shipment (deliveries done in the month by their
    promised day) and activity (effective records vs the VIS-4 targets). Every
    score is stored with the figures behind it and the rules in force when it was
    computed (weights, thresholds, band, target margin), so the scorecard shows how
    it was reached; ``policy.assessment`` says how. A year is computed from its
    approved months (ASM-3).

    The sales manager prepares it (recomputes the figures while it is a draft, adds
    the judgment within the band, with a comment) and submits it; the general
    manager approves it (APR-1..5; never the person assessed, nor who submitted
    it); approved, it is locked and its salesperson reads it.

    Access: salespeople read their own assessments once approved, and nothing else
    of them (record rules); sales managers and general managers read all and
    prepare them (never their own); a scheduled job drafts last month's on the 1st
    and, in January, the past year's.
    """

    _name = "sales.assessment"
    _description = "Salesperson Assessment"
    _inherit = ["sales.approval.mixin"]
    _order = "date_from desc, period, user_id, id desc"
    _check_company_auto = True
    #: the salesperson may ask about their approved scorecard in its chatter
    _mail_post_access = "read"

    _policy_protected_fields = WORKFLOW_FIELDS | _FIGURE_FIELDS

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="ASM-1: who is assessed.",
    )
    period = fields.Selection(
        [("month", "Month"), ("year", "Year")],
        required=True,
        default="month",
        index=True,
        help="ASM-1: a month (以月度考核为主) or a year, computed from its approved months "
        "(ASM-3).",
    )
    date_from = fields.Date(
        string="Period Start",
        required=True,
        index=True,
        default=lambda self: (
            ord6.month_start(fields.Date.context_today(self)) - relativedelta(months=1)
        ),
        help="The first day of the month or year assessed (any day given is taken as its "
        "month or year).",
    )
    date_to = fields.Date(
        string="Period End",
        compute="_compute_date_to",
        store=True,
        help="The last day of the month or year assessed.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    # the rules in force when the figures were computed ------------------------
    computed_on = fields.Datetime(
        string="Figures Computed On",
        readonly=True,
        copy=False,
        help="When the figures were last read from the records (on creation, with "
        "Recompute, and on submission).",
    )
    weight_sales = fields.Float(readonly=True, help="ASM-1: the weight of sales, in points.")
    weight_collection = fields.Float(
        readonly=True, help="ASM-1: the weight of collections, in points."
    )
    weight_profit = fields.Float(readonly=True, help="ASM-1: the weight of profit, in points.")
    weight_shipment = fields.Float(readonly=True, help="ASM-1: the weight of shipment, in points.")
    weight_activity = fields.Float(readonly=True, help="ASM-1: the weight of activity, in points.")
    threshold_s = fields.Float(string="S from", readonly=True, help="ASM-2: lowest total for S.")
    threshold_a = fields.Float(string="A from", readonly=True, help="ASM-2: lowest total for A.")
    threshold_b = fields.Float(
        string="B from", readonly=True, help="ASM-2: lowest total for B; below it, C."
    )
    adjustment_band = fields.Float(
        readonly=True,
        help="ASM-2: the manager's adjustment is at most this many points either way.",
    )
    target_margin_percent = fields.Float(
        string="Target Margin (%)",
        readonly=True,
        help="ASM-1: the margin rate on the month's confirmed orders that earns full marks "
        "on profit.",
    )

    # the figures ---------------------------------------------------------------
    sales_target = fields.Monetary(
        readonly=True,
        help="QTA-3: the month's part of the salesperson's approved targets (all their "
        "territories); a year: the sum of its approved months.",
    )
    sales_signed = fields.Monetary(
        string="Signed",
        readonly=True,
        help="QTA-4: untaxed amount of the month's confirmed orders, in company currency.",
    )
    collection_target = fields.Monetary(
        readonly=True,
        help="QTA-2: the month's share of the approved yearly collection target, split like "
        "the sales target (the month's part of the responsibility amount; evenly when the "
        "year has none).",
    )
    collection_collected = fields.Monetary(
        string="Collected",
        readonly=True,
        help="QTA-4: customer payments received in the month on the salesperson's invoices "
        "(bank and cash; credit notes are not collections).",
    )
    profit_amount = fields.Monetary(
        string="Sales Amount",
        readonly=True,
        help="ASM-1: untaxed amount of the month's confirmed orders, in company currency "
        "(the base of the margin rate).",
    )
    profit_margin = fields.Monetary(
        string="Margin",
        readonly=True,
        help="ASM-1: the margin (sale_margin: price less cost) of those orders, in company "
        "currency.",
    )
    profit_margin_percent = fields.Float(
        string="Margin Rate (%)",
        compute="_compute_ratios",
        help="ASM-1: margin / sales amount.",
    )
    shipment_done = fields.Integer(
        string="Deliveries Done",
        readonly=True,
        help="ASM-1: deliveries of the salesperson's orders to customers validated in the "
        "month (the company's days).",
    )
    shipment_on_time = fields.Integer(
        string="Delivered On Time",
        readonly=True,
        help="ASM-1: those done on or before their promised day: the delivery's deadline "
        "(from the order's commitment date or expected date), else its scheduled date.",
    )
    activity_target = fields.Float(
        string="Activity Owed",
        readonly=True,
        help="VIS-4: effective records owed in the month by the activity targets (a week's "
        "target pro rata to the month's days).",
    )
    activity_done = fields.Integer(
        string="Effective Records",
        readonly=True,
        help="VIS-3: effective records of the kinds with a target, planned in the month.",
    )
    activity_detail = fields.Text(
        readonly=True, help="VIS-4: effective records against the target, kind by kind."
    )
    month_count = fields.Integer(
        string="Approved Months",
        readonly=True,
        help="ASM-3: a year's assessment is computed from this many approved months.",
    )

    # the scores ------------------------------------------------------------------
    score_sales = fields.Float(
        string="Sales Score", readonly=True, aggregator="avg", help="min(signed / target, 1) × 100."
    )
    score_collection = fields.Float(
        string="Collections Score",
        readonly=True,
        aggregator="avg",
        help="min(collected / collection target, 1) × 100.",
    )
    score_profit = fields.Float(
        string="Profit Score",
        readonly=True,
        aggregator="avg",
        help="min(margin rate / target margin, 1) × 100.",
    )
    score_shipment = fields.Float(
        string="Shipment Score",
        readonly=True,
        aggregator="avg",
        help="min(on time / deliveries done, 1) × 100.",
    )
    score_activity = fields.Float(
        string="Activity Score",
        readonly=True,
        aggregator="avg",
        help="The average over the kinds with a target of min(effective / owed, 1) × 100.",
    )
    sales_measured = fields.Boolean(readonly=True)
    collection_measured = fields.Boolean(readonly=True)
    profit_measured = fields.Boolean(readonly=True)
    shipment_measured = fields.Boolean(readonly=True)
    activity_measured = fields.Boolean(readonly=True)
    is_measured = fields.Boolean(
        string="Measured", readonly=True, help="At least one criterion could be measured."
    )
    share_sales = fields.Float(compute="_compute_shares", string="Sales Counts For (%)")
    share_collection = fields.Float(compute="_compute_shares", string="Collections Count For (%)")
    share_profit = fields.Float(compute="_compute_shares", string="Profit Counts For (%)")
    share_shipment = fields.Float(compute="_compute_shares", string="Shipment Counts For (%)")
    share_activity = fields.Float(compute="_compute_shares", string="Activity Counts For (%)")
    sales_ratio = fields.Float(compute="_compute_ratios", string="Sales Attainment (%)")
    collection_ratio = fields.Float(compute="_compute_ratios", string="Collections Attainment (%)")
    shipment_ratio = fields.Float(compute="_compute_ratios", string="On-Time Rate (%)")
    weighted_score = fields.Float(
        string="Computed Score",
        readonly=True,
        aggregator="avg",
        help="ASM-1: a month: the weighted average of the criteria measured (one with "
        "nothing to measure is left out, the others carry its weight). ASM-3: a year: "
        "the average of its approved months' totals.",
    )
    manager_adjustment = fields.Float(
        string="Manager's Adjustment",
        tracking=True,
        help="ASM-2: the sales manager's judgment (conduct, teamwork, customer "
        "satisfaction), in points, within ± the band; not 0 only with a comment.",
    )
    total_score = fields.Float(
        string="Total",
        compute="_compute_total",
        store=True,
        aggregator="avg",
        help="ASM-2: computed score + adjustment, within 0..100.",
    )
    grade = fields.Selection(
        _GRADES,
        compute="_compute_total",
        store=True,
        index=True,
        tracking=True,
        help="ASM-2: S, A, B or C by the thresholds in force when the figures were computed.",
    )
    comment = fields.Text(
        tracking=True,
        help="ASM-2: the manager's judgment, required with an adjustment.",
    )

    _user_period_company_uniq = models.Constraint(
        "UNIQUE (user_id, period, date_from, company_id)",
        "One assessment per salesperson and month or year (ASM-1).",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("user_id", "period", "date_from")
    def _compute_display_name(self):
        for record in self:
            if record.period == "year" and record.date_from:
                label = str(record.date_from.year)
            else:
                label = ord6.month_label(record.date_from)
            record.display_name = self.env._(
                "Assessment %(period)s · %(user)s",
                period=label,
                user=record.user_id.name or "",
            )

    @api.depends("period", "date_from")
    def _compute_date_to(self):
        for record in self:
            if not record.date_from:
                record.date_to = False
            elif record.period == "year":
                record.date_to = date(record.date_from.year, 12, 31)
            else:
                record.date_to = ord6.month_last_day(record.date_from)

    def _scores(self):
        """ASM-1: the criteria's scores, ``None`` for those not measured."""
        self.ensure_one()
        return {c: self[f"score_{c}"] if self[f"{c}_measured"] else None for c in asm.CRITERIA}

    def _weights(self):
        self.ensure_one()
        return {c: self[f"weight_{c}"] for c in asm.CRITERIA}

    def _thresholds(self):
        self.ensure_one()
        return (("S", self.threshold_s), ("A", self.threshold_a), ("B", self.threshold_b))

    @api.depends(
        *(f"score_{c}" for c in asm.CRITERIA),
        *(f"{c}_measured" for c in asm.CRITERIA),
        *(f"weight_{c}" for c in asm.CRITERIA),
    )
    def _compute_shares(self):
        for record in self:
            shares = asm.effective_weights(record._scores(), record._weights())
            for criterion in asm.CRITERIA:
                record[f"share_{criterion}"] = shares[criterion]

    @api.depends(
        "sales_signed",
        "sales_target",
        "collection_collected",
        "collection_target",
        "profit_margin",
        "profit_amount",
        "shipment_on_time",
        "shipment_done",
        "activity_done",
        "activity_target",
    )
    def _compute_ratios(self):
        def percent(value):
            return round(value * 100.0, 2) if value is not None else 0.0

        for record in self:
            record.sales_ratio = percent(asm.ratio(record.sales_signed, record.sales_target))
            record.collection_ratio = percent(
                asm.ratio(record.collection_collected, record.collection_target)
            )
            record.profit_margin_percent = (
                round(record.profit_margin * 100.0 / record.profit_amount, 2)
                if record.profit_amount
                else 0.0
            )
            record.shipment_ratio = percent(
                asm.shipment_ratio(record.shipment_on_time, record.shipment_done)
            )

    @api.depends(
        "weighted_score",
        "is_measured",
        "manager_adjustment",
        "threshold_s",
        "threshold_a",
        "threshold_b",
        "computed_on",
    )
    def _compute_total(self):
        for record in self:
            weighted = record.weighted_score if record.is_measured else None
            total = asm.total_score(weighted, record.manager_adjustment)
            record.total_score = total or 0.0
            record.grade = asm.grade(total, record._thresholds()) if record.computed_on else False

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("manager_adjustment", "comment", "adjustment_band")
    def _check_adjustment(self):
        label = self._fields["manager_adjustment"].get_description(self.env)["string"]
        for record in self.filtered("computed_on"):
            error = asm.adjustment_error(
                record.manager_adjustment, record.adjustment_band, record.comment
            )
            if error == "band":
                raise ValidationError(
                    self.env._(
                        "%(field)s of %(name)s is %(value)s: it must stay within ± %(band)s "
                        "points (ASM-2).",
                        field=label,
                        name=record.display_name,
                        value=record.manager_adjustment,
                        band=record.adjustment_band,
                    )
                )
            if error == "comment":
                raise ValidationError(
                    self.env._(
                        "%(field)s of %(name)s needs a comment saying why (ASM-2).",
                        field=label,
                        name=record.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # The rules in force (Settings)
    # ------------------------------------------------------------------
    @api.model
    def _assessment_settings(self):
        """ASM-1/2: weights, thresholds, band and target margin from the settings."""
        params = self.env["ir.config_parameter"].sudo()

        def number(name, default):
            try:
                return float(params.get_param(_settings_key(name), default))
            except (TypeError, ValueError):
                return float(default)

        thresholds = {
            code: number(f"grade_{code.lower()}", v) for code, v in asm.DEFAULT_THRESHOLDS
        }
        return {
            "weights": {c: number(f"weight_{c}", asm.DEFAULT_WEIGHTS[c]) for c in asm.CRITERIA},
            "thresholds": thresholds,
            "band": number("band", asm.DEFAULT_BAND),
            "target_margin": number("target_margin", asm.DEFAULT_TARGET_MARGIN),
        }

    def _rule_values(self, settings):
        vals = {f"weight_{c}": settings["weights"][c] for c in asm.CRITERIA}
        vals.update(
            {
                "threshold_s": settings["thresholds"]["S"],
                "threshold_a": settings["thresholds"]["A"],
                "threshold_b": settings["thresholds"]["B"],
                "adjustment_band": settings["band"],
                "target_margin_percent": settings["target_margin"],
            }
        )
        return vals

    # ------------------------------------------------------------------
    # The figures, from the records
    # ------------------------------------------------------------------
    @api.model
    def _company_tz(self, company):
        """The time zone the company counts its days and months in (SPEC: local)."""
        return company.partner_id.tz or crd.DEFAULT_TZ

    @api.model
    def _utc_bounds(self, start, end, tz):
        """The UTC datetimes at which the local days ``start`` and ``end`` begin."""
        zone = pytz.timezone(tz)

        def utc(day):
            return zone.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)

        return utc(start).replace(tzinfo=None), utc(end).replace(tzinfo=None)

    def _margin_by_user_month(self, users, start, end, tz):
        """ASM-1: ``{(company, user, month): (margin, untaxed)}`` of the confirmed
        orders by local month of their order date, in company currency (sale.report,
        the source of the signed amounts, with sale_margin's margin)."""
        groups = (
            self.env["sale.report"]
            .sudo()
            .with_context(tz=tz)
            ._read_group(
                [
                    ("state", "=", "sale"),
                    ("user_id", "in", users.ids),
                    ("date", ">=", fields.Datetime.to_datetime(start - relativedelta(days=1))),
                    ("date", "<", fields.Datetime.to_datetime(end + relativedelta(days=1))),
                ],
                ["company_id", "user_id", "date:month"],
                ["margin:sum", "price_subtotal:sum"],
            )
        )
        return {
            (company.id, user.id, month.date()): (margin or 0.0, amount or 0.0)
            for company, user, month, margin, amount in groups
        }

    def _shipments_by_user_month(self, users, companies, start, end, tz):
        """ASM-1: ``{(company, user, month): (done, on time)}``: the deliveries to
        customers of the salespeople's orders validated in the local month, and those
        validated on or before their promised local day (the deadline the order set,
        else the scheduled date)."""
        self.env["stock.picking"].flush_model(
            ["state", "date_done", "date_deadline", "scheduled_date", "sale_id", "company_id"]
        )
        self.env["sale.order"].flush_model(["user_id"])
        utc_start, utc_end = self._utc_bounds(start, end, tz)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT sp.company_id, so.user_id,
                       date_trunc(
                           'month', sp.date_done AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s
                       )::date,
                       COUNT(*),
                       COUNT(*) FILTER (
                           WHERE (sp.date_done AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                              <= (COALESCE(sp.date_deadline, sp.scheduled_date)
                                  AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                       )
                  FROM stock_picking sp
                  JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                  JOIN sale_order so ON so.id = sp.sale_id
                 WHERE sp.state = 'done'
                   AND spt.code = 'outgoing'
                   AND so.user_id = ANY(%(users)s)
                   AND sp.company_id = ANY(%(companies)s)
                   AND sp.date_done >= %(start)s AND sp.date_done < %(end)s
                 GROUP BY 1, 2, 3
                """,
                tz=tz,
                users=users.ids,
                companies=companies.ids,
                start=utc_start,
                end=utc_end,
            )
        )
        return {(c, u, m): (done, on_time) for c, u, m, done, on_time in rows}

    def _activity_by_user_month(self, users, companies, start, end, tz):
        """VIS-4: ``{(company, user, month): {kind: effective records}}`` by the local
        month of their planned date (the visits' stored ``is_effective``, VIS-3)."""
        self.env["sales.visit"].flush_model(
            ["user_id", "company_id", "kind", "date_planned", "is_effective"]
        )
        utc_start, utc_end = self._utc_bounds(start, end, tz)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT v.company_id, v.user_id,
                       date_trunc(
                           'month', v.date_planned AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s
                       )::date,
                       v.kind, COUNT(*)
                  FROM sales_visit v
                 WHERE v.is_effective
                   AND v.user_id = ANY(%(users)s)
                   AND v.company_id = ANY(%(companies)s)
                   AND v.date_planned >= %(start)s AND v.date_planned < %(end)s
                 GROUP BY 1, 2, 3, 4
                """,
                tz=tz,
                users=users.ids,
                companies=companies.ids,
                start=utc_start,
                end=utc_end,
            )
        )
        result = defaultdict(dict)
        for company_id, user_id, month, kind, count in rows:
            result[company_id, user_id, month][kind] = count
        return result

    def _targets_by_user_month(self, users, companies, start, end):
        """QTA-2/3: ``{(company, user, month): (sales target, collection target)}``
        from the months of the salespeople's approved targets: the month's amount,
        and the month's share of the year's collection target, split as the year's
        responsibility amount is (evenly over its months when it has none)."""
        periods = (
            self.env["sales.target.period"]
            .sudo()
            .search_fetch(
                [
                    ("user_id", "in", users.ids),
                    ("company_id", "in", companies.ids),
                    ("date_from", ">=", start),
                    ("date_from", "<", end),
                    ("target_id.state", "=", "approved"),
                ],
                ["target_id", "user_id", "company_id", "date_from", "target_amount"],
            )
        )
        periods.target_id.fetch(["target_amount", "collection_target", "period_ids"])
        result = defaultdict(lambda: [0.0, 0.0])
        for period in periods:
            target = period.target_id
            if target.target_amount:
                share = period.target_amount / target.target_amount
            else:
                share = 1.0 / (len(target.period_ids) or 12)
            key = (period.company_id.id, period.user_id.id, ord6.month_start(period.date_from))
            result[key][0] += period.target_amount
            result[key][1] += target.collection_target * share
        return result

    def _activity_owed(self, targets, month):
        """VIS-4: ``{kind: owed}`` in ``month`` for one user's targets
        ``{(kind, period): count}``."""
        days = (ord6.next_month_start(month) - month).days
        owed = defaultdict(float)
        for (kind, period), count in targets.items():
            owed[kind] += asm.owed_in_month(count, period, days)
        return dict(owed)

    def _activity_detail(self, done, owed):
        kinds = dict(self.env["sales.visit"]._fields["kind"]._description_selection(self.env))
        return " · ".join(
            self.env._(
                "%(kind)s %(done)s / %(owed)s",
                kind=kinds.get(kind, kind),
                done=done.get(kind, 0),
                owed=round(owed[kind], 2),
            )
            for kind in sorted(owed, key=lambda k: list(kinds).index(k) if k in kinds else 99)
        )

    def _compute_month_figures(self, settings):
        """ASM-1: ``{record id: vals}`` of the month assessments of ``self``, from one
        query per source for all of them (per company, in its time zone)."""
        result = {}
        activity_targets = self.env["sales.activity.target"].sudo()._targets_by_user()
        Period = self.env["sales.target.period"].sudo()
        for company in self.company_id:
            records = self.filtered(lambda r, c=company: r.company_id == c)
            tz = self._company_tz(company)
            users = records.user_id
            start = min(records.mapped("date_from"))
            end = ord6.next_month_start(max(records.mapped("date_from")))
            # the figures are sums and counts over other users' records (orders,
            # payments, deliveries, visits) that the preparer may not read one by one:
            # read as superuser, only these aggregates are kept
            signed = Period.with_context(tz=tz)._signed_by_user_month(users, start, end)
            collected = Period._collected_by_user_month(users, start, end)
            margins = self._margin_by_user_month(users, start, end, tz)
            shipments = self._shipments_by_user_month(users, company, start, end, tz)
            activity = self._activity_by_user_month(users, company, start, end, tz)
            targets = self._targets_by_user_month(users, company, start, end)
            for record in records:
                key = (company.id, record.user_id.id, record.date_from)
                sales_target, collection_target = targets.get(key, (0.0, 0.0))
                margin, amount = margins.get(key, (0.0, 0.0))
                done, on_time = shipments.get(key, (0, 0))
                owed = record._activity_owed(
                    activity_targets.get(record.user_id.id, {}), record.date_from
                )
                effective = activity.get(key, {})
                figures = {
                    "sales_target": sales_target,
                    "sales_signed": signed.get(key, 0.0),
                    "collection_target": collection_target,
                    "collection_collected": collected.get(key, 0.0),
                    "profit_amount": amount,
                    "profit_margin": margin,
                    "shipment_done": done,
                    "shipment_on_time": on_time,
                    "activity_target": sum(owed.values()),
                    "activity_done": sum(effective.get(kind, 0) for kind in owed),
                    "activity_detail": record._activity_detail(effective, owed) or False,
                    "month_count": 0,
                }
                scores = {
                    "sales": asm.score(asm.ratio(figures["sales_signed"], sales_target)),
                    "collection": asm.score(
                        asm.ratio(figures["collection_collected"], collection_target)
                    ),
                    "profit": asm.score(
                        asm.profit_ratio(margin, amount, settings["target_margin"])
                    ),
                    "shipment": asm.score(asm.shipment_ratio(on_time, done)),
                    "activity": asm.score(asm.activity_ratio(effective, owed)),
                }
                weighted = asm.weighted_score(scores, settings["weights"])
                result[record.id] = {**figures, **self._score_values(scores, weighted)}
        return result

    @api.model
    def _score_values(self, scores, weighted):
        vals = {}
        for criterion in asm.CRITERIA:
            vals[f"score_{criterion}"] = scores[criterion] or 0.0
            vals[f"{criterion}_measured"] = scores[criterion] is not None
        vals["weighted_score"] = weighted or 0.0
        vals["is_measured"] = weighted is not None
        return vals

    def _compute_year_figures(self, settings):
        """ASM-3: ``{record id: vals}`` of the year assessments of ``self``: the sums of
        the approved months' figures, each criterion's score the average of the months
        it was measured in, the computed score the average of the months' totals."""
        if not self:
            return {}
        years = {record.date_from.year for record in self}
        # every approved month of these salespeople counts, whatever company the
        # preparer works in at the moment: read for their scores only
        months = self.sudo().search(
            [
                ("period", "=", "month"),
                ("state", "=", "approved"),
                ("user_id", "in", self.user_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("date_from", ">=", date(min(years), 1, 1)),
                ("date_from", "<=", date(max(years), 12, 31)),
            ]
        )
        by_key = defaultdict(list)
        for month in months:
            by_key[month.company_id.id, month.user_id.id, month.date_from.year].append(month)
        summed = (
            "sales_target",
            "sales_signed",
            "collection_target",
            "collection_collected",
            "profit_amount",
            "profit_margin",
            "shipment_done",
            "shipment_on_time",
            "activity_target",
            "activity_done",
        )
        result = {}
        for record in self:
            approved = by_key.get(
                (record.company_id.id, record.user_id.id, record.date_from.year), []
            )
            year = asm.year_scores([{**m._scores(), "total": m.total_score} for m in approved])
            figures = {name: sum(m[name] for m in approved) for name in summed}
            figures["activity_detail"] = False
            figures["month_count"] = len(approved)
            scores = {c: year[c] for c in asm.CRITERIA}
            result[record.id] = {**figures, **self._score_values(scores, year["weighted"])}
        return result

    def _write_figures(self):
        """ASM-1/3: read the figures from the records and write them with the scores
        and the rules in force: the policy's own write, past the guard on the
        computed fields (APR-5), on drafts only (APR-3)."""
        if any(record.state != "draft" for record in self):
            raise UserError(
                self.env._(
                    "The figures of %(name)s are recomputed on a draft only: it is "
                    "submitted or decided and locked (APR-3).",
                    name=self.filtered(lambda r: r.state != "draft")[0].display_name,
                )
            )
        settings = self._assessment_settings()
        rules = self._rule_values(settings)
        now = fields.Datetime.now()
        months = self.filtered(lambda r: r.period == "month")
        values = months._compute_month_figures(settings) if months else {}
        values.update((self - months)._compute_year_figures(settings))
        for record in self:
            record._approval_write({**rules, **values[record.id], "computed_on": now})

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def _normalise_vals(self, vals):
        """A month is kept as its first day, a year as its 1 January."""
        if vals.get("date_from"):
            day = fields.Date.to_date(vals["date_from"])
            if vals.get("period", "month") == "year":
                day = date(day.year, 1, 1)
            else:
                day = ord6.month_start(day)
            vals = dict(vals, date_from=day)
        return vals

    def _check_preparer(self, user_ids=()):
        """ASM-2: the sales managers (and general managers) prepare assessments,
        never their own. Decided from who the user is, never from the context."""
        if self.env.su:
            return
        if not self.env["res.users"]._sales_policy_current_is_manager():
            raise AccessError(
                self.env._(
                    "Assessments are prepared by the sales managers (ASM-2): a "
                    "salesperson reads their own once approved."
                )
            )
        if self.env.uid in set(user_ids):
            raise AccessError(
                self.env._(
                    "Segregation of duties (APR-4): nobody prepares or judges their own "
                    "assessment (ASM-2)."
                )
            )

    def _exists_error(self, user_id, period, day, company_id):
        return ValidationError(
            self.env._(
                "%(user)s already has an assessment of %(period)s in %(company)s: one per "
                "salesperson and month or year (ASM-1).",
                user=self.env["res.users"].sudo().browse(user_id).name,
                period=str(day.year) if period == "year" else ord6.month_label(day),
                company=self.env["res.company"].sudo().browse(company_id).name,
            )
        )

    def _check_unique(self, keys):
        """ASM-1: one assessment per salesperson, period and company, checked before
        the write so that the error names the rule (the constraint stays the last
        guard); every assessment counts, whether or not the user reads it."""
        self._check_unique_keys(
            [(key, self.browse()) for key in keys], _KEY_FIELDS, self._exists_error
        )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [
            self._normalise_vals(vals) for vals in self._with_key_defaults(vals_list, _KEY_FIELDS)
        ]
        self._check_preparer([vals.get("user_id") for vals in vals_list])
        self._check_unique([self._key_of(vals, _KEY_FIELDS) for vals in vals_list])
        records = super().create(vals_list)
        # the figures are the records', read at once (the judgment checked with them)
        records._write_figures()
        return records

    def write(self, vals):
        changed = set(vals)
        if changed & set(_KEY_FIELDS):
            raise UserError(
                self.env._(
                    "An assessment stays of its salesperson, period and company (ASM-1): "
                    "cancel it and create another."
                )
            )
        if changed & _JUDGMENT_FIELDS:
            self._check_preparer(self.user_id.ids)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Approval (APR-1..5): prepared by the sales manager, approved by the GM
    # ------------------------------------------------------------------
    def _approval_steps(self):
        return ("general_manager",)

    def _get_approvers(self):
        # ASM-2: approved by the general manager (总经理) or a deputy
        return self._step_approvers()

    def _get_concerned_users(self):
        return self.user_id

    def _check_submit(self):
        self.ensure_one()
        self._check_preparer(self.user_id.ids)
        if self.period == "year":
            # a count of the year's open months, whoever may read them
            pending = self.sudo().search_count(
                [
                    ("period", "=", "month"),
                    ("user_id", "=", self.user_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("date_from", ">=", self.date_from),
                    ("date_from", "<=", self.date_to),
                    ("state", "in", ("draft", "submitted")),
                ]
            )
            if pending:
                raise UserError(
                    self.env._(
                        "%(name)s is computed from the approved months (ASM-3): %(count)s "
                        "month(s) of the year are still draft or submitted; have them "
                        "approved or cancelled first.",
                        name=self.display_name,
                        count=pending,
                    )
                )
        # the general manager approves what the records say on the day it is submitted
        self._write_figures()
        if not self.is_measured:
            raise UserError(
                self.env._(
                    "%(name)s has nothing to assess (ASM-1): no target, no order, no "
                    "delivery and no activity target in the period.",
                    name=self.display_name,
                )
            )
        self._check_adjustment()

    def _on_approved(self):
        # ASM-2: approved, the salesperson reads it: they are told
        for record in self:
            record.message_post(
                body=self.env._(
                    "Your assessment %(name)s is approved: %(total)s points, grade %(grade)s.",
                    name=record.display_name,
                    total=record.total_score,
                    grade=dict(record._fields["grade"]._description_selection(self.env)).get(
                        record.grade, "-"
                    ),
                ),
                partner_ids=record.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        res = super().action_submit()
        self._close_prepare_activities()
        return res

    def _check_owner_or_approver(self, action_label):
        # ASM-2: whoever drafted it (the monthly job, a colleague), the sales managers
        # prepare every assessment, so they cancel and reset it; never their own, and
        # never the salesperson it is about
        self._check_preparer(self.user_id.ids)

    def action_recompute(self):
        """ASM-1: read the figures from the records again (a draft only)."""
        self._check_preparer(self.user_id.ids)
        self.check_access("write")
        self._write_figures()
        for record in self:
            record.message_post(
                body=self.env._(
                    "Figures recomputed by %(user)s: computed score %(score)s, total %(total)s.",
                    user=self.env.user.name,
                    score=record.weighted_score,
                    total=record.total_score,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # Drafting: the scheduled job of the 1st
    # ------------------------------------------------------------------
    def _prepare_activity_type(self):
        return self.env.ref("sales_dept_policy.mail_activity_type_assessment")

    def _close_prepare_activities(self):
        activity_type = self._prepare_activity_type()
        # the preparers' to-dos (other managers' too): on these records only
        activities = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        if activities:
            activities.action_feedback(
                feedback=self.env._("Submitted by %(user)s.", user=self.env.user.name)
            )

    def _schedule_preparation(self):
        """ASM-2: the salesperson's managers get a to-do to prepare the draft (their
        own manager, else the sales managers who are not general managers)."""
        activity_type = self._prepare_activity_type()
        gms = self.env.ref("sales_dept_policy.group_general_manager").sudo().all_user_ids
        for record in self:
            reviewers = record.user_id._sales_policy_reviewers()
            preparers = (reviewers - gms) or reviewers
            for preparer in preparers.filtered(lambda u: u.active and not u.share):
                # in the preparer's language
                local = record.with_context(lang=preparer.lang or self.env.lang)
                # another user's to-do, made by the job or the preparer: this record only
                record.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=local.env._("Prepare: %(name)s", name=local.display_name),
                    note=local.env._(
                        "Check the figures, add your judgment and submit it to the general "
                        "manager (ASM-2)."
                    ),
                    user_id=preparer.id,
                )

    @api.model
    def _assessed_users(self, month):
        """ASM-1: who is assessed for ``month``, as ``{(user, company)}``: the active
        salespeople (members of the Salesperson group, managers included) with an
        approved target for the month, in the target's company, or with an activity
        target (VIS-4), in their own company. A manager with neither is not assessed."""
        group = self.env.ref("sales_dept_policy.group_salesperson").sudo()
        users = group.all_user_ids.filtered(lambda u: u.active and not u.share)
        keys = set()
        periods = (
            self.env["sales.target.period"]
            .sudo()
            .search_fetch(
                [
                    ("user_id", "in", users.ids),
                    ("date_from", "=", month),
                    ("target_id.state", "=", "approved"),
                ],
                ["user_id", "company_id"],
            )
        )
        keys.update((p.user_id, p.company_id) for p in periods)
        owing = self.env["sales.activity.target"].sudo()._targets_by_user()
        keys.update((u, u.company_id) for u in users if owing.get(u.id))
        return keys

    @api.model
    def _draft_assessments(self, period, day, keys):
        """Create the missing drafts of ``keys`` (``{(user, company)}``) for ``period``
        starting on ``day``: idempotent, an existing one (whatever its state) is kept."""
        existing = self.sudo().search_fetch(
            [("period", "=", period), ("date_from", "=", day)], ["user_id", "company_id"]
        )
        have = {(a.user_id, a.company_id) for a in existing}
        missing = sorted(keys - have, key=lambda k: (k[1].id, k[0].name or "", k[0].id))
        if not missing:
            return self.browse()
        drafts = self.sudo().create(
            [
                {"user_id": user.id, "company_id": company.id, "period": period, "date_from": day}
                for user, company in missing
            ]
        )
        for draft in drafts:
            draft.message_post(
                body=self.env._("Drafted by the monthly job from the records (ASM-1)."),
                subtype_xmlid="mail.mt_note",
            )
        drafts._schedule_preparation()
        return drafts

    @api.model
    def _cron_draft_assessments(self, today=None):
        """ASM-1/3, on the 1st: draft last month's assessment of every salesperson and,
        in January, the past year's of everyone with an approved month in it."""
        today = today or datetime.now(pytz.timezone(self._company_tz(self.env.company))).date()
        month = ord6.month_start(today) - relativedelta(months=1)
        drafts = self._draft_assessments("month", month, self._assessed_users(month))
        if today.month == 1:
            year = date(today.year - 1, 1, 1)
            months = self.sudo().search_fetch(
                [
                    ("period", "=", "month"),
                    ("state", "=", "approved"),
                    ("date_from", ">=", year),
                    ("date_from", "<", year + relativedelta(years=1)),
                ],
                ["user_id", "company_id"],
            )
            keys = {(m.user_id, m.company_id) for m in months}
            drafts |= self._draft_assessments("year", year, keys)
        return drafts
