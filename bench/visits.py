"""What the activity progress costs at the scale of a real company (VIS-4).

Fills (once, idempotently) a database that has sales_dept_policy installed with
200 salespeople and a year of 1,000,000 visits (about half of them effective),
then times the progress rows of all salespeople (person × kind × week for 26
weeks, person × kind × month for 12 months) the way the addon reads them
(sales.activity.progress over the counters that sales.activity.count keeps)
against Odoo's own pivot of the same counts (sales.visit grouped by
salesperson, kind and week, then by month, over the same year of effective
visits: what the pivot view asks), and prints the ratio (target ≤ 0.5). A
sample of rows is checked against a direct count of the visits (a search_count
each), whose time is extrapolated as a naive loop would cost.

    $ODOO_PYTHON bench/visits.py -d DB [--visits 1000000] [--naive-sample 200] [--runs 3]

Each timing is the best of ``--runs``.
"""

import argparse
import time
from datetime import datetime, timedelta

from common import best, salespeople
from common import registry as open_registry


def fill(env, n_visits):
    users = salespeople(env, "bench_vsp", "Bench Visit Salesperson", tz="Asia/Shanghai")
    cr = env.cr
    cr.execute("SELECT count(*) FROM sales_visit WHERE purpose = 'bench'")
    if cr.fetchone()[0] >= n_visits:
        return users
    started = time.perf_counter()
    partner = env["res.partner"].create({"name": "Bench Visit Customer", "customer_rank": 1})
    cr.execute(
        """
        INSERT INTO sales_visit (partner_id, user_id, company_id, kind, date_planned,
                                 purpose, state, is_effective, create_uid, write_uid,
                                 create_date, write_date)
        SELECT %(partner)s, (%(users)s::int[])[1 + g %% %(nu)s], %(company)s,
               (ARRAY['info', 'call', 'onsite', 'return'])[1 + g %% 4],
               now() - (g %% 365) * interval '1 day' - (g %% 24) * interval '1 hour',
               'bench', 'done', g %% 2 = 0, 1, 1, now(), now()
          FROM generate_series(1, %(n)s) g
        """,
        {
            "partner": partner.id,
            "users": users.ids,
            "nu": len(users),
            "company": env.company.id,
            "n": n_visits,
        },
    )
    cr.execute("ANALYZE sales_visit")
    env.cr.commit()
    print(f"filled {n_visits} visits in {time.perf_counter() - started:.1f} s")
    return users


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    registry = open_registry(args.database)
    from odoo import SUPERUSER_ID, api, fields  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        users = fill(env, args.visits)
        Progress = env["sales.activity.progress"]
        Visit = env["sales.visit"]

        def progress():
            env.invalidate_all()
            return Progress.search_read(
                [("user_id", "in", users.ids)], ["user_id", "kind", "period", "date", "done"]
            )

        year = [
            ("user_id", "in", users.ids),
            ("is_effective", "=", True),
            ("date_planned", ">=", fields.Datetime.now() - timedelta(days=366)),
        ]

        def pivot():
            env.invalidate_all()
            return [
                Visit.formatted_read_group(
                    year, ["user_id", "kind", f"date_planned:{period}"], ["__count"]
                )
                for period in ("week", "month")
            ]

        t_progress, rows = best(progress, args.runs)
        t_pivot, groups = best(pivot, args.runs)
        print(f"{len(rows)} progress rows of {len(users)} salespeople")
        print(f"pivot of the visits: {sum(len(g) for g in groups)} groups")
        sample = rows[:: max(1, len(rows) // args.naive_sample)][: args.naive_sample]
        import pytz  # noqa: PLC0415

        tz = pytz.timezone("Asia/Shanghai")

        def utc(day):
            return tz.localize(datetime(day.year, day.month, day.day)).astimezone(pytz.utc)

        t0 = time.perf_counter()
        for row in sample:  # what a per-person, per-period count would do
            first = row["date"]
            if row["period"] == "week":
                after = first + timedelta(days=7)
            else:
                after = (first + timedelta(days=32)).replace(day=1)
            start, end = utc(first).replace(tzinfo=None), utc(after).replace(tzinfo=None)
            count = Visit.search_count(
                [
                    ("user_id", "=", row["user_id"][0]),
                    ("kind", "=", row["kind"]),
                    ("is_effective", "=", True),
                    ("date_planned", ">=", start),
                    ("date_planned", "<", end),
                ]
            )
            assert count == row["done"], (row, count)
        t_naive = (time.perf_counter() - t0) / len(sample) * len(rows)
        print(f"progress: all {len(rows)} rows in {t_progress:.3f} s")
        print(f"pivot:    Odoo's grouping of the visits in {t_pivot:.3f} s")
        print(f"naive:    one count a row, {t_naive:.2f} s (from {len(sample)} rows, checked)")
        print(f"ratio progress / pivot: {t_progress / t_pivot:.2f}x (target <= 0.5)")
        print(f"ratio naive / progress: {t_naive / t_progress:.1f}x")
        cr.rollback()


if __name__ == "__main__":
    main()
