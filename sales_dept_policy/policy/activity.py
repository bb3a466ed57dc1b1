"""VIS: what a visit record counts for (SPEC VIS-3, VIS-4).

Plain values in, plain values out. Datetimes given to the bucket functions are
naive and already in the salesperson's time zone.
"""

import re

from ._markers import _lt

#: VIS-1: the kinds of visit record, with their English labels (Odoo translates them).
KIND_LABELS = (
    ("info", "Information Gathering"),
    ("call", "Phone / Proposal"),
    ("onsite", "On-Site Visit"),
    ("return", "Return Visit"),
)
KINDS = tuple(kind for kind, _label in KIND_LABELS)

#: VIS-4: the policy's defaults (supervisor level), as (kind, period, count).
DEFAULT_TARGETS = (("info", "week", 10), ("call", "week", 10), ("onsite", "month", 6))

#: The reason codes a visit does not count, with the English sentence the models
#: translate when shown (marked for Odoo's translation export by ``_lt``).
REASONS = {
    "not_done": _lt("Not done yet: only a visit with its outcome counts."),
    "no_contact": _lt("No named contact person (VIS-3)."),
    "no_direct_line": _lt(
        "No direct phone, mobile, e-mail, QQ or WeChat id of the contact (VIS-3)."
    ),
    "switchboard": _lt("The only number given is the customer's switchboard (VIS-3)."),
    "not_interested": _lt("The contact was not interested (VIS-3)."),
    "no_proposal": _lt("No proposal was sent (VIS-3)."),
    "cold_visit": _lt("A cold visit: the customer did not ask for the meeting (VIS-3)."),
}

_DONE_STATES = ("done", "submitted", "reviewed")


def phone_key(number):
    """Digits of a phone number, without the +86/0086 country code and trunk zero,
    so that "0571-8888 6666" and "+86 571 88886666" compare equal."""
    digits = re.sub(r"\D", "", number or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 10:
            digits = digits[len(prefix) :]
            break
    return digits.lstrip("0")


#: VIS-3: what an instant-messaging id looks like: a QQ number is 5 to 11 digits;
#: a WeChat id 6 to 20 letters, digits, "_" or "-" starting with a letter, or the
#: mobile number the account is registered with.
_QQ_ID = re.compile(r"[1-9][0-9]{4,10}")
_WECHAT_ID = re.compile(r"[A-Za-z][-_A-Za-z0-9]{5,19}")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def im_id_problem(kind, value):
    """VIS-3: ``None`` when ``value`` is a plausible id of messenger ``kind``
    ('qq', 'wechat') or blank, else the kind: the models refuse it."""
    text = re.sub(r"\s+", "", value or "")
    if not text:
        return None
    if kind == "qq":
        return None if _QQ_ID.fullmatch(text) else kind
    if kind == "wechat":
        if _WECHAT_ID.fullmatch(text) or _MOBILE.fullmatch(phone_key(text)):
            return None
        return kind
    raise ValueError(f"VIS-3: no messenger {kind!r}")


def effective_reason(
    kind,
    state="done",
    contact_name="",
    contact_phone="",
    contact_email="",
    customer_phones=(),
    contact_qq="",
    contact_wechat="",
    interested=False,
    proposal_sent=False,
    customer_requested=False,
):
    """VIS-3: ``None`` when the visit counts as effective, else a reason code.

    - information gathering: a named contact and their direct phone, mobile,
      e-mail, QQ or WeChat id (blanks are none); the customer's switchboard (any
      of ``customer_phones``) is not a direct line;
    - phone/proposal: the contact was interested and a proposal was sent;
    - on-site visit: the customer asked for the meeting (cold visits do not count);
    - return visit: counts once done.
    Nothing counts before it is done.
    """
    if state not in _DONE_STATES:
        return "not_done"
    if kind == "info":
        if not (contact_name or "").strip():
            return "no_contact"
        # e-mail and messenger ids are the contact's own (the regulation lists QQ
        # beside the mobile and the e-mail)
        personal = any((v or "").strip() for v in (contact_email, contact_qq, contact_wechat))
        phone = phone_key(contact_phone)
        if not personal and not phone:
            return "no_direct_line"
        switchboards = {phone_key(p) for p in customer_phones if phone_key(p)}
        if not personal and phone in switchboards:
            return "switchboard"
        return None
    if kind == "call":
        if not interested:
            return "not_interested"
        if not proposal_sent:
            return "no_proposal"
        return None
    if kind == "onsite":
        return None if customer_requested else "cold_visit"
    return None


#: VIS-4: how a period's progress is stated, the first line that holds wins:
#: (state, the count reached the target?, the period is over?), ``None`` = either.
#: The one source of ``progress_state`` and of the SQL the progress report runs.
PROGRESS_STATES = (
    ("met", True, None),
    ("behind", False, True),
    ("in_progress", False, False),
)


def progress_state(done, target, period_over):
    """VIS-4: 'met' once the count reaches the target; else 'behind' when the
    period is over, 'in_progress' while it runs."""
    reached = done >= target
    for state, need_reached, need_over in PROGRESS_STATES:
        if need_reached in (None, reached) and need_over in (None, bool(period_over)):
            return state
    raise ValueError("VIS-4: no progress state for these values")
