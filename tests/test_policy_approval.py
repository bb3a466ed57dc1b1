"""APR-1, APR-4 rules of policy/approval.py, without Odoo."""

import pytest

from policy import approval as apr


@pytest.mark.parametrize(
    ("action", "state", "expected"),
    [
        ("submit", "draft", None),
        ("submit", "submitted", "not_draft"),
        ("approve", "submitted", None),
        ("approve", "approved", "already_approved"),
        ("approve", "rejected", "already_rejected"),
        ("approve", "draft", "not_submitted"),
        ("reject", "submitted", None),
        ("reject", "approved", "already_approved"),
        ("cancel", "draft", None),
        ("cancel", "submitted", None),
        ("cancel", "approved", "locked"),
        ("draft", "rejected", None),
        ("draft", "cancelled", None),
        ("draft", "approved", "bad_state"),
    ],
)
def test_apr1_transitions(action, state, expected):
    assert apr.transition_error(action, state) == expected


def test_apr1_every_action_has_a_target():
    assert set(apr.TRANSITIONS) == set(apr.TARGETS)
    assert apr.TARGETS["approve"] == apr.APPROVED


def test_apr4_submitter_never_decides_even_as_approver():
    assert apr.decision_error(7, [7, 8], 7, []) == "own_submission"


def test_apr4_concerned_user_never_decides():
    assert apr.decision_error(8, [7, 8], 9, [8]) == "concerns_self"


def test_apr2_only_approvers_decide():
    assert apr.decision_error(5, [7, 8], 9, [3]) == "not_approver"
    assert apr.decision_error(7, [7, 8], 9, [3]) is None
    assert apr.decision_error(7, None, 9, None) == "not_approver"


@pytest.mark.parametrize("reason", ["", "   ", None, "\n\t"])
def test_apr1_rejection_needs_a_reason(reason):
    assert apr.reject_reason_error(reason) == "reason_required"


def test_apr1_rejection_with_reason():
    assert apr.reject_reason_error("Out of budget") is None
