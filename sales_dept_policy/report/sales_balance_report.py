# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

import pytz

from odoo import fields, models
from odoo.tools import SQL

from ..policy import credit as crd

#: ORD-6: how late a balance is, in the buckets of an aged receivable
LATE_BUCKETS = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("over_90", "Over 90 Days"),
]


class SalesBalanceReport(models.Model):
    """ORD-5/6: the balances to collect, by salesperson, days late and amount.

    A read-only view over the confirmed orders whose balance has a due date (from
    their deliveries, ORD-5) and is not paid: the manager's list, pivot and
    export of what is overdue. Days late count from today in the current company's
    time zone, when the report is read; the record rules give a salesperson their
    own rows.
    """

    _name = "sales.balance.report"
    _description = "Balances to Collect"
    _auto = False
    _order = "days_late desc, balance_due_date, id"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    credit_grade_id = fields.Many2one("sales.credit.grade", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    balance_due_date = fields.Date(string="Due Date", readonly=True)
    balance_residual = fields.Monetary(string="Balance to Collect", readonly=True)
    days_late = fields.Integer(readonly=True, aggregator="max")
    late_bucket = fields.Selection(LATE_BUCKETS, string="Lateness", readonly=True)
    overdue = fields.Boolean(readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT o.*,
                   CASE WHEN o.days_late <= 0 THEN 'not_due'
                        WHEN o.days_late <= 30 THEN '1_30'
                        WHEN o.days_late <= 60 THEN '31_60'
                        WHEN o.days_late <= 90 THEN '61_90'
                        ELSE 'over_90' END AS late_bucket,
                   o.days_late > 0 AS overdue
              FROM (
                SELECT so.id, so.id AS order_id, so.user_id, so.team_id,
                       p.commercial_partner_id AS partner_id, so.credit_grade_id,
                       so.company_id, so.currency_id, so.balance_due_date,
                       so.balance_residual,
                       GREATEST(0, %(today)s::date - so.balance_due_date) AS days_late
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND so.balance_due_date IS NOT NULL
                   AND so.balance_residual > 0
              ) o
            """,
            today=self._today(),
        )

    def _search(self, domain, *args, **kwargs):
        # the view reads the orders' stored figures: write what is pending first
        self.env["sale.order"].flush_model(
            [
                "state",
                "user_id",
                "team_id",
                "partner_id",
                "credit_grade_id",
                "company_id",
                "currency_id",
                "balance_due_date",
                "balance_residual",
            ]
        )
        return super()._search(domain, *args, **kwargs)

    def _today(self):
        """ORD-6: today in the company's time zone (the policy's days)."""
        tz = self.env.company.partner_id.tz or crd.DEFAULT_TZ
        return datetime.now(pytz.timezone(tz)).date()
