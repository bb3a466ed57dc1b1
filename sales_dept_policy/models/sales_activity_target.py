# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .sales_visit import VISIT_KINDS


class SalesActivityTarget(models.Model):
    """VIS-4: how many effective records of a kind a role owes per week or month.

    A target applies to the users of a group (e.g. salespersons) or to the
    employees of a travel level; shipped with the policy's defaults.
    """

    _name = "sales.activity.target"
    _description = "Activity Target"
    _order = "period desc, kind"

    kind = fields.Selection(VISIT_KINDS, required=True)
    period = fields.Selection([("week", "Week"), ("month", "Month")], required=True)
    count = fields.Integer(required=True, help="VIS-4: effective records owed in the period.")
    group_id = fields.Many2one("res.groups", string="Role", index=True)
    travel_level_id = fields.Many2one("sales.travel.level", string="Level", index=True)
    active = fields.Boolean(default=True)

    @api.constrains("count", "group_id", "travel_level_id")
    def _check_target(self):
        for target in self:
            if target.count <= 0:
                raise ValidationError(self.env._("An activity target counts at least 1 (VIS-4)."))
            if bool(target.group_id) == bool(target.travel_level_id):
                raise ValidationError(
                    self.env._("An activity target applies to a role or to a level (VIS-4).")
                )

    @api.depends("kind", "period", "count", "group_id", "travel_level_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        periods = dict(self._fields["period"]._description_selection(self.env))
        for target in self:
            target.display_name = self.env._(
                "%(count)s %(kind)s a %(period)s · %(who)s",
                count=target.count,
                kind=kinds.get(target.kind, ""),
                period=(periods.get(target.period) or "").lower(),
                who=(target.group_id or target.travel_level_id).name or "",
            )

    @api.model
    def _targets_by_user(self, users=None):
        """{user id: {(kind, period): count}}; a level's target wins over a role's.

        ``users``: the result for those users only (all who owe a target when
        None). The holders of each role are read with one query: the recordsets
        of every user of a large department cost more than the progress report
        they feed (bench/load.py).
        """
        result = {}
        if users is not None and not users:
            return result
        only = SQL("AND u.id = ANY(%s)", list(users.ids)) if users is not None else SQL()
        targets = self.search([("count", ">", 0)])
        by_role = targets.filtered("group_id")
        if by_role:
            self.env["res.users"].flush_model(["group_ids", "active", "share"])
        for target in by_role:
            # a role's target is owed by who holds that role and no higher one
            # (a salesperson's, not a sales manager's though managers imply it):
            # of the group's users (all_user_ids: in the group or in one implying
            # it), those in none of the groups implying it; active internal users
            group = target.group_id.sudo()
            higher = group.all_implied_by_ids - group
            owing = self.env.execute_query(
                SQL(
                    """
                    SELECT u.id FROM res_users u
                     WHERE u.active AND NOT u.share %s
                       AND EXISTS (SELECT 1 FROM res_groups_users_rel r
                                    WHERE r.uid = u.id AND r.gid = %s)
                       AND NOT EXISTS (SELECT 1 FROM res_groups_users_rel r
                                        WHERE r.uid = u.id AND r.gid = ANY(%s))
                     ORDER BY u.id
                    """,
                    only,
                    group.id,
                    higher.ids,
                )
            )
            for (user_id,) in owing:
                result.setdefault(user_id, {})[(target.kind, target.period)] = target.count
        by_level = targets.filtered("travel_level_id")
        if by_level:
            # employees' levels are HR data: read their user and level only
            domain = [
                ("travel_level_id", "in", by_level.travel_level_id.ids),
                ("user_id", "!=", False),
            ]
            if users is not None:
                domain.append(("user_id", "in", users.ids))
            employees = self.env["hr.employee"].sudo().search(domain)
            for employee in employees:
                for target in by_level.filtered(
                    lambda t, e=employee: t.travel_level_id == e.travel_level_id
                ):
                    result.setdefault(employee.user_id.id, {})[(target.kind, target.period)] = (
                        target.count
                    )
        return result
