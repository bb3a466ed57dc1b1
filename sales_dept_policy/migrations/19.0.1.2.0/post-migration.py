# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""CRD-1, ORD-5: the grades' payment terms are the balance's.

The grade data is ``noupdate``: an upgraded database keeps the old terms, which
split every invoice 30/70 (the deposit is the order's prepayment, so a balance
invoice was split again). Give each grade's term one line for the balance, when
it still has the shape the addon shipped; a term an administrator changed is
left alone.
"""

from odoo import SUPERUSER_ID, Command, api

_TERMS = {
    "payment_term_grade_a": ("Grade A: balance at dispatch", 0),
    "payment_term_grade_b": ("Grade B: balance on arrival", 0),
    "payment_term_grade_c": ("Grade C: balance 14 days after arrival", 14),
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, (name, days) in _TERMS.items():
        term = env.ref(f"sales_dept_policy.{xmlid}", raise_if_not_found=False)
        if not term or sorted(term.line_ids.mapped("value_amount")) != [30.0, 70.0]:
            continue
        term.write(
            {
                "name": name,
                "line_ids": [
                    Command.clear(),
                    Command.create(
                        {
                            "value": "percent",
                            "value_amount": 100.0,
                            "delay_type": "days_after",
                            "nb_days": days,
                        }
                    ),
                ],
            }
        )
    # ORD-4/5: the new stored fields of confirmed orders
    orders = env["sale.order"].search([("state", "=", "sale")])
    orders._compute_production_status()
    orders._compute_balance_due_date()
    orders._compute_balance_residual()
    orders._compute_balance_overdue()
