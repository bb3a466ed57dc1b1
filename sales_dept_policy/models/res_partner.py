# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, escape_psql

from ..policy import archive as arc

#: ARC-4: how many most common values PostgreSQL keeps for the archive keys the
#: rules filter on (see ``ResPartner.init``)
_ARCHIVE_KEY_STATISTICS = 1000


class ResPartner(models.Model):
    """The customer archive (ARC-1..7).

    Access (record rules in security/sales_dept_policy_rules.xml):
    - restricted users (salespersons, and every employee while the setting is
      on) read and write partners that are not archives and archives whose
      commercial partner's salesperson they are; they read (never write) the
      archives they hold an approved, unexpired grant for and those of the
      territories they manage;
    - archive readers (the GM assistant, finance, design, HR, production
      heads) read all and write only as above;
    - sales managers, and the general manager and deputies, who head the sales
      department (ARC-3), read and write all.
    Only archive readers export archives (ARC-6).
    """

    _name = "res.partner"
    _inherit = ["res.partner", "sales.policy.guard"]

    #: APR-5: the archive rules' keys and the grants are the policy's (ARC-4, ARC-5,
    #: TER-2); the stored computes and related fields of the addon are guarded too
    _policy_protected_fields = frozenset(
        {
            "archive_grant_user_ids",
            "archive_request_ids",
            "credit_grade_change_ids",
            "territory_manual",
        }
    )

    # ARC-2: the archive's changes are tracked on the chatter (the address is
    # tracked by mail through contact_address_inline).
    user_id = fields.Many2one(tracking=True)
    phone = fields.Char(tracking=True)
    parent_id = fields.Many2one(tracking=True)

    customer_archive = fields.Boolean(
        compute="_compute_customer_archive",
        store=True,
        index=True,
        help="A customer archive (ARC-7): its commercial partner is a customer and it "
        "is neither an internal user's partner nor a company's. Archives are "
        "confidential (ARC-3).",
    )
    archive_user_id = fields.Many2one(
        "res.users",
        string="Archive Owner",
        related="commercial_partner_id.user_id",
        tracking=False,
        store=True,
        index=True,
        help="The salesperson of the commercial partner: they read and edit this archive (ARC-4).",
    )
    territory_id = fields.Many2one(
        "sales.territory",
        compute="_compute_territory_id",
        store=True,
        readonly=False,
        recursive=True,
        index=True,
        tracking=True,
        help="Derived from the address, the most specific territory winning (TER-2); a "
        "sales manager may set it by hand, which then stays.",
    )
    is_sales_manager = fields.Boolean(compute="_compute_is_sales_manager")
    territory_manual = fields.Boolean(
        string="Territory Set by Hand",
        copy=False,
        readonly=True,
        help="The territory was chosen by a sales manager and no longer follows the address.",
    )
    archive_territory_id = fields.Many2one(
        "sales.territory",
        string="Archive Territory",
        related="commercial_partner_id.territory_id",
        store=True,
        index=True,
        tracking=False,
        help="The commercial partner's territory: its manager reads this archive (TER-4).",
    )
    archive_visibility = fields.Integer(
        compute="_compute_archive_visibility",
        store=True,
        index=True,
        help="Technical key the archive rules filter on: -1 for partners that are not "
        "archives (ARC-7), else the id of the archive owner (-2 without one), so that "
        "a restricted user's customers are found through one index (ARC-4). Never 0, "
        "which a domain would also match on empty values.",
    )
    customer_characteristics = fields.Text(
        tracking=True,
        help="What characterises this customer: sector, size, buying habits (ARC-1).",
    )
    background_notes = fields.Text(
        string="Background",
        help="The customer's background and basic situation (ARC-1).",
    )
    visit_count = fields.Integer(
        compute="_compute_visit_count", groups="sales_dept_policy.group_salesperson"
    )
    archive_grant_user_ids = fields.Many2many(
        "res.users",
        "res_partner_archive_grant_rel",
        "partner_id",
        "user_id",
        string="Granted Readers",
        readonly=True,
        copy=False,
        help="Users holding an approved, unexpired access request for this customer "
        "(ARC-5). Kept by the request flow and lapsed by a daily job.",
    )
    credit_grade_id = fields.Many2one(
        "sales.credit.grade",
        index=True,
        tracking=True,
        copy=False,
        help="Decides the deposit and when the balance is due (CRD-1). Changed only "
        "through an approved grade change request (CRD-6).",
    )
    credit_grade_change_ids = fields.One2many(
        "sales.credit.grade.change",
        "partner_id",
        string="Grade History",
        readonly=True,
        # the roles that read grade changes; archive readers without one (the GM
        # assistant, the design, HR and production heads) see the grade itself
        groups="sales_dept_policy.group_salesperson,account.group_account_manager",
    )
    archive_request_ids = fields.Many2many(
        "sales.archive.access.request",
        "sales_archive_access_request_partner_rel",
        "partner_id",
        "request_id",
        string="Access Requests",
        readonly=True,
        copy=False,
    )

    def init(self):
        """ARC-4 at scale: let PostgreSQL know how the archives spread over their
        owners and territories.

        A restricted user's customer list is ``archive_visibility`` -1 or uid
        ordered by name. With the default statistics (100 most common values) the
        planner takes a salesperson's share for the average one and, when their
        customers' names cluster (one trade, one town), walks the whole name index
        filtering rows (100 ms at 100,000 customers) instead of reading their few
        hundred rows through the owner index and sorting them (2 ms). Keeping the
        most common values of the owner and territory keys (up to 1,000: every
        salesperson of a large department) makes the estimate exact; measured by
        ``bench/partner_rules.py``. The setting lives in the catalogue and holds
        for every ANALYZE, autovacuum's included.
        """
        res = super().init()
        for column in ("archive_visibility", "archive_territory_id"):
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE res_partner ALTER COLUMN %s SET STATISTICS %s",
                    SQL.identifier(column),
                    _ARCHIVE_KEY_STATISTICS,
                )
            )
        return res

    @api.depends(
        "partner_share",
        "commercial_partner_id.customer_rank",
        "commercial_partner_id.partner_share",
    )
    def _compute_customer_archive(self):
        # the companies' partners, once for the batch
        company_partners = set(
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "!=", False)])
            .partner_id.ids
        )
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.customer_archive = arc.is_customer_archive(
                customer_rank=commercial.customer_rank,
                is_internal_user_partner=not partner.partner_share or not commercial.partner_share,
                is_company_partner=partner.id in company_partners
                or commercial.id in company_partners,
            )

    @api.depends_context("uid")
    def _compute_is_sales_manager(self):
        self.is_sales_manager = self.env.user.has_group("sales_dept_policy.group_sales_manager")

    @api.depends("country_id", "state_id", "city", "zip", "parent_id", "parent_id.territory_id")
    def _compute_territory_id(self):
        data = None
        for partner in self:
            if partner.parent_id:
                partner.territory_id = partner.parent_id.territory_id
            elif not partner.territory_manual:
                if data is None:  # once for the batch
                    data = self.env["sales.territory"]._match_data()
                partner.territory_id = self.env["sales.territory"]._match_partner(partner, data)

    @api.depends("customer_archive", "archive_user_id")
    def _compute_archive_visibility(self):
        for partner in self:
            partner.archive_visibility = (
                (partner.archive_user_id.id or -2) if partner.customer_archive else -1
            )

    # ------------------------------------------------------------------
    # Grants (ARC-5)
    # ------------------------------------------------------------------
    def _sync_archive_grants(self):
        """Write the grant lists of these partners from the approved requests (ARC-5).

        Runs as superuser: the grant list is what the record rules read, and it
        is written only from approved, unexpired requests of the general manager.
        """
        partners = self.sudo().with_context(active_test=False)
        if not partners:
            return
        commercial_ids = partners.commercial_partner_id.ids
        # archived customers keep their requests: a customer restored later is
        # granted again (ARC-5)
        requests = (
            self.env["sales.archive.access.request"]
            .sudo()
            .with_context(active_test=False)
            .search([("state", "=", "approved"), ("partner_ids", "in", commercial_ids)])
        )
        users_by_commercial = defaultdict(set)
        for request in requests:
            if not arc.grant_is_active(request.state, request.date_end, request._requester_today()):
                continue
            for partner in request.partner_ids.commercial_partner_id:
                users_by_commercial[partner.id].add(request.requester_id.id)
        by_users = defaultdict(list)
        for partner in partners:
            users = frozenset(users_by_commercial.get(partner.commercial_partner_id.id, ()))
            if users != frozenset(partner.archive_grant_user_ids.ids):
                by_users[users].append(partner.id)
        for users, ids in by_users.items():
            partners.browse(ids).write(
                {"archive_grant_user_ids": [fields.Command.set(list(users))]}
            )
        if by_users:
            # the restricted rule reads each user's grants when it is evaluated,
            # and Odoo caches evaluated rules per user
            self.env.registry.clear_cache()

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _check_credit_grade_write(self, vals_list):
        """CRD-6: the grade is read-only but through an approved change.

        Administrators may set it directly, for imports and migrations.
        """
        if self.env.su or self.env.user.has_group("base.group_system"):
            return
        if any(vals.get("credit_grade_id") for vals in vals_list) or (
            self and any("credit_grade_id" in vals for vals in vals_list)
        ):
            raise UserError(
                self.env._(
                    "A customer's credit grade changes only through an approved grade "
                    "change request (CRD-6)."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_policy_write(vals_list)
        self._check_credit_grade_write(vals_list)
        # "A salesperson who creates a customer becomes its salesperson", so they
        # can read what they made (ARC-4). Managers choose freely.
        user = self.env.user
        if user.has_group("sales_dept_policy.group_salesperson") and not user.has_group(
            "sales_dept_policy.group_sales_manager"
        ):
            for vals in vals_list:
                if not vals.get("parent_id") and not vals.get("user_id"):
                    vals["user_id"] = user.id
        partners = super().create(vals_list)
        partners.filtered("parent_id")._sync_archive_grants()
        return partners

    def write(self, vals):
        self._check_policy_write([vals])
        if "credit_grade_id" in vals:
            self._check_credit_grade_write([vals])
        if "territory_id" in vals and not self.env.su:
            # TER-2: a territory chosen by hand is a sales manager's decision, and stays
            if not (self.env["res.users"]._sales_policy_current_is_manager()):
                raise UserError(
                    self.env._("Only a sales manager sets a customer's territory by hand (TER-2).")
                )
            vals = dict(vals, territory_manual=bool(vals["territory_id"]))
        res = super().write(vals)
        if "parent_id" in vals or vals.get("active"):
            # a contact moved under a granted customer, or a customer restored (ARC-5)
            self._sync_archive_grants()
        if "tz" in vals:
            # VIS-4: a salesperson's weeks and months are local: count them again
            users = self.with_context(active_test=False).user_ids
            if users:
                self.env["sales.activity.count"]._recount(users)
        return res

    # ------------------------------------------------------------------
    # Naming a customer one cannot read yet (ARC-5)
    # ------------------------------------------------------------------
    @api.model
    def _archive_request_candidates(self, name, limit):
        """Customers an access request may name, found by at least 3 letters (ARC-5).

        ARC-5 has employees name customers whose archives they cannot read: the
        search runs as superuser over top-level customer archives whose name
        contains the typed text literally (``%`` and ``_`` are letters here, not
        wildcards, so nothing is listed without knowing part of a name), a few
        at a time, and returns only what ARC-5 needs to tell customers apart:
        the name and the city. Nothing else of the archive is read.
        """
        name = (name or "").strip()
        if len(name) < 3 or not self.env.user._is_internal():
            return []
        partners = self.sudo().search(
            [
                ("customer_archive", "=", True),
                ("parent_id", "=", False),
                ("name", "=ilike", f"%{escape_psql(name)}%"),
            ],
            limit=min(limit or 8, 8),
        )
        return [
            (partner.id, f"{partner.name} ({partner.city})" if partner.city else partner.name)
            for partner in partners
        ]

    @api.model
    def name_search(self, name="", domain=None, operator="ilike", limit=100):
        if self.env.context.get("sales_archive_request_pick"):
            return self._archive_request_candidates(name, limit)
        return super().name_search(name, domain, operator, limit)

    @api.model
    def web_name_search(self, name, specification, domain=None, operator="ilike", limit=100):
        if self.env.context.get("sales_archive_request_pick"):
            return [
                {"id": id_, "display_name": label, "__formatted_display_name": label}
                for id_, label in self._archive_request_candidates(name, limit)
            ]
        return super().web_name_search(
            name, specification, domain=domain, operator=operator, limit=limit
        )

    def export_data(self, fields_to_export):
        """ARC-6: archives are not copied or taken out by non-readers."""
        if not arc.can_export_archives(
            self.env.user.has_group("sales_dept_policy.group_archive_reader"),
            any(self.mapped("customer_archive")),
        ):
            raise AccessError(
                self.env._(
                    "Customer archives may not be exported (ARC-6): only the roles that "
                    "read all archives may export them."
                )
            )
        return super().export_data(fields_to_export)

    def _compute_visit_count(self):
        counts = dict(
            self.env["sales.visit"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.visit_count = counts.get(partner, 0)

    def action_open_visits(self):
        """VIS-1: the customer's visits, as the user may read them."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Visits"),
            "res_model": "sales.visit",
            "view_mode": "list,calendar,form",
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
        }

    def action_propose_credit_grade(self):
        """Open a new credit grade change for this customer (CRD-6)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Propose Credit Grade"),
            "res_model": "sales.credit.grade.change",
            "view_mode": "form",
            "target": "current",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_request_archive_access(self):
        """Open a new access request for this customer (ARC-5)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Archive Access"),
            "res_model": "sales.archive.access.request",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_ids": [fields.Command.set(self.commercial_partner_id.ids)],
            },
        }
