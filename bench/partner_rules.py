"""What the customer-archive rules cost at the scale of a real company (ARC-3..5).

Fills (once, idempotently) a database that has sales_dept_policy installed with
100,000 customer partners over 200 salespeople (``--customers``/``--salespeople``
for other sizes, e.g. 1,000,000 over 2,000 in a database of its own), contacts
under a tenth of them and some access grants, then times, as medians of several
repetitions, two pages of the customer list (80 rows, the list's order) with
their pager count, as the administrator, a salesperson, an employee holding
grants and a territory manager:

- ``list``: the customer list without a search term;
- ``typed``: a name typed into the search box, with the domain the web client
  sends for it (res.partner's search view: complete name, reference, email, tax
  id or company id ``ilike`` the term).

It prints each time and, last, the ratio of each role against the administrator.

    $ODOO_PYTHON bench/partner_rules.py -d DB [--reps 9] [--explain]
        [--customers 100000 --salespeople 200]

ODOO_HOME (default /opt/odoo) says where Odoo 19 is. The data is written with
SQL in bulk (the ORM would take minutes and track every change), with the same
values the addon's stored fields hold; the benchmark checks them against the
ORM's own computation on a sample before timing.
"""

import argparse
import statistics
import time

from common import N_SALESPEOPLE
from common import registry as open_registry
from common import salespeople as bench_salespeople

N_CUSTOMERS = 100_000
CONTACT_EVERY = 10
N_GRANTS = 40
WORDS = ["Stone", "Granite", "Marble", "Building", "Trading", "Decoration", "Tiles", "Works"]
SEARCH = "Stone"
MARK = "BENCH-"


def fill(env, n_customers=N_CUSTOMERS, n_salespeople=N_SALESPEOPLE):
    """Create the bench data once; return (salespeople, grantee, territory manager)."""
    salespeople = bench_salespeople(env, "bench_sp", "Bench Salesperson", count=n_salespeople)
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    grantee = Users.search([("login", "=", "bench_grantee")])
    if not grantee:
        grantee = Users.create(
            {
                "name": "Bench Grantee",
                "login": "bench_grantee",
                "group_ids": [(6, 0, env.ref("base.group_user").ids)],
            }
        )
    manager = Users.search([("login", "=", "bench_territory_manager")])
    if not manager:
        manager = Users.create(
            {
                "name": "Bench Territory Manager",
                "login": "bench_territory_manager",
                "group_ids": [(6, 0, env.ref("base.group_user").ids)],
            }
        )
    territory = env["sales.territory"].search([("code", "=", "BENCH")])
    if not territory:
        territory = env["sales.territory"].create(
            {"name": "Bench Territory", "code": "BENCH", "manager_id": manager.id}
        )
    cr = env.cr
    cr.execute("SELECT count(*) FROM res_partner WHERE ref LIKE %s", [MARK + "%"])
    existing = cr.fetchone()[0]
    if existing >= n_customers:
        return salespeople, grantee, manager
    if existing:
        raise SystemExit(
            f"{existing} bench customers exist, {n_customers} asked: use a database of its own "
            "for each size"
        )
    started = time.perf_counter()
    sp_ids = salespeople.ids
    company = env.company.id
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, ref, is_company, active, type,
                                 customer_rank, supplier_rank, partner_share, user_id,
                                 archive_user_id, archive_visibility, customer_archive,
                                 company_id, autopost_bills, create_uid, write_uid,
                                 create_date, write_date)
        SELECT n.name, n.name, %(mark)s || g, true, true, 'contact', 1, 0, true,
               (%(sp)s::int[])[1 + g %% %(nsp)s], (%(sp)s::int[])[1 + g %% %(nsp)s],
               (%(sp)s::int[])[1 + g %% %(nsp)s], true,
               %(company)s, 'ask', 1, 1, now(), now()
          FROM generate_series(1, %(n)s) g,
               LATERAL (SELECT (%(words)s::text[])[1 + g %% 8] || ' '
                               || (%(words)s::text[])[1 + (g / 8) %% 8]
                               || ' Co ' || lpad(g::text, 6, '0') AS name) n
        """,
        {
            "mark": MARK,
            "sp": sp_ids,
            "nsp": len(sp_ids),
            "company": company,
            "n": n_customers,
            "words": WORDS,
        },
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE ref LIKE %s", [MARK + "%"])
    # about 500 customers in the territory of the territory manager (TER-4)
    cr.execute(
        """UPDATE res_partner SET territory_id = %s, archive_territory_id = %s
            WHERE ref LIKE %s AND id %% 200 = 3""",
        [territory.id, territory.id, MARK + "%"],
    )
    # contacts under a tenth of the customers
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, ref, is_company, active, type, parent_id,
                                 commercial_partner_id, customer_rank, supplier_rank,
                                 partner_share, user_id, archive_user_id, archive_visibility,
                                 customer_archive, company_id, autopost_bills, create_uid,
                                 write_uid, create_date, write_date, territory_id,
                                 archive_territory_id)
        SELECT 'Contact ' || p.id, p.name || ', Contact ' || p.id, 'BENCHC-' || p.id, false,
               true, 'contact', p.id, p.id, 0, 0, true, p.user_id, p.user_id, p.user_id, true,
               p.company_id, 'ask', 1, 1, now(), now(), p.territory_id, p.territory_id
          FROM res_partner p
         WHERE p.ref LIKE %s AND p.id %% %s = 0
        """,
        [MARK + "%", CONTACT_EVERY],
    )
    # approved grants for the grantee (ARC-5), through the request model
    partners = env["res.partner"].search(
        [("ref", "=like", MARK + "%"), ("name", "ilike", SEARCH)], limit=N_GRANTS
    )
    env["sales.archive.access.request"].create(
        {
            "requester_id": grantee.id,
            "partner_ids": [(6, 0, partners.ids)],
            "reason": "bench",
            "state": "approved",
        }
    )
    partners._sync_archive_grants()
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE res_partner_archive_grant_rel")
    env.cr.commit()
    print(f"filled in {time.perf_counter() - started:.1f} s")
    return salespeople, grantee, manager


