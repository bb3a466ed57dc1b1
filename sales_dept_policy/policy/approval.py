"""APR: one approval flow for every request (SPEC APR-1..4)."""

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
REJECTED = "rejected"
CANCELLED = "cancelled"

#: APR-1: which state each action may start from.
TRANSITIONS = {
    "submit": (DRAFT,),
    "approve": (SUBMITTED,),
    "reject": (SUBMITTED,),
    "cancel": (DRAFT, SUBMITTED),
    "draft": (REJECTED, CANCELLED),
}

#: APR-1: the state each action leads to.
TARGETS = {
    "submit": SUBMITTED,
    "approve": APPROVED,
    "reject": REJECTED,
    "cancel": CANCELLED,
    "draft": DRAFT,
}


def transition_error(action, state):
    """Return why ``action`` cannot run from ``state``, or ``None`` (APR-1).

    The reasons are keys the models turn into translated messages:
    ``already_approved``, ``already_rejected``, ``not_submitted``,
    ``not_draft``, ``locked``.
    """
    if state in TRANSITIONS[action]:
        return None
    if action in ("approve", "reject"):
        if state == APPROVED:
            return "already_approved"
        if state == REJECTED:
            return "already_rejected"
        return "not_submitted"
    if action == "submit":
        return "not_draft"
    if action == "cancel" and state == APPROVED:
        return "locked"
    return "bad_state"


def decision_error(user_id, approver_ids, submitter_id, concerned_ids):
    """Return why ``user_id`` may not decide a request, or ``None``.

    APR-4: nobody decides a request they submitted or that concerns them,
    whatever their groups; APR-2: only the approvers found by rule decide.
    The segregation check comes first so that a general manager deciding
    their own request hears the real reason.
    """
    if user_id == submitter_id:
        return "own_submission"
    if user_id in set(concerned_ids or ()):
        return "concerns_self"
    if user_id not in set(approver_ids or ()):
        return "not_approver"
    return None


def reject_reason_error(reason):
    """APR-1: a rejection needs a reason that is more than blanks."""
    if not (reason or "").strip():
        return "reason_required"
    return None
