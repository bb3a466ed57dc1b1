# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Read replica: what Odoo 19 serves read-only is read-only in the addon.

Odoo sends read-only requests (search, read, read_group, ``@api.readonly``
methods, read-only routes) to ``--db_replica_host``; in a test, the HTTP
layer opens them on a read-only cursor. A write there fails with
``ReadOnlySqlTransaction`` and Odoo retries on the primary, logging a warning:
these tests fail on that warning.
"""

import io
import logging
from contextlib import contextmanager
from unittest.mock import patch
from urllib.parse import parse_qs, urlencode, urlsplit

import openpyxl

from odoo.tests import HttpCase, tagged

from .common import SalesPolicyCase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestReadOnly(SalesPolicyCase, HttpCase):
    @contextmanager
    def _no_write_retry(self):
        """Fail on Odoo's "retrying with a read/write cursor" (or any warning of the
        HTTP layer) while the block runs."""
        with self.assertNoLogs("odoo.http", logging.WARNING):
            yield

    @contextmanager
    def _export_cursors(self):
        """The ``readonly`` flag of the cursor each export file is made on."""
        seen = []
        Mixin = self.registry["sales.export.wizard.mixin"]
        export_file = Mixin._export_file

        def _export_file(wizard):
            seen.append(wizard.env.cr.readonly)
            return export_file(wizard)

        with patch.object(Mixin, "_export_file", _export_file):
            yield seen

    def _exports(self):
        """One wizard of every export, as a role that may use it."""
        sp, mgr = self.salesperson, self.manager
        return [
            (sp, "sales.activity.export.wizard", {"period": "month", "periods_back": 2}),
            (sp, "sales.target.export.wizard", {"year": 2027}),
            (sp, "sales.expense.export.wizard", {"year": 2027}),
            (sp, "sales.collection.export.wizard", {"month": "2027-03-01"}),
            (sp, "sales.balance.export.wizard", {"overdue_only": False}),
            (
                sp,
                "sales.trip.export.wizard",
                {"mode": "breaches", "date_from": "2027-03-01", "date_to": "2027-03-31"},
            ),
            (mgr, "sales.finance.export.wizard", {"date_from": "2027-03-01"}),
            (mgr, "sales.assessment.export.wizard", {"month": "2027-03-01"}),
        ]

    def _download(self, user, url):
        self.authenticate(user.login, user.login)
        self.env.flush_all()
        return self.url_open(url)

    def test_every_export_is_made_on_a_read_only_cursor(self):
        for user, model, vals in self._exports():
            with self.subTest(model=model):
                wizard = self.env[model].with_user(user).create(vals)
                before = wizard.write_date
                action = wizard.action_export()
                self.assertEqual(action["type"], "ir.actions.act_url")
                self.assertTrue(
                    action["url"].startswith(f"/sales_dept_policy/export/{model}/{wizard.id}/")
                )
                with self._no_write_retry(), self._export_cursors() as cursors:
                    response = self._download(user, action["url"])
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers["Content-Type"], XLSX)
                self.assertIn(wizard.file_name, response.headers["Content-Disposition"])
                # made once, on the read-only cursor, without a retry on the primary
                self.assertEqual(cursors, [True])
                book = openpyxl.load_workbook(io.BytesIO(response.content))
                self.assertIn(f"exported by {user.name}", book.worksheets[0]["A1"].value)
                # asking for the export wrote nothing on the wizard
                wizard.invalidate_recordset()
                self.assertEqual(wizard.write_date, before)

    def test_a_replica_without_the_saved_wizard_leaves_it_to_the_primary(self):
        wizard = (
            self.env["sales.target.export.wizard"]
            .with_user(self.salesperson)
            .create({"year": 2027})
        )
        url = urlsplit(wizard.action_export()["url"])
        params = {key: values[0] for key, values in parse_qs(url.query).items()}
        self.assertEqual(params["v"], wizard.write_date.isoformat())
        for stale in (
            dict(params, v="2000-01-01T00:00:00"),  # an older version of the wizard
            dict(params, lsn="not-a-position"),
            {},
        ):
            with self.subTest(params=stale), self._export_cursors() as cursors:
                response = self._download(
                    self.salesperson, f"{url.path}?{urlencode(stale)}" if stale else url.path
                )
                self.assertEqual(response.status_code, 200)
                self.assertEqual(cursors, [False])  # served by the primary
                book = openpyxl.load_workbook(io.BytesIO(response.content))
                self.assertIn("2027", book.worksheets[0]["A1"].value)

    def test_a_download_is_read_with_the_downloaders_rights(self):
        wizard = (
            self.env["sales.activity.export.wizard"]
            .with_user(self.salesperson)
            .create({"period": "month", "periods_back": 2})
        )
        url = wizard.action_export()["url"]
        # the other salesperson opening the link exports their own rows, not the creator's
        response = self._download(self.salesperson2, url)
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertIn(f"exported by {self.salesperson2.name}", sheet["A1"].value)
        names = {row[0] for row in sheet.iter_rows(min_row=3, values_only=True)}
        self.assertEqual(names, {self.salesperson2.name})
        response = self._download(self.salesperson, url)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        names = {row[0] for row in sheet.iter_rows(min_row=3, values_only=True)}
        self.assertEqual(names, {self.salesperson.name})
        # the route serves the export wizards only
        partner_url = url.replace(
            f"sales.activity.export.wizard/{wizard.id}/", f"res.partner/{self.customer.id}/"
        )
        with self._export_cursors() as cursors:
            response = self._download(self.salesperson, partner_url)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(cursors, [])

    def test_reports_and_dashboards_read_on_a_read_only_cursor(self):
        """The heavy read paths (VIS-4 progress, QTA-4 target analysis, BUD-3,
        ORD-6, ASM-2) are searches and groupings: Odoo serves them read-only."""
        reports = [
            "sales.activity.progress",
            "sales.target.report",
            "sales.expense.report",
            "sales.balance.report",
            "sales.assessment.ranking",
            "sales.target.period",
        ]
        for user in (self.salesperson, self.manager, self.gm):
            self.authenticate(user.login, user.login)
            for model in reports:
                if not self.env[model].with_user(user).has_access("read"):
                    continue
                with self.subTest(user=user.login, model=model), self._no_write_retry():
                    for method, kwargs in (
                        (
                            "web_search_read",
                            {"domain": [], "specification": {"display_name": {}}, "limit": 80},
                        ),
                        (
                            "formatted_read_group",
                            {"domain": [], "groupby": ["user_id"], "aggregates": ["__count"]},
                        ),
                    ):
                        self.make_jsonrpc_request(
                            f"/web/dataset/call_kw/{model}/{method}",
                            {"model": model, "method": method, "args": [], "kwargs": kwargs},
                        )
