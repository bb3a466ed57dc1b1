"""What the target actuals cost at the scale of a real company (QTA-4).

Fills (once, idempotently) a database that has sales_dept_policy installed with
200 salespeople, one yearly target each (2,400 months) and a year of confirmed
orders holding 1,000,000 order lines, then times the actuals of all 2,400
months computed the way the addon does (three grouped queries for the whole
recordset: signed, collected, new customers) and the target analysis pivot
(sales.target.report by salesperson and month) against Odoo's own Sales
Analysis (sale.report by salesperson and month, the same year and lines), and
prints the ratios (target <= 0.5); the three totals of signed sales must agree.
A naive loop that computes one month at a time is timed on a sample of months
and extrapolated to 2,400.

    $ODOO_PYTHON bench/targets.py -d DB [--lines 1000000] [--naive-sample 60] [--runs 3]

Each timing is the best of ``--runs``.
"""

import argparse
import time

from common import best, salespeople
from common import registry as open_registry

YEAR = 2031
LINES_PER_ORDER = 10


def fill(env, n_lines):
    users = salespeople(env, "bench_tsp", "Bench Target Salesperson")
    Target = env["sales.target"].with_context(tracking_disable=True)
    existing = Target.search([("year", "=", YEAR), ("user_id", "in", users.ids)])
    missing = users - existing.user_id
    if missing:
        Target.create([{"user_id": u.id, "year": YEAR, "target_amount": 1200000} for u in missing])
    cr = env.cr
    cr.execute(
        "SELECT count(*) FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id"
        " WHERE o.name LIKE 'BENCHSO%%'"
    )
    if cr.fetchone()[0] >= n_lines:
        return users
    started = time.perf_counter()
    partner = env["res.partner"].create({"name": "Bench Target Customer", "customer_rank": 1})
    product = env["product.product"].create({"name": "Bench Target Product", "list_price": 10})
    n_orders = n_lines // LINES_PER_ORDER
    cr.execute(
        """
        INSERT INTO sale_order (name, company_id, partner_id, partner_invoice_id,
                                partner_shipping_id, date_order, state, user_id, currency_id,
                                pricelist_id, amount_untaxed, amount_total, picking_policy,
                                warehouse_id, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCHSO' || g, %(company)s, %(partner)s, %(partner)s, %(partner)s,
               make_timestamp(%(year)s, 1, 1, 0, 0, 0) + (g %% 365) * interval '1 day',
               'sale', (%(users)s::int[])[1 + g %% %(nu)s], %(currency)s, NULL, 100, 100,
               'direct', %(warehouse)s, 1, 1, now(), now()
          FROM generate_series(1, %(n)s) g
        """,
        {
            "company": env.company.id,
            "partner": partner.id,
            "year": YEAR,
            "users": users.ids,
            "nu": len(users),
            "currency": env.company.currency_id.id,
            "warehouse": env["stock.warehouse"]
            .search([("company_id", "=", env.company.id)], limit=1)
            .id,
            "n": n_orders,
        },
    )
    cr.execute(
        """
        INSERT INTO sale_order_line (order_id, name, product_id, product_uom_qty, price_unit,
                                     price_subtotal, price_total, customer_lead, currency_id,
                                     company_id, state, create_uid, write_uid, create_date,
                                     write_date)
        SELECT o.id, 'bench', %(product)s, 1, 10, 10, 10, 0, o.currency_id, o.company_id, 'sale',
               1, 1, now(), now()
          FROM sale_order o, generate_series(1, %(per)s)
         WHERE o.name LIKE 'BENCHSO%%'
        """,
        {"product": product.id, "per": LINES_PER_ORDER},
    )
    cr.execute("ANALYZE sale_order")
    cr.execute("ANALYZE sale_order_line")
    env.cr.commit()
    print(
        f"filled {n_orders} orders, {n_orders * LINES_PER_ORDER} lines in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return users


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--naive-sample", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    registry = open_registry(args.database)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "tz": "UTC"})
        users = fill(env, args.lines)
        periods = env["sales.target.period"].search(
            [("year", "=", YEAR), ("user_id", "in", users.ids)]
        )
        print(f"{len(periods)} months of {len(users)} salespeople")
        year = [
            ("user_id", "in", users.ids),
            ("date", ">=", f"{YEAR - 1}-12-31"),
            ("date", "<", f"{YEAR + 1}-01-02"),
        ]

        def actuals():
            env.invalidate_all()
            return {p.id: (p.actual_signed, p.actual_collected, p.new_customers) for p in periods}

        def sales_analysis():
            env.invalidate_all()
            return env["sale.report"].formatted_read_group(
                [("state", "=", "sale"), *year], ["user_id", "date:month"], ["price_subtotal:sum"]
            )

        def target_analysis():
            env.invalidate_all()
            return env["sales.target.report"].formatted_read_group(
                year,
                ["user_id", "date:month"],
                ["target_amount:sum", "actual_signed:sum", "actual_collected:sum"],
            )

        t_actuals, grouped = best(actuals, args.runs)
        t_odoo, odoo_groups = best(sales_analysis, args.runs)
        t_report, report_groups = best(target_analysis, args.runs)
        sample = periods[: args.naive_sample]
        env.invalidate_all()
        t0 = time.perf_counter()
        for period_id in sample.ids:  # what a per-month compute would do
            single = env["sales.target.period"].browse(period_id)  # no prefetch of others
            assert single.actual_signed == grouped[period_id][0]
        t_naive = (time.perf_counter() - t0) / len(sample) * len(periods)
        total = sum(signed for signed, _c, _n in grouped.values())
        odoo_total = sum(g["price_subtotal:sum"] for g in odoo_groups)
        report_total = sum(g["actual_signed:sum"] for g in report_groups)
        print(f"signed total {total:,.2f} (expected {args.lines * 10:,.2f})")
        assert round(total, 2) == round(odoo_total, 2) == round(report_total, 2), (
            total,
            odoo_total,
            report_total,
        )
        print(f"actuals:         all {len(periods)} months in {t_actuals:.3f} s")
        print(f"target analysis: {len(report_groups)} groups in {t_report:.3f} s")
        print(f"sales analysis:  Odoo's sale.report by salesperson and month in {t_odoo:.3f} s")
        print(f"naive:   one month at a time, {t_naive:.2f} s (from {len(sample)} months)")
        print(f"ratio actuals / sales analysis: {t_actuals / t_odoo:.2f}x (target <= 0.5)")
        print(f"ratio target analysis / sales analysis: {t_report / t_odoo:.2f}x (target <= 0.5)")
        print(f"ratio naive / actuals: {t_naive / t_actuals:.1f}x")
        cr.rollback()


if __name__ == "__main__":
    main()
