# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .sales_visit import VISIT_KINDS


class SalesActivityTarget(models.Model):
    """VIS-4: how many effective records of a kind a role owes per week or month.

    A target applies to the users of a group (e.g. salespersons) or to the
    employees of a travel level; shipped with the policy's defaults.
    """

    _name = "sales.activity.target"
    _description = "Activity Target"
    _order = "period desc, kind"

    kind = fields.Selection(VISIT_KINDS, required=True)
    period = fields.Selection([("week", "Week"), ("month", "Month")], required=True)
    count = fields.Integer(required=True, help="VIS-4: effective records owed in the period.")
    group_id = fields.Many2one("res.groups", string="Role", index=True)
    travel_level_id = fields.Many2one("sales.travel.level", string="Level", index=True)
    active = fields.Boolean(default=True)

    @api.constrains("count", "group_id", "travel_level_id")
    def _check_target(self):
        for target in self:
            if target.count <= 0:
                raise ValidationError(self.env._("An activity target counts at least 1 (VIS-4)."))
            if bool(target.group_id) == bool(target.travel_level_id):
                raise ValidationError(
                    self.env._("An activity target applies to a role or to a level (VIS-4).")
                )

    @api.depends("kind", "period", "count", "group_id", "travel_level_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        periods = dict(self._fields["period"]._description_selection(self.env))
        for target in self:
            target.display_name = self.env._(
                "%(count)s %(kind)s a %(period)s · %(who)s",
                count=target.count,
                kind=kinds.get(target.kind, ""),
                period=(periods.get(target.period) or "").lower(),
                who=(target.group_id or target.travel_level_id).name or "",
            )

    @api.model
    def _targets_by_user(self):
        """{user id: {(kind, period): count}}; a level's target wins over a role's."""
        result = {}
        targets = self.search([("count", ">", 0)])
        for target in targets.filtered("group_id"):
            # a role's target is owed by who holds that role and no higher one
            # (a salesperson's, not a sales manager's though managers imply it)
            group = target.group_id.sudo()
            higher = group.all_implied_by_ids - group
            users = group.all_user_ids - higher.all_user_ids
            for user in users.filtered(lambda u: not u.share and u.active):
                result.setdefault(user.id, {})[(target.kind, target.period)] = target.count
        by_level = targets.filtered("travel_level_id")
        if by_level:
            # employees' levels are HR data: read their user and level only
            employees = (
                self.env["hr.employee"]
                .sudo()
                .search(
                    [
                        ("travel_level_id", "in", by_level.travel_level_id.ids),
                        ("user_id", "!=", False),
                    ]
                )
            )
            for employee in employees:
                for target in by_level.filtered(
                    lambda t, e=employee: t.travel_level_id == e.travel_level_id
                ):
                    result.setdefault(employee.user_id.id, {})[(target.kind, target.period)] = (
                        target.count
                    )
        return result


class SalesActivityProgress(models.Model):
    """VIS-4: effective records against the targets, per person, kind and week or month.

    Read-only, computed when read with one grouped query over the visits (counts
    by local week and month of each salesperson); rows exist for every person
    with a target, also when they did nothing, over the last 26 weeks and 12 months.
    What counts is the visits' stored ``is_effective`` (policy.activity); the
    state is ``policy.activity.progress_state`` evaluated in the query, so that
    "behind" can be filtered and grouped on.
    """

    _name = "sales.activity.progress"
    _description = "Activity Progress"
    _auto = False
    _order = "date desc, user_id, kind"
    _rec_name = "user_id"

    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    kind = fields.Selection(VISIT_KINDS, readonly=True)
    period = fields.Selection([("week", "Week"), ("month", "Month")], readonly=True)
    date = fields.Date(string="Period Start", readonly=True)
    periods_ago = fields.Integer(
        readonly=True, aggregator=None, help="0: the current week or month, 1: the one before…"
    )
    target = fields.Integer(readonly=True)
    done = fields.Integer(string="Effective", readonly=True)
    gap = fields.Integer(readonly=True, help="Effective records still missing.")
    state = fields.Selection(
        [("met", "Met"), ("in_progress", "In Progress"), ("behind", "Behind")], readonly=True
    )

    @property
    def _table_query(self):
        # the query reads the visits' table: write pending changes first
        self.env["sales.visit"].flush_model(["user_id", "kind", "date_planned", "is_effective"])
        targets = self.env["sales.activity.target"].sudo()._targets_by_user()
        rows = [
            SQL("(%s, %s, %s, %s)", user_id, kind, period, count)
            for user_id, owed in targets.items()
            for (kind, period), count in owed.items()
        ]
        if not rows:
            rows = [SQL("(NULL::int, NULL::varchar, NULL::varchar, 0)")]
        return SQL(
            """
            WITH targets(user_id, kind, period, target) AS (VALUES %(rows)s),
            users AS (
                SELECT u.id AS user_id, COALESCE(p.tz, 'UTC') AS tz
                  FROM res_users u JOIN res_partner p ON p.id = u.partner_id
                 WHERE u.id IN (SELECT user_id FROM targets)
            ),
            periods AS (
                SELECT t.user_id, t.kind, t.period, t.target, gs::date AS date,
                       (gs + CASE t.period WHEN 'week' THEN interval '1 week'
                                           ELSE interval '1 month' END) AS date_end,
                       users.tz
                  FROM targets t
                  JOIN users ON users.user_id = t.user_id
                  CROSS JOIN LATERAL generate_series(
                        date_trunc(t.period, (now() AT TIME ZONE users.tz))
                            - CASE t.period WHEN 'week' THEN interval '25 weeks'
                                            ELSE interval '11 months' END,
                        date_trunc(t.period, (now() AT TIME ZONE users.tz)),
                        CASE t.period WHEN 'week' THEN interval '1 week'
                                      ELSE interval '1 month' END) gs
            ),
            counts AS (
                SELECT v.user_id, v.kind, p.period,
                       date_trunc(
                           p.period, v.date_planned AT TIME ZONE 'UTC' AT TIME ZONE u.tz
                       )::date AS date,
                       COUNT(*) AS done
                  FROM sales_visit v
                  JOIN users u ON u.user_id = v.user_id
                  CROSS JOIN (VALUES ('week'), ('month')) p(period)
                 WHERE v.is_effective
                   AND v.date_planned >= (now() - interval '13 months')
                 GROUP BY 1, 2, 3, 4
            )
            SELECT ROW_NUMBER() OVER (ORDER BY pr.date, pr.user_id, pr.kind, pr.period) AS id,
                   pr.user_id, pr.kind, pr.period, pr.date, pr.target,
                   CASE pr.period
                        WHEN 'week' THEN (date_trunc('week', now() AT TIME ZONE pr.tz)::date
                                          - pr.date) / 7
                        ELSE (EXTRACT(YEAR FROM age(
                                  date_trunc('month', now() AT TIME ZONE pr.tz), pr.date)) * 12
                              + EXTRACT(MONTH FROM age(
                                  date_trunc('month', now() AT TIME ZONE pr.tz), pr.date)))::int
                   END AS periods_ago,
                   COALESCE(c.done, 0) AS done,
                   GREATEST(pr.target - COALESCE(c.done, 0), 0) AS gap,
                   CASE WHEN COALESCE(c.done, 0) >= pr.target THEN 'met'
                        WHEN pr.date_end <= (now() AT TIME ZONE pr.tz) THEN 'behind'
                        ELSE 'in_progress' END AS state
              FROM periods pr
              LEFT JOIN counts c ON c.user_id = pr.user_id AND c.kind = pr.kind
                                AND c.period = pr.period AND c.date = pr.date
            """,
            rows=SQL(", ").join(rows),
        )
