# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..policy import approval as apr

#: Fields a request may change whatever its state: the workflow's own and the
#: chatter's. Everything else stored and typed in is what was approved (APR-3).
_WORKFLOW_FIELDS = frozenset(
    {
        "state",
        "submitted_by_id",
        "submitted_on",
        "decided_by_id",
        "decided_on",
        "reject_reason",
    }
)


class SalesApprovalMixin(models.AbstractModel):
    """One approval flow for every request of the policy (APR-1..4).

    A model inheriting this says only who approves it (``_get_approvers``) and
    whom it concerns (``_get_concerned_users``); the mixin gives it the states,
    the actions, the approvers' activities, a chatter message for every
    decision, the segregation-of-duties guard and the lock on approved and
    decided records. Every guard runs server side, in the methods.
    """

    _name = "sales.approval.mixin"
    _description = "Sales Policy Approval Flow"
    _inherit = ["mail.thread", "mail.activity.mixin"]

    #: states from which a record may be deleted (APR-3: nothing decided is)
    _approval_deletable_states = ("draft", "cancelled")

    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_on = fields.Datetime(readonly=True, copy=False)
    decided_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        help="Who approved or rejected the request.",
    )
    decided_on = fields.Datetime(readonly=True, copy=False)
    reject_reason = fields.Text(string="Rejection Reason", readonly=True, copy=False, tracking=True)
    approver_ids = fields.Many2many(
        "res.users",
        string="Approvers",
        compute="_compute_approver_ids",
        help="Who may decide this request, found by the policy's rule (APR-2).",
    )
    can_decide = fields.Boolean(
        compute="_compute_can_decide",
        help="Whether the current user may approve or reject this request.",
    )

    def _compute_approver_ids(self):
        for record in self:
            record.approver_ids = record._get_approvers()

    @api.depends_context("uid")
    def _compute_can_decide(self):
        for record in self:
            record.can_decide = record.state == "submitted" and not record._decision_error()

    # ------------------------------------------------------------------
    # What each model says
    # ------------------------------------------------------------------
    def _get_approvers(self):
        """Return the users who decide this request (APR-2)."""
        raise NotImplementedError()

    def _get_concerned_users(self):
        """Return the users this request is about: they never decide it (APR-4)."""
        return self.env["res.users"]

    def _approval_title(self):
        """A short label of the request for activities and messages."""
        self.ensure_one()
        return self.display_name

    def _check_submit(self):
        """Hook: raise when the request is not complete enough to submit."""

    def _on_approved(self):
        """Hook: what approval does (grant, set a grade, lock amounts)."""

    def _on_rejected(self):
        """Hook: what rejection does."""

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------
    def _approval_free_fields(self):
        """Fields a decided request may still change (APR-3)."""
        return _WORKFLOW_FIELDS | {
            name
            for name in self._fields
            if name.startswith(("message_", "activity_", "website_message"))
        }

    def _transition_message(self, reason):
        return {
            "already_approved": self.env._("%(name)s is already approved.", name=self.display_name),
            "already_rejected": self.env._(
                "%(name)s was rejected; reset it to draft and submit it again.",
                name=self.display_name,
            ),
            "not_submitted": self.env._(
                "%(name)s must be submitted before it can be decided.",
                name=self.display_name,
            ),
            "not_draft": self.env._(
                "Only a draft can be submitted (%(name)s).", name=self.display_name
            ),
            "locked": self.env._(
                "%(name)s is approved and locked: an approved request cannot be cancelled.",
                name=self.display_name,
            ),
        }.get(
            reason,
            self.env._(
                "This action is not possible in the state %(state)s (%(name)s).",
                state=dict(self._fields["state"]._description_selection(self.env)).get(self.state),
                name=self.display_name,
            ),
        )

    def _check_transition(self, action):
        for record in self:
            reason = apr.transition_error(action, record.state)
            if reason:
                raise UserError(record._transition_message(reason))

    def _decision_error(self):
        self.ensure_one()
        reason = apr.decision_error(
            self.env.uid,
            self._get_approvers().ids,
            self.submitted_by_id.id,
            self._get_concerned_users().ids,
        )
        if not reason:
            return None
        return {
            "own_submission": self.env._(
                "Segregation of duties (APR-4): you submitted %(name)s, so you cannot decide it.",
                name=self.display_name,
            ),
            "concerns_self": self.env._(
                "Segregation of duties (APR-4): %(name)s concerns you, so you cannot decide it.",
                name=self.display_name,
            ),
            "not_approver": self.env._(
                "You are not an approver of %(name)s (APR-2). It is decided by: %(approvers)s.",
                name=self.display_name,
                approvers=", ".join(self._get_approvers().mapped("name")) or "-",
            ),
        }[reason]

    def _check_can_decide(self):
        for record in self:
            error = record._decision_error()
            if error:
                raise AccessError(error)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # APR-1: a request starts as a draft; only data files, loaded by the
        # superuser, may create one in another state (demo data)
        if not self.env.su and not self.env.context.get("sales_approval_transition"):
            for vals in vals_list:
                decided = set(vals) & (_WORKFLOW_FIELDS - {"state"})
                if vals.get("state", "draft") != "draft" or any(vals[f] for f in decided):
                    raise UserError(
                        self.env._(
                            "A request is created as a draft and then submitted; its state "
                            "and decision are set by the approval buttons (APR-1)."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and not self.env.context.get("sales_approval_transition"):
            raise UserError(
                self.env._(
                    "The state of a request changes only through its buttons "
                    "(submit, approve, reject, cancel, reset to draft)."
                )
            )
        if not self.env.context.get("sales_approval_transition"):
            changed = set(vals) - self._approval_free_fields()
            locked = self.filtered(lambda r: r.state not in ("draft",))
            if changed and locked:
                names = ", ".join(
                    self._fields[name].get_description(self.env)["string"]
                    for name in sorted(changed)
                    if name in self._fields
                )
                raise UserError(
                    self.env._(
                        "%(name)s is %(state)s and locked (APR-3): %(fields)s can only be "
                        "changed on a draft.",
                        name=locked[0].display_name,
                        state=dict(self._fields["state"]._description_selection(self.env)).get(
                            locked[0].state
                        ),
                        fields=names,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        for record in self:
            if record.state not in self._approval_deletable_states:
                raise UserError(
                    self.env._(
                        "%(name)s cannot be deleted (APR-3): requests and their decisions "
                        "are kept. Cancel it instead while it is undecided.",
                        name=record.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _set_state(self, vals):
        return self.with_context(sales_approval_transition=True).write(vals)

    def action_submit(self):
        self._check_transition("submit")
        for record in self:
            record._check_submit()
            approvers = record._get_approvers() - record._get_concerned_users() - self.env.user
            if not approvers:
                raise UserError(
                    self.env._(
                        "Nobody can approve %(name)s: no user holds the approver role for it "
                        "other than you or the people it concerns. Ask an administrator to "
                        "assign the role.",
                        name=record.display_name,
                    )
                )
            record._set_state(
                {
                    "state": "submitted",
                    "submitted_by_id": self.env.uid,
                    "submitted_on": fields.Datetime.now(),
                    "decided_by_id": False,
                    "decided_on": False,
                    "reject_reason": False,
                }
            )
            for approver in approvers:
                record.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Decide: %(name)s", name=record._approval_title()),
                    note=self.env._(
                        "Submitted by %(user)s for your decision.", user=self.env.user.name
                    ),
                    user_id=approver.id,
                )
            record.message_post(
                body=self.env._(
                    "Submitted by %(user)s to %(approvers)s.",
                    user=self.env.user.name,
                    approvers=", ".join(approvers.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _close_activities(self, feedback):
        """Close the decision to-dos: the decider's is marked done with the
        decision; the other approvers' are removed, the decision being on the
        chatter. Those belong to other users, hence sudo, on these records only."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities = self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == todo)
        mine = activities.filtered(lambda a: a.user_id == self.env.user)
        (activities - mine).unlink()
        if mine:
            mine.action_feedback(feedback=feedback)

    def action_approve(self):
        self._check_transition("approve")
        self._check_can_decide()
        for record in self:
            record._set_state(
                {
                    "state": "approved",
                    "decided_by_id": self.env.uid,
                    "decided_on": fields.Datetime.now(),
                }
            )
            message = self.env._("Approved by %(user)s.", user=self.env.user.name)
            record._close_activities(message)
            record.message_post(body=message, subtype_xmlid="mail.mt_note")
        self._on_approved()
        return True

    def action_reject(self, reason=None):
        """Reject with a reason (APR-1); without one, open the reason wizard."""
        if reason is None:
            self._check_transition("reject")
            self._check_can_decide()
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Reject"),
                "res_model": "sales.approval.reject.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {"default_res_model": self._name, "default_res_ids": self.ids},
            }
        if apr.reject_reason_error(reason):
            raise ValidationError(
                self.env._("A rejection needs a reason (APR-1): write why it is rejected.")
            )
        self._check_transition("reject")
        self._check_can_decide()
        for record in self:
            record._set_state(
                {
                    "state": "rejected",
                    "decided_by_id": self.env.uid,
                    "decided_on": fields.Datetime.now(),
                    "reject_reason": reason.strip(),
                }
            )
            message = self.env._(
                "Rejected by %(user)s. Reason: %(reason)s",
                user=self.env.user.name,
                reason=reason.strip(),
            )
            record._close_activities(message)
            record.message_post(body=message, subtype_xmlid="mail.mt_note")
        self._on_rejected()
        return True

    def _check_owner_or_approver(self, action_label):
        for record in self:
            owners = record.create_uid | record.submitted_by_id | record._get_concerned_users()
            if self.env.user not in owners and self.env.user not in record._get_approvers():
                raise AccessError(
                    self.env._(
                        "Only the author of %(name)s or its approvers may %(action)s it.",
                        name=record.display_name,
                        action=action_label,
                    )
                )

    def action_cancel(self):
        self._check_transition("cancel")
        self._check_owner_or_approver(self.env._("cancel"))
        for record in self:
            record._set_state({"state": "cancelled"})
            message = self.env._("Cancelled by %(user)s.", user=self.env.user.name)
            record._close_activities(message)
            record.message_post(body=message, subtype_xmlid="mail.mt_note")
        return True

    def action_draft(self):
        self._check_transition("draft")
        self._check_owner_or_approver(self.env._("reset"))
        for record in self:
            record._set_state(
                {
                    "state": "draft",
                    "decided_by_id": False,
                    "decided_on": False,
                    "submitted_by_id": False,
                    "submitted_on": False,
                }
            )
            record.message_post(
                body=self.env._("Reset to draft by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True
