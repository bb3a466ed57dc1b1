# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..policy import activity as vis

#: VIS-1: the kinds of visit record, from the policy
VISIT_KINDS = list(vis.KIND_LABELS)

#: What the salesperson reports once the visit is done (VIS-1, VIS-3).
_REPORT_FIELDS = frozenset(
    {
        "outcome",
        "customer_requests",
        "next_steps",
        "contact_name",
        "contact_phone",
        "contact_email",
        "contact_qq",
        "contact_wechat",
        "interested",
        "proposal_sent",
        "customer_requested",
        "urgent",
    }
)
_REVIEW_FIELDS = frozenset({"review_comment", "reviewed_by_id", "reviewed_on"})


class SalesVisit(models.Model):
    """VIS-1..5: a customer visit, planned with a purpose, reported, reviewed.

    Flow (VIS-2): planned → done (outcome required) → submitted → reviewed by a
    sales manager with a comment, never by the visit's own salesperson. A
    salesperson logs visits only as themselves and only for customers they may
    read (the archive rules hold); sales managers log for their team. Whether it
    counts toward the activity targets is ``policy.activity.effective_reason``.
    """

    _name = "sales.visit"
    _description = "Customer Visit"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "sales.policy.guard",
        "sales.territory.work.mixin",
    ]
    _order = "date_planned desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["partner_id"]

    #: APR-5: the flow's state, review and territory approval are written by its
    #: buttons only; whether a visit counts (VIS-3) and its territory flag (TER-3)
    #: are computed
    _policy_protected_fields = frozenset(
        {
            "state",
            "reviewed_by_id",
            "reviewed_on",
            "territory_requested_on",
            "territory_approved_by_id",
            "territory_approved_on",
        }
    )
    _policy_guard_messages = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("customer_archive", "=", True), ("parent_id", "=", False)],
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(VISIT_KINDS, required=True, default="onsite", tracking=True)
    date_planned = fields.Datetime(
        string="Planned Date", required=True, index=True, default=fields.Datetime.now
    )
    purpose = fields.Text(required=True, help="VIS-1: what the visit is for, set before it.")
    preparation = fields.Text()
    outcome = fields.Text(help="VIS-2: what was discussed and its result (沟通内容和结果).")
    customer_requests = fields.Text(
        help="VIS-5: one request a line; each becomes a follow-up activity of the salesperson."
    )
    next_steps = fields.Text()
    contact_name = fields.Char(string="Contact Person")
    contact_phone = fields.Char(string="Direct Phone / Mobile")
    contact_email = fields.Char(string="Contact E-mail")
    contact_qq = fields.Char(
        string="Contact QQ", help="VIS-3: the contact's QQ number, a direct contact."
    )
    contact_wechat = fields.Char(
        string="Contact WeChat",
        help="VIS-3: the contact's WeChat id (微信号), a direct contact.",
    )
    interested = fields.Boolean(string="Contact Interested")
    proposal_sent = fields.Boolean()
    customer_requested = fields.Boolean(
        string="Requested by Customer", help="VIS-3: the customer asked for this meeting."
    )
    is_effective = fields.Boolean(
        string="Effective",
        compute="_compute_effective",
        store=True,
        index=True,
        help="VIS-3: counts toward the activity targets.",
    )
    ineffective_reason = fields.Char(
        string="Why It Does Not Count", compute="_compute_ineffective_reason"
    )
    effective_code = fields.Char(compute="_compute_effective", store=True)
    urgent = fields.Boolean(help="VIS-2: an urgent report notifies the manager at once (急务).")
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("done", "Done"),
            ("submitted", "Report Submitted"),
            ("reviewed", "Reviewed"),
        ],
        default="planned",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    review_comment = fields.Text(tracking=True)
    reviewed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    reviewed_on = fields.Datetime(readonly=True, copy=False)
    plan_line_id = fields.Many2one("sales.visit.plan.line", index="btree_not_null", copy=False)
    territory_requested_on = fields.Datetime(
        string="Territory Approval Requested On",
        readonly=True,
        copy=False,
        help="TER-3: when the salesperson asked the sales managers to approve this visit "
        "outside their territories.",
    )
    territory_approved_by_id = fields.Many2one(
        "res.users",
        string="Out of Territory Approved By",
        readonly=True,
        copy=False,
        tracking=True,
        help="TER-3: the sales manager who approved this visit outside the salesperson's "
        "territories; without it, such a visit cannot be done.",
    )
    territory_approved_on = fields.Datetime(
        string="Out of Territory Approved On", readonly=True, copy=False
    )

    def init(self):
        res = super().init()
        # VIS-4: the counters of effective visits follow this table (at install,
        # whichever of the two tables is made second installs the triggers)
        self.env["sales.activity.count"]._install_triggers()
        return res

    @api.depends("partner_id", "kind")
    @api.depends_context("lang")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for visit in self:
            visit.display_name = " · ".join(
                filter(None, [kinds.get(visit.kind), visit.partner_id.display_name])
            )

    @api.depends(
        "state",
        "kind",
        "contact_name",
        "contact_phone",
        "contact_email",
        "contact_qq",
        "contact_wechat",
        "interested",
        "proposal_sent",
        "customer_requested",
        "partner_id.phone",
        "partner_id.commercial_partner_id.phone",
    )
    def _compute_effective(self):
        for visit in self:
            company = visit.partner_id.commercial_partner_id
            code = vis.effective_reason(
                visit.kind,
                state=visit.state,
                contact_name=visit.contact_name,
                contact_phone=visit.contact_phone,
                contact_email=visit.contact_email,
                customer_phones=[p for p in (visit.partner_id.phone, company.phone) if p],
                contact_qq=visit.contact_qq,
                contact_wechat=visit.contact_wechat,
                interested=visit.interested,
                proposal_sent=visit.proposal_sent,
                customer_requested=visit.customer_requested,
            )
            visit.effective_code = code or False
            visit.is_effective = not code

    @api.depends("effective_code")
    @api.depends_context("lang")
    def _compute_ineffective_reason(self):
        for visit in self:
            sentence = vis.REASONS.get(visit.effective_code)
            # the policy's sentence, in the reader's language (VIS-3)
            visit.ineffective_reason = self.env._(sentence) if sentence else False

    @api.constrains("contact_qq", "contact_wechat")
    def _check_im_ids(self):
        labels = {"qq": self.env._("QQ number"), "wechat": self.env._("WeChat id")}
        for visit in self:
            for kind, value in (("qq", visit.contact_qq), ("wechat", visit.contact_wechat)):
                if vis.im_id_problem(kind, value):
                    raise ValidationError(
                        self.env._(
                            "%(value)s is not a %(kind)s (VIS-3): a QQ number has 5 to 11 "
                            "digits; a WeChat id 6 to 20 letters, digits, _ or -, starting "
                            "with a letter, or the account's mobile number.",
                            value=value,
                            kind=labels[kind],
                        )
                    )

    # ------------------------------------------------------------------
    # Who is who
    # ------------------------------------------------------------------
    def _is_manager(self):
        return self.env["res.users"]._sales_policy_current_is_manager()

    def _get_reviewers(self):
        """VIS-2: the salesperson's manager, else the sales managers."""
        self.ensure_one()
        return self.user_id._sales_policy_reviewers()

    # ------------------------------------------------------------------
    # CRUD and locks
    # ------------------------------------------------------------------
    def _check_logging_rights(self, user_ids, partner_ids):
        """VIS-1: as oneself unless a sales manager; only for readable customers."""
        if set(user_ids) - {self.env.uid} and not self._is_manager():
            raise AccessError(
                self.env._(
                    "You log visits only as yourself; a sales manager logs them for the "
                    "team (VIS-1)."
                )
            )
        # the archive rules hold: no visit of a customer the user may not read
        self.env["res.partner"].browse(partner_ids).check_access("read")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not (vals.get("purpose") or "").strip():
                raise ValidationError(
                    self.env._("Write the Purpose of a visit before planning it (VIS-1).")
                )
            if vals.get("state", "planned") != "planned" and not self.env.su:
                raise UserError(self.env._("A visit is created as planned (VIS-2)."))
        if not self.env.su:
            self._check_policy_write(
                [{k: v for k, v in vals.items() if k != "state"} for vals in vals_list]
            )
            if any(vals.get("review_comment") for vals in vals_list):
                raise UserError(
                    self.env._("A visit is reviewed once its report is submitted (VIS-2).")
                )
        self._check_logging_rights(
            [vals.get("user_id") or self.env.uid for vals in vals_list],
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")],
        )
        return super().create(vals_list)

    def write(self, vals):
        # VIS-2, APR-5: for every caller, the superuser's public write included;
        # the flow itself writes through _set_state
        if "state" in vals:
            raise UserError(self.env._("A visit's state changes only through its buttons (VIS-2)."))
        self._check_policy_write([vals], allow_su=False)
        self._check_report_lock(vals)
        approved = self.browse()
        if {"user_id", "partner_id"} & set(vals):
            self._check_logging_rights(
                [vals["user_id"]] if vals.get("user_id") else [],
                [vals["partner_id"]] if vals.get("partner_id") else [],
            )
            # TER-3: an approval is for that salesperson at that customer
            approved = self.filtered(
                lambda v: (
                    (v.territory_approved_by_id or v.territory_requested_on)
                    and (
                        vals.get("user_id", v.user_id.id) != v.user_id.id
                        or vals.get("partner_id", v.partner_id.id) != v.partner_id.id
                    )
                )
            )
        res = super().write(vals)
        if approved:
            approved._reset_territory_approval()
        return res

    def _check_report_lock(self, vals):
        """VIS-2: a done visit changes only in its report, a submitted one only in
        its review, by the reviewing manager."""
        changed = {f for f in vals if not f.startswith(("message_", "activity_"))}
        for visit in self:
            if visit.state in ("submitted", "reviewed") and changed - _REVIEW_FIELDS:
                raise UserError(
                    self.env._(
                        "%(visit)s is submitted: its report is locked (VIS-2).",
                        visit=visit.display_name,
                    )
                )
            if visit.state == "done" and changed - _REPORT_FIELDS:
                raise UserError(
                    self.env._(
                        "%(visit)s is done: only its report can change (VIS-2).",
                        visit=visit.display_name,
                    )
                )
            if changed & _REVIEW_FIELDS and (
                visit.state != "submitted"
                or self.env.user not in visit._get_reviewers()
                or visit.user_id == self.env.user
            ):
                raise UserError(
                    self.env._(
                        "Only the reviewing manager comments %(visit)s, once it is "
                        "submitted (VIS-2).",
                        visit=visit.display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_planned(self):
        if any(visit.state != "planned" for visit in self):
            raise UserError(
                self.env._("Only a planned visit can be deleted; a report is kept (APR-3).")
            )

    def _set_state(self, vals):
        """The flow's own write (APR-5), after the action's checks: through the
        parent class's ``write``, past the guards of the public one, as the acting
        user. Private: no client reaches it, whatever context it sends."""
        return super().write(vals)

    def message_post(self, **kwargs):
        # APR-5: a message on a visit is the poster's own, posted now
        self._check_policy_message_values(kwargs)
        return super().message_post(**kwargs)

    # ------------------------------------------------------------------
    # Flow (VIS-2, VIS-5)
    # ------------------------------------------------------------------
    def action_done(self):
        self.check_access("write")
        for visit in self:
            if visit.user_id != self.env.user and not self._is_manager():
                raise AccessError(self.env._("Only the salesperson reports their visit (VIS-2)."))
            if visit.state != "planned":
                raise UserError(
                    self.env._(
                        "Only a planned visit can be done (%(visit)s).", visit=visit.display_name
                    )
                )
            if not (visit.outcome or "").strip():
                raise ValidationError(
                    self.env._(
                        "Write the Outcome of %(visit)s before marking it done (VIS-2).",
                        visit=visit.display_name,
                    )
                )
            visit._refresh_out_of_territory()
            if visit.out_of_territory and not visit.territory_approved_by_id:
                raise UserError(
                    self.env._(
                        "%(visit)s is for a customer outside the territories of %(user)s: a "
                        "sales manager approves it before it is done (TER-3). Ask for the "
                        "approval from the visit.",
                        visit=visit.display_name,
                        user=visit.user_id.name,
                    )
                )
            visit._set_state({"state": "done"})
            visit._schedule_follow_ups()
        return True

    def _schedule_follow_ups(self):
        """VIS-5: each customer request (one a line) becomes a to-do of the salesperson."""
        self.ensure_one()
        requests = [r.strip(" -•\t") for r in (self.customer_requests or "").splitlines()]
        for request in filter(None, requests):
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self) + timedelta(days=3),
                summary=self.env._("Follow up: %(request)s", request=request[:100]),
                note=self.env._(
                    "Requested by %(customer)s during %(visit)s.",
                    customer=self.partner_id.display_name,
                    visit=self.display_name,
                ),
                user_id=self.user_id.id,
            )

    def action_submit(self):
        self.check_access("write")
        for visit in self:
            if visit.state != "done":
                raise UserError(
                    self.env._(
                        "Only a done visit's report can be submitted (%(visit)s).",
                        visit=visit.display_name,
                    )
                )
            if visit.user_id != self.env.user and not self._is_manager():
                raise AccessError(self.env._("Only the salesperson submits their report."))
            visit._set_state({"state": "submitted"})
            reviewers = visit._get_reviewers()
            body = self.env._(
                "Report submitted by %(user)s for review by %(reviewers)s.",
                user=self.env.user.name,
                reviewers=", ".join(reviewers.mapped("name")) or "-",
            )
            if visit.urgent:
                # VIS-2: an urgent report reaches the manager at once
                for reviewer in reviewers:
                    visit.activity_schedule(
                        "mail.mail_activity_data_todo",
                        summary=self.env._(
                            "Urgent visit report: %(visit)s", visit=visit.display_name
                        ),
                        note=self.env._("Urgent report from %(user)s.", user=self.env.user.name),
                        user_id=reviewer.id,
                    )
                visit.message_post(
                    body=self.env._("URGENT. %(body)s", body=body),
                    partner_ids=reviewers.partner_id.ids,
                    subtype_xmlid="mail.mt_comment",
                )
            else:
                visit.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def action_review(self, comment=None):
        """VIS-2: a sales manager reviews a submitted report, with a comment."""
        for visit in self:
            if visit.state != "submitted":
                raise UserError(
                    self.env._(
                        "%(visit)s must be submitted before it is reviewed (VIS-2).",
                        visit=visit.display_name,
                    )
                )
            if visit.user_id == self.env.user:
                raise AccessError(
                    self.env._("You cannot review your own visit report (APR-4, VIS-2).")
                )
            if not self._is_manager():
                raise AccessError(self.env._("Only a sales manager reviews visit reports (VIS-2)."))
            text = (comment if comment is not None else visit.review_comment or "").strip()
            if not text:
                raise ValidationError(
                    self.env._(
                        "Write a Review Comment on %(visit)s (VIS-2).", visit=visit.display_name
                    )
                )
            visit._set_state(
                {
                    "state": "reviewed",
                    "review_comment": text,
                    "reviewed_by_id": self.env.uid,
                    "reviewed_on": fields.Datetime.now(),
                }
            )
            visit.activity_ids.filtered(lambda a: a.user_id == self.env.user).action_feedback(
                feedback=text
            )
            visit.message_post(
                body=self.env._(
                    "Reviewed by %(user)s: %(comment)s", user=self.env.user.name, comment=text
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # Out of territory (TER-3, APR-4, APR-5)
    # ------------------------------------------------------------------
    def _territory_approvers(self):
        """TER-3: who approves this visit outside the territories: the
        salesperson's reviewers (their manager, else the sales managers), never
        the salesperson."""
        self.ensure_one()
        return self.user_id._sales_policy_reviewers().filtered(
            lambda u: (
                u != self.user_id
                and u.active
                and u.has_group("sales_dept_policy.group_sales_manager")
            )
        )

    def _check_territory_approvable(self):
        """TER-3: a planned visit outside the territories, not yet approved."""
        self.ensure_one()
        if self.state != "planned":
            raise UserError(
                self.env._(
                    "%(visit)s is no longer planned: an out-of-territory approval comes "
                    "before the visit is done (TER-3).",
                    visit=self.display_name,
                )
            )
        self._refresh_out_of_territory()
        if not self.out_of_territory:
            raise UserError(
                self.env._(
                    "%(visit)s is within the territories of %(user)s: it needs no approval "
                    "(TER-3).",
                    visit=self.display_name,
                    user=self.user_id.name,
                )
            )
        if self.territory_approved_by_id:
            raise UserError(
                self.env._(
                    "%(visit)s is already approved by %(user)s (TER-3).",
                    visit=self.display_name,
                    user=self.territory_approved_by_id.name,
                )
            )

    def _territory_activities(self):
        decision = self.env.ref("sales_dept_policy.mail_activity_type_decision")
        return self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == decision)

    def _schedule_territory_decision(self, approver):
        """TER-3, APR-2: the approver's to-do, created whoever asks: on this
        record only, hence sudo."""
        self.ensure_one()
        self.sudo().activity_schedule(
            "sales_dept_policy.mail_activity_type_decision",
            summary=self.env._("Approve out of territory: %(visit)s", visit=self.display_name),
            note=self.env._(
                "%(user)s plans %(visit)s for a customer outside their territories "
                "(TER-3): approve it before it is done.",
                user=self.user_id.name,
                visit=self.display_name,
            ),
            user_id=approver.id,
        )

    def action_request_territory_approval(self):
        """TER-3: the salesperson asks their reviewers to approve a visit outside
        their territories; each gets a to-do."""
        self.check_access("write")
        for visit in self:
            if visit.user_id != self.env.user and not self._is_manager():
                raise AccessError(
                    self.env._("Only the salesperson asks to approve their visit (TER-3).")
                )
            visit._check_territory_approvable()
            approvers = visit._territory_approvers()
            if not approvers:
                raise UserError(
                    self.env._(
                        "Nobody can approve %(visit)s: no sales manager other than %(user)s "
                        "(TER-3, APR-4). Ask an administrator to assign the role.",
                        visit=visit.display_name,
                        user=visit.user_id.name,
                    )
                )
            waiting = visit._territory_activities().user_id
            for approver in approvers - waiting:
                visit._schedule_territory_decision(approver)
            visit._set_state({"territory_requested_on": fields.Datetime.now()})
            visit.message_post(
                body=self.env._(
                    "Out-of-territory approval asked by %(user)s of %(approvers)s (TER-3).",
                    user=self.env.user.name,
                    approvers=", ".join(approvers.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_approve_out_of_territory(self):
        """TER-3, APR-4: a sales manager other than the visit's salesperson
        approves a planned visit outside the salesperson's territories."""
        self.check_access("write")
        for visit in self:
            if visit.user_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "You cannot approve your own visit outside your territories (APR-4, TER-3)."
                    )
                )
            if not self._is_manager():
                raise AccessError(
                    self.env._("Only a sales manager approves a visit out of territory (TER-3).")
                )
            visit._check_territory_approvable()
            now = fields.Datetime.now()
            visit._set_state(
                {"territory_approved_by_id": self.env.uid, "territory_approved_on": now}
            )
            activities = visit._territory_activities()
            mine = activities.filtered(lambda a: a.user_id == self.env.user)
            (activities - mine).unlink()
            body = self.env._(
                "Out-of-territory visit approved by %(user)s on %(date)s (TER-3).",
                user=self.env.user.name,
                date=fields.Datetime.context_timestamp(visit, now).strftime("%Y-%m-%d %H:%M"),
            )
            if mine:
                mine.action_feedback(feedback=body)
            visit.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def _reset_territory_approval(self):
        """TER-3: a change of salesperson or customer voids the approval and the
        request: they were for the other one."""
        for visit in self:
            visit._territory_activities().unlink()
            visit._set_state(
                {
                    "territory_requested_on": False,
                    "territory_approved_by_id": False,
                    "territory_approved_on": False,
                }
            )
            visit.message_post(
                body=self.env._(
                    "Salesperson or customer changed: the out-of-territory approval is "
                    "void; ask for it again (TER-3)."
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _sync_decision_activities(self):
        """APR-5: the approval to-dos of waiting out-of-territory visits are with
        who can approve them now; an approver who left hands theirs on (called
        by ``res.users`` when an approver is archived or leaves the role)."""
        for visit in self.filtered(
            lambda v: (
                v.state == "planned" and v.territory_requested_on and not v.territory_approved_by_id
            )
        ):
            approvers = visit._territory_approvers()
            activities = visit._territory_activities()
            activities.filtered(lambda a, ok=approvers: a.user_id not in ok).unlink()
            for approver in approvers - visit._territory_activities().user_id:
                visit._schedule_territory_decision(approver)
