"""What the activity progress costs at the scale of a real company (VIS-4).

Fills (once, idempotently) a database that has sales_dept_policy installed with
200 salespeople and a year of 1,000,000 visits (about half of them effective),
then times the progress rows of all salespeople (person × kind × week for 26
weeks, person × kind × month for 12 months) the way the addon reads them (one
grouped query of sales.activity.progress) against a naive loop that counts one
person, kind and period at a time (a search_count each), and prints the ratio.

    $ODOO_PYTHON bench/visits.py -d DB [--visits 1000000] [--naive-sample 200]

The naive loop is timed on a sample of rows and extrapolated to all of them.
"""

import argparse
import time
from datetime import datetime, timedelta

from common import registry as open_registry
from common import salespeople


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
    args = parser.parse_args()
    registry = open_registry(args.database)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        users = fill(env, args.visits)
        Progress = env["sales.activity.progress"]
        t0 = time.perf_counter()
        rows = Progress.search_read(
            [("user_id", "in", users.ids)], ["user_id", "kind", "period", "date", "done"]
        )
        t_grouped = time.perf_counter() - t0
        print(f"{len(rows)} progress rows of {len(users)} salespeople")
        sample = rows[: args.naive_sample]
        Visit = env["sales.visit"]
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
        print(f"grouped: all {len(rows)} rows in {t_grouped:.2f} s")
        print(f"naive:   one count a row, {t_naive:.2f} s (from {len(sample)} rows)")
        print(f"ratio naive / grouped: {t_naive / t_grouped:.1f}x")
        cr.rollback()


if __name__ == "__main__":
    main()
