# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..policy import territory as ter


class SalesTerritory(models.Model):
    """TER-1: a sales territory (region → province → city).

    Access: every employee reads territories; policy administrators and sales
    managers edit them. A territory's manager reads the archives of the
    customers in it and its children (TER-4).
    """

    _name = "sales.territory"
    _description = "Sales Territory"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code of the territory, e.g. EC-ZJ-HZ.")
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_id = fields.Many2one(
        "sales.territory", string="Parent Territory", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("sales.territory", "parent_id", string="Sub-territories")
    active = fields.Boolean(default=True)
    manager_id = fields.Many2one(
        "res.users",
        string="Territory Manager",
        index=True,
        domain=[("share", "=", False)],
        help="Reads the customer archives of this territory and its sub-territories (TER-4).",
    )
    user_ids = fields.Many2many(
        "res.users",
        "sales_territory_user_rel",
        "territory_id",
        "user_id",
        string="Salespeople",
        domain=[("share", "=", False)],
        help="The salespeople working in this territory (TER-1, TER-3).",
    )
    country_id = fields.Many2one("res.country")
    state_ids = fields.Many2many("res.country.state", string="States / Provinces")
    city_names = fields.Char(
        string="Cities",
        help="City names, separated by commas, semicolons or spaces, ASCII or Chinese "
        "(，、；), e.g. Hangzhou, Ningbo or 杭州、宁波. A city matches with or without "
        "市 (杭州 = 杭州市); 区 and 县 are part of the name (TER-2).",
    )
    zip_prefixes = fields.Char(
        help="Zip code prefixes, separated by commas, semicolons or spaces, ASCII or "
        "Chinese, e.g. 310, 311. The most specific match wins (TER-2)."
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    _code_uniq = models.Constraint("UNIQUE (code)", "A territory code must be unique.")

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for territory in self:
            territory.complete_name = (
                f"{territory.parent_id.complete_name} / {territory.name}"
                if territory.parent_id
                else territory.name
            )

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("territory_id", "in", self.ids)], ["territory_id"], ["__count"]
            )
        )
        for territory in self:
            territory.partner_count = counts.get(territory, 0)

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A territory cannot be its own parent (TER-1)."))

    @api.model_create_multi
    def create(self, vals_list):
        territories = super().create(vals_list)
        territories._reset_rule_inputs()
        return territories

    def _reset_rule_inputs(self):
        """The archive rule reads each user's managed territories (TER-4); Odoo
        caches both the evaluated rules and that computed list."""
        self.env["res.users"].invalidate_model(["sales_managed_territory_ids"])
        self.env.registry.clear_cache()

    def write(self, vals):
        res = super().write(vals)
        if {"manager_id", "parent_id", "active"} & set(vals):
            self._reset_rule_inputs()
        if {"country_id", "state_ids", "city_names", "zip_prefixes", "parent_id", "active"} & set(
            vals
        ):
            self._rematch_partners()
        return res

    # ------------------------------------------------------------------
    # Matching (TER-2, TER-3)
    # ------------------------------------------------------------------
    @api.model
    def _match_data(self):
        # every active territory, few by nature (a company has tens or hundreds)
        territories = self.sudo().search([("active", "=", True)])
        return [
            {
                "id": t.id,
                "depth": (t.parent_path or "").count("/") - 1,
                "country_id": t.country_id.id or None,
                "state_ids": t.state_ids.ids,
                "state_names": t.state_ids.mapped("name"),
                "city_names": ter.split_list(t.city_names),
                "zip_prefixes": ter.split_list(t.zip_prefixes),
            }
            for t in territories
        ]

    @api.model
    def _match_partner(self, partner, data=None):
        """TER-2: the most specific territory for ``partner``'s address."""
        data = self._match_data() if data is None else data
        territory_id = ter.best_territory(
            data,
            {
                "country_id": partner.country_id.id or None,
                "state_id": partner.state_id.id or None,
                "state_name": partner.state_id.name or "",
                "city": partner.city or "",
                "zip": partner.zip or "",
            },
        )
        return self.browse(territory_id) if territory_id else self.browse()

    def _rematch_partners(self):
        partners = (
            self.env["res.partner"]
            .sudo()
            .search([("territory_manual", "=", False), ("parent_id", "=", False)])
        )
        data = self._match_data()
        by_territory = {}
        for partner in partners:
            by_territory.setdefault(self._match_partner(partner, data).id, []).append(partner.id)
        for territory_id, ids in by_territory.items():
            partners.browse(ids).filtered(lambda p, t=territory_id: p.territory_id.id != t).write(
                {"territory_id": territory_id or False, "territory_manual": False}
            )

    @api.model
    def _territories_by_user(self, users):
        """TER-3, TER-4: the territories each of ``users`` works in or manages, with
        their children, as ``{user id: set of territory ids}`` (users without any
        are left out). One read of the territory tree for all the users."""
        if not users:
            return {}
        wanted = set(users.ids)
        tree = self.sudo().search_fetch([], ["parent_path", "manager_id", "user_ids"])
        roots = {}
        for territory in tree:
            for user in territory.user_ids | territory.manager_id:
                if user.id in wanted:
                    roots.setdefault(user.id, set()).add(territory.id)
        result = {}
        for user_id, root_ids in roots.items():
            prefixes = tuple(
                territory.parent_path for territory in tree if territory.id in root_ids
            )
            result[user_id] = {
                territory.id for territory in tree if territory.parent_path.startswith(prefixes)
            }
        return result

    @api.model
    def _is_out_of_territory(self, user, partner):
        """TER-3: whether work for ``partner`` is outside ``user``'s territories.

        Users without any territory work everywhere (the policy applies to the
        salespeople it assigns).
        """
        territories = self._territories_by_user(user).get(user.id)
        if not territories:
            return False
        return ter.is_out_of_territory(
            partner.commercial_partner_id.sudo().territory_id.id, territories
        )
