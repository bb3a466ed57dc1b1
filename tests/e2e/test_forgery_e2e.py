"""APR-5 over XML-RPC with the demo logins: a decision is taken only through the
flow's own actions, whatever context or values the client sends. Every call
carries a hostile context; every refusal is checked, then the record is read
back as the administrator to see that nothing changed."""

import datetime
import xmlrpc.client

import pytest

pytestmark = pytest.mark.e2e

#: every context key the addon ever read, and Odoo's own that switch behaviour off
HOSTILE = {
    "sales_approval_transition": True,
    "sales_visit_transition": True,
    "sales_credit_grade_change": True,
    "sales_policy_apply_grade": True,
    "sales_target_split": True,
    "sales_policy_approver_only": True,
    "active_test": False,
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "install_mode": True,
    "import_file": True,
    "module": "sales_dept_policy",
    "install_filename": "sales_dept_policy/demo/forged.xml",
}

OWN_CUSTOMER = "北海华夏装饰工程有限公司"  # Li Wei's, grade B (demo)
#: customers of others that no other e2e test grants to Sun Hao (demo); the first not yet
#: granted is used, so that the test runs again on the same database
GRANT_CANDIDATES = (
    "梧州天宇幕墙有限公司",
    "深圳永信室内设计工作室",
    "桂林明辉房地产开发有限公司",
    "广州新华酒店管理有限公司",
)
PICKED_CUSTOMER = "贵港瑞丰石业"  # Zhang Min's, Guigang (demo)

TRIP_FIELDS = [
    "state",
    "submitted_by_id",
    "decided_by_id",
    "decided_on",
    "manager_user_id",
    "travel_level_id",
    "flight_approved",
]
PARTNER_FIELDS = [
    "name",
    "phone",
    "user_id",
    "credit_grade_id",
    "property_payment_term_id",
    "customer_archive",
    "archive_visibility",
    "archive_user_id",
    "archive_grant_user_ids",
]
REQUEST_FIELDS = ["state", "submitted_by_id", "decided_by_id", "decided_on", "date_end"]


def _read(session, model, record_id, fields):
    (record,) = session.call(model, "read", [record_id], fields)
    return record


def _partner(session, name):
    (partner_id,) = session.call("res.partner", "search", [("name", "=", name)])
    return partner_id


def _new_trip(sp, **extra):
    start = datetime.datetime(2030, 5, 6, 1, 0, 0)
    return sp.call(
        "sales.trip",
        "create",
        {
            "destination": "Xiamen",
            "purpose": "Stone fair, meet the quarry owners",
            "planned_departure": start.strftime("%Y-%m-%d %H:%M:%S"),
            "planned_return": (start + datetime.timedelta(days=2, hours=9)).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            **extra,
        },
        context=HOSTILE,
    )


