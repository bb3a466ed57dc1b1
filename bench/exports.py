"""What the xlsx exports cost at 100,000 rows, in time and in memory (issue 17, item 4).

Fills (once, idempotently) a database that has sales_dept_policy installed so that
each export has about ``--rows`` rows:

- **finance** (``sales.finance.export.wizard``): orders confirmed over a year and
  awaiting their deposit, over ``--rows / 10`` graded customers;
- **balances** (``sales.balance.export.wizard``): orders of the year before,
  contract approved, released by finance, delivered, their balance overdue;
- **claims** (``sales.trip.export.wizard``, policy breaches): approved trips of
  the year, each with the claim lines of its template, four above the standard;
- **activity** (``sales.activity.export.wizard``): the weekly progress of every
  salesperson who owes the default targets (two weekly kinds): a row a person,
  kind and week, 26 weeks at most, so ``--rows / 52`` salespeople (with those
  of the database who owe the targets too: the export goes back as many weeks
  as make ``--rows``);
- **attainment** (``sales.target.export.wizard``): 12 months a yearly target, so
  ``--rows / 12`` targets in one year: a target per salesperson and territory
  (QTA-1), the same salespeople over five territories.

One record of each kind is made through the ORM as its users would (the order
confirmed, its contract approved, its deposit released, its delivery validated;
the trip submitted, approved, its lines claimed), then cloned in bulk SQL with
what differs (name, customer, salesperson, dates) and what follows from it (the
stored fields computed from those); a sample of the clones is then recomputed by
the ORM and must match what was inserted.

Then, each in a fresh Python process (so that its peak RSS is its own), every
export is made as the administrator by the addon (``wizard._export_file()``) and
by Odoo's own list export of the same records and fields (``Export All``, xlsx:
``search(domain)``, ``export_data`` and ``web.controllers.export``'s
``ExcelExport.from_data``, which writes an in-memory workbook), at ``--small``
rows (fewer days, fewer weeks, or a year of fewer targets: the same code) and at
``--rows``. The rows of
each file are counted and totalled, and checked against a direct SQL count and
sum. Printed: rows, seconds, the ratio addon / Odoo (target <= 1.0), the peak RSS
at both sizes and its growth (target: flat).

    $ODOO_PYTHON bench/exports.py -d DB [--rows 100000] [--small 10000] [--runs 1]
                                  [--only finance balances claims activity attainment]

Each timing is the best of ``--runs``, each run in a process of its own, the addon and
Odoo taking turns; the peak RSS is the highest of the runs.
"""

import argparse
import io
import json
import math
import resource
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

from common import registry as open_registry
from common import salespeople

EXPORTS = ("finance", "balances", "claims", "activity", "attainment")
TZ = "Asia/Shanghai"
PREFIX = "bench_xsp"
FINANCE_REF = "bench-exports-finance"
BALANCE_REF = "bench-exports-balance"
TEMPLATE_REF = "bench-exports-template"
#: the finance orders are confirmed over this year, the balances' over the one before
FINANCE_START, FINANCE_DAYS = date(2025, 12, 1), 365
BALANCE_START, BALANCE_DAYS = date(2024, 12, 1), 300
TRIP_START, TRIP_DAYS = date(2026, 1, 5), 320
TARGET_YEAR, TARGET_YEAR_SMALL = 2026, 2025
N_TERRITORIES = 5
TERRITORY_NAME = "Bench Export Territory"
CUSTOMER_NAME = "Bench Export Customer"


# ----------------------------------------------------------------------
# Filling
# ----------------------------------------------------------------------
def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s AND column_name <> 'id' AND is_generated = 'NEVER'"
        " ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cr.fetchall()]


def clone(cr, table, source, overrides, params=None, alias="t"):
    """INSERT INTO ``table`` a copy of each row of ``source`` (a FROM … clause naming
    the template row ``alias``), every column copied but those of ``overrides``
    ({column: SQL expression})."""
    cols = columns(cr, table)
    values = [overrides.get(col, f'{alias}."{col}"') for col in cols]
    names = ", ".join(f'"{col}"' for col in cols)
    cr.execute(
        f'INSERT INTO "{table}" ({names})'  # noqa: S608
        f" SELECT {', '.join(values)} FROM {source}",
        params or {},
    )
    return cr.rowcount


def count(cr, query, params=None):
    cr.execute(query, params or {})
    return cr.fetchone()[0]


