# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class SalesTargetReport(models.Model):
    """QTA-4/5: target against actuals by salesperson, territory and month.

    A read-only analysis (pivot and graph) over the approved targets' months and
    the same sources as the months' actuals (of the sales department:
    ``_seller_ids``): the confirmed orders of
    ``sales.target.period._signed_rows_sql`` (company currency) and the collected
    cash of ``sales.target.period._collected_rows_sql``. Months are taken in the
    reader's time zone, like the actuals on the months. A salesperson's actuals
    are shown under the territory of their approved target of that year (the
    first one when they hold several); with no approved target, under none.

    Nothing is stored: the query runs when the report is read, with the
    record rules of the targets (own rows for a salesperson, all for managers).
    """

    _name = "sales.target.report"
    _description = "Target Analysis"
    _auto = False
    _order = "date desc, user_id"
    _rec_name = "date"

    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    territory_id = fields.Many2one("sales.territory", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Month", readonly=True)
    year = fields.Integer(readonly=True, aggregator=None)
    target_amount = fields.Monetary(string="Target", readonly=True)
    actual_signed = fields.Monetary(string="Signed", readonly=True)
    actual_collected = fields.Monetary(string="Collected", readonly=True)
    gap = fields.Monetary(
        readonly=True, help="Signed minus target: below zero, the month is behind (QTA-5)."
    )

    @property
    def _table_query(self):
        tz = self.env["sales.target.period"]._tz()
        Period = self.env["sales.target.period"]
        signed = Period._signed_rows_sql()
        collected = Period._collected_rows_sql()
        return SQL(
            """
            WITH actual AS (
                SELECT s.user_id, s.company_id,
                       date_trunc('month', s.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                           AS date,
                       SUM(s.amount) AS signed, 0.0 AS collected
                  FROM (%(signed)s) s
                 WHERE s.user_id = ANY(%(sellers)s)
                    OR s.user_id IN (SELECT user_id FROM sales_target)
                 GROUP BY 1, 2, 3
                UNION ALL
                SELECT c.user_id, c.company_id, date_trunc('month', c.date)::date,
                       0.0, c.amount
                  FROM (%(collected)s) c
                 WHERE c.user_id = ANY(%(sellers)s)
                    OR c.user_id IN (SELECT user_id FROM sales_target)
            ),
            home AS (
                SELECT DISTINCT ON (user_id, company_id, year)
                       user_id, company_id, year, territory_id
                  FROM sales_target
                 WHERE state = 'approved'
                 ORDER BY user_id, company_id, year, id
            ),
            lines AS (
                SELECT t.user_id, t.territory_id, t.company_id, p.date_from AS date,
                       p.target_amount, 0.0 AS signed, 0.0 AS collected
                  FROM sales_target_period p
                  JOIN sales_target t ON t.id = p.target_id
                 WHERE t.state = 'approved'
                UNION ALL
                SELECT a.user_id, home.territory_id, a.company_id, a.date,
                       0.0, a.signed, a.collected
                  FROM actual a
                  LEFT JOIN home ON home.user_id = a.user_id
                                AND home.company_id = a.company_id
                                AND home.year = EXTRACT(YEAR FROM a.date)::int
            )
            SELECT ROW_NUMBER() OVER (ORDER BY date, user_id, territory_id) AS id,
                   user_id, territory_id, company_id, date,
                   EXTRACT(YEAR FROM date)::int AS year,
                   SUM(target_amount) AS target_amount,
                   SUM(signed) AS actual_signed,
                   SUM(collected) AS actual_collected,
                   SUM(signed) - SUM(target_amount) AS gap
              FROM lines
             GROUP BY user_id, territory_id, company_id, date
            """,
            tz=tz,
            signed=signed,
            collected=collected,
            sellers=self._seller_ids(),
        )

    def _seller_ids(self):
        """QTA-4: whose actuals are measured: the sales department, who hold the
        salesperson's role (sales managers included) below the general managers, who
        set and approve the targets, and anyone with a target. Orders of other users
        (an administrator's, Odoo's sample users') are not the department's sales."""
        # who holds a role is configuration, not an archive: read as the registry does
        groups = self.env["res.groups"].sudo()
        sellers = groups.browse(self.env.ref("sales_dept_policy.group_salesperson").id)
        managers = groups.browse(self.env.ref("sales_dept_policy.group_general_manager").id)
        return list(set(sellers.all_user_ids.ids) - set(managers.all_user_ids.ids))
