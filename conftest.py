"""What the addon's Odoo suite needs when pytest-odoo runs it.

``scripts/test`` runs ``sales_dept_policy/tests`` with pytest-odoo
(``-p odoo --odoo-database=DB --odoo-http``) against a database the module is
installed in. pytest-odoo opens that database's registry, sets Odoo's test mode
and serves HTTP for the ``HttpCase`` tests; this file adds the two things Odoo's
own runner (``odoo-bin --test-enable``) does and pytest-odoo does not:

- the web asset bundles are generated, and committed, once before the first
  ``HttpCase``, as Odoo does before its post-install tests; otherwise every
  tour class would build them again inside its own rolled-back transaction;
- an ERROR or CRITICAL log record emitted while a test runs (by the test, by the
  server thread answering its requests, ...) fails that test, as the log check
  of the runbot and of ``scripts/test`` did. A test that expects such a record
  silences it with ``mute_logger`` or ``assertLogs``, which keep it from here.
  The records are seen only at ``--odoo-log-level`` ``error`` or lower
  (``scripts/test`` passes ``warn``).

Without pytest-odoo's ``--odoo-database`` (the pure tests of ``tests/``, the
end-to-end and scale tests) nothing here runs and nothing of Odoo is imported.
"""

import logging

import pytest


def _odoo_run(config):
    return config.pluginmanager.hasplugin("odoo") and bool(
        config.getoption("odoo_database", default=None)
    )


class _ErrorRecords(logging.Handler):
    """Keeps the ERROR and CRITICAL records that reach the root logger."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def take(self):
        records, self.records = self.records, []
        return records


_ERRORS = _ErrorRecords()


def pytest_configure(config):
    if _odoo_run(config):
        logging.getLogger().addHandler(_ERRORS)


def pytest_unconfigure(config):
    logging.getLogger().removeHandler(_ERRORS)


def _is_http_case(item):
    from odoo.tests import HttpCase  # noqa: PLC0415 (only when Odoo runs)

    cls = getattr(item, "cls", None)
    return isinstance(cls, type) and issubclass(cls, HttpCase)


@pytest.fixture(scope="session", autouse=True)
def _odoo_web_assets(request):
    """Generate the asset bundles before the first HttpCase (a no-op once done)."""
    config = request.config
    if not (_odoo_run(config) and config.getoption("odoo_http", default=False)):
        yield
        return
    if not any(_is_http_case(item) for item in request.session.items):
        yield
        return
    request.getfixturevalue("load_registry")
    from odoo import api, modules  # noqa: PLC0415
    from odoo.tests.common import get_db_name  # noqa: PLC0415

    registry = modules.registry.Registry(get_db_name())
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        env["ir.qweb"]._pregenerate_assets_bundles()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if not _odoo_run(item.config):
        return
    records = _ERRORS.take()
    report = outcome.get_result()
    if not records or report.skipped:
        return
    lines = [
        f"{logging.getLevelName(r.levelno)} {r.name}: {r.getMessage()}"
        + (f"\n{logging.Formatter().formatException(r.exc_info)}" if r.exc_info else "")
        for r in records
    ]
    message = f"{len(records)} error(s) logged during the {call.when}:\n" + "\n".join(lines)
    if report.failed:
        report.sections.append(("errors logged", message))
    else:
        report.outcome = "failed"
        report.longrepr = message