def people(env, n_salespeople):
    """The salespeople (with an employee each, on the staff travel level, under one
    manager), a sales manager and a finance user."""
    ref = env.ref
    manager = salespeople(
        env,
        "bench_xmgr",
        "Bench Export Manager",
        count=1,
        group_ids=[(6, 0, ref("sales_dept_policy.group_sales_manager").ids)],
        create_employee=True,
        tz=TZ,
    )
    finance = salespeople(
        env,
        "bench_xfin",
        "Bench Export Finance",
        count=1,
        group_ids=[(6, 0, (ref("sales_dept_policy.group_finance") | ref("base.group_user")).ids)],
        tz=TZ,
    )
    started = time.perf_counter()
    users = salespeople(
        env, PREFIX, "Bench Export Salesperson", count=n_salespeople, create_employee=True, tz=TZ
    )
    employees = users.employee_ids
    todo = employees.filtered(lambda e: e.parent_id != manager.employee_id)
    if todo:
        todo.write(
            {
                "parent_id": manager.employee_id.id,
                "travel_level_id": ref("sales_dept_policy.travel_level_staff").id,
                "tz": TZ,
            }
        )
        manager.employee_id.write(
            {"travel_level_id": ref("sales_dept_policy.travel_level_manager").id, "tz": TZ}
        )
        print(f"{len(users)} salespeople in {time.perf_counter() - started:.1f} s")
    return users, manager, finance


def customers(env, users, n_customers):
    """``n_customers`` customers of grade A, each the archive of a salesperson."""
    cr = env.cr
    pattern = f"{CUSTOMER_NAME} %"
    have = count(cr, "SELECT count(*) FROM res_partner WHERE name LIKE %s", [pattern])
    if have < n_customers:
        Partner = env["res.partner"]
        template = Partner.search([("name", "=", f"{CUSTOMER_NAME} 000000")], limit=1)
        if not template:
            template = Partner.create(
                {
                    "name": f"{CUSTOMER_NAME} 000000",
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": users[0].id,
                    "tz": TZ,
                }
            )
            template.credit_grade_id = env.ref("sales_dept_policy.credit_grade_a")
            env.flush_all()
            have = 1
        owner = f"(%(users)s::int[])[1 + g %% {len(users)}]"
        clone(
            cr,
            "res_partner",
            f"res_partner t, generate_series({have}, {n_customers - 1}) g WHERE t.id = %(t)s",
            {
                "name": f"'{CUSTOMER_NAME} ' || lpad(g::text, 6, '0')",
                "complete_name": f"'{CUSTOMER_NAME} ' || lpad(g::text, 6, '0')",
                "user_id": owner,
                "archive_user_id": owner,
                "archive_visibility": owner,
                "commercial_partner_id": "NULL",
            },
            {"t": template.id, "users": users.ids},
        )
        cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id"
            " WHERE name LIKE %s AND commercial_partner_id IS NULL",
            [pattern],
        )
        cr.execute("ANALYZE res_partner")
    cr.execute("SELECT id FROM res_partner WHERE name LIKE %s ORDER BY name", [pattern])
    return [pid for (pid,) in cr.fetchall()]


def _product(env, name, kind):
    Product = env["product.product"]
    product = Product.search([("name", "=", name)], limit=1)
    return product or Product.create(
        {"name": name, "type": kind, "list_price": 1000.0, "taxes_id": [(5, 0, 0)]}
    )


