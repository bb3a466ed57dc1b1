# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from ..policy import budget as bud


class SalesExpenseReport(models.Model):
    """BUD-3: the personal expense report (个人费用控制报告单), per salesperson and month.

    A read-only view (list, pivot, graph, export) over the approved budgets' lines
    (budget), the approved trips' commitments and the approved claims (committed
    and actual, the stored figures ``sales.trip.budget_committed`` and
    ``hr.expense.budget_actual`` the budget lines read too), and the signed sales of
    the month from the source of the targets' actuals (QTA-4: the confirmed orders
    of ``sales.target.period._signed_rows_sql``, company currency, months in the
    reader's time zone, as ``sales.target.period._signed_by_user_month`` counts
    them). The expense per
    10,000 of signed sales is the actual expense over the signed sales; summed
    rows (a quarter, a team) divide their sums.

    Rows are those of the salespeople and of whoever holds a budget. Nothing is
    stored: the query runs when the report is read, with the record rules (a
    salesperson reads their own rows, managers all).
    """

    _name = "sales.expense.report"
    _description = "Personal Expense Report"
    _auto = False
    _order = "date desc, user_id"
    _rec_name = "date"

    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Month", readonly=True)
    year = fields.Integer(readonly=True, aggregator=None)
    budget = fields.Monetary(
        readonly=True, help="BUD-1: the approved budget of the month, all kinds."
    )
    committed = fields.Monetary(
        readonly=True,
        help="BUD-2: approved trips departing in the month whose claim is not settled, at "
        "their estimate.",
    )
    actual = fields.Monetary(readonly=True, help="BUD-2: approved claims of the month.")
    remaining = fields.Monetary(readonly=True, help="BUD-2: budget − committed − actual.")
    signed = fields.Monetary(
        string="Signed Sales",
        readonly=True,
        help="QTA-4: untaxed amount of the salesperson's confirmed orders of the month.",
    )
    expense_per_10k = fields.Float(
        string="Expense per 10,000 Signed",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="BUD-3: actual expense per 10,000 of signed sales (元/万元); summed rows divide "
        "their sums.",
    )

    @property
    def _table_query(self):
        tz = self.env["sales.target.period"]._tz()
        signed = self.env["sales.target.period"]._signed_rows_sql()
        people = self._people()
        return SQL(
            """
            WITH lines AS (
                SELECT b.company_id, b.user_id, l.month AS date,
                       l.amount AS budget, 0.0 AS committed, 0.0 AS actual, 0.0 AS signed
                  FROM sales_expense_budget_line l
                  JOIN sales_expense_budget b ON b.id = l.budget_id
                 WHERE b.state = 'approved'
                UNION ALL
                SELECT t.company_id, t.user_id, t.budget_month, 0.0, t.budget_committed, 0.0, 0.0
                  FROM sales_trip t
                 WHERE t.state = 'approved' AND t.budget_committed <> 0
                   AND t.user_id IS NOT NULL AND t.budget_month IS NOT NULL
                UNION ALL
                SELECT e.company_id, e.budget_user_id, e.budget_month, 0.0, 0.0, e.budget_actual,
                       0.0
                  FROM hr_expense e
                 WHERE e.budget_actual <> 0 AND e.budget_user_id IS NOT NULL
                   AND e.budget_month IS NOT NULL
                UNION ALL
                SELECT s.company_id, s.user_id,
                       date_trunc('month', s.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
                       0.0, 0.0, 0.0, SUM(s.amount)
                  FROM (%(signed)s) s
                 GROUP BY 1, 2, 3
            ),
            people AS (
                SELECT user_id FROM sales_expense_budget
                UNION
                SELECT unnest(%(people)s::int[])
            )
            SELECT ROW_NUMBER() OVER (ORDER BY lines.date, lines.user_id, lines.company_id) AS id,
                   lines.user_id, lines.company_id, lines.date,
                   EXTRACT(YEAR FROM lines.date)::int AS year,
                   SUM(lines.budget) AS budget,
                   SUM(lines.committed) AS committed,
                   SUM(lines.actual) AS actual,
                   SUM(lines.budget) - SUM(lines.committed) - SUM(lines.actual) AS remaining,
                   SUM(lines.signed) AS signed,
                   CASE WHEN SUM(lines.signed) > 0
                        THEN SUM(lines.actual) * %(unit)s / SUM(lines.signed) END
                       AS expense_per_10k
              FROM lines
             WHERE lines.user_id IN (SELECT user_id FROM people)
             GROUP BY lines.user_id, lines.company_id, lines.date
            """,
            tz=tz,
            signed=signed,
            people=people,
            unit=bud.SALES_UNIT,
        )

    def _people(self):
        """BUD-3: the salespeople (the report's rows are theirs and the budget holders')."""
        return self.env.ref("sales_dept_policy.group_salesperson").sudo().all_user_ids.ids

    def _read_group_select(self, aggregate_spec, query):
        # BUD-3: a group's expense per 10,000 signed divides its sums, never averages
        # its months' ratios
        if aggregate_spec != "expense_per_10k:avg":
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "SUM(%(actual)s) * %(unit)s / NULLIF(SUM(%(signed)s), 0.0)",
            actual=self._field_to_sql(self._table, "actual", query),
            signed=self._field_to_sql(self._table, "signed", query),
            unit=bud.SALES_UNIT,
        )

    def _search(self, domain, *args, **kwargs):
        # the view reads stored figures: write what is pending first
        self.env["sales.expense.budget.line"].flush_model()
        self.env["sales.expense.budget"].flush_model()
        self.env["sales.trip"].flush_model(
            ["state", "user_id", "company_id", "budget_month", "budget_committed"]
        )
        self.env["hr.expense"].flush_model(
            ["budget_user_id", "company_id", "budget_month", "budget_actual"]
        )
        self.env["sale.order"].flush_model()
        self.env["sale.order.line"].flush_model()
        return super()._search(domain, *args, **kwargs)
