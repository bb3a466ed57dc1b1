# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""ARC-4 at scale: the restricted users' archive rule in the shape the planner
estimates well (security/sales_dept_policy_rules.xml says why).

The rules are ``noupdate``: an upgraded database keeps the old domain, which reads
the same partners. Write the new one when the rule still has the shape the addon
shipped; a rule an administrator changed is left alone.
"""

from odoo import SUPERUSER_ID, api

_SHIPPED = "[('archive_visibility', 'in', [-1, user.id])]"
_NOW = (
    "['|', '&', ('customer_archive', '=', False), ('archive_visibility', '=', -1), "
    "('archive_visibility', '=', user.id)]"
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("sales_dept_policy.res_partner_rule_archive_restricted", False)
    if rule and rule.domain_force == _SHIPPED:
        rule.domain_force = _NOW
