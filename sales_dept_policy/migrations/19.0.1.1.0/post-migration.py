# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""ARC-5, TER-4: grants and managed territories give read only.

The rules file is ``noupdate``: an upgraded database keeps the old restricted
rule, which gave write through grants and territories. Narrow it to what the
new rule says (the read-only rule for grants and territories is new, so the
upgrade creates it).
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    # QTA-1 per company: the unique index now includes the company
    cr.execute("DROP INDEX IF EXISTS sales_target_user_territory_year_uniq")
    # CRD-5: the approvers' roles are a code, the reasons codes (recomputed)
    cr.execute(
        "UPDATE sale_order SET deviation_roles = 'manager_gm' "
        "WHERE deviation_roles = 'manager,general_manager'"
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref(
        "sales_dept_policy.res_partner_rule_archive_restricted", raise_if_not_found=False
    )
    env["sale.order"].sudo().search([("state", "in", ("draft", "sent"))])._refresh_deviation()
    if rule:
        rule.write(
            {
                "name": "Customer archives: own or not an archive",
                "domain_force": "[('archive_visibility', 'in', [-1, user.id])]",
            }
        )
