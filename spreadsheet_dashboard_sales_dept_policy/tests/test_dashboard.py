# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import re
from datetime import datetime

import polib

from odoo.exceptions import AccessError
from odoo.fields import Datetime
from odoo.tests import HttpCase, tagged
from odoo.tools import file_open, file_path, mute_logger
from odoo.tools.translate import extract_spreadsheet_terms

from odoo.addons.sales_dept_policy.tests.common import SalesPolicyCase
from odoo.addons.spreadsheet.utils.validate_data import (
    fields_in_spreadsheet,
    menus_xml_ids_in_spreadsheet,
    odoo_charts,
)

MODULE = "spreadsheet_dashboard_sales_dept_policy"
DASHBOARD_FILE = f"{MODULE}/data/files/sales_policy_dashboard.json"
SAMPLE_FILE = f"{MODULE}/data/files/sales_policy_sample_dashboard.json"
HYPERLINK_MENU = re.compile(r'HYPERLINK\("odoo://ir_menu_xml_id/([\w.]+)"')
PIVOT_FORMULA = re.compile(r"\bPIVOT(?:\.VALUE|\.HEADER)?\(\s*(\d+)")
PIVOT_VALUE_MEASURE = re.compile(r'\bPIVOT\.VALUE\(\s*(\d+)\s*,\s*"([^"]+)"')


def load(path):
    with file_open(path, "rb") as f:
        return json.load(f)


def formulas(data):
    for sheet in data["sheets"]:
        for content in sheet["cells"].values():
            if content.startswith("="):
                yield content