def check_sample(env):
    """The SQL-written stored fields equal what the ORM computes."""
    sample = env["res.partner"].search([("ref", "=like", "BENCH%")], limit=50)
    fnames = ["customer_archive", "archive_user_id", "archive_visibility", "archive_territory_id"]
    expected = {p.id: [p[f] for f in fnames] for p in sample}
    sample.invalidate_recordset()
    for fname in fnames:
        env.add_to_compute(sample._fields[fname], sample)
    sample._recompute_recordset(fnames)
    for p in sample:
        assert [p[f] for f in fnames] == expected[p.id], (p, expected[p.id])


#: the pages timed: the customer list, and a name typed into its search box as the
#: web client sends it (base's res.partner search view, field complete_name)
PAGES = {
    "list": [("customer_archive", "=", True)],
    "typed": [
        ("customer_archive", "=", True),
        "|",
        "|",
        "|",
        "|",
        ("complete_name", "ilike", SEARCH),
        ("ref", "ilike", SEARCH),
        ("email", "ilike", SEARCH),
        ("vat", "ilike", SEARCH),
        ("company_registry", "ilike", SEARCH),
    ],
}


def page(env, user, domain, reps, explain):
    Partner = env["res.partner"].with_user(user)
    list_times, count_times = [], []
    for i in range(reps + 1):
        env.invalidate_all()
        t0 = time.perf_counter()
        rows = Partner.search_fetch(
            domain, ["complete_name", "phone", "email", "user_id"], limit=80
        )
        rows.mapped("complete_name")
        t1 = time.perf_counter()
        total = Partner.search_count(domain)
        t2 = time.perf_counter()
        if i:  # the first run warms the caches
            list_times.append(t1 - t0)
            count_times.append(t2 - t1)
    if explain:
        query = Partner._search(domain, limit=80, order=Partner._order)
        env.cr.execute("EXPLAIN ANALYZE " + query.select().code, query.select().params)
        print("\n".join(r[0] for r in env.cr.fetchall()))
    return statistics.median(list_times), statistics.median(count_times), len(rows), total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--customers", type=int, default=N_CUSTOMERS)
    parser.add_argument("--salespeople", type=int, default=N_SALESPEOPLE)
    args = parser.parse_args()
    registry = open_registry(args.database)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        salespeople, grantee, manager = fill(env, args.customers, args.salespeople)
        check_sample(env)
        # statistics as autovacuum keeps them, with the addon's settings (ResPartner.init)
        cr.execute("ANALYZE res_partner")
        roles = [
            ("administrator", env.ref("base.user_admin")),
            ("salesperson", salespeople[7]),
            ("granted employee", grantee),
            ("territory manager", manager),
        ]
        results = {}
        for page_name, domain in PAGES.items():
            for label, user in roles:
                if args.explain:
                    print(f"--- {page_name}: {label}")
                results[page_name, label] = page(env, user, domain, args.reps, args.explain)
                lst, cnt, rows, total = results[page_name, label]
                print(
                    f"{page_name:5s} {label:18s} page {lst * 1000:8.2f} ms  "
                    f"count {cnt * 1000:8.2f} ms  rows {rows:3d} of {total}"
                )
        print("ratios against the administrator (page, count):")
        for (page_name, label), (lst, cnt, _rows, _total) in results.items():
            base_list, base_count = results[page_name, "administrator"][:2]
            print(f"  {page_name:5s} {label:18s} {lst / base_list:5.2f}x  {cnt / base_count:5.2f}x")
        cr.rollback()


if __name__ == "__main__":
    main()