def test_trip_decided_only_by_the_manager_through_approve(login, budget_missing_allowed):
    sp, manager, admin = login("salesperson"), login("manager"), login("admin")
    (director_level,) = admin.call("sales.travel.level", "search", [("code", "=", "director")])
    senior_uid = login("senior").uid

    trip_id = _new_trip(sp, flight_requested=True, pre_approval_reason="Fair closes early")
    draft = _read(admin, "sales.trip", trip_id, TRIP_FIELDS)
    assert draft["state"] == "draft"
    assert draft["manager_user_id"][0] == manager.uid
    # the level and the approver are the employee record's, never the request's (TRV-1, TRV-2)
    for vals in ({"travel_level_id": director_level}, {"manager_user_id": senior_uid}):
        with pytest.raises(xmlrpc.client.Fault) as exc:
            sp.call("sales.trip", "write", [trip_id], vals, context=HOSTILE)
        assert "APR-5" in exc.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as exc:
        _new_trip(sp, travel_level_id=director_level)
    assert "APR-5" in exc.value.faultString
    assert _read(admin, "sales.trip", trip_id, TRIP_FIELDS) == draft

    sp.call("sales.trip", "action_submit", [trip_id], context=HOSTILE)
    submitted = _read(admin, "sales.trip", trip_id, TRIP_FIELDS)
    assert submitted["state"] == "submitted"
    assert submitted["submitted_by_id"][0] == sp.uid
    assert submitted["decided_by_id"] is False

    with pytest.raises(xmlrpc.client.Fault) as exc:
        sp.call(
            "sales.trip",
            "write",
            [trip_id],
            {"state": "approved", "decided_by_id": sp.uid},
            context=HOSTILE,
        )
    assert "APR-5" in exc.value.faultString
    for vals in ({"decided_by_id": manager.uid}, {"flight_approved": True}):
        with pytest.raises(xmlrpc.client.Fault):
            sp.call("sales.trip", "write", [trip_id], vals, context=HOSTILE)
    with pytest.raises(xmlrpc.client.Fault) as exc:
        sp.call("sales.trip", "action_approve", [trip_id], context=HOSTILE)
    assert "APR-4" in exc.value.faultString
    # a copy carries no decision
    copy_id = sp.call("sales.trip", "copy", [trip_id], context=HOSTILE)
    copy_id = copy_id[0] if isinstance(copy_id, list) else copy_id
    copied = _read(admin, "sales.trip", copy_id, ["state", "submitted_by_id", "decided_by_id"])
    assert copied == {
        "id": copy_id,
        "state": "draft",
        "submitted_by_id": False,
        "decided_by_id": False,
    }
    assert _read(admin, "sales.trip", trip_id, TRIP_FIELDS) == submitted

    # the manager decides, through the button, as who they are
    manager.call("sales.trip", "action_approve", [trip_id], context=HOSTILE)
    approved = _read(admin, "sales.trip", trip_id, TRIP_FIELDS)
    assert approved["state"] == "approved"
    assert approved["decided_by_id"][0] == manager.uid
    assert approved["flight_approved"] is True
    # decided: the decision is not rewritten, not even by its decider
    with pytest.raises(xmlrpc.client.Fault) as exc:
        manager.call("sales.trip", "write", [trip_id], {"decided_by_id": sp.uid}, context=HOSTILE)
    assert "APR-5" in exc.value.faultString
    assert _read(admin, "sales.trip", trip_id, TRIP_FIELDS) == approved


def test_credit_grade_only_through_an_approved_change(login):
    sp, admin = login("salesperson"), login("admin")
    customer = _partner(sp, OWN_CUSTOMER)
    before = _read(admin, "res.partner", customer, PARTNER_FIELDS)
    assert before["credit_grade_id"]
    grades = admin.call("sales.credit.grade", "search_read", [], fields=["code"])
    (grade_a,) = [g["id"] for g in grades if g["code"] == "A"]

    with pytest.raises(xmlrpc.client.Fault) as exc:
        sp.call("res.partner", "write", [customer], {"credit_grade_id": grade_a}, context=HOSTILE)
    assert "CRD-6" in exc.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as exc:
        sp.call("res.partner", "write", [customer], {"credit_grade_id": False}, context=HOSTILE)
    assert "CRD-6" in exc.value.faultString

    change = {"partner_id": customer, "new_grade_id": grade_a, "reason": "Pays on time"}
    for forged in (
        {"state": "approved"},
        {"state": "approved", "decided_by_id": login("gm").uid},
        {"decided_by_id": sp.uid},
        {"submitted_by_id": sp.uid, "state": "submitted"},
    ):
        with pytest.raises(xmlrpc.client.Fault) as exc:
            sp.call("sales.credit.grade.change", "create", {**change, **forged}, context=HOSTILE)
        assert "APR-5" in exc.value.faultString, forged

    # the proposal is made; its author cannot approve or forge the decision
    change_id = sp.call("sales.credit.grade.change", "create", change, context=HOSTILE)
    sp.call("sales.credit.grade.change", "action_submit", [change_id], context=HOSTILE)
    with pytest.raises(xmlrpc.client.Fault) as exc:
        sp.call("sales.credit.grade.change", "action_approve", [change_id], context=HOSTILE)
    assert "APR-4" in exc.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as exc:
        sp.call(
            "sales.credit.grade.change",
            "write",
            [change_id],
            {"state": "approved"},
            context=HOSTILE,
        )
    assert "APR-5" in exc.value.faultString
    (row,) = admin.call(
        "sales.credit.grade.change", "read", [change_id], ["state", "decided_by_id"]
    )
    assert row == {"id": change_id, "state": "submitted", "decided_by_id": False}
    # withdrawn, so that no pending change is left on the demo customer
    sp.call("sales.credit.grade.change", "action_cancel", [change_id], context=HOSTILE)
    assert _read(admin, "res.partner", customer, PARTNER_FIELDS) == before


