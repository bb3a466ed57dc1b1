"""End-to-end tests over XML-RPC against a served demo database.

``scripts/test`` serves the freshly installed database and sets
``SDP_E2E_URL`` and ``SDP_E2E_DB``; the demo logins of the README are used.
"""

import os
import xmlrpc.client

import pytest


class Session:
    """One logged-in user of the served database."""

    def __init__(self, url, db, login, password):
        self.db = db
        self.password = password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, login, password, {})
        assert self.uid, f"demo login {login} refused"
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )


@pytest.fixture(scope="session")
def login():
    url = os.environ.get("SDP_E2E_URL")
    db = os.environ.get("SDP_E2E_DB")
    if not (url and db):
        pytest.skip("SDP_E2E_URL and SDP_E2E_DB are set by scripts/test, which serves the demo")

    def _login(name):
        return Session(url, db, name, name)

    return _login


@pytest.fixture
def budget_missing_allowed(login):
    """BUD-2: for a test of travel rules, the trips and claims of months without a
    budget are approved as before budgets existed; the setting is restored after."""
    admin = login("admin")
    key = "sales_dept_policy.budget_missing_policy"
    before = admin.call("ir.config_parameter", "get_param", key)
    admin.call("ir.config_parameter", "set_param", key, "allow")
    yield
    admin.call("ir.config_parameter", "set_param", key, before or "gm")
