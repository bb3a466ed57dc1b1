# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..policy import targets as qta

_MANAGER_FIELDS = frozenset({"target_amount", "collection_target"})


class SalesTarget(models.Model):
    """QTA-1..3: one salesperson's yearly target in one territory.

    Access: a salesperson reads their own targets and enters the forecast
    (lowest, most likely, highest, analysis); sales managers read all and set
    the responsibility amount, the collection target and the monthly split; a
    general manager approves the year's set (never their own target, APR-4).
    Approved amounts are locked (APR-3).
    """

    _name = "sales.target"
    _description = "Sales Target"
    _inherit = ["sales.approval.mixin"]
    _order = "year desc, user_id, territory_id"

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    territory_id = fields.Many2one("sales.territory", index=True, tracking=True)
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year + 1, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    forecast_low = fields.Monetary(string="Lowest Forecast", tracking=True)
    forecast_likely = fields.Monetary(string="Most Likely Forecast", tracking=True)
    forecast_high = fields.Monetary(string="Highest Forecast", tracking=True)
    analysis = fields.Text(help="The salesperson's short analysis behind the forecast (QTA-1).")
    target_amount = fields.Monetary(
        string="Responsibility Amount",
        tracking=True,
        help="The yearly amount the sales manager sets from the forecast (QTA-2).",
    )
    collection_target = fields.Monetary(tracking=True, help="Cash to collect in the year (QTA-2).")
    period_ids = fields.One2many("sales.target.period", "target_id", string="Months")
    revision_ids = fields.One2many(
        "sales.target.revision", "target_id", string="Revisions", readonly=True
    )
    actual_signed = fields.Monetary(compute="_compute_totals", string="Signed")
    actual_collected = fields.Monetary(compute="_compute_totals", string="Collected")
    attainment = fields.Float(
        compute="_compute_totals", help="Signed / target for the year (QTA-5)."
    )
    attainment_percent = fields.Float(
        string="Attainment (%)", compute="_compute_totals", help="Signed / target, in percent."
    )

    _user_territory_year_company_uniq = models.UniqueIndex(
        "(user_id, COALESCE(territory_id, 0), year, company_id)",
        "One target per salesperson, territory and year in a company (QTA-1).",
    )

    @api.depends("user_id", "territory_id", "year")
    def _compute_display_name(self):
        for target in self:
            parts = [str(target.year or ""), target.user_id.name or ""]
            if target.territory_id:
                parts.append(target.territory_id.display_name)
            target.display_name = " · ".join(parts)

    def _compute_totals(self):
        for target in self:
            signed = sum(target.period_ids.mapped("actual_signed"))
            target.actual_signed = signed
            target.actual_collected = sum(target.period_ids.mapped("actual_collected"))
            target.attainment = qta.attainment(signed, target.target_amount) or 0.0
            target.attainment_percent = target.attainment * 100

    @api.constrains("forecast_low", "forecast_likely", "forecast_high")
    def _check_forecast(self):
        for target in self:
            error = qta.forecast_error(
                target.forecast_low, target.forecast_likely, target.forecast_high
            )
            if error:
                raise ValidationError(
                    self.env._(
                        "The forecast of %(target)s must go lowest ≤ most likely ≤ highest, "
                        "none negative (QTA-1).",
                        target=target.display_name,
                    )
                )

    @api.constrains("target_amount", "collection_target", "year")
    def _check_amounts(self):
        for target in self:
            if target.target_amount < 0 or target.collection_target < 0:
                raise ValidationError(self.env._("Target amounts cannot be negative (QTA-2)."))
            if not 2000 <= target.year <= 2999:
                raise ValidationError(
                    self.env._("The year %(year)s is not valid.", year=target.year)
                )

    @api.model_create_multi
    def create(self, vals_list):
        # QTA-2: a salesperson forecasts; the amounts are the sales manager's, at
        # creation as later (APR-5)
        if any(vals.get(name) for vals in vals_list for name in _MANAGER_FIELDS) and not (
            self.env["res.users"]._sales_policy_current_is_manager()
        ):
            raise UserError(
                self.env._("Only a sales manager sets the responsibility amounts (QTA-2).")
            )
        targets = super().create(vals_list)
        for target in targets:
            target._create_periods()
        return targets

    def write(self, vals):
        if _MANAGER_FIELDS & set(vals) and not (
            self.env["res.users"]._sales_policy_current_is_manager()
        ):
            raise UserError(
                self.env._("Only a sales manager sets the responsibility amounts (QTA-2).")
            )
        res = super().write(vals)
        if "target_amount" in vals:
            for target in self:
                target._split_evenly()
        return res

    def _create_periods(self):
        self.ensure_one()
        amounts = qta.even_split(self.target_amount)
        # QTA-3: the twelve months are the target's own, made by the policy only
        self.env["sales.target.period"].sudo().create(
            [
                {
                    "target_id": self.id,
                    "date_from": date(self.year, month, 1),
                    "date_to": date(self.year, month, 1) + relativedelta(months=1, days=-1),
                    "target_amount": amounts[month - 1],
                }
                for month in range(1, 13)
            ]
        )

    def _split_evenly(self):
        """QTA-3: the default split; a manager may then set another."""
        self.ensure_one()
        periods = self.period_ids.sorted("date_from")
        amounts = qta.even_split(self.target_amount, len(periods) or 12)
        for period, amount in zip(periods, amounts, strict=False):
            period._write_split(amount)

    def action_split_evenly(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("%(t)s is locked (APR-3).", t=self.display_name))
        if not self.env["res.users"]._sales_policy_current_is_manager():
            raise UserError(self.env._("Only a sales manager splits a target (QTA-3)."))
        self._split_evenly()
        return True

    def action_revise(self):
        """QTA-6: open a revision of the months not started yet."""
        self.ensure_one()
        revision = self.env["sales.target.revision"].create(
            {
                "target_id": self.id,
                "reason": self.env._("Quarterly review"),
                "line_ids": self.env["sales.target.revision"]._prepare_lines(
                    self, fields.Date.context_today(self)
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.target.revision",
            "res_id": revision.id,
            "view_mode": "form",
            "target": "current",
        }

    # approval ---------------------------------------------------------------
    def _get_approvers(self):
        return self.env.ref("sales_dept_policy.group_general_manager").sudo().all_user_ids

    def _get_concerned_users(self):
        return self.user_id

    def _check_submit(self):
        self.ensure_one()
        if not self.target_amount:
            raise ValidationError(
                self.env._("Set the responsibility amount of %(t)s (QTA-2).", t=self.display_name)
            )
        gap = qta.split_error(self.period_ids.mapped("target_amount"), self.target_amount)
        if gap is not None:
            raise ValidationError(
                self.env._(
                    "The months of %(t)s do not add up to the year: %(gap)s off (QTA-3).",
                    t=self.display_name,
                    gap=gap,
                )
            )

    @api.model
    def _company_total(self, year):
        """QTA-2: the company's total of the year: the sum of approved targets."""
        groups = self._read_group(
            [("year", "=", year), ("state", "=", "approved")], [], ["target_amount:sum"]
        )
        return groups[0][0] or 0.0


class SalesTargetPeriod(models.Model):
    """QTA-3..5: one month of a target, measured against the records."""

    _name = "sales.target.period"
    _description = "Sales Target Month"
    _order = "target_id, date_from"

    target_id = fields.Many2one("sales.target", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one(related="target_id.user_id", store=True, index=True)
    territory_id = fields.Many2one(related="target_id.territory_id", store=True)
    year = fields.Integer(related="target_id.year", store=True)
    state = fields.Selection(related="target_id.state")
    company_id = fields.Many2one(related="target_id.company_id", store=True)
    currency_id = fields.Many2one(related="target_id.currency_id")
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    target_amount = fields.Monetary(string="Monthly Target")
    actual_signed = fields.Monetary(
        compute="_compute_actuals",
        string="Signed",
        help="Untaxed amount of the salesperson's confirmed orders of the month, in company "
        "currency (QTA-4).",
    )
    actual_collected = fields.Monetary(
        compute="_compute_actuals",
        string="Collected",
        help="Customer payments received in the month against the salesperson's invoices (QTA-4).",
    )
    new_customers = fields.Integer(
        compute="_compute_actuals",
        help="Customers whose first confirmed order falls in the month (QTA-4).",
    )
    attainment = fields.Float(compute="_compute_actuals", help="Signed / target (QTA-5).")
    rating = fields.Selection(
        selection=[("S", "S"), ("A", "A"), ("B", "B"), ("C", "C")],
        compute="_compute_actuals",
        help="S, A, B or C by the attainment thresholds set in Settings (QTA-5).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("A target's months are made by the target itself (QTA-3, APR-5).")
            )
        return super().create(vals_list)

    def write(self, vals):
        # QTA-3, APR-3, APR-5: for every caller; the policy splits through _write_split
        if set(vals) - {"target_amount"}:
            raise UserError(
                self.env._("Only the monthly target of a target's month changes (QTA-3, APR-5).")
            )
        if not (self.env["res.users"]._sales_policy_current_is_manager()):
            raise UserError(self.env._("Only a sales manager splits a target (QTA-3)."))
        if any(p.target_id.state != "draft" for p in self):
            raise UserError(self.env._("An approved target's months are locked (APR-3)."))
        if (vals.get("target_amount") or 0) < 0:
            raise ValidationError(self.env._("A month's target cannot be negative (QTA-3)."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_policy(self):
        if not self.env.su:
            raise UserError(
                self.env._("A target's months are deleted with the target only (QTA-3, APR-3).")
            )

    def _write_split(self, amount):
        """The policy's write of a month's amount (QTA-3, QTA-6), after the caller's
        checks: the even split of a draft, an approved revision."""
        if amount < 0:
            raise ValidationError(self.env._("A month's target cannot be negative (QTA-3)."))
        return super().write({"target_amount": amount})

    def _tz(self):
        return self.env.context.get("tz") or self.env.user.tz or "UTC"

    def _compute_actuals(self):
        """QTA-4: three grouped queries for all the months of ``self``."""
        actuals = self._actuals()
        for period in self:
            signed, collected, new, ratio, rating = actuals[period.id]
            period.actual_signed = signed
            period.actual_collected = collected
            period.new_customers = new
            period.attainment = ratio or 0.0
            period.rating = rating

    def _actuals(self):
        """QTA-4/5: ``{id: (signed, collected, new customers, attainment, rating)}`` of
        the months of ``self``, amounts rounded to the company's currency (as the
        fields hold them), attainment None without a target; three grouped queries
        for all of them. What the fields compute, and what an export of many months
        reads without setting five fields on each."""
        periods = self.filtered("date_from")
        if not periods:
            return dict.fromkeys(self._ids, (0.0, 0.0, 0, None, False))
        users = periods.user_id
        start = min(periods.mapped("date_from"))
        end = max(periods.mapped("date_to")) + relativedelta(days=1)
        # one company's figures for its targets (multi-company): keyed by company too
        signed = self._signed_by_user_month(users, start, end)
        collected = self._collected_by_user_month(users, start, end)
        new = self._new_customers_by_user_month(users, start, end)
        thresholds = self._rating_thresholds()
        result = {}
        for period in self:
            company = period.company_id
            currency = company.currency_id  # the month's (its target's company's)
            key = (company.id, period.user_id.id, period.date_from)
            amount = signed.get(key, 0.0)
            received = collected.get(key, 0.0)
            if currency:
                amount, received = currency.round(amount), currency.round(received)
            ratio = qta.attainment(amount, period.target_amount)
            result[period.id] = (
                amount,
                received,
                new.get(key, 0),
                ratio,
                qta.rating(ratio, thresholds),
            )
        return result

    def _rating_thresholds(self):
        """QTA-5: the thresholds of the settings, as shares."""
        params = self.env["ir.config_parameter"].sudo()
        return tuple(
            (
                grade,
                float(params.get_param(f"sales_dept_policy.rating_{grade.lower()}", default * 100))
                / 100,
            )
            for grade, default in qta.DEFAULT_THRESHOLDS
        )

    @api.model
    def _signed_rows_sql(self):
        """QTA-4: signed sales: each confirmed order of a salesperson, its untaxed
        amount in company currency on its order date (UTC).

        The figure of Odoo's Sales Analysis (``sale.report``: the lines' subtotal
        over the order's currency rate), read from the orders, which store it,
        rather than from their lines: a tenth of the rows at ten lines an order.
        One source for the months' actuals, the target analysis and the expense
        report. Pending changes of the orders are written first.
        """
        self.env["sale.order"].flush_model(
            ["state", "user_id", "company_id", "date_order", "amount_untaxed", "currency_rate"]
        )
        return SQL(
            """
            SELECT so.user_id, so.company_id, so.date_order AS date,
                   so.amount_untaxed / CASE COALESCE(so.currency_rate, 0)
                                            WHEN 0 THEN 1.0 ELSE so.currency_rate END
                       AS amount
              FROM sale_order so
             WHERE so.state = 'sale' AND so.user_id IS NOT NULL
            """
        )

    def _signed_by_user_month(self, users, start, end):
        rows = self.env.execute_query(
            SQL(
                """
                SELECT s.company_id, s.user_id,
                       date_trunc('month', s.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
                       SUM(s.amount)
                  FROM (%(rows)s) s
                 WHERE s.user_id = ANY(%(users)s)
                   -- a day's margin each side: months are local, the column is UTC
                   AND s.date >= %(start)s::date - 1 AND s.date < %(end)s::date + 1
                 GROUP BY 1, 2, 3
                """,
                rows=self._signed_rows_sql(),
                users=users.ids,
                start=start,
                end=end,
                tz=self._tz(),
            )
        )
        return {(company_id, user_id, month): amount for company_id, user_id, month, amount in rows}

    @api.model
    def _collected_rows_sql(self):
        """QTA-4: collected cash: the part of each customer payment reconciled with an
        invoice of a salesperson, on the payment's date, in company currency.

        Money in only (到账金额): the credit side must be an entry of a bank or cash
        journal (a payment, a bank statement line); a credit note reconciled with
        the invoice, or an exchange difference, is no collection.
        One source for the months' actuals, the target analysis report and the
        collection plans (ORD-6: ``invoice_id`` keys a plan line's received amount).
        """
        return SQL(
            """
            SELECT inv.invoice_user_id AS user_id,
                   inv.id AS invoice_id,
                   inv.commercial_partner_id AS partner_id,
                   inv.company_id AS company_id,
                   pay_line.date AS date,
                   apr.amount AS amount
              FROM account_partial_reconcile apr
              JOIN account_move_line inv_line ON inv_line.id = apr.debit_move_id
              JOIN account_move inv ON inv.id = inv_line.move_id
              JOIN account_move_line pay_line ON pay_line.id = apr.credit_move_id
              JOIN account_journal pay_journal ON pay_journal.id = pay_line.journal_id
             WHERE inv.move_type = 'out_invoice'
               AND pay_journal.type IN ('bank', 'cash')
            """
        )

    def _collected_by_user_month(self, users, start, end):
        rows = self.env.execute_query(
            SQL(
                """
                SELECT c.company_id, c.user_id, date_trunc('month', c.date)::date, SUM(c.amount)
                  FROM (%s) c
                 WHERE c.user_id = ANY(%s) AND c.date >= %s AND c.date < %s
                 GROUP BY 1, 2, 3
                """,
                self._collected_rows_sql(),
                users.ids,
                start,
                end,
            )
        )
        return {(company_id, user_id, month): amount for company_id, user_id, month, amount in rows}

    def _new_customers_by_user_month(self, users, start, end):
        # a customer is new in the month of its first confirmed order ever: only the
        # customers these salespeople sold to in the period (a day's margin each side
        # for the time zone) can have their first order there, so only their orders
        # are ranked, not every confirmed order of the company
        rows = self.env.execute_query(
            SQL(
                """
                WITH candidates AS (
                    SELECT DISTINCT p.commercial_partner_id AS partner_id
                      FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale'
                       AND so.user_id = ANY(%(users)s)
                       AND so.date_order >= %(start)s::date - 1
                       AND so.date_order < %(end)s::date + 1
                ),
                first AS (
                    SELECT DISTINCT ON (so.company_id, p.commercial_partner_id)
                           so.company_id,
                           so.user_id,
                           (so.date_order AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s) AS local_date
                      FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale'
                       AND p.commercial_partner_id IN (SELECT partner_id FROM candidates)
                     ORDER BY so.company_id, p.commercial_partner_id, so.date_order, so.id
                )
                SELECT first.company_id, first.user_id,
                       date_trunc('month', first.local_date)::date, COUNT(*)
                  FROM first
                 WHERE first.user_id = ANY(%(users)s)
                   AND first.local_date >= %(start)s AND first.local_date < %(end)s
                 GROUP BY 1, 2, 3
                """,
                users=users.ids,
                start=start,
                end=end,
                tz=self._tz(),
            )
        )
        return {(company_id, user_id, month): count for company_id, user_id, month, count in rows}