class DashboardCase(SalesPolicyCase):
    """Two salespeople, each with a target and a signed order this month; the first
    one's target waits for a decision, the second one's is approved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(f"{MODULE}.spreadsheet_dashboard_sales_policy")
        cls.data = load(DASHBOARD_FILE)
        cls.product = cls.env["product.product"].create(
            {"name": "SDP Dashboard Slab", "list_price": 1000.0, "taxes_id": [(5, 0, 0)]}
        )
        grade = cls.env.ref("sales_dept_policy.credit_grade_a")
        (cls.customer | cls.other_customer).credit_grade_id = grade
        year = Datetime.now().year
        cls.target = cls._target(cls.salesperson, year)
        cls.target.with_user(cls.manager).action_submit()
        cls.other_target = cls._target(cls.salesperson2, year)
        cls.other_target.with_user(cls.manager).action_submit()
        cls.other_target.with_user(cls.gm).action_approve()
        cls._confirmed_order(cls.salesperson, cls.customer, 3)
        cls._confirmed_order(cls.salesperson2, cls.other_customer, 5)

    @classmethod
    def _target(cls, user, year):
        target = cls.env["sales.target"].with_user(user).create({"year": year})
        target.with_user(cls.manager).target_amount = 120000.0
        return target

    @classmethod
    def _confirmed_order(cls, user, partner, qty):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": user.id,
                "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        order.date_order = datetime.now()
        return order

    def _read_pivot(self, pivot, user):
        """The groups the dashboard's pivot reads for ``user`` (what the client asks:
        its domain, rows and columns, and its measures computed by the server)."""
        groupby = [
            f"{dim['fieldName']}:{dim['granularity']}"
            if dim.get("granularity")
            else dim["fieldName"]
            for dim in pivot["rows"] + pivot["columns"]
        ]
        aggregates = [
            m["id"] if m["fieldName"] == "__count" else f"{m['fieldName']}:{m['aggregator']}"
            for m in pivot["measures"]
            if "computedBy" not in m
        ]
        return (
            self.env[pivot["model"]]
            .with_user(user)
            .formatted_read_group(pivot["domain"], groupby=groupby, aggregates=aggregates)
        )

    def _pivot(self, name):
        return next(p for p in self.data["pivots"].values() if p["name"] == name)


@tagged("post_install", "-at_install")
class TestDashboardData(DashboardCase):
    """Issue 18: the dashboard's file and what it reads."""

    def test_files_load(self):
        sample = load(SAMPLE_FILE)
        for data in (self.data, sample):
            self.assertEqual(data["version"], "18.5.10")
            self.assertEqual([s["name"] for s in data["sheets"]], ["Dashboard", "Data"])
        # the record holds the file, as Odoo's dashboards do
        self.assertEqual(json.loads(self.dashboard.spreadsheet_data), self.data)
        self.assertEqual(self.dashboard._get_sample_dashboard(), sample)
        # the sample reads nothing: fixed figures only
        self.assertFalse(sample["pivots"])
        self.assertFalse(odoo_charts(sample))
        self.assertFalse(any(PIVOT_FORMULA.search(f) for f in formulas(sample)))

    def test_models_fields_and_menus_exist(self):
        """Every model, field (chains of the filters too), pivot, measure, menu and
        action the dashboard names exists."""
        data = self.data
        chains = fields_in_spreadsheet(data)
        filter_ids = {f["id"] for f in data["globalFilters"]}
        sources = list(data["pivots"].values()) + odoo_charts(data)
        for source in sources:
            model = source.get("model") or source["metaData"]["resModel"]
            for filter_id, match in source.get("fieldMatching", {}).items():
                self.assertIn(filter_id, filter_ids)
                chains.setdefault(model, set()).add(match["chain"])
        self.assertIn("sales.target.report", chains)
        for model, names in chains.items():
            self.assertIn(model, self.env, model)
            for chain in names:
                Model = self.env[model]
                for name in chain.split("."):
                    self.assertIn(name, Model._fields, f"{model}: {chain}")
                    field = Model._fields[name]
                    Model = self.env[field.comodel_name] if field.relational else Model
        menus = menus_xml_ids_in_spreadsheet(data)
        for formula in formulas(data):
            menus.update(HYPERLINK_MENU.findall(formula))
        self.assertIn("sales_dept_policy.sales_target_report_menu", menus)
        for xmlid in menus:
            self.assertTrue(self.env.ref(xmlid).action, xmlid)
        for source in sources:
            if source.get("actionXmlId"):
                self.assertTrue(self.env.ref(source["actionXmlId"]))
        # the pivots and measures the formulas name
        by_formula_id = {p["formulaId"]: p for p in data["pivots"].values()}
        for formula in formulas(data):
            for formula_id in PIVOT_FORMULA.findall(formula):
                self.assertIn(formula_id, by_formula_id, formula)
            for formula_id, measure in PIVOT_VALUE_MEASURE.findall(formula):
                ids = {m["id"] for m in by_formula_id[formula_id]["measures"]}
                self.assertIn(measure, ids, formula)
        for pivot in data["pivots"].values():
            ids = {m["id"] for m in pivot["measures"]}
            for measure in pivot["measures"]:
                for used in re.findall(
                    r"'([^']+)'", measure.get("computedBy", {}).get("formula", "")
                ):
                    self.assertIn(used, ids, pivot["name"])

    def test_every_request_model_is_counted(self):
        """APR-1..5: each model of the approval flow is a line of the requests."""
        approval = {
            name
            for name in self.env.registry.descendants(["sales.approval.mixin"], "_inherit")
            if not self.env[name]._abstract
        }
        counted = {
            p["model"]
            for p in self.data["pivots"].values()
            if p["domain"] == [["state", "=", "submitted"]]
        }
        self.assertEqual(counted - {"hr.expense"}, approval)

    def test_texts_translated(self):
        """Every text Odoo extracts from both files has its Simplified Chinese."""
        catalog = polib.pofile(file_path(f"{MODULE}/i18n/zh_CN.po"))
        translated = {e.msgid for e in catalog if e.msgstr and not e.obsolete}
        for path in (DASHBOARD_FILE, SAMPLE_FILE):
            with file_open(path, "rb") as f:
                terms = {
                    term for _line, _func, term, _c in extract_spreadsheet_terms(f, [], [], {})
                }
            self.assertIn("Target attainment by month", terms)
            self.assertFalse(terms - translated, path)
        self.assertIn("Sales Policy", translated)