def _order(env, salesperson, customer, product, ref):
    order = (
        env["sale.order"]
        .with_user(salesperson)
        .create(
            {
                "partner_id": customer,
                "client_order_ref": ref,
                "contract_kind": "phone_fax",
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
    )
    order.with_user(salesperson).action_confirm()
    return order


def _clone_orders(env, template, ref, prefix, n, start, days, partners):
    """``n`` copies of order ``template`` marked ``ref``, each for the next customer
    (its salesperson's), confirmed at noon (Shanghai) on one of ``days`` days from
    ``start``; with their lines."""
    cr = env.cr
    params = {"t": template.id, "partners": partners, "start": start, "ref": ref}
    partner = f"(%(partners)s::int[])[1 + g %% {len(partners)}]"
    clone(
        cr,
        "sale_order",
        f"sale_order t, generate_series(0, {n - 1}) g WHERE t.id = %(t)s",
        {
            "name": f"'{prefix}' || lpad(g::text, 7, '0')",
            "client_order_ref": "%(ref)s",
            "partner_id": partner,
            "partner_invoice_id": partner,
            "partner_shipping_id": partner,
            "user_id": f"(SELECT user_id FROM res_partner WHERE id = {partner})",
            "date_order": f"%(start)s::timestamp + (g %% {days}) * interval '1 day'"
            " + interval '4 hours'",
        },
        params,
    )
    clone(
        cr,
        "sale_order_line",
        "sale_order_line t JOIN sale_order o ON o.client_order_ref = %(ref)s"
        " WHERE t.order_id = %(t)s",
        {"order_id": "o.id", "order_partner_id": "o.partner_id", "salesman_id": "o.user_id"},
        params,
        alias="t",
    )


def finance_orders(env, users, partners, n):
    cr = env.cr
    if count(cr, "SELECT count(*) FROM sale_order WHERE client_order_ref = %s", [FINANCE_REF]):
        return
    started = time.perf_counter()
    service = _product(env, "Bench Export Service", "service")
    template = _order(env, users[0], partners[0], service, TEMPLATE_REF)
    assert template.awaiting_deposit and template.amount_total == 1000.0, template.read()
    env.flush_all()
    _clone_orders(env, template, FINANCE_REF, "BXF", n, FINANCE_START, FINANCE_DAYS, partners)
    print(f"filled {n} orders awaiting deposit in {time.perf_counter() - started:.1f} s")


def balance_orders(env, users, manager, finance, partners, n):
    """Orders delivered and not paid: contract approved, deposit released by
    finance (production may start, ORD-4), the delivery validated three days after
    the order; grade A: the balance falls due on dispatch (ORD-5)."""
    cr = env.cr
    if count(cr, "SELECT count(*) FROM sale_order WHERE client_order_ref = %s", [BALANCE_REF]):
        return
    started = time.perf_counter()
    goods = _product(env, "Bench Export Goods", "consu")
    template = _order(env, users[0], partners[0], goods, TEMPLATE_REF)
    action = template.with_user(users[0]).action_request_contract_review()
    review = env["sales.contract.review"].browse(action["res_id"])
    review.with_user(users[0]).action_submit()
    review.with_user(manager).action_approve()
    template.with_user(finance)._release_deposit("Bench: a customer of long standing")
    picking = template.picking_ids
    picking.move_ids.quantity = 1
    picking.button_validate()
    env.flush_all()
    assert picking.state == "done" and template.balance_due_date, template.read()
    dispatched = "(o.date_order + interval '3 days')"
    _clone_orders(env, template, BALANCE_REF, "BXB", n, BALANCE_START, BALANCE_DAYS, partners)
    # the delivery of each order, done three days after it: its due date (grade A:
    # dispatch, 0 days) is that day in the company's time zone, now past
    tz = env.company.partner_id.tz or TZ
    clone(
        cr,
        "stock_picking",
        "stock_picking t JOIN sale_order o ON o.client_order_ref = %(ref)s WHERE t.id = %(t)s",
        {
            "name": "'BXB/OUT/' || o.name",
            "origin": "o.name",
            "sale_id": "o.id",
            "partner_id": "o.partner_id",
            "date_done": dispatched,
            "date": "o.date_order",
            "scheduled_date": dispatched,
            "date_deadline": "NULL",
        },
        {"ref": BALANCE_REF, "t": picking.id},
    )
    clone(
        cr,
        "sales_contract_review",
        "sales_contract_review t JOIN sale_order o ON o.client_order_ref = %(ref)s"
        " WHERE t.id = %(t)s",
        {"order_id": "o.id", "user_id": "o.user_id"},
        {"ref": BALANCE_REF, "t": review.id},
    )
    cr.execute(
        f"""
        UPDATE sale_order o
           SET contract_review_id = r.id,
               effective_date = {dispatched},
               balance_due_date = ({dispatched} AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
               balance_overdue = ({dispatched} AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                                 < (now() AT TIME ZONE %(tz)s)::date
          FROM sales_contract_review r
         WHERE r.order_id = o.id AND o.client_order_ref = %(ref)s
        """,
        {"ref": BALANCE_REF, "tz": tz},
    )
    print(f"filled {n} overdue balances in {time.perf_counter() - started:.1f} s")


def trips(env, users, manager, n_lines):
    """Approved trips, each with the claim lines of the template trip: four transport
    lines above the standard (unapproved flights paid at the train fare, a taxi
    without approval, a sleeper above the level), one within it."""
    cr = env.cr
    if count(cr, "SELECT count(*) FROM sales_trip WHERE name LIKE 'BXT/%%'"):
        return
    started = time.perf_counter()
    traveller = users[0]
    Trip = env["sales.trip"].with_user(traveller)
    # requested before travel (TRV-1): the template leaves next month, its clones over
    # the year of TRIP_START
    departure = datetime.combine(date.today() + timedelta(days=30), datetime.min.time())
    template = Trip.create(
        {
            "destination": "Bench Template City",
            "purpose": "Visit the customers of the territory",
            "planned_departure": departure + timedelta(minutes=30),
            "planned_return": departure + timedelta(days=3, hours=10),
        }
    )
    template.action_submit()
    template.with_user(manager).action_approve()
    if template.state != "approved":
        template.with_user(env.ref("base.user_admin")).action_approve()
    assert template.state == "approved", template.state
    transport = env.ref("sales_dept_policy.product_travel_transport")
    Expense = env["hr.expense"].with_user(traveller)
    day = departure.date()
    lines = [
        ("Flight out", 900.0, "flight", 300.0, 0),
        ("Flight back", 1200.0, "flight", 450.0, 3),
        ("Taxi to the customer", 80.0, "taxi", 0.0, 1),
        ("Sleeper", 520.0, "train_soft_sleeper", 260.0, 2),
        ("Bus", 40.0, "bus", 0.0, 2),
    ]
    for name, amount, transport_class, fare, offset in lines:
        Expense.create(
            {
                "name": name,
                "employee_id": template.employee_id.id,
                "product_id": transport.id,
                "trip_id": template.id,
                "total_amount_currency": amount,
                "date": day + timedelta(days=offset),
                "payment_mode": "own_account",
                "transport_class": transport_class,
                "train_fare_reference": fare or False,
            }
        )
    env.flush_all()
    per_trip = len(template.expense_ids.filtered("policy_exceeded"))
    assert per_trip == 4, [(e.name, e.policy_amount, e.policy_rule) for e in template.expense_ids]
    n_trips = math.ceil(n_lines / per_trip)
    shift = f"(%(first)s::date - %(day)s::date + g %% {TRIP_DAYS}) * interval '1 day'"
    clone(
        cr,
        "sales_trip",
        f"sales_trip t, generate_series(0, {n_trips - 1}) g WHERE t.id = %(t)s",
        {
            "name": "'BXT/' || lpad(g::text, 7, '0')",
            "destination": "'Bench City ' || lpad(g::text, 7, '0')",
            "employee_id": f"(%(employees)s::int[])[1 + g %% {len(users)}]",
            "user_id": f"(%(users)s::int[])[1 + g %% {len(users)}]",
            "planned_departure": f"t.planned_departure + {shift}",
            "planned_return": f"t.planned_return + {shift}",
            "departure_at": f"t.departure_at + {shift}",
            "return_at": f"t.return_at + {shift}",
            "submitted_on": f"t.submitted_on + {shift}",
            "decided_on": f"t.decided_on + {shift}",
            "reviewed_on": f"t.reviewed_on + {shift}",
            "return_date": f"(t.return_date + {shift})::date",
            "budget_month": f"date_trunc('month', (t.planned_departure + {shift})"
            " AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date",
        },
        {
            "t": template.id,
            "users": users.ids,
            "employees": [u.employee_id.id for u in users],
            "tz": TZ,
            "first": TRIP_START,
            "day": departure.date(),
        },
    )
    clone(
        cr,
        "hr_expense",
        "hr_expense t JOIN sales_trip x ON x.name LIKE 'BXT/%%' WHERE t.trip_id = %(t)s",
        {
            "trip_id": "x.id",
            "employee_id": "x.employee_id",
            "budget_user_id": "x.user_id",
            "budget_month": "x.budget_month",
            "date": "t.date + (x.planned_departure::date - %(day)s::date)",
        },
        {"t": template.id, "day": departure.date()},
    )
    cr.execute("ANALYZE hr_expense")
    cr.execute("ANALYZE sales_trip")
    print(
        f"filled {n_trips} trips, {n_trips * per_trip} lines above the standard in "
        f"{time.perf_counter() - started:.1f} s"
    )


def targets(env, users, manager, year, n_targets):
    """``n_targets`` yearly targets of ``year`` (12 months each): a target per
    salesperson and territory, the salespeople over the bench territories."""
    cr = env.cr
    have = count(
        cr,
        "SELECT count(*) FROM sales_target WHERE year = %s AND user_id = ANY(%s)",
        [year, users.ids],
    )
    if have >= n_targets:
        return
    started = time.perf_counter()
    Territory = env["sales.territory"]
    territories = Territory.search([("name", "=like", f"{TERRITORY_NAME} %")], order="id")
    for k in range(len(territories), N_TERRITORIES):
        territories |= Territory.create({"name": f"{TERRITORY_NAME} {k}", "manager_id": manager.id})
    template = env["sales.target"].create(
        {
            "user_id": users[0].id,
            "territory_id": territories[0].id,
            "year": year,
            "target_amount": 1_200_000,
        }
    )
    env.flush_all()
    assert len(template.period_ids) == 12
    n = len(users)
    clone(
        cr,
        "sales_target",
        f"sales_target t, generate_series(1, {n_targets - 1}) g WHERE t.id = %(t)s",
        {
            "user_id": f"(%(users)s::int[])[1 + g %% {n}]",
            "territory_id": f"(%(territories)s::int[])[1 + g / {n}]",
        },
        {"t": template.id, "users": users.ids, "territories": territories.ids},
    )
    clone(
        cr,
        "sales_target_period",
        "sales_target_period t JOIN sales_target x ON x.year = %(year)s"
        " AND x.user_id = ANY(%(users)s) AND x.id <> %(t)s WHERE t.target_id = %(t)s",
        {"target_id": "x.id", "user_id": "x.user_id", "territory_id": "x.territory_id"},
        {"t": template.id, "year": year, "users": users.ids},
    )
    cr.execute("ANALYZE sales_target_period")
    print(f"filled {n_targets} targets of {year} in {time.perf_counter() - started:.1f} s")


def fill(env, rows, small):
    n_salespeople = math.ceil(rows / 52)
    users, manager, finance = people(env, n_salespeople)
    partners = customers(env, users, max(1000, rows // 10))
    finance_orders(env, users, partners, rows)
    balance_orders(env, users, manager, finance, partners, rows)
    trips(env, users, manager, rows)
    targets(env, users, manager, TARGET_YEAR, math.ceil(rows / 12))
    targets(env, users, manager, TARGET_YEAR_SMALL, math.ceil(small / 12))
    env.cr.commit()
    return users


#: the stored fields the exports read, and those they follow from, recomputed on a
#: sample of the clones: they must come out as they were inserted
CONSISTENCY = {
    "sale.order": (
        [("client_order_ref", "in", [FINANCE_REF, BALANCE_REF])],
        [
            "credit_grade_id",
            "require_payment",
            "prepayment_percent",
            "amount_untaxed",
            "amount_total",
            "deposit_received",
            "awaiting_deposit",
            "deviation_state",
            "contract_review_id",
            "production_status",
            "balance_due_date",
            "balance_residual",
            "balance_overdue",
            "effective_date",
        ],
    ),
    "sales.trip": (
        [("name", "=like", "BXT/%")],
        [
            "user_id",
            "manager_user_id",
            "travel_level_id",
            "flight_approved",
            "taxi_approved",
            "trip_days",
            "per_diem_days",
            "return_date",
            "budget_month",
            "room_share_colleague_id",
            "claim_made",
        ],
    ),
    "hr.expense": (
        [("trip_id.name", "=like", "BXT/%")],
        [
            "travel_kind",
            "total_amount",
            "room_share_colleague_id",
            "policy_amount",
            "policy_rule",
            "policy_reason",
            "policy_exceeded",
            "budget_user_id",
            "budget_month",
        ],
    ),
    "sales.target.period": (
        [("target_id.user_id.login", "=like", f"{PREFIX}_%")],
        ["user_id", "territory_id", "year", "company_id"],
    ),
    "res.partner": (
        [("name", "=like", f"{CUSTOMER_NAME} %")],
        [
            "commercial_partner_id",
            "complete_name",
            "customer_archive",
            "archive_user_id",
            "archive_visibility",
        ],
    ),
}


def check_consistent(registry, sample=40):
    """Recompute the fields of :data:`CONSISTENCY` on a sample of each kind of clone,
    in a transaction rolled back: each must equal what the fill inserted."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": TZ})
        for model, (domain, fnames) in CONSISTENCY.items():
            ids = env[model].search(domain, order="id").ids
            records = env[model].browse(ids[:: max(1, len(ids) // sample)])
            before = {f: [r[f] for r in records] for f in fnames}
            for fname in fnames:
                field = records._fields[fname]
                if field.store and field.compute:
                    env.add_to_compute(field, records)
            records._recompute_recordset(fnames)
            for fname in fnames:
                after = [r[fname] for r in records]
                wrong = [
                    (r.id, b, a)
                    for r, b, a in zip(records, before[fname], after, strict=True)
                    if (round(b, 6) != round(a, 6) if isinstance(b, float) else b != a)
                ]
                assert not wrong, f"{model}.{fname}: inserted / recomputed {wrong[:3]}"
            print(f"consistent: {len(records)} {model} of {len(ids)} recomputed as inserted")
        cr.rollback()


# ----------------------------------------------------------------------
# One export, in a process of its own
# ----------------------------------------------------------------------
def local_midnight_utc(day):
    import pytz  # noqa: PLC0415

    start = pytz.timezone(TZ).localize(datetime.combine(day, datetime.min.time()))
    return start.astimezone(pytz.utc).replace(tzinfo=None)


def plan(env, export, size, rows, small):
    """What ``export`` is asked at ``size`` (``small`` or ``rows``): the wizard's
    values, the same records' domain and fields for Odoo's list export, the rows of
    each sheet and the total of a column as a direct SQL count and sum says
    (``total``: the sheet, its column in the addon's file and in Odoo's, whether
    the addon's sheet ends with a total row)."""
    cr = env.cr
    share = small / rows if size == "small" else 1.0
    if export == "finance":
        days = max(1, round(FINANCE_DAYS * share))
        first, last = FINANCE_START, FINANCE_START + timedelta(days=days - 1)
        bounds = [local_midnight_utc(first), local_midnight_utc(last + timedelta(days=1))]
        cr.execute(
            "SELECT count(*) FILTER (WHERE awaiting_deposit),"
            " COALESCE(SUM(amount_total) FILTER (WHERE awaiting_deposit), 0),"
            " count(*) FILTER (WHERE deviation_state = 'approved')"
            "  FROM sale_order WHERE state = 'sale' AND date_order >= %s AND date_order < %s",
            bounds,
        )
        n, total, n_deviations = cr.fetchone()
        return {
            "model": "sales.finance.export.wizard",
            "values": {"date_from": str(first), "date_to": str(last)},
            "odoo_model": "sale.order",
            "odoo_domain": [
                ("state", "=", "sale"),
                ("date_order", ">=", str(bounds[0])),
                ("date_order", "<", str(bounds[1])),
                ("awaiting_deposit", "=", True),
            ],
            "odoo_fields": [
                "name",
                "date_order",
                "partner_id",
                "credit_grade_id",
                "user_id",
                "currency_id",
                "amount_total",
                "deposit_received",
                "prepayment_percent",
            ],
            "sheets": {"Awaiting Deposit": n, "Deviations": n_deviations},
            "total": ("Awaiting Deposit", 6, 6, False),
            "expected_total": float(total),
        }
    if export == "balances":
        cr.execute(
            "SELECT min(balance_due_date), max(balance_due_date) FROM sale_order"
            " WHERE client_order_ref = %s",
            [BALANCE_REF],
        )
        first, last = cr.fetchone()
        last = first + timedelta(days=max(1, round(((last - first).days + 1) * share)) - 1)
        tz = env.company.partner_id.tz or TZ
        cr.execute(
            """SELECT count(*), COALESCE(SUM(so.balance_residual), 0)
                 FROM sale_order so
                WHERE so.state = 'sale' AND so.balance_residual > 0
                  AND so.balance_due_date < (now() AT TIME ZONE %s)::date
                  AND so.balance_due_date BETWEEN %s AND %s""",
            [tz, first, last],
        )
        n, total = cr.fetchone()
        return {
            "model": "sales.balance.export.wizard",
            "values": {"date_from": str(first), "date_to": str(last), "overdue_only": True},
            "odoo_model": "sales.balance.report",
            "odoo_domain": [
                ("overdue", "=", True),
                ("balance_due_date", ">=", str(first)),
                ("balance_due_date", "<=", str(last)),
            ],
            "odoo_fields": [
                "user_id",
                "order_id",
                "partner_id",
                "credit_grade_id",
                "balance_due_date",
                "days_late",
                "late_bucket",
                "currency_id",
                "balance_residual",
            ],
            "sheets": {"To Collect": n},
            "total": ("To Collect", 8, 8, True),
            "expected_total": float(total),
        }
    if export == "claims":
        first = TRIP_START
        last = first + timedelta(days=max(1, round((TRIP_DAYS + 10) * share)) - 1)
        cr.execute(
            "SELECT count(*), COALESCE(SUM(total_amount), 0) FROM hr_expense"
            " WHERE trip_id IS NOT NULL AND policy_exceeded AND date BETWEEN %s AND %s",
            [first, last],
        )
        n, total = cr.fetchone()
        return {
            "model": "sales.trip.export.wizard",
            "values": {"mode": "breaches", "date_from": str(first), "date_to": str(last)},
            "odoo_model": "hr.expense",
            "odoo_domain": [
                ("trip_id", "!=", False),
                ("policy_exceeded", "=", True),
                ("date", ">=", str(first)),
                ("date", "<=", str(last)),
            ],
            "odoo_fields": [
                "date",
                "trip_id",
                "employee_id",
                "travel_kind",
                "name",
                "total_amount",
                "policy_amount",
                "policy_note",
                "state",
            ],
            "sheets": {"Policy Breaches": n},
            "total": ("Policy Breaches", 5, 5, False),
            "expected_total": float(total),
        }
    if export == "activity":
        # who owes a role's weekly target: its holders but those of a higher role
        group = env.ref("sales_dept_policy.group_salesperson")
        higher = (group.all_implied_by_ids - group).ids
        cr.execute(
            """SELECT count(*) FROM res_users u
                WHERE u.active AND NOT u.share
                  AND EXISTS (SELECT 1 FROM res_groups_users_rel r
                               WHERE r.uid = u.id AND r.gid = %s)
                  AND NOT EXISTS (SELECT 1 FROM res_groups_users_rel r
                                   WHERE r.uid = u.id AND r.gid = ANY(%s))""",
            [group.id, higher],
        )
        owing = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*), COALESCE(SUM(count), 0) FROM sales_activity_target"
            " WHERE period = 'week' AND count > 0 AND group_id = %s",
            [group.id],
        )
        kinds, per_week = cr.fetchone()
        wanted = small if size == "small" else rows
        weeks = max(1, min(26, math.ceil(wanted / (owing * kinds))))
        return {
            "model": "sales.activity.export.wizard",
            "values": {"period": "week", "periods_back": weeks},
            "odoo_model": "sales.activity.progress",
            "odoo_domain": [("period", "=", "week"), ("periods_ago", "<", weeks)],
            "odoo_fields": ["user_id", "date", "kind", "done", "target", "gap", "state"],
            "sheets": {"Activity": owing * kinds * weeks},
            "total": ("Activity", 4, 4, False),
            "expected_total": float(owing * per_week * weeks),
        }
    if export == "attainment":
        year = TARGET_YEAR_SMALL if size == "small" else TARGET_YEAR
        cr.execute(
            "SELECT count(*), COALESCE(SUM(target_amount), 0) FROM sales_target_period"
            " WHERE year = %s",
            [year],
        )
        n, total = cr.fetchone()
        cr.execute(
            """SELECT COALESCE(SUM(so.amount_untaxed), 0)
                 FROM sales_target_period p
                 JOIN sale_order so ON so.user_id = p.user_id AND so.state = 'sale'
                  AND so.company_id = p.company_id
                  AND date_trunc('month', so.date_order AT TIME ZONE 'UTC' AT TIME ZONE %s)::date
                      = p.date_from
                WHERE p.year = %s""",
            [TZ, year],
        )
        signed = cr.fetchone()[0]
        return {
            "model": "sales.target.export.wizard",
            "values": {"year": year},
            "odoo_model": "sales.target.period",
            "odoo_domain": [("year", "=", year)],
            "odoo_fields": [
                "user_id",
                "date_from",
                "target_amount",
                "actual_signed",
                "actual_collected",
                "attainment",
                "rating",
            ],
            "sheets": {"Attainment": n},
            "total": ("Attainment", 2, 2, False),
            "expected_total": float(total),
            "signed": ("Attainment", 3, 3, float(signed)),
        }
    raise ValueError(export)


def xlsx_rows(content, sheets_with_totals=()):
    """{sheet: data rows} of an xlsx: the title and header rows left out, and the
    total row of ``sheets_with_totals``."""
    import openpyxl  # noqa: PLC0415

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    result = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        if sheet.title in sheets_with_totals and rows:
            rows = rows[:-1]
        result[sheet.title] = rows
    return result


def timed(run):
    """The wall and CPU seconds of ``run()`` (CPU: this process's, not PostgreSQL's),
    and its result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def reset_peak_rss():
    """Make the peak RSS of this process its current RSS (Linux: clear_refs 5), so
    that the peak read after an export is the export's own; the current RSS."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    return _status_mb("VmRSS")


def peak_rss_mb():
    """The peak RSS since :func:`reset_peak_rss` (``VmHWM``: what
    ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` reads, which keeps the peak of the
    parent process this one was forked from)."""
    return _status_mb("VmHWM")


def _status_mb(key):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(args):
    """One export (``--child EXPORT SIDE SIZE``) in this process: print its JSON."""
    export, side, size = args.child
    registry = open_registry(args.database)
    from odoo import api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {"tz": TZ, "lang": "en_US"})
        admin = env.ref("base.user_admin")
        env = env(user=admin.id, context={"tz": TZ, "lang": "en_US", "tracking_disable": True})
        job = plan(env, export, size, args.rows, args.small)
        rss_before = reset_peak_rss()
        if side == "addon":
            wizard = env[job["model"]].create(job["values"])

            def make():
                env.invalidate_all()
                return wizard._export_file()[0]

            seconds, cpu, content = timed(make)
            rss = peak_rss_mb()
            sheet, col, _odoo_col, has_total = job["total"]
            got = xlsx_rows(content, {sheet} if has_total else ())
            rows = {name: len(got.get(name, [])) for name in job["sheets"]}
            total = sum(r[col] or 0 for r in got[sheet])
            signed = None
            if "signed" in job:
                name, col, _c, _expected = job["signed"]
                signed = sum(r[col] or 0 for r in got[name])
        else:
            from odoo import http  # noqa: PLC0415

            from odoo.addons.web.controllers.export import ExcelExport  # noqa: PLC0415

            # ExportXlsxWriter reads request.env: the request of an Export All
            http._request_stack.push(type("Request", (), {"env": env})())
            Model = env[job["odoo_model"]].with_context(import_compat=False)
            fields = [
                {"name": f, "label": Model._fields[f].string, "type": Model._fields[f].type}
                for f in job["odoo_fields"]
            ]

            def make():
                env.invalidate_all()
                # web/controllers/export.py, ExportFormat.base then ExcelExport.from_data
                records = Model.search(job["odoo_domain"])
                data = records.export_data(job["odoo_fields"]).get("datas", [])
                return data, ExcelExport().from_data(fields, [f["label"] for f in fields], data)

            seconds, cpu, (data, content) = timed(make)
            rss = peak_rss_mb()
            sheet, _col, col, _has_total = job["total"]
            rows = {sheet: len(data)}
            total = sum(float(r[col] or 0) for r in data)
            signed = None
            if "signed" in job:
                _name, _c, col, _expected = job["signed"]
                signed = sum(float(r[col] or 0) for r in data)
        expected = dict(job["sheets"])
        if side == "odoo":
            expected = {job["total"][0]: expected[job["total"][0]]}
        result = {
            "export": export,
            "side": side,
            "size": size,
            "seconds": seconds,
            "cpu": cpu,
            "rss_before": rss_before,
            "rss": rss,
            "rows": rows,
            "expected": expected,
            "total": total,
            "expected_total": job["expected_total"],
            "signed": signed,
            "expected_signed": job["signed"][3] if "signed" in job else None,
            "bytes": len(content),
        }
        cr.rollback()
    print(json.dumps(result))


# ----------------------------------------------------------------------
def measure(args, export, side, size):
    """The result of one child process (a single run)."""
    command = [
        sys.executable,
        __file__,
        "-d",
        args.database,
        "--rows",
        str(args.rows),
        "--small",
        str(args.small),
        "--child",
        export,
        side,
        size,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise RuntimeError(f"{export} {side} {size}:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rows"] == result["expected"], result
    assert round(result["total"], 2) == round(result["expected_total"], 2), result
    if result["signed"] is not None:
        assert round(result["signed"], 2) == round(result["expected_signed"], 2), result
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", nargs="*", choices=EXPORTS, default=EXPORTS)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    registry = open_registry(args.database)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "tz": TZ})
        fill(env, args.rows, args.small)
    check_consistent(registry)
    header = (
        f"{'export':<11} {'rows':>8} {'addon s':>8} {'Odoo s':>7} {'ratio':>6} {'CPU':>6}"
        f" {'RSS small':>9} {'RSS rows':>8} {'growth':>6}  {'Odoo RSS':>11} {'growth':>6}"
    )
    lines = []
    for export in args.only:
        got = {}
        # each run of each side in a process of its own, the sides taking turns (the
        # load of a shared machine varies): the best time, the highest peak RSS
        for _run in range(args.runs):
            for size in ("small", "rows"):
                for side in ("addon", "odoo"):
                    result = measure(args, export, side, size)
                    kept = got.setdefault((side, size), result)
                    kept["seconds"] = min(kept["seconds"], result["seconds"])
                    kept["cpu"] = min(kept["cpu"], result["cpu"])
                    kept["rss"] = max(kept["rss"], result["rss"])
        addon, odoo = got["addon", "rows"], got["odoo", "rows"]
        small_addon, small_odoo = got["addon", "small"], got["odoo", "small"]
        n = sum(addon["rows"].values())
        growth = addon["rss"] - small_addon["rss"]
        odoo_growth = odoo["rss"] - small_odoo["rss"]
        line = (
            f"{export:<11} {n:>8,} {addon['seconds']:>8.2f} {odoo['seconds']:>7.2f}"
            f" {addon['seconds'] / odoo['seconds']:>5.2f}x {addon['cpu'] / odoo['cpu']:>5.2f}x"
            f" {small_addon['rss']:>7.0f}MB {addon['rss']:>6.0f}MB {growth:>+4.0f}MB"
            f"  {small_odoo['rss']:>4.0f}->{odoo['rss']:>4.0f}MB {odoo_growth:>+4.0f}MB"
        )
        print(
            f"{export}: small {sum(small_addon['rows'].values()):,} rows, addon"
            f" {small_addon['seconds']:.2f} s, Odoo {small_odoo['seconds']:.2f} s;"
            f" file {addon['bytes'] / 1e6:.1f} MB (Odoo's {odoo['bytes'] / 1e6:.1f} MB);"
            f" RSS before the export {addon['rss_before']:.0f} MB;"
            " rows and totals checked",
            flush=True,
        )
        lines.append(line)
    print(header)
    print("\n".join(lines))
    print(
        "ratio: addon / Odoo's Export All, wall time (target <= 1.0); CPU: the same for the"
        " CPU time of the Python process; growth: peak RSS at --rows less peak RSS at"
        " --small (target: flat)"
    )


if __name__ == "__main__":
    main()
