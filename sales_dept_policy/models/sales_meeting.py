# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext, is_html_empty
from odoo.tools.misc import clean_context

from ..policy import budget as bud
from ..policy import collections as ord6
from ..policy import meetings as mtg
from .sales_collection_plan import _collection_flush
from .sales_monthly_report import _orders_flush

#: MTG-1: what the calendar event of a meeting is made of
_EVENT_FIELDS = frozenset(
    {"name", "date", "start_hour", "duration", "attendee_ids", "user_id", "state", "agenda"}
)
#: MTG-4: the to-do an owner gets for a decision
_DECISION_TODO = "sales_dept_policy.mail_activity_type_meeting_decision"
#: MTG-2, BUD-3: the budget figures the agenda sums into the company's total
_BUDGET_SUMS = ("budget", "committed", "actual", "used", "signed")


def _is_manager(env):
    return env["res.users"]._sales_policy_current_is_manager()


class SalesMeeting(models.Model):
    """MTG-1..4: a sales meeting (销售例会): monthly, quarterly or annual.

    The monthly meeting is of the sales department, on a day the manager sets;
    the quarterly one is on the 15th of the month after the quarter ends; the
    annual one on the manager's day. Attendees come by role (the sales department
    for a monthly meeting; the groups of the Settings for the others). Each
    meeting is an Odoo calendar event, kept in step with it, so that it shows in
    every attendee's calendar. Fifteen days before a quarterly or annual meeting
    a scheduled job sends its agenda to every attendee, in their language, with
    the figures it is to review (``_agenda_data``). Minutes are written on the
    meeting; closing it turns each decision into its owner's to-do.

    Access: sales managers (and the general managers) create, edit and close
    meetings; an attendee reads the meetings they are invited to, and a
    decision's owner the meeting that decided it (record rules). The state, the
    calendar event and the agenda's sending are the policy's (APR-5).
    """

    _name = "sales.meeting"
    _description = "Sales Meeting"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.policy.guard"]
    _order = "date desc, id desc"
    _check_company_auto = True

    #: APR-5: written by the meeting's own actions only
    _policy_protected_fields = frozenset(
        {"state", "agenda_sent_on", "calendar_event_id", "held_on", "closed_by_id"}
    )
    _policy_guard_messages = True
    #: attendees discuss the meeting on its chatter, which they read only
    _mail_post_access = "read"

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        help="The meeting's title, as the calendar shows it.",
    )
    kind = fields.Selection(
        selection=list(mtg.KIND_LABELS),
        required=True,
        default="monthly",
        index=True,
        tracking=True,
        help="MTG-1: monthly (the sales department), quarterly (the 15th after the quarter "
        "ends) or annual.",
    )
    date = fields.Date(
        compute="_compute_date",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        help="MTG-1: the day of the meeting. A quarterly meeting is proposed on the 15th "
        "of the month after the quarter; the manager sets the day of the others.",
    )
    start_hour = fields.Float(
        string="Start Time",
        default=lambda self: self._default_start_hour(),
        help="MTG-1: when the meeting starts, in the company's time zone.",
    )
    duration = fields.Float(
        default=mtg.DEFAULT_MEETING_DURATION, help="MTG-1: how long it lasts, in hours."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Organizer",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="The manager who calls and chairs the meeting; the organizer of its calendar "
        "event and the sender of its agenda.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        selection=[("planned", "Planned"), ("held", "Held"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    period_start = fields.Date(
        string="Reviewed From",
        compute="_compute_period",
        store=True,
        readonly=False,
        precompute=True,
        help="MTG-2: the first day of the period the meeting reviews: the month before a "
        "monthly meeting, the last quarter ended before a quarterly one, the year of an "
        "annual one.",
    )
    period_end = fields.Date(
        string="Reviewed Until",
        compute="_compute_period",
        store=True,
        readonly=False,
        precompute=True,
        help="MTG-2: the first day after the reviewed period.",
    )
    attendee_ids = fields.Many2many(
        "res.users",
        "sales_meeting_attendee_rel",
        "meeting_id",
        "user_id",
        string="Attendees",
        compute="_compute_attendee_ids",
        store=True,
        readonly=False,
        precompute=True,
        domain=[("share", "=", False)],
        help="MTG-1: invited by role: the sales department to a monthly meeting; the "
        "members of the groups set in Settings to a quarterly or annual one. The manager "
        "may add or remove people.",
    )
    calendar_event_id = fields.Many2one(
        "calendar.event",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="MTG-1: the meeting in the attendees' Odoo calendars, kept in step with it.",
    )
    agenda = fields.Html(
        help="MTG-2: the items to discuss. The agenda sent to the attendees adds the "
        "figures of the reviewed period and the open decisions of the last meeting."
    )
    agenda_preview = fields.Html(
        string="Figures to Review",
        compute="_compute_agenda_preview",
        sanitize=False,
        groups="sales_dept_policy.group_sales_manager",
        help="MTG-2: the figures and open decisions the agenda will carry, as of now.",
    )
    agenda_sent_on = fields.Datetime(
        readonly=True,
        copy=False,
        help="MTG-2: when the agenda was sent to the attendees (by the scheduled job "
        "15 days before a quarterly or annual meeting, or by the manager).",
    )
    agenda_due_date = fields.Date(
        compute="_compute_agenda_due_date",
        help="MTG-2: the day the scheduled job sends the agenda.",
    )
    minutes = fields.Html(help="MTG-4: what was discussed and concluded.")
    decision_ids = fields.One2many("sales.meeting.decision", "meeting_id", string="Decisions")
    decision_count = fields.Integer(compute="_compute_decision_count")
    held_on = fields.Datetime(readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    previous_meeting_id = fields.Many2one(
        "sales.meeting",
        compute="_compute_previous_meeting_id",
        help="MTG-4: the last meeting held before this one, whose open decisions come up again.",
    )
    open_decision_ids = fields.Many2many(
        "sales.meeting.decision",
        string="Open Decisions of the Last Meeting",
        compute="_compute_previous_meeting_id",
        help="MTG-4: the decisions of the previous meeting that are not done yet.",
    )
    member_ids = fields.One2many(
        "sales.meeting.member",
        "meeting_id",
        string="Department",
        groups="sales_dept_policy.group_sales_manager",
        help="MTG-3: for a monthly meeting, every salesperson of the department with their "
        "plan, summary, collection plan, attainment and what is behind.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _default_start_hour(self):
        param = self.env["ir.config_parameter"].sudo().get_param("sales_dept_policy.meeting_hour")
        try:
            return float(param) if param else mtg.DEFAULT_MEETING_HOUR
        except ValueError:
            return mtg.DEFAULT_MEETING_HOUR

    @api.depends("kind", "period_start")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for meeting in self:
            meeting.name = self.env._(
                "%(kind)s sales meeting %(period)s",
                kind=kinds.get(meeting.kind, ""),
                period=mtg.period_label(meeting.kind, meeting.period_start),
            ).strip()

    @api.depends("kind")
    def _compute_date(self):
        for meeting in self:
            if meeting.kind == "quarterly":
                today = (meeting.company_id or self.env.company)._sales_policy_today()
                meeting.date = mtg.default_meeting_date("quarterly", today)
            else:
                # MTG-1: the manager sets the day of a monthly or annual meeting
                meeting.date = meeting.date

    @api.depends("kind", "date")
    def _compute_period(self):
        for meeting in self:
            period = mtg.reviewed_period(meeting.kind, meeting.date)
            meeting.period_start, meeting.period_end = period or (False, False)

    @api.depends("kind", "company_id")
    def _compute_attendee_ids(self):
        for meeting in self:
            meeting.attendee_ids = meeting._attendees_by_role()

    @api.depends("date")
    def _compute_agenda_due_date(self):
        days = self._agenda_days()
        for meeting in self:
            due = meeting.kind in mtg.AGENDA_KINDS and meeting.date
            meeting.agenda_due_date = mtg.agenda_due_day(meeting.date, days) if due else False

    def _compute_decision_count(self):
        groups = self.env["sales.meeting.decision"]._read_group(
            [("meeting_id", "in", self.ids)], ["meeting_id"], ["__count"]
        )
        counts = {meeting.id: count for meeting, count in groups}
        for meeting in self:
            meeting.decision_count = counts.get(meeting.id, 0)

    @api.depends("date", "company_id")
    def _compute_previous_meeting_id(self):
        """MTG-4: one search for the meetings held before any of ``self``."""
        dated = self.filtered("date")
        held = self.browse()
        if dated:
            held = self.search(
                [
                    ("state", "=", "held"),
                    ("company_id", "in", dated.company_id.ids),
                    ("date", "<=", max(dated.mapped("date"))),
                ],
                order="date desc, id desc",
            )
        for meeting in self:
            previous = next(
                (
                    m
                    for m in held
                    if m.company_id == meeting.company_id
                    and m.id != meeting._origin.id
                    and meeting.date
                    and (m.date, m.id) < (meeting.date, meeting._origin.id or float("inf"))
                ),
                self.browse(),
            )
            meeting.previous_meeting_id = previous
            meeting.open_decision_ids = previous.decision_ids.filtered(lambda d: d.state == "open")

    def _compute_agenda_preview(self):
        for meeting in self:
            if meeting.date and meeting.period_start:
                meeting.agenda_preview = meeting._agenda_body(meeting._agenda_data(), full=False)
            else:
                meeting.agenda_preview = False

    # ------------------------------------------------------------------
    # MTG-1: attendees by role
    # ------------------------------------------------------------------
    def _attendees_by_role(self):
        """MTG-1: the sales department (salespeople with their managers and the general
        managers) for a monthly meeting; the members of the company's meeting groups
        (Settings) for a quarterly or annual one. Active internal users of the
        meeting's company only."""
        self.ensure_one()
        company = self.company_id or self.env.company
        if self.kind == "monthly":
            groups = self.env.ref("sales_dept_policy.group_salesperson")
        else:
            groups = company._sales_meeting_groups()
        users = groups.sudo().all_user_ids.filtered(
            lambda u: u.active and not u.share and company in u.company_ids
        )
        return users.with_env(self.env)

    @api.model
    def _agenda_days(self):
        param = self.env["ir.config_parameter"].sudo().get_param("sales_dept_policy.agenda_days")
        return int(param) if param and str(param).isdigit() else mtg.DEFAULT_AGENDA_DAYS

    # ------------------------------------------------------------------
    # MTG-2: the agenda's figures, as plain rows
    # ------------------------------------------------------------------
    def _agenda_data(self):
        """MTG-2: what the agenda of this meeting carries, as plain values (no
        records): the reviewed period, per salesperson and for the company the sales
        done (signed), the receivables collected and the target attainment (the
        approved targets' months of the period), for an annual meeting next year's
        approved targets, the budget section (empty until the budget exists) and the
        open decisions of the last meeting.

        The figures come from the one source of the targets' months
        (``sales.target.period``, QTA-4): every attendee receives the department's
        figures by MTG-2, so they are read as superuser, for this company and period
        only.
        """
        self.ensure_one()
        start, end = self.period_start, self.period_end
        company = self.company_id
        _orders_flush(self.env)
        _collection_flush(self.env)
        Period = self.env["sales.target.period"].sudo().with_context(tz=company._sales_policy_tz())
        # every internal user of the company, also one who left since: their sales count
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("share", "=", False), ("company_ids", "in", company.id)])
        )
        signed, collected, targets = defaultdict(float), defaultdict(float), defaultdict(float)
        if start and end:
            for (company_id, user_id, month), amount in Period._signed_by_user_month(
                users, start, end
            ).items():
                if company_id == company.id and start <= month < end:
                    signed[user_id] += amount
            for (company_id, user_id, month), amount in Period._collected_by_user_month(
                users, start, end
            ).items():
                if company_id == company.id and start <= month < end:
                    collected[user_id] += amount
            for user, amount in Period._read_group(
                [
                    ("company_id", "=", company.id),
                    ("target_id.state", "=", "approved"),
                    ("date_from", ">=", start),
                    ("date_from", "<", end),
                ],
                ["user_id"],
                ["target_amount:sum"],
            ):
                targets[user.id] += amount
        names = [(user.id, user.name) for user in users]
        rows, total = mtg.figure_rows(
            names, dict(signed), dict(collected), dict(targets), Period._rating_thresholds()
        )
        data = {
            "kind": self.kind,
            "date": self.date,
            "period_start": start,
            "period_end": end,
            "period_label": mtg.period_label(self.kind, start),
            "rows": rows,
            "total": total,
            "next_year": False,
            "next_year_rows": [],
            "next_year_total": 0.0,
            "budget": self._agenda_budget_section(),
            "open_decisions": [
                {
                    "name": decision.name,
                    "owner": decision.user_id.name or "",
                    "date_deadline": decision.date_deadline,
                    "meeting": decision.meeting_id.name,
                }
                for decision in self.sudo().open_decision_ids
            ],
        }
        if self.kind == "annual" and start:
            # MTG-2 (下年度的销售任务安排): next year's approved targets
            year = start.year + 1
            amounts = defaultdict(float)
            for user, amount in (
                self.env["sales.target"]
                .sudo()
                ._read_group(
                    [
                        ("company_id", "=", company.id),
                        ("year", "=", year),
                        ("state", "=", "approved"),
                    ],
                    ["user_id"],
                    ["target_amount:sum"],
                )
            ):
                amounts[user.id] += amount
            next_rows, next_total = mtg.target_rows(names, dict(amounts))
            data.update(next_year=year, next_year_rows=next_rows, next_year_total=next_total)
        return data

    def _agenda_budget_section(self):
        """MTG-2 (budget used), BUD-3: the personal expense report of the reviewed
        period, a row per salesperson with a budget or expenses, and the company's
        total: ``{"rows": [...], "total": {...}}`` of ``_budget_used_rows``'s figures;
        empty (the section left out) when nobody has a budget or an expense.

        Read as superuser in the meeting's company: the agenda carries the
        department's figures to every attendee (MTG-2), and the report's rules would
        give an attendee their own row only."""
        self.ensure_one()
        if not (self.period_start and self.period_end):
            return {}
        rows = [
            row
            for row in self.env["sales.expense.budget.line"]
            .sudo()
            .with_company(self.company_id)
            ._budget_used_rows(self.period_start, self.period_end - timedelta(days=1))
            if row["budget"] or row["used"]
        ]
        if not rows:
            return {}
        total = {key: sum(row[key] for row in rows) for key in _BUDGET_SUMS}
        total["remaining"] = bud.remaining(total["budget"], total["committed"], total["actual"])
        total["expense_per_10k"] = bud.expense_per_sales_unit(total["actual"], total["signed"])
        return {"rows": rows, "total": total}

    def _agenda_body(self, data, full=True):
        """MTG-2: the agenda as HTML, rendered in the environment's language: the
        manager's items (``full``), the figures and the open decisions."""
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "sales_dept_policy.sales_meeting_agenda",
            {
                "meeting": self,
                "data": data,
                "full": full,
                "agenda_items": not is_html_empty(self.agenda),
                "tz": self.company_id._sales_policy_tz(),
                "currency": self.company_id.currency_id,
                "kinds": dict(self._fields["kind"]._description_selection(self.env)),
                "format_ratio": lambda ratio: "-" if ratio is None else f"{ratio * 100:.1f} %",
            },
        )

    def _send_agenda(self):
        """MTG-2: send each meeting's agenda to every attendee, in their language: one
        notification per language, rendered with that language; a note on the
        meeting says who got it. Records ``agenda_sent_on``."""
        for meeting in self:
            data = meeting._agenda_data()
            partners = meeting.attendee_ids.filtered("active").partner_id
            by_lang = defaultdict(lambda: self.env["res.partner"])
            default_lang = meeting.company_id.partner_id.lang or self.env.lang or "en_US"
            for partner in partners:
                by_lang[partner.lang or default_lang] |= partner
            # the cron sends as the organizer; a manager who sends it, as themself
            author = meeting.user_id.partner_id if self.env.su else self.env.user.partner_id
            for lang, recipients in sorted(by_lang.items()):
                if not recipients:
                    continue
                local = meeting.with_context(lang=lang)
                kinds = dict(local._fields["kind"]._description_selection(local.env))
                local.message_notify(
                    partner_ids=recipients.ids,
                    author_id=author.id,
                    subject=local.env._(
                        "Agenda of the %(kind)s sales meeting of %(date)s (MTG-2)",
                        kind=kinds.get(meeting.kind, ""),
                        date=meeting.date,
                    ),
                    body=local._agenda_body(data),
                    email_layout_xmlid="mail.mail_notification_light",
                )
            super(SalesMeeting, meeting).write({"agenda_sent_on": fields.Datetime.now()})
            meeting.message_post(
                body=self.env._(
                    "Agenda sent to %(count)s attendees (MTG-2): %(names)s.",
                    count=len(partners),
                    names=", ".join(partners.mapped("name")) or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    @api.model
    def _cron_send_agendas(self):
        """MTG-2, daily: the agenda of every planned quarterly or annual meeting due
        (15 days ahead, or later for a meeting planned since) and not sent yet. Each
        meeting's "today" is its company's."""
        days = self._agenda_days()
        today = fields.Date.today()
        meetings = self.sudo().search(
            [
                ("state", "=", "planned"),
                ("kind", "in", mtg.AGENDA_KINDS),
                ("agenda_sent_on", "=", False),
                # a day's margin each side: the companies' days are local
                ("date", ">=", today - timedelta(days=1)),
                ("date", "<=", today + timedelta(days=days + 1)),
            ]
        )
        for company, planned in meetings.grouped("company_id").items():
            local_today = company._sales_policy_today()
            due = planned.filtered(lambda m, t=local_today: mtg.agenda_due(m.date, t, days))
            due._send_agenda()

    # ------------------------------------------------------------------
    # MTG-1: the calendar event
    # ------------------------------------------------------------------
    def _event_start(self):
        """MTG-1: the meeting's start as the naive UTC datetime of its calendar event:
        its day at its start time, in the company's time zone."""
        self.ensure_one()
        tz = pytz.timezone(self.company_id._sales_policy_tz())
        hours = max(0.0, min(self.start_hour or 0.0, 23.99))
        minutes = round(hours * 60)
        local = datetime.combine(self.date, time(minutes // 60, minutes % 60))
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def _event_values(self):
        self.ensure_one()
        start = self._event_start()
        return {
            "name": self.name,
            "start": start,
            "stop": start + timedelta(hours=max(self.duration or 0.0, 0.25)),
            "user_id": self.user_id.id,
            "partner_ids": [Command.set(self.attendee_ids.partner_id.ids)],
            "description": self.agenda if not is_html_empty(self.agenda) else False,
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
        }

    def _sync_calendar_event(self):
        """MTG-1: create or update each meeting's calendar event (attendees' partners,
        start, duration, name); a cancelled meeting's event is archived. The event
        belongs to the meeting and is written by it only: as superuser, these events
        only, whatever calendar rights the manager holds."""
        # the meeting's context defaults (default_kind, default_user_id) are not the event's
        Event = (
            self.env["calendar.event"].sudo().with_context(clean_context(self.env.context))  # pylint: disable=context-overridden
        )
        for meeting in self.filtered("date"):
            event = meeting.calendar_event_id.sudo().with_env(Event.env)
            if meeting.state == "cancelled":
                if event.active:
                    event.active = False
                continue
            values = meeting._event_values()
            if not event:
                event = Event.create(values)
                super(SalesMeeting, meeting).write({"calendar_event_id": event.id})
                continue
            changed = {
                key: values[key]
                for key in ("name", "start", "stop", "user_id", "description")
                if event[key] != event._fields[key].convert_to_record(values[key], event)
            }
            if set(event.partner_ids.ids) != set(meeting.attendee_ids.partner_id.ids):
                changed["partner_ids"] = values["partner_ids"]
            if not event.active:
                changed["active"] = True
            if changed:
                event.write(changed)
        return True

    def _sync_members(self):
        """MTG-3: a monthly meeting lists every salesperson of the department among its
        attendees (``sales.meeting.member``); the other meetings none."""
        Member = self.env["sales.meeting.member"]
        for meeting in self:
            wanted = self.env["res.users"]
            if meeting.kind == "monthly":
                reporting = self.env["sales.monthly.report"]._reporting_users(meeting.company_id)
                wanted = meeting.attendee_ids & reporting
            members = Member.search([("meeting_id", "=", meeting.id)])
            missing = wanted - members.user_id
            members.filtered(lambda m, w=wanted: m.user_id not in w).unlink()
            if missing:
                Member.create([{"meeting_id": meeting.id, "user_id": u.id} for u in missing])

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _check_manager(self):
        if not _is_manager(self.env):
            raise AccessError(
                self.env._(
                    "Only a sales manager or the general manager calls, edits and closes sales "
                    "meetings (MTG-1)."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        self._check_policy_write(vals_list)
        for vals in vals_list:
            kind = vals.get("kind") or self.default_get(["kind"]).get("kind")
            if not vals.get("date") and kind != "quarterly":
                raise ValidationError(
                    self.env._(
                        "Date: set the day of the meeting (MTG-1): the manager chooses the day "
                        "of a monthly or annual meeting."
                    )
                )
        meetings = super().create(vals_list)
        meetings._sync_calendar_event()
        meetings._sync_members()
        return meetings

    def write(self, vals):
        self._check_manager()
        self._check_policy_write([vals], allow_su=False)
        if "date" in vals and not vals["date"]:
            raise ValidationError(self.env._("Date: a meeting keeps its day (MTG-1)."))
        done = self.filtered(lambda m: m.state != "planned")
        # MTG-4: a held meeting keeps what it was; its minutes are completed and a
        # decision may still be added (it becomes a to-do at once)
        locked = (
            set(vals)
            - {"minutes", "decision_ids"}
            - {name for name in self._fields if name.startswith(("message_", "activity_"))}
        )
        if done and locked:
            raise UserError(
                self.env._(
                    "%(meeting)s is held or cancelled (MTG-4): only its minutes and decisions "
                    "change now.",
                    meeting=done[0].display_name,
                )
            )
        res = super().write(vals)
        if _EVENT_FIELDS & set(vals) or {"kind", "company_id", "period_start"} & set(vals):
            self._sync_calendar_event()
        if {"attendee_ids", "kind", "company_id"} & set(vals):
            self._sync_members()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_held(self):
        for meeting in self:
            if meeting.state == "held" or meeting.agenda_sent_on:
                raise UserError(
                    self.env._(
                        "%(meeting)s was held or its agenda sent: it is kept (MTG-4). Cancel "
                        "it instead.",
                        meeting=meeting.display_name,
                    )
                )
        self.calendar_event_id.sudo().unlink()

    def message_post(self, **kwargs):
        # APR-5: a message on a meeting is the poster's own, posted now
        self._check_policy_message_values(kwargs)
        return super().message_post(**kwargs)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_state(self, states, action_label):
        for meeting in self:
            if meeting.state not in states:
                raise UserError(
                    self.env._(
                        "%(meeting)s is %(state)s: it cannot be %(action)s.",
                        meeting=meeting.display_name,
                        state=dict(self._fields["state"]._description_selection(self.env)).get(
                            meeting.state
                        ),
                        action=action_label,
                    )
                )

    def action_send_agenda(self):
        """MTG-2: the manager sends the agenda now (again, if it was sent)."""
        self._check_manager()
        self.check_access("write")
        self._check_state(("planned",), self.env._("sent an agenda"))
        self._send_agenda()
        return True

    def action_reset_attendees(self):
        """MTG-1: invite again by role (the groups of the Settings as they are now)."""
        self._check_manager()
        self._check_state(("planned",), self.env._("re-invited"))
        for meeting in self:
            meeting.attendee_ids = [Command.set(meeting._attendees_by_role().ids)]
        return True

    def action_close(self):
        """MTG-4: the meeting was held: it needs its minutes and, for each decision, an
        owner and a deadline; each decision becomes its owner's to-do."""
        self._check_manager()
        self.check_access("write")
        self._check_state(("planned",), self.env._("closed"))
        for meeting in self:
            errors = mtg.close_errors(
                html2plaintext(meeting.minutes or ""),
                [(d.name, d.user_id.id, d.date_deadline) for d in meeting.decision_ids],
            )
            if errors:
                raise ValidationError(
                    self.env._(
                        "%(meeting)s cannot be closed yet: %(errors)s",
                        meeting=meeting.display_name,
                        errors=" ".join(self.env._(mtg.ERRORS[code]) for code in errors),
                    )
                )
        for meeting in self:
            super(SalesMeeting, meeting).write(
                {"state": "held", "held_on": fields.Datetime.now(), "closed_by_id": self.env.uid}
            )
            meeting.decision_ids._schedule_todo()
            meeting.message_post(
                body=self.env._(
                    "Closed by %(user)s; decisions: %(count)s (MTG-4).",
                    user=self.env.user.name,
                    count=len(meeting.decision_ids),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_cancel(self):
        self._check_manager()
        self.check_access("write")
        self._check_state(("planned",), self.env._("cancelled"))
        for meeting in self:
            super(SalesMeeting, meeting).write({"state": "cancelled"})
            meeting.message_post(
                body=self.env._("Cancelled by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        self._sync_calendar_event()
        return True

    def action_replan(self):
        """A cancelled meeting is planned again."""
        self._check_manager()
        self.check_access("write")
        self._check_state(("cancelled",), self.env._("planned again"))
        for meeting in self:
            super(SalesMeeting, meeting).write({"state": "planned"})
            meeting.message_post(
                body=self.env._("Planned again by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        self._sync_calendar_event()
        return True

    def action_open_calendar_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.calendar_event_id.id,
            "view_mode": "form",
            "target": "current",
        }


class SalesMeetingDecision(models.Model):
    """MTG-4: a decision of a meeting (会而不议、议而不决 is what the policy forbids):
    what, who owns it and by when. Once the meeting is closed (or when it is added
    to a held meeting) it is its owner's to-do; marking the to-do done closes the
    decision and the other way round; an open decision comes up again on the next
    meeting's agenda.

    Access: sales managers write decisions; the owner reads theirs and marks it
    done (``action_done``), never edits it; attendees read the meeting's decisions.
    """

    _name = "sales.meeting.decision"
    _description = "Sales Meeting Decision"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.policy.guard"]
    _order = "date_deadline, id"
    _check_company_auto = True

    _policy_protected_fields = frozenset({"state", "done_on", "done_by_id"})
    _policy_guard_messages = True
    #: the owner reports on their decision, which they read only
    _mail_post_access = "read"

    name = fields.Char(string="Decision", required=True, tracking=True)
    meeting_id = fields.Many2one(
        "sales.meeting", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="meeting_id.company_id", store=True, index=True)
    meeting_state = fields.Selection(related="meeting_id.state", string="Meeting Status")
    meeting_date = fields.Date(related="meeting_id.date", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        domain=[("share", "=", False)],
        tracking=True,
        help="MTG-4: who carries the decision out; they get it as a to-do.",
    )
    date_deadline = fields.Date(
        string="Deadline", index=True, tracking=True, help="MTG-4: by when it is done."
    )
    state = fields.Selection(
        selection=[("open", "Open"), ("done", "Done")],
        default="open",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    done_on = fields.Datetime(readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    note = fields.Text(help="How it was carried out, or why not yet.")

    # ------------------------------------------------------------------
    # MTG-4: the owner's to-do
    # ------------------------------------------------------------------
    def _todo_activities(self):
        todo = self.env.ref(_DECISION_TODO)
        return self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == todo)

    def _schedule_todo(self):
        """MTG-4: the owner's to-do of each open decision of a held meeting that has
        none, due on its deadline, in the owner's language. A client's context does
        not skip it (``mail_activity_automation_skip``); the to-do is another user's,
        made on this decision only (superuser)."""
        todo = self.env.ref(_DECISION_TODO)
        for decision in self:
            if (
                decision.state != "open"
                or decision.meeting_id.state != "held"
                or not decision.user_id
                or decision._todo_activities()
            ):
                continue
            local = decision.with_context(lang=decision.user_id.lang or self.env.lang)
            decision.sudo().with_context(mail_activity_automation_skip=False).activity_schedule(
                activity_type_id=todo.id,
                date_deadline=decision.date_deadline,
                summary=decision.name[:80],
                note=local.env._(
                    "Decided at %(meeting)s (MTG-4): %(decision)s",
                    meeting=decision.meeting_id.name,
                    decision=decision.name,
                ),
                user_id=decision.user_id.id,
            )

    def _mark_done(self, feedback=None):
        """MTG-4: the decision is done: recorded, its to-do closed."""
        for decision in self.filtered(lambda d: d.state == "open"):
            # the owner reads their decision and does not edit it: its state is written
            # by this action only, after the caller's check, as superuser
            super(SalesMeetingDecision, decision.sudo()).write(
                {"state": "done", "done_on": fields.Datetime.now(), "done_by_id": self.env.uid}
            )
            decision.message_post(
                body=self.env._("Done, as %(user)s reports (MTG-4).", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
            activities = decision._todo_activities()
            if activities:
                # the owner's to-do, closed whoever reports it done (as superuser, this
                # decision's to-do only); when the to-do itself is marked done, it is
                # archived before this runs and none is left here
                activities.action_feedback(feedback=feedback or self.env._("Done (MTG-4)."))
        return True

    def action_done(self):
        """MTG-4: the owner (or a sales manager) reports the decision done."""
        for decision in self:
            if decision.user_id != self.env.user and not _is_manager(self.env):
                raise AccessError(
                    self.env._(
                        "Only the owner of %(decision)s or a sales manager reports it done "
                        "(MTG-4).",
                        decision=decision.display_name,
                    )
                )
        self.check_access("read")
        self._mark_done()
        return True

    def action_reopen(self):
        """MTG-4: a sales manager reopens a decision that was not done after all."""
        if not _is_manager(self.env):
            raise AccessError(self.env._("Only a sales manager reopens a decision (MTG-4)."))
        for decision in self.filtered(lambda d: d.state == "done"):
            super(SalesMeetingDecision, decision).write(
                {"state": "open", "done_on": False, "done_by_id": False}
            )
            decision.message_post(
                body=self.env._("Reopened by %(user)s (MTG-4).", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        self._schedule_todo()
        return True

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.constrains("user_id", "date_deadline", "meeting_id")
    def _check_complete_when_held(self):
        """MTG-4: a decision of a held meeting has an owner and a deadline."""
        for decision in self:
            if decision.meeting_id.state == "held" and not (
                decision.user_id and decision.date_deadline
            ):
                raise ValidationError(
                    self.env._(
                        "%(decision)s: a decision of a held meeting needs an owner and a "
                        "deadline (MTG-4).",
                        decision=decision.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not _is_manager(self.env):
            raise AccessError(self.env._("Only a sales manager records decisions (MTG-4)."))
        self._check_policy_write(vals_list)
        decisions = super().create(vals_list)
        # MTG-4: a decision added to a held meeting is a to-do at once
        decisions._schedule_todo()
        return decisions

    def write(self, vals):
        if not _is_manager(self.env):
            raise AccessError(
                self.env._(
                    "Only a sales manager edits decisions (MTG-4); the owner reports theirs done."
                )
            )
        self._check_policy_write([vals], allow_su=False)
        if "meeting_id" in vals and any(d.meeting_id.id != vals["meeting_id"] for d in self):
            raise UserError(self.env._("A decision stays on its meeting (MTG-4)."))
        res = super().write(vals)
        if {"user_id", "date_deadline", "name"} & set(vals):
            for decision in self.filtered(lambda d: d.state == "open"):
                activities = decision._todo_activities()
                if not activities:
                    continue
                activities.write(
                    {
                        "user_id": decision.user_id.id,
                        "date_deadline": decision.date_deadline,
                        "summary": decision.name[:80],
                    }
                )
            self._schedule_todo()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_held(self):
        if not self.env.su and any(d.meeting_id.state == "held" for d in self):
            raise UserError(
                self.env._("A decision of a held meeting is kept (MTG-4): report it done instead.")
            )

    def message_post(self, **kwargs):
        self._check_policy_message_values(kwargs)
        return super().message_post(**kwargs)


class SalesMeetingMember(models.Model):
    """MTG-3: a salesperson of the department on a monthly meeting, with what the
    manager reviews before it, in one place: the plan of the month after the
    reviewed one and the summary of the reviewed month (their states), the
    reviewed month's collection plan (state, planned, received, ORD-6), its target
    attainment and rating (QTA-5) and the activity records behind (VIS-4). Every
    figure is computed when read, for all the members at once.

    Access: sales managers only.
    """

    _name = "sales.meeting.member"
    _description = "Sales Meeting Department Member"
    _order = "meeting_id, user_id"

    meeting_id = fields.Many2one("sales.meeting", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="meeting_id.company_id", store=True)
    currency_id = fields.Many2one(related="meeting_id.currency_id")
    user_id = fields.Many2one("res.users", string="Salesperson", required=True, index=True)
    month = fields.Date(
        string="Reviewed Month",
        related="meeting_id.period_start",
        help="MTG-3: the month the meeting reviews.",
    )
    summary_id = fields.Many2one("sales.monthly.report", compute="_compute_department")
    summary_state = fields.Selection(
        selection="_approval_states",
        string="Summary Status",
        compute="_compute_department",
        help="The reviewed month's summary.",
    )
    plan_id = fields.Many2one(
        "sales.monthly.report", string="Next Month's Plan", compute="_compute_department"
    )
    plan_state = fields.Selection(
        selection="_approval_states",
        string="Plan Status",
        compute="_compute_department",
        help="The plan of the month after.",
    )
    collection_plan_id = fields.Many2one("sales.collection.plan", compute="_compute_department")
    collection_state = fields.Selection(
        selection="_approval_states",
        string="Collection Plan Status",
        compute="_compute_department",
    )
    collection_planned = fields.Monetary(
        string="Collections Planned", compute="_compute_department"
    )
    collection_received = fields.Monetary(
        string="Collections Received", compute="_compute_department"
    )
    target_amount = fields.Monetary(string="Target", compute="_compute_department")
    actual_signed = fields.Monetary(string="Signed", compute="_compute_department")
    attainment = fields.Float(compute="_compute_department")
    rating = fields.Selection(
        selection=[("S", "S"), ("A", "A"), ("B", "B"), ("C", "C")],
        compute="_compute_department",
    )
    expense_budget = fields.Monetary(
        compute="_compute_department",
        help="BUD-3: the salesperson's approved expense budget of the reviewed month.",
    )
    expense_used = fields.Monetary(
        string="Expenses Used",
        compute="_compute_department",
        help="BUD-3: what approved trips commit and approved claims spent in the month.",
    )
    expense_remaining = fields.Monetary(
        string="Budget Left",
        compute="_compute_department",
        help="BUD-3: the month's budget minus what is committed and spent.",
    )
    activity_behind = fields.Integer(
        compute="_compute_department",
        help="VIS-4: the weeks and months of the reviewed month in which an activity target "
        "was missed.",
    )

    _meeting_user_uniq = models.Constraint(
        "UNIQUE (meeting_id, user_id)", "A salesperson is listed once on a meeting (MTG-3)."
    )

    @api.model
    def _approval_states(self):
        return self.env["sales.monthly.report"]._fields["state"]._description_selection(self.env)

    def _compute_department(self):
        """MTG-3: a search per kind of document for all the members of all the
        meetings, and the targets' months' batch queries."""
        members = self.filtered(lambda m: m.user_id and m.meeting_id.period_start)
        empty = {
            "summary_id": False,
            "summary_state": False,
            "plan_id": False,
            "plan_state": False,
            "collection_plan_id": False,
            "collection_state": False,
            "collection_planned": 0.0,
            "collection_received": 0.0,
            "target_amount": 0.0,
            "actual_signed": 0.0,
            "attainment": 0.0,
            "rating": False,
            "expense_budget": 0.0,
            "expense_used": 0.0,
            "expense_remaining": 0.0,
            "activity_behind": 0,
        }
        (self - members).update(empty)
        if not members:
            return
        _orders_flush(self.env)
        users = members.user_id
        months = set(members.mapped("meeting_id.period_start"))
        next_months = {ord6.next_month_start(month) for month in months}
        companies = members.company_id
        reports = self.env["sales.monthly.report"].search(
            [
                ("user_id", "in", users.ids),
                ("company_id", "in", companies.ids),
                ("month", "in", list(months | next_months)),
            ]
        )
        report_of = {(r.kind, r.company_id.id, r.user_id.id, r.month): r for r in reports}
        collection_plans = self.env["sales.collection.plan"].search(
            [
                ("user_id", "in", users.ids),
                ("company_id", "in", companies.ids),
                ("month", "in", list(months)),
            ]
        )
        collection_of = {(p.company_id.id, p.user_id.id, p.month): p for p in collection_plans}
        Period = self.env["sales.target.period"]
        thresholds = Period._rating_thresholds()
        start, end = min(months), ord6.next_month_start(max(months))
        signed, targets = {}, {}
        for company in companies:
            Report = self.env["sales.monthly.report"]
            local = Period.with_context(tz=company._sales_policy_tz())
            signed.update(local._signed_by_user_month(users, start, end))
            targets.update(
                {
                    (company.id, *key): amount
                    for key, amount in Report._targets_by_user_month(
                        company, users, start, end
                    ).items()
                }
            )
        behind = {
            (user.id, day): count
            for user, day, count in self.env["sales.activity.progress"]._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("state", "=", "behind"),
                    ("date", ">=", start),
                    ("date", "<", end),
                ],
                ["user_id", "date:month"],
                ["__count"],
            )
        }
        # BUD-3: the personal expense report of the month, as the manager reads it
        expenses = {
            (company.id, user.id, day): (budget, committed + actual, remaining)
            for company, user, day, budget, committed, actual, remaining in self.env[
                "sales.expense.report"
            ]._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("company_id", "in", companies.ids),
                    ("date", ">=", start),
                    ("date", "<", end),
                ],
                ["company_id", "user_id", "date:month"],
                ["budget:sum", "committed:sum", "actual:sum", "remaining:sum"],
            )
        }
        for member in self & members:
            company_id, user_id = member.company_id.id, member.user_id.id
            month = member.meeting_id.period_start
            plan = collection_of.get((company_id, user_id, month))
            row = mtg.figure_row(
                signed.get((company_id, user_id, month), 0.0),
                0.0,
                targets.get((company_id, user_id, month), 0.0),
                thresholds,
            )
            expense = expenses.get((company_id, user_id, month), (0.0, 0.0, 0.0))
            summary = report_of.get(("summary", company_id, user_id, month))
            next_plan = report_of.get(("plan", company_id, user_id, ord6.next_month_start(month)))
            member.update(
                {
                    "summary_id": summary,
                    "summary_state": summary.state if summary else False,
                    "plan_id": next_plan,
                    "plan_state": next_plan.state if next_plan else False,
                    "collection_plan_id": plan,
                    "collection_state": plan.state if plan else False,
                    "collection_planned": plan.planned_total if plan else 0.0,
                    "collection_received": plan.received_total if plan else 0.0,
                    "target_amount": row["target"],
                    "actual_signed": row["signed"],
                    "attainment": row["attainment"] or 0.0,
                    "rating": row["rating"],
                    "expense_budget": expense[0],
                    "expense_used": expense[1],
                    "expense_remaining": expense[2],
                    "activity_behind": behind.get((user_id, month), 0),
                }
            )

    def _open(self, model, record, name, domain):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "target": "current",
        }
        if record:
            return dict(action, res_id=record.id, view_mode="form", views=[(False, "form")])
        views = [(False, "list"), (False, "form")]
        return dict(action, view_mode="list,form", views=views, domain=domain)

    def action_open_summary(self):
        self.ensure_one()
        return self._open(
            "sales.monthly.report",
            self.summary_id,
            self.env._("Summary"),
            [("user_id", "=", self.user_id.id), ("kind", "=", "summary")],
        )

    def action_open_plan(self):
        self.ensure_one()
        return self._open(
            "sales.monthly.report",
            self.plan_id,
            self.env._("Plan"),
            [("user_id", "=", self.user_id.id), ("kind", "=", "plan")],
        )

    def action_open_collection_plan(self):
        self.ensure_one()
        return self._open(
            "sales.collection.plan",
            self.collection_plan_id,
            self.env._("Collection Plan"),
            [("user_id", "=", self.user_id.id)],
        )

    def action_open_expense_report(self):
        """BUD-3 (MTG-3): the salesperson's personal expense report of the year up to
        the reviewed month."""
        self.ensure_one()
        month = self.meeting_id.period_start
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Personal Expense Report"),
            "res_model": "sales.expense.report",
            "view_mode": "list,pivot,graph",
            "views": [(False, "list"), (False, "pivot"), (False, "graph")],
            "domain": [
                ("user_id", "=", self.user_id.id),
                ("company_id", "=", self.company_id.id),
                ("date", ">=", month.replace(month=1)),
                ("date", "<", ord6.next_month_start(month)),
            ],
            "target": "current",
        }

    def action_open_activity(self):
        self.ensure_one()
        month = self.meeting_id.period_start
        return self._open(
            "sales.activity.progress",
            None,
            self.env._("Activity Progress"),
            [
                ("user_id", "=", self.user_id.id),
                ("date", ">=", month),
                ("date", "<", ord6.next_month_start(month)),
            ],
        )
