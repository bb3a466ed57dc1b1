"""VIS-3, VIS-4 rules of policy/activity.py, without Odoo."""

import pytest

from policy import activity as vis

SWITCHBOARD = ("0571-8888 6666",)


def info(**kw):
    values = {
        "contact_name": "Manager Wu",
        "contact_phone": "",
        "contact_email": "",
        "customer_phones": SWITCHBOARD,
    }
    values.update(kw)
    return vis.effective_reason("info", **values)


def test_vis3_information_gathering():
    assert info(contact_phone="139 1234 5678") is None
    assert info(contact_email="wu@hengda.example") is None
    assert info(contact_name="", contact_phone="139 1234 5678") == "no_contact"
    assert info(contact_name="  ") == "no_contact"
    assert info() == "no_direct_line"


@pytest.mark.parametrize(
    "number", ["0571-8888 6666", "+86 571 88886666", "0086 (571) 8888-6666", "57188886666"]
)
def test_vis3_switchboard_does_not_count(number):
    assert info(contact_phone=number) == "switchboard"
    # the switchboard and an e-mail: the e-mail is a direct line
    assert info(contact_phone=number, contact_email="wu@hengda.example") is None


def test_vis3_phone_key():
    assert vis.phone_key("+86 139-1234-5678") == "13912345678"
    assert vis.phone_key("") == ""
    assert vis.phone_key("8610") == "8610"  # too short to carry a country code


@pytest.mark.parametrize(
    ("interested", "proposal", "reason"),
    [
        (True, True, None),
        (True, False, "no_proposal"),
        (False, True, "not_interested"),
        (False, False, "not_interested"),
    ],
)
def test_vis3_phone_proposal(interested, proposal, reason):
    assert vis.effective_reason("call", interested=interested, proposal_sent=proposal) == reason


def test_vis3_onsite_and_return():
    assert vis.effective_reason("onsite", customer_requested=True) is None
    assert vis.effective_reason("onsite", customer_requested=False) == "cold_visit"
    assert vis.effective_reason("return") is None


@pytest.mark.parametrize("state", ["planned", False])
def test_vis3_nothing_counts_before_done(state):
    assert vis.effective_reason("onsite", state=state, customer_requested=True) == "not_done"
    for state_done in ("done", "submitted", "reviewed"):
        assert vis.effective_reason("return", state=state_done) is None


@pytest.mark.parametrize(
    ("done", "target", "over", "state"),
    [
        (0, 0, False, "met"),
        (6, 6, False, "met"),
        (7, 6, True, "met"),
        (5, 6, True, "behind"),
        (5, 6, False, "in_progress"),
        (0, 1, False, "in_progress"),
    ],
)
def test_vis4_progress_state_at_the_boundaries(done, target, over, state):
    assert vis.progress_state(done, target, period_over=over) == state
    # every combination is stated by exactly the table's first matching line
    assert {s for s, _reached, _over in vis.PROGRESS_STATES} == {"met", "behind", "in_progress"}


def test_vis4_progress_and_defaults():
    assert vis.progress_state(10, 10, period_over=True) == "met"
    assert vis.progress_state(9, 10, period_over=True) == "behind"
    assert vis.progress_state(9, 10, period_over=False) == "in_progress"
    assert set(vis.DEFAULT_TARGETS) == {
        ("info", "week", 10),
        ("call", "week", 10),
        ("onsite", "month", 6),
    }
    assert set(vis.REASONS) >= {"switchboard", "cold_visit", "no_proposal"}


# ----------------------------------------------------------------------
# VIS-3: QQ and WeChat ids are direct contacts (004: 手机号码、QQ、e-mail)
# ----------------------------------------------------------------------
def test_vis3_qq_or_wechat_alone_counts():
    assert info(contact_qq="20480963") is None
    assert info(contact_wechat="wu_hengda88") is None
    # without a named contact, an id does not make it count
    assert info(contact_name="", contact_qq="20480963") == "no_contact"
    assert info(contact_name=" ", contact_wechat="wu_hengda88") == "no_contact"


@pytest.mark.parametrize("blank", ["", "  ", "\u3000", None])
def test_vis3_blank_ids_do_not_count(blank):
    assert info(contact_qq=blank, contact_wechat=blank) == "no_direct_line"


def test_vis3_an_id_beside_the_switchboard_counts():
    assert info(contact_phone=SWITCHBOARD[0]) == "switchboard"
    assert info(contact_phone=SWITCHBOARD[0], contact_qq="20480963") is None
    assert info(contact_phone=SWITCHBOARD[0], contact_wechat="wu_hengda88") is None


def test_vis3_ids_matter_only_to_information_gathering():
    assert vis.effective_reason("call", contact_qq="20480963") == "not_interested"
    assert vis.effective_reason("onsite", contact_wechat="wu_hengda88") == "cold_visit"
    assert (
        vis.effective_reason("info", state="planned", contact_name="Wu", contact_qq="20480963")
        == "not_done"
    )


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        ("qq", "10000", True),  # the shortest QQ number: 5 digits
        ("qq", "12345678901", True),  # 11 digits, the longest
        ("qq", "1234", False),
        ("qq", "123456789012", False),
        ("qq", "01234567", False),
        ("qq", "20 48 09 63", True),  # spaces are not part of it
        ("qq", "wu@qq.com", False),  # an e-mail goes in the e-mail field
        ("wechat", "wxid_ab", True),
        ("wechat", "abcde", False),  # 6 characters at least
        ("wechat", "a" * 20, True),
        ("wechat", "a" * 21, False),
        ("wechat", "9abcdef", False),  # starts with a letter
        ("wechat", "+86 139 1234 5678", True),  # the account's mobile number
        ("wechat", "0571-8888 6666", False),  # a landline is no WeChat account
        ("wechat", "", True),
        ("qq", "   ", True),
    ],
)
def test_vis3_im_id_format(kind, value, ok):
    assert (vis.im_id_problem(kind, value) is None) is ok


def test_vis3_im_id_unknown_messenger():
    with pytest.raises(ValueError, match="VIS-3"):
        vis.im_id_problem("icq", "123456")


def test_vis3_no_direct_line_reason_names_the_ids():
    assert "QQ" in str(vis.REASONS["no_direct_line"])
    assert "WeChat" in str(vis.REASONS["no_direct_line"])
