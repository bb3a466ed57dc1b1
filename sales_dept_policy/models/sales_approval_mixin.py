# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..policy import approval as apr

#: Fields a request may change whatever its state: the workflow's own and the
#: chatter's. Everything else stored and typed in is what was approved (APR-3).
WORKFLOW_FIELDS = _WORKFLOW_FIELDS = frozenset(
    {
        "state",
        "submitted_by_id",
        "submitted_on",
        "decided_by_id",
        "decided_on",
        "reject_reason",
        "approval_step",
        "reviewed_by_id",
        "reviewed_on",
    }
)


class SalesApprovalMixin(models.AbstractModel):
    """One approval flow for every request of the policy (APR-1..4).

    A model inheriting this says only who approves it (``_get_approvers``) and
    whom it concerns (``_get_concerned_users``); the mixin gives it the states,
    the actions, the approvers' activities, a chatter message for every
    decision, the segregation-of-duties guard and the lock on approved and
    decided records. Every guard runs server side, in the methods.

    APR-5: guards decide from who the user is and what the record says, never
    from the context or the arguments a client sends. Each action checks first,
    then writes through ``_approval_write`` (as superuser for that one write,
    the acting user staying ``env.user``), the only path that may set a state or
    a decision; ``create`` and ``write`` refuse them to everyone else. When the
    approvers the model names can no longer decide (archived, group removed),
    ``_get_fallback_approvers`` names who does, and the decision to-dos move.
    """

    _name = "sales.approval.mixin"
    _description = "Sales Policy Approval Flow"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.policy.guard"]

    #: APR-5: the decision is the flow's: its fields are written by the
    #: transitions only (``_approval_write``), never by a client
    _policy_protected_fields = _WORKFLOW_FIELDS
    _policy_guard_messages = True

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
    approval_step = fields.Char(
        readonly=True,
        copy=False,
        help="APR-1: for a request decided in ordered steps, the step waiting for a decision.",
    )
    reviewed_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        help="APR-1: who approved the earlier step of a request decided in two steps (e.g. "
        "the sales manager's review before the general manager's approval).",
    )
    reviewed_on = fields.Datetime(readonly=True, copy=False)
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
            record.approver_ids = record._current_approvers()

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

    #: the group that decides each step of a request decided in steps (APR-1, APR-2):
    #: sales managers review; the general managers and their deputies (members of
    #: the group) approve; "confirm" is either (general managers are sales managers)
    _approval_step_groups = {
        "manager": "sales_dept_policy.group_sales_manager",
        "general_manager": "sales_dept_policy.group_general_manager",
        "confirm": "sales_dept_policy.group_sales_manager",
    }

    def _approval_steps(self):
        """Hook: the ordered steps of this request's decision (APR-1), e.g. a review
        then an approval; each step's approvers are the members of its group in
        ``_approval_step_groups`` (``_step_approvers``). Empty: one decision."""
        return ()

    def _step_approvers(self):
        """APR-2: the members of the group deciding the current step (the first one
        while the request is a draft)."""
        self.ensure_one()
        steps = self._approval_steps()
        step = self.approval_step or (steps[0] if steps else False)
        if not step:
            return self.env["res.users"]
        return self.env.ref(self._approval_step_groups[step]).sudo().all_user_ids

    def _step_label(self, step):
        """The name of a step, in the reader's language."""
        return {
            "manager": self.env._("The sales manager's review"),
            "general_manager": self.env._("The general manager's approval"),
            "confirm": self.env._("The approval of the terms"),
        }.get(step, step)

    def _on_step_approved(self, step):
        """Hook: an earlier step was approved; the request waits for the next one."""

    def _get_fallback_approvers(self):
        """Who decides when none of ``_get_approvers`` still can (APR-5): the general
        managers, who decide what the policy does not give to anyone else."""
        return self.env.ref("sales_dept_policy.group_general_manager").sudo().all_user_ids

    def _get_concerned_users(self):
        """Return the users this request is about: they never decide it (APR-4)."""
        return self.env["res.users"]

    def _current_approvers(self, submitter=None):
        """The users who may decide this request now (APR-2, APR-4, APR-5).

        The model's approvers who are still active internal users, less the
        submitter and the people the request concerns; when none is left, the
        fallback approvers. Decided from the records, whatever the context.
        """
        self.ensure_one()
        submitter = self.submitted_by_id if submitter is None else submitter
        # APR-4: nor who decided an earlier step: each step is another person's
        excluded = self._get_concerned_users() | submitter | self.reviewed_by_id

        def able(users):
            return users.sudo().filtered(lambda u: u.active and not u.share) - excluded

        return (able(self._get_approvers()) or able(self._get_fallback_approvers())).with_env(
            self.env
        )

    def _approval_title(self):
        """A short label of the request for activities and messages."""
        self.ensure_one()
        return self.display_name

    def _check_submit(self):
        """Hook: raise when the request is not complete enough to submit."""

    def _prepare_submit_vals(self):
        """Hook: what submitting records beside the state (the plan, the approver)."""
        return {}

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

    def _lock_for_transition(self):
        """APR-1, APR-3: one decision at a time. Lock these requests' rows until the
        transaction ends, then read their flow's fields again, as stored.

        Two users deciding the same request at once, in two workers or servers:
        the second waits here for the first to commit; PostgreSQL then refuses
        its snapshot (a serialization failure, which Odoo retries) and the retry
        finds the request decided ("already approved"). The row is locked before
        anything else is read or written, so a decision never writes half of
        itself before failing, and every transition takes its locks in the same
        order (the request first). ``FOR NO KEY UPDATE``: the lock a write of
        non-key fields takes, which lets others insert rows that reference it."""
        ids = tuple(id_ for id_ in self.ids if id_)
        if not ids:
            return
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE",
                SQL.identifier(self._table),
                ids,
            ),
            # the waiting decision's expected failure is retried, not an error
            log_exceptions=False,
        )
        self.invalidate_recordset([name for name in _WORKFLOW_FIELDS if name in self._fields])

    def _check_transition(self, action, lock=True):
        """Raise unless ``action`` is possible in each record's state; with ``lock``
        (every transition), after locking them (``_lock_for_transition``)."""
        if lock:
            self._lock_for_transition()
        for record in self:
            reason = apr.transition_error(action, record.state)
            if reason:
                raise UserError(record._transition_message(reason))

    def _decision_error(self):
        self.ensure_one()
        reason = apr.decision_error(
            self.env.uid,
            self._current_approvers().ids,
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
                approvers=", ".join(self._current_approvers().mapped("name")) or "-",
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
        # APR-1, APR-5: a request starts as a draft, undecided; only data files,
        # loaded by the superuser, create one in another state (demo data); a
        # client's context defaults none of the flow's fields either (the guard's
        # default_get)
        if not self.env.su:
            for vals in vals_list:
                decided = {name for name in _WORKFLOW_FIELDS - {"state"} if vals.get(name)}
                if vals.get("state", "draft") != "draft" or decided:
                    raise UserError(
                        self.env._(
                            "A request is created as a draft and then submitted; its state "
                            "and decision are set by the approval buttons (APR-1, APR-5)."
                        )
                    )
            self._check_policy_write(
                [
                    {name: value for name, value in vals.items() if value and name != "state"}
                    for vals in vals_list
                ]
            )
        return super().create(vals_list)

    def write(self, vals):
        # APR-3, APR-5: for every caller, the superuser's public write included;
        # the flow itself writes through _approval_write
        self._check_policy_write([vals], allow_su=False)
        self._check_approval_lock(vals)
        return super().write(vals)

    def _check_approval_lock(self, vals):
        """APR-3: a submitted or decided request changes only in its free fields."""
        changed = set(vals) - self._approval_free_fields()
        locked = self.filtered(lambda r: r.state != "draft")
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

    def _check_lines_editable(self, message, name_key="name"):
        """APR-3: the lines of a submitted or decided request are locked with it.
        ``message``: the line model's own words, translated, with ``%(<name_key>)s``
        for the request and ``%(state)s`` for its state. The superuser (the flow's
        own writes) passes."""
        if self.env.su:
            return
        locked = self.filtered(lambda r: r.state != "draft")
        if locked:
            state = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                message % {name_key: locked[0].display_name, "state": state.get(locked[0].state)}
            )

    def message_post(self, **kwargs):
        # APR-5: a message on a request is the poster's own, posted now
        self._check_policy_message_values(kwargs)
        return super().message_post(**kwargs)

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
    def _approval_write(self, vals):
        """The flow's own write (APR-5), after the action's checks: through the
        parent class's ``write``, past the guards of the public one, as the acting
        user (``env.user``, recorded in ``write_uid`` and the tracking). Private:
        no client reaches it, whatever context it sends."""
        return super().write(vals)

    def _check_requester_access(self):
        """Submitting, cancelling and resetting act on the request as its author
        would: the user must be allowed to write it (rules and access rights)."""
        self.check_access("write")

    def action_submit(self):
        self._check_transition("submit")
        self._check_requester_access()
        decision = self.env.ref("sales_dept_policy.mail_activity_type_decision")
        for record in self:
            record._check_submit()
            approvers = record._current_approvers(submitter=self.env.user)
            if not approvers:
                raise UserError(
                    self.env._(
                        "Nobody can approve %(name)s: no user holds the approver role for it "
                        "other than you or the people it concerns. Ask an administrator to "
                        "assign the role.",
                        name=record.display_name,
                    )
                )
            steps = record._approval_steps()
            record._approval_write(
                {
                    **record._prepare_submit_vals(),
                    "state": "submitted",
                    "submitted_by_id": self.env.uid,
                    "submitted_on": fields.Datetime.now(),
                    "decided_by_id": False,
                    "decided_on": False,
                    "reject_reason": False,
                    "approval_step": steps[0] if steps else False,
                    "reviewed_by_id": False,
                    "reviewed_on": False,
                }
            )
            for approver in approvers:
                record._schedule_decision(approver, decision)
            record.message_post(
                body=self.env._(
                    "Submitted by %(user)s to %(approvers)s.",
                    user=self.env.user.name,
                    approvers=", ".join(approvers.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _schedule_decision(self, approver, decision=None):
        """Give ``approver`` the decision to-do of this request (APR-2)."""
        self.ensure_one()
        decision = decision or self.env.ref("sales_dept_policy.mail_activity_type_decision")
        submitter = self.submitted_by_id or self.env.user
        # in the approver's language, not the submitter's
        local = self.with_context(lang=approver.lang or self.env.lang)
        # the approver's to-do, created whoever acts (the submitter, or whoever
        # archived the previous approver, APR-5): on this record only
        self.sudo().activity_schedule(
            activity_type_id=decision.id,
            summary=local.env._("Decide: %(name)s", name=local._approval_title()),
            note=local.env._("Submitted by %(user)s for your decision.", user=submitter.name),
            user_id=approver.id,
        )

    def _decision_activities(self):
        decision = self.env.ref("sales_dept_policy.mail_activity_type_decision")
        return self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == decision)

    def _close_activities(self, feedback):
        """Close the decision to-dos: the decider's is marked done with the
        decision; the other approvers' are removed, the decision being on the
        chatter. Those belong to other users, hence sudo, on these records only."""
        activities = self._decision_activities()
        mine = activities.filtered(lambda a: a.user_id == self.env.user)
        (activities - mine).unlink()
        if mine:
            mine.action_feedback(feedback=feedback)

    def _sync_decision_activities(self):
        """APR-5: the decision to-dos of submitted requests are with the users who
        can decide them now; an approver who left hands theirs on."""
        for record in self.filtered(lambda r: r.state == "submitted"):
            approvers = record._current_approvers()
            activities = record._decision_activities()
            gone = activities.filtered(lambda a, ok=approvers: a.user_id not in ok)
            if not gone and activities:
                continue
            gone_users = gone.user_id
            gone.unlink()
            for approver in approvers - (activities - gone).user_id:
                record._schedule_decision(approver)
            if gone_users:
                record.message_post(
                    body=self.env._(
                        "%(gone)s can no longer decide this request (APR-5): it now waits "
                        "for %(approvers)s.",
                        gone=", ".join(gone_users.mapped("name")),
                        approvers=", ".join(approvers.mapped("name")) or "-",
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    @api.model
    def _cron_sync_decisions(self):
        """APR-5, daily: requests whose approvers left are handed to who decides now."""
        for model in self.env.registry.descendants(["sales.approval.mixin"], "_inherit"):
            Model = self.env[model]
            if Model._abstract:
                continue
            Model.search([("state", "=", "submitted")])._sync_decision_activities()

    def action_approve(self):
        self._check_transition("approve")
        self._check_can_decide()
        approved = self.browse()
        for record in self:
            steps = record._approval_steps()
            if steps and record.approval_step in steps[:-1]:
                record._approve_step(steps)
                continue
            approved |= record
            record._approval_write(
                {
                    "state": "approved",
                    "decided_by_id": self.env.uid,
                    "decided_on": fields.Datetime.now(),
                }
            )
            message = self.env._("Approved by %(user)s.", user=self.env.user.name)
            record._close_activities(message)
            record.message_post(body=message, subtype_xmlid="mail.mt_note")
        approved._on_approved()
        return True

    def _approve_step(self, steps):
        """APR-1: an earlier step approved: the request goes to the next step's
        approvers, with their to-dos; the decider of this step decides no later one."""
        self.ensure_one()
        step = self.approval_step
        next_step = steps[steps.index(step) + 1]
        self._approval_write(
            {
                "approval_step": next_step,
                "reviewed_by_id": self.env.uid,
                "reviewed_on": fields.Datetime.now(),
            }
        )
        approvers = self._current_approvers()
        message = self.env._(
            "%(step)s approved by %(user)s; now waits for %(next)s: %(approvers)s.",
            step=self._step_label(step),
            user=self.env.user.name,
            next=self._step_label(next_step),
            approvers=", ".join(approvers.mapped("name")) or "-",
        )
        self._close_activities(message)
        self.message_post(body=message, subtype_xmlid="mail.mt_note")
        for approver in approvers:
            self._schedule_decision(approver)
        self._on_step_approved(step)

    def action_reject(self, reason=None):
        """Reject with a reason (APR-1); without one, open the reason wizard."""
        if reason is None:
            # only opens the reason wizard: nothing is decided yet, nothing locked
            self._check_transition("reject", lock=False)
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
            record._approval_write(
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
            if self.env.user not in owners and self.env.user not in record._current_approvers():
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
            record._approval_write({"state": "cancelled"})
            message = self.env._("Cancelled by %(user)s.", user=self.env.user.name)
            record._close_activities(message)
            record.message_post(body=message, subtype_xmlid="mail.mt_note")
        return True

    def action_draft(self):
        self._check_transition("draft")
        self._check_owner_or_approver(self.env._("reset"))
        for record in self:
            record._approval_write(
                {
                    "state": "draft",
                    "decided_by_id": False,
                    "decided_on": False,
                    "submitted_by_id": False,
                    "submitted_on": False,
                    "approval_step": False,
                    "reviewed_by_id": False,
                    "reviewed_on": False,
                }
            )
            record.message_post(
                body=self.env._("Reset to draft by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True
