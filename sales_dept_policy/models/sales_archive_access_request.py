# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..policy import archive as arc


class SalesArchiveAccessRequest(models.Model):
    """ARC-5: a request to read named customer archives for a while.

    Access: every employee creates and reads their own requests; general
    managers read all and decide them (never their own, APR-4); policy
    administrators read all. Approved requests grant read until ``date_end``;
    the daily cron lapses them (state ``expired``). Nothing decided is deleted.
    """

    _name = "sales.archive.access.request"
    _description = "Customer Archive Access Request"
    _inherit = ["sales.approval.mixin"]
    _order = "id desc"

    _approval_deletable_states = ("draft",)

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    requester_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        help="The employee who will read the archives.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "sales_archive_access_request_partner_rel",
        "request_id",
        "partner_id",
        string="Customers",
        domain=[("customer_archive", "=", True), ("parent_id", "=", False)],
        help="The customers whose archives are requested; their contacts and "
        "addresses come with them.",
    )
    partner_pick_id = fields.Many2one(
        "res.partner",
        string="Add Customer",
        compute="_compute_partner_pick_id",
        inverse="_inverse_partner_pick_id",
        domain=[("customer_archive", "=", True), ("parent_id", "=", False)],
        help="Type at least 3 letters of a customer's name to add it to the request.",
    )
    partner_names = fields.Char(
        string="Requested Customers",
        compute="_compute_partner_names",
        help="The names of the requested customers, shown to the requester, who "
        "cannot open them before the request is approved.",
    )
    reason = fields.Text(required=True, tracking=True)
    date_end = fields.Date(
        string="Access Until",
        required=True,
        default=lambda self: self._default_date_end(),
        tracking=True,
        help="Last day of read access once approved (ARC-5). Defaults to today plus "
        "the grant length set in Settings.",
    )
    state = fields.Selection(
        selection_add=[("expired", "Expired")],
        ondelete={"expired": "set default"},
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.model
    def _default_date_end(self):
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("sales_dept_policy.archive_grant_days", arc.DEFAULT_GRANT_DAYS)
        )
        return arc.default_grant_end(fields.Date.context_today(self), days)

    def _compute_partner_pick_id(self):
        self.partner_pick_id = False

    def _inverse_partner_pick_id(self):
        for request in self.filtered("partner_pick_id"):
            request._write_partner_ids([fields.Command.link(request.partner_pick_id.id)])

    @api.depends("partner_ids", "partner_pick_id")
    def _compute_partner_names(self):
        for request in self:
            # ARC-5: the requester must see which customers they asked for, which
            # they cannot read before the approval: only the names are read, as
            # superuser, and only of the partners named on a request they can read.
            partners = request.sudo().partner_ids | request.sudo().partner_pick_id
            request.partner_names = ", ".join(partners.mapped("display_name"))

    @api.constrains("date_end")
    def _check_date_end(self):
        for request in self.filtered(lambda r: r.state in ("draft", "submitted")):
            if arc.grant_end_error(request.date_end, request._requester_today()):
                raise ValidationError(
                    self.env._(
                        "Access Until must be today or later (ARC-5): %(date)s is in the past.",
                        date=request.date_end,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        partner_commands = []
        for vals in vals_list:
            if not self.env.su:
                # APR-5: numbered by the sequence, whatever the client sends
                vals["name"] = "/"
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "sales.archive.access.request"
                ) or self.env._("New")
            partner_commands.append(vals.pop("partner_ids", None))
        requests = super().create(vals_list)
        for request, commands in zip(requests, partner_commands, strict=True):
            if commands is not None:
                request._write_partner_ids(commands)
        return requests

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        vals = dict(vals)
        commands = vals.pop("partner_ids", None)
        if vals:
            super().write(vals)
        if commands is not None:
            # the access rights on the request itself; the lock is checked there (APR-3)
            self.check_access("write")
            self._write_partner_ids(commands)
        return True

    def _write_partner_ids(self, commands):
        """Name the customers of a draft request (ARC-5).

        The requester names customers they cannot read yet, which Odoo's own
        relational write refuses: the standard commands are checked (only links
        to top-level customer archives, unlinks and clears), then written as
        superuser, on these draft requests only.
        """
        if self.filtered(lambda r: r.state != "draft") and not self.env.su:
            raise UserError(
                self.env._(
                    "%(name)s is locked (APR-3): its customers can only be changed on a draft.",
                    name=self.filtered(lambda r: r.state != "draft")[0].display_name,
                )
            )
        linked = []
        for command in commands or []:
            if isinstance(command, int):
                command = fields.Command.link(command)
            if not isinstance(command, (list, tuple)) or not command:
                raise ValidationError(
                    self.env._("Customers are chosen from the existing archives.")
                )
            if command[0] == fields.Command.SET:
                linked += list(command[2] or [])
            elif command[0] == fields.Command.LINK:
                linked.append(command[1])
            elif command[0] not in (fields.Command.UNLINK, fields.Command.CLEAR):
                raise ValidationError(
                    self.env._("Customers are chosen from the existing archives.")
                )
        commands = [
            fields.Command.link(command) if isinstance(command, int) else command
            for command in commands or []
        ]
        if any(not isinstance(i, int) for i in linked):
            raise ValidationError(self.env._("Customers are chosen from the existing archives."))
        partners = self.env["res.partner"].sudo().with_context(active_test=False).browse(linked)
        valid = partners.exists().filtered(lambda p: p.customer_archive and not p.parent_id)
        if len(valid) != len(set(linked)):
            raise ValidationError(
                self.env._(
                    "An access request names customer archives (companies or individuals, "
                    "not their contacts) (ARC-5)."
                )
            )
        # narrow: these requests, their customers only (see above); past the lock,
        # which was checked above (a decided request of the demo data is created
        # by the superuser with its customers)
        return self.sudo()._approval_write({"partner_ids": commands})

    # ------------------------------------------------------------------
    # Approval flow
    # ------------------------------------------------------------------
    def _get_approvers(self):
        return self.env.ref("sales_dept_policy.group_general_manager").sudo().all_user_ids

    def _get_concerned_users(self):
        return self.requester_id

    def action_clear_partners(self):
        """Remove the customers of a draft request, to name them again."""
        self.ensure_one()
        self.check_access("write")
        self._write_partner_ids([fields.Command.clear()])
        return True

    def _check_submit(self):
        self.ensure_one()
        # the requester cannot read the customers they name (ARC-5): only
        # whether any is named is checked, as superuser
        if not self.sudo().with_context(active_test=False).partner_ids:
            raise ValidationError(self.env._("Name at least one customer (ARC-5)."))
        if not (self.reason or "").strip():
            raise ValidationError(self.env._("Give the reason you need the archives (ARC-5)."))
        self._check_date_end()

    def _on_approved(self):
        self._check_date_end()
        self._grant_partners()._sync_archive_grants()

    def _grant_partners(self):
        """The partners whose grants depend on these requests."""
        commercial = self.sudo().with_context(active_test=False).partner_ids.commercial_partner_id
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("commercial_partner_id", "in", commercial.ids)])
        )

    def _requester_today(self):
        """Today in the requester's time zone: a grant lasts to the end of its
        last day where the requester is (SPEC: times are local, never UTC)."""
        self.ensure_one()
        # the requester's, else the company's: never a time zone the caller sends
        # (a grant's last day is the policy's, APR-5)
        tz = self.requester_id.tz or self.company_id.partner_id.tz or "UTC"
        return fields.Date.context_today(self.with_context(tz=tz))

    @api.model
    def _cron_lapse_grants(self):
        """ARC-5: lapse the grants whose last day has passed, and their read."""
        # a day of margin: the requesters' time zones decide, one by one
        horizon = fields.Date.add(fields.Date.today(), days=1)
        approved = self.search([("state", "=", "approved"), ("date_end", "<", horizon)])
        # lapsed once when two runs meet (a run by hand beside the scheduler's): the
        # second waits for the first at the lock, then finds them lapsed (ARC-5)
        approved._lock_for_transition()
        approved = approved.filtered(lambda r: r.state == "approved")
        lapsed = self.browse(
            arc.grants_to_lapse((r.id, r.state, r.date_end, r._requester_today()) for r in approved)
        )
        if not lapsed:
            return
        lapsed._approval_write({"state": "expired"})
        for request in lapsed:
            request.message_post(
                body=self.env._(
                    "Access lapsed: the grant ended on %(date)s.", date=request.date_end
                ),
                subtype_xmlid="mail.mt_note",
            )
        lapsed._grant_partners()._sync_archive_grants()

    def action_cancel(self):
        if any(r.state == "expired" for r in self):
            raise UserError(self.env._("A lapsed request cannot be cancelled."))
        return super().action_cancel()