@tagged("post_install", "-at_install")
class TestDashboardAccess(DashboardCase):
    """Issue 18: who opens the dashboard, and what its pivots give them."""

    def test_visible_to_the_sales_roles_only(self):
        Dashboard = self.env["spreadsheet.dashboard"]
        for user in (self.salesperson, self.manager, self.gm):
            self.assertEqual(
                Dashboard.with_user(user).search([("id", "=", self.dashboard.id)]), self.dashboard
            )
        self.assertFalse(
            Dashboard.with_user(self.employee).search([("id", "=", self.dashboard.id)])
        )
        with self.assertRaises(AccessError):
            self.dashboard.with_user(self.employee).read(["spreadsheet_data"])

    def test_salesperson_reads_own_rows(self):
        """Record rules apply: every pivot grouped by salesperson gives a salesperson
        their own row only; a manager everyone's."""
        own = {self.salesperson.id}
        for pivot in self.data["pivots"].values():
            groups = self._read_pivot(pivot, self.salesperson)
            if any(dim["fieldName"] == "user_id" for dim in pivot["rows"]):
                users = {g["user_id"][0] for g in groups if g["user_id"]}
                self.assertLessEqual(users, own, pivot["name"])
        by_user = {
            g["user_id"][0]: g
            for g in self._read_pivot(self._pivot("Attainment by salesperson"), self.salesperson)
        }
        self.assertEqual(set(by_user), own)
        self.assertEqual(by_user[self.salesperson.id]["actual_signed:sum"], 3000.0)
        # the submitted target is not approved: no target amount yet
        self.assertEqual(by_user[self.salesperson.id]["target_amount:sum"], 0.0)
        by_user = {
            g["user_id"][0]: g
            for g in self._read_pivot(self._pivot("Attainment by salesperson"), self.manager)
        }
        self.assertLessEqual({self.salesperson.id, self.salesperson2.id}, set(by_user))
        self.assertEqual(by_user[self.salesperson2.id]["actual_signed:sum"], 5000.0)
        self.assertEqual(by_user[self.salesperson2.id]["target_amount:sum"], 120000.0)
        # activity progress: the salesperson's own targets of the week
        week = self._read_pivot(self._pivot("Activity progress this week"), self.salesperson)
        self.assertTrue(week)
        self.assertEqual({g["user_id"][0] for g in week}, own)

    def test_requests_waiting_counts_own(self):
        """APR: the requests waiting for a decision are the reader's own for a
        salesperson (their submitted target), all of them for a manager."""
        pivot = self._pivot("Sales targets waiting for a decision")
        (mine,) = self._read_pivot(pivot, self.salesperson)
        self.assertEqual(mine["__count"], 1)
        (others,) = self._read_pivot(pivot, self.salesperson2)
        self.assertEqual(others["__count"], 0)
        (everyone,) = self._read_pivot(pivot, self.manager)
        self.assertEqual(
            everyone["__count"],
            self.env["sales.target"].search_count([("state", "=", "submitted")]),
        )
        self.assertGreaterEqual(everyone["__count"], 1)


@tagged("post_install", "-at_install")
class TestDashboardHttp(DashboardCase, HttpCase):
    """Issue 18: the dashboard as the browser loads it."""

    def test_data_route(self):
        self.authenticate(self.salesperson.login, self.salesperson.login)
        response = self.url_open(f"/spreadsheet/dashboard/data/{self.dashboard.id}")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertNotIn("is_sample", body)
        self.assertEqual(body["translation_namespace"], MODULE)
        self.assertEqual(body["snapshot"]["pivots"], self.data["pivots"])
        # someone without the figures: the sample, never anyone's figures
        newcomer = self._new_user("sdp_dash_new", "sales_dept_policy.group_salesperson")
        self.authenticate(newcomer.login, newcomer.login)
        body = self.url_open(f"/spreadsheet/dashboard/data/{self.dashboard.id}").json()
        self.assertTrue(body["is_sample"])
        self.assertFalse(body["snapshot"]["pivots"])
        # no role: no dashboard
        self.authenticate(self.employee.login, self.employee.login)
        with mute_logger("odoo.http"):
            response = self.url_open(f"/spreadsheet/dashboard/data/{self.dashboard.id}")
        self.assertEqual(response.status_code, 403)

    def test_dashboard_in_browser(self):
        """The dashboard opens for a salesperson, its pivots load and no cell is an
        error (the tour reads the spreadsheet's evaluated cells)."""
        self.start_tour(
            "/odoo/dashboards",
            "spreadsheet_dashboard_sales_dept_policy_tour",
            login=self.salesperson.login,
        )

    def test_sample_in_browser(self):
        """Someone with no figure yet sees the sample, whose cells all evaluate."""
        newcomer = self._new_user("sdp_dash_sample", "sales_dept_policy.group_salesperson")
        self.start_tour(
            "/odoo/dashboards",
            "spreadsheet_dashboard_sales_dept_policy_sample_tour",
            login=newcomer.login,
        )
