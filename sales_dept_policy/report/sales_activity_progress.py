# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..policy import activity as vis


class SalesActivityProgress(models.Model):
    """VIS-4: effective records against the targets, per person, kind and week or month.

    Read-only, computed when read from the counters of effective visits by local
    week and month of each salesperson (``sales.activity.count``, kept by the
    database as the visits change); rows exist for every person
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
    kind = fields.Selection(list(vis.KIND_LABELS), readonly=True)
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
    period_label = fields.Char(
        string="When", compute="_compute_period_label", help="The period in words: this week…"
    )

    @api.depends("period", "periods_ago")
    @api.depends_context("lang")
    def _compute_period_label(self):
        for row in self:
            ago = row.periods_ago
            if row.period == "week":
                if ago == 0:
                    label = self.env._("This Week")
                elif ago == 1:
                    label = self.env._("Last Week")
                else:
                    label = self.env._("%(count)s Weeks Ago", count=ago)
            elif ago == 0:
                label = self.env._("This Month")
            elif ago == 1:
                label = self.env._("Last Month")
            else:
                label = self.env._("%(count)s Months Ago", count=ago)
            row.period_label = label

    @property
    def _table_query(self):
        # the counters follow the visits' table: write pending changes first
        self.env["sales.visit"].flush_model(["user_id", "kind", "date_planned", "is_effective"])
        # a salesperson's rule reads their own rows only: count no one else's
        # (who owes a target is HR and group data, read for the rows' keys)
        readers = None
        if not self.env.su and not self.env.user.has_group("sales_dept_policy.group_sales_manager"):
            readers = self.env.user
        targets = self.env["sales.activity.target"].sudo()._targets_by_user(readers)
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
                -- kept as the visits change (sales.activity.count)
                SELECT c.user_id, c.kind, c.period, c.date, c.done
                  FROM sales_activity_count c
                 WHERE c.user_id IN (SELECT user_id FROM targets)
                   AND c.date >= (now() - interval '13 months')::date
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
                   %(state)s AS state
              FROM periods pr
              LEFT JOIN counts c ON c.user_id = pr.user_id AND c.kind = pr.kind
                                AND c.period = pr.period AND c.date = pr.date
            """,
            rows=SQL(", ").join(rows),
            state=self._progress_state_sql(
                SQL("COALESCE(c.done, 0) >= pr.target"),
                SQL("pr.date_end <= (now() AT TIME ZONE pr.tz)"),
            ),
        )

    @api.model
    def _progress_state_sql(self, reached, over):
        """VIS-4: ``policy.activity.PROGRESS_STATES`` as a SQL ``CASE`` over the two
        conditions it reads, so that the report states progress by the policy's
        one rule (and "behind" can still be filtered and grouped on)."""
        whens = []
        for state, need_reached, need_over in vis.PROGRESS_STATES:
            conditions = [
                condition if needed else SQL("NOT (%s)", condition)
                for condition, needed in ((reached, need_reached), (over, need_over))
                if needed is not None
            ]
            test = (
                SQL(" AND ").join(SQL("(%s)", c) for c in conditions) if conditions else SQL("TRUE")
            )
            whens.append(SQL("WHEN %s THEN %s", test, state))
        return SQL("CASE %s END", SQL(" ").join(whens))
