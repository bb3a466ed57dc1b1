# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from ..policy import assessment as asm


class SalesAssessmentRanking(models.Model):
    """ASM-3: the quarterly and annual sales champions (季度、年度销售冠军).

    One row per salesperson, company and quarter or year, read with one query over
    the approved month assessments: their signed sales (frozen when approved),
    the average of their totals, how many months and of which grades. Ranked by
    ``policy.assessment.RANKING_KEYS``: signed sales first, then the average total;
    equal on both share the rank (SQL's ``RANK()``, as ``policy.assessment
    .ranking``), so equal first places are champions together.

    Access: sales managers and general managers (the figures are every
    salesperson's); the company rule applies.
    """

    _name = "sales.assessment.ranking"
    _description = "Sales Champions Ranking"
    _auto = False
    _order = "date_from desc, period, company_id, rank, user_id"
    _rec_name = "user_id"

    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    period = fields.Selection([("quarter", "Quarter"), ("year", "Year")], readonly=True)
    date_from = fields.Date(string="Period Start", readonly=True)
    signed = fields.Monetary(
        string="Signed Sales",
        readonly=True,
        help="ASM-3: the signed sales of the approved months of the period.",
    )
    average_score = fields.Float(
        string="Average Total",
        readonly=True,
        aggregator="avg",
        help="ASM-3: the average total score of those months; breaks a tie on sales.",
    )
    month_count = fields.Integer(string="Approved Months", readonly=True)
    grade_s_count = fields.Integer(string="S Months", readonly=True)
    grade_a_count = fields.Integer(string="A Months", readonly=True)
    grade_b_count = fields.Integer(string="B Months", readonly=True)
    grade_c_count = fields.Integer(string="C Months", readonly=True)
    rank = fields.Integer(
        readonly=True,
        aggregator="min",
        help="ASM-3: 1 is the champion; equal sales and average share the rank.",
    )
    is_champion = fields.Boolean(string="Champion", readonly=True)

    @property
    def _table_query(self):
        self.env["sales.assessment"].flush_model(
            ["user_id", "company_id", "period", "date_from", "state", "sales_signed"]
            + ["total_score", "grade"]
        )
        columns = {"signed": SQL("ROUND(b.signed, 2)"), "average_score": SQL("b.average_score")}
        order = SQL(", ").join(SQL("%s DESC", columns[key]) for key in asm.RANKING_KEYS)
        return SQL(
            """
            WITH months AS (
                SELECT a.company_id, a.user_id, a.date_from, a.sales_signed,
                       a.total_score, a.grade
                  FROM sales_assessment a
                 WHERE a.period = 'month' AND a.state = 'approved'
            ),
            buckets AS (
                SELECT m.company_id, m.user_id, p.period,
                       date_trunc(p.period, m.date_from)::date AS date_from,
                       SUM(m.sales_signed) AS signed,
                       ROUND(AVG(m.total_score)::numeric, 2) AS average_score,
                       COUNT(*) AS month_count,
                       COUNT(*) FILTER (WHERE m.grade = 'S') AS grade_s_count,
                       COUNT(*) FILTER (WHERE m.grade = 'A') AS grade_a_count,
                       COUNT(*) FILTER (WHERE m.grade = 'B') AS grade_b_count,
                       COUNT(*) FILTER (WHERE m.grade = 'C') AS grade_c_count
                  FROM months m
                 CROSS JOIN (VALUES ('quarter'), ('year')) p(period)
                 GROUP BY 1, 2, 3, 4
            ),
            ranked AS (
                SELECT b.*,
                       RANK() OVER (PARTITION BY b.company_id, b.period, b.date_from
                                    ORDER BY %(order)s) AS rank
                  FROM buckets b
            )
            SELECT ROW_NUMBER() OVER (
                       ORDER BY r.date_from, r.period, r.company_id, r.user_id) AS id,
                   r.company_id, c.currency_id, r.user_id, r.period, r.date_from,
                   r.signed, r.average_score, r.month_count,
                   r.grade_s_count, r.grade_a_count, r.grade_b_count, r.grade_c_count,
                   r.rank, r.rank = 1 AS is_champion
              FROM ranked r
              JOIN res_company c ON c.id = r.company_id
            """,
            order=order,
        )