def test_archive_keys_not_written_by_hand(login):
    sp, employee, admin = login("salesperson"), login("employee"), login("admin")
    customer = _partner(sp, OWN_CUSTOMER)
    before = _read(admin, "res.partner", customer, PARTNER_FIELDS)
    assert before["customer_archive"] is True
    assert before["archive_visibility"] == sp.uid

    for vals in (
        {"archive_visibility": -1},
        {"customer_archive": False},
        {"archive_user_id": employee.uid},
        {"archive_grant_user_ids": [(4, employee.uid)]},
        {"archive_grant_user_ids": [(6, 0, [employee.uid])]},
    ):
        with pytest.raises(xmlrpc.client.Fault) as exc:
            sp.call("res.partner", "write", [customer], vals, context=HOSTILE)
        assert "APR-5" in exc.value.faultString, vals
    # nor on a new customer
    with pytest.raises(xmlrpc.client.Fault) as exc:
        sp.call(
            "res.partner",
            "create",
            {"name": "Forged Open Archive", "is_company": True, "archive_visibility": -1},
            context=HOSTILE,
        )
    assert "APR-5" in exc.value.faultString

    assert _read(admin, "res.partner", customer, PARTNER_FIELDS) == before
    assert employee.call("res.partner", "search", [("id", "=", customer)], context=HOSTILE) == []
    assert (
        employee.call("res.partner", "search", [("name", "=", OWN_CUSTOMER)], context=HOSTILE) == []
    )
    with pytest.raises(xmlrpc.client.Fault):
        employee.call("res.partner", "read", [customer], ["name"], context=HOSTILE)


def test_archive_access_granted_only_by_the_gm(login):
    employee, gm, admin = login("employee"), login("gm"), login("admin")
    visible = employee.call("res.partner", "search", [("customer_archive", "=", True)])
    names = [name for name in GRANT_CANDIDATES if _partner(admin, name) not in visible]
    if not names:
        pytest.skip("every candidate customer is already granted to the employee")
    name = names[0]
    customer = _partner(admin, name)
    partner_before = _read(admin, "res.partner", customer, PARTNER_FIELDS)
    assert employee.uid not in partner_before["archive_grant_user_ids"]
    end = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    request = {
        "partner_ids": [(6, 0, [customer])],
        "reason": "Delivery planning for the facade project",
        "date_end": end,
    }
    Request = "sales.archive.access.request"
    for forged in (
        {"state": "approved"},
        {"state": "approved", "decided_by_id": gm.uid},
        {"decided_by_id": gm.uid},
        {"state": "submitted", "submitted_by_id": employee.uid},
    ):
        with pytest.raises(xmlrpc.client.Fault) as exc:
            employee.call(Request, "create", {**request, **forged}, context=HOSTILE)
        assert "APR-5" in exc.value.faultString, forged
    assert employee.call("res.partner", "search", [("id", "=", customer)], context=HOSTILE) == []

    request_id = employee.call(Request, "create", request, context=HOSTILE)
    employee.call(Request, "action_submit", [request_id], context=HOSTILE)
    submitted = _read(admin, Request, request_id, REQUEST_FIELDS)
    assert submitted["state"] == "submitted"
    with pytest.raises(xmlrpc.client.Fault) as exc:
        employee.call(Request, "action_approve", [request_id], context=HOSTILE)
    assert "APR-4" in exc.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as exc:
        employee.call(
            Request,
            "write",
            [request_id],
            {"state": "approved", "decided_by_id": gm.uid},
            context=HOSTILE,
        )
    assert "APR-5" in exc.value.faultString
    assert _read(admin, Request, request_id, REQUEST_FIELDS) == submitted
    assert _read(admin, "res.partner", customer, PARTNER_FIELDS) == partner_before
    with pytest.raises(xmlrpc.client.Fault):
        employee.call("res.partner", "read", [customer], ["name"], context=HOSTILE)

    gm.call(Request, "action_approve", [request_id], context=HOSTILE)
    approved = _read(admin, Request, request_id, REQUEST_FIELDS)
    assert approved["state"] == "approved"
    assert approved["decided_by_id"][0] == gm.uid
    (partner,) = employee.call("res.partner", "read", [customer], ["name"], context=HOSTILE)
    assert partner["name"] == name
    # a grant gives read, never write (ARC-5)
    granted = _read(admin, "res.partner", customer, PARTNER_FIELDS)
    with pytest.raises(xmlrpc.client.Fault):
        employee.call("res.partner", "write", [customer], {"phone": "123"}, context=HOSTILE)
    with pytest.raises(xmlrpc.client.Fault):
        employee.call(Request, "write", [request_id], {"date_end": "2099-12-31"}, context=HOSTILE)
    assert _read(admin, "res.partner", customer, PARTNER_FIELDS) == granted
    assert granted["phone"] == partner_before["phone"]
    assert _read(admin, Request, request_id, REQUEST_FIELDS) == approved


def test_request_pick_lists_nothing_without_a_name(login):
    employee = login("employee")
    pick = {**HOSTILE, "sales_archive_request_pick": True}
    for name in ("___", "%%%", "%_%", "  %  ", "ab", ""):
        assert employee.call("res.partner", "name_search", name, context=pick) == [], name
    # the operator the client sends changes nothing
    assert employee.call("res.partner", "name_search", "%", operator="=ilike", context=pick) == []

    found = employee.call("res.partner", "name_search", "瑞丰石", context=pick)
    ruifeng = _partner(login("admin"), PICKED_CUSTOMER)
    assert found == [[ruifeng, f"{PICKED_CUSTOMER} (贵港市)"]]
    # naming is not reading
    assert employee.call("res.partner", "search", [("id", "=", ruifeng)], context=HOSTILE) == []
    with pytest.raises(xmlrpc.client.Fault):
        employee.call("res.partner", "read", [ruifeng], ["name"], context=HOSTILE)


def test_message_posted_as_oneself(login):
    sp, admin = login("salesperson"), login("admin")
    (gm_user,) = admin.call("res.users", "read", [login("gm").uid], ["partner_id"])
    gm_partner = gm_user["partner_id"][0]
    trip_id = _new_trip(sp)

    def messages():
        return admin.call(
            "mail.message",
            "search_read",
            [("model", "=", "sales.trip"), ("res_id", "=", trip_id)],
            fields=["author_id", "body", "date"],
            order="id",
        )

    before = messages()
    for forged in (
        {"author_id": gm_partner},
        {"author_id": gm_partner, "email_from": "liu.yang@example.com"},
        {"date": "2020-01-01 00:00:00"},
    ):
        with pytest.raises(xmlrpc.client.Fault) as exc:
            sp.call(
                "sales.trip",
                "message_post",
                [trip_id],
                body="Approved, go ahead. Liu Yang",
                context=HOSTILE,
                **forged,
            )
        assert "APR-5" in exc.value.faultString
    assert messages() == before

    # posting as oneself works
    sp.call("sales.trip", "message_post", [trip_id], body="Booked the train", context=HOSTILE)
    (_user,) = admin.call("res.users", "read", [sp.uid], ["partner_id"])
    last = messages()[-1]
    assert last["author_id"][0] == _user["partner_id"][0]
    assert "Booked the train" in last["body"]
    (trip,) = admin.call("sales.trip", "read", [trip_id], ["state"])
    assert trip["state"] == "draft"


def test_message_not_forged_through_mail_message(login):
    """The same forgery by the other public door: a chatter message created
    directly, on the salesperson's own trip, in the general manager's name."""
    sp, admin = login("salesperson"), login("admin")
    (gm_user,) = admin.call("res.users", "read", [login("gm").uid], ["partner_id"])
    trip_id = _new_trip(sp)
    domain = [("model", "=", "sales.trip"), ("res_id", "=", trip_id)]
    before = admin.call("mail.message", "search_read", domain, fields=["author_id", "body"])
    with pytest.raises(xmlrpc.client.Fault):
        sp.call(
            "mail.message",
            "create",
            {
                "model": "sales.trip",
                "res_id": trip_id,
                "message_type": "comment",
                "body": "Approved, go ahead. Liu Yang",
                "author_id": gm_user["partner_id"][0],
            },
            context=HOSTILE,
        )
    assert admin.call("mail.message", "search_read", domain, fields=["author_id", "body"]) == before
