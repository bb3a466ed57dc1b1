# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
import zipfile
from datetime import date, datetime
from unittest.mock import patch

import openpyxl

from odoo.tests import freeze_time, new_test_user, tagged

from ..policy import credit as crd
from ..report.xlsx_base import Cell, Column, Sheet, generate_xlsx_report
from ..wizards import sales_export_wizard_mixin as mixin
from .common import SalesPolicyCase


def _book(content):
    return openpyxl.load_workbook(io.BytesIO(content))


@tagged("post_install", "-at_install")
class TestExports(SalesPolicyCase):
    """The export layer: one xlsx base, one wizard mixin, the reader's time zone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = new_test_user(
            cls.env,
            login="sdp_exp_fin",
            name="SDP Export Finance",
            groups="account.group_account_manager,sales_dept_policy.group_archive_reader",
            tz="Asia/Shanghai",
            context={"no_reset_password": True},
        )
        cls.product = cls.env["product.product"].create(
            {"name": "SDP Export Slab", "list_price": 333.33, "taxes_id": [(5, 0, 0)]}
        )
        cls.customer.credit_grade_id = cls.env.ref("sales_dept_policy.credit_grade_c")
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("sales_dept_policy.discount_limit", "0")
        params.set_param("sales_dept_policy.major_contract_threshold", "200000")

    def _confirmed_order(self):
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [(0, 0, {"product_id": self.product.id})],
                }
            )
        )
        order.with_user(self.salesperson).action_confirm()
        return order

    def _finance_export(self, **vals):
        wizard = self.env["sales.finance.export.wizard"].with_user(self.finance).create(vals)
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(
            f"/sales_dept_policy/export/sales.finance.export.wizard/{wizard.id}/", action["url"]
        )
        return _book(base64.b64decode(wizard.file_data))

    # ------------------------------------------------------------------
    # the wizards
    # ------------------------------------------------------------------
    def test_export_title_row_company_period_user(self):
        book = self._finance_export(date_from="2027-03-01", date_to="2027-03-31")
        title = (
            f"{self.finance.company_id.name} — From 03/01/2027 to 03/31/2027"
            " — exported by SDP Export Finance"
        )
        for name in ("Awaiting Deposit", "Deviations"):
            sheet = book[name]
            self.assertEqual(sheet["A1"].value, title)
            self.assertEqual(sheet["A2"].value, "Order")
            self.assertEqual(sheet.freeze_panes, "A3")  # title and header stay visible

    def test_finance_times_and_days_are_the_readers(self):
        # 17:00 UTC on 31 March is 01:00 on 1 April in Shanghai
        with freeze_time("2027-03-31 17:00:00"):
            order = self._confirmed_order()
        self.assertEqual(order.date_order, datetime(2027, 3, 31, 17, 0))
        book = self._finance_export(date_from="2027-04-01", date_to="2027-04-30")
        rows = list(book["Awaiting Deposit"].iter_rows(min_row=3, values_only=True))
        row = [r for r in rows if r[0] == order.name][0]
        self.assertEqual(row[1], datetime(2027, 4, 1, 1, 0))
        self.assertEqual(book["Awaiting Deposit"]["B3"].number_format, "yyyy-mm-dd hh:mm")
        # the reader's 31 March ended before the order was confirmed
        book = self._finance_export(date_from="2027-03-01", date_to="2027-03-31")
        names = [r[0] for r in book["Awaiting Deposit"].iter_rows(min_row=3, values_only=True)]
        self.assertNotIn(order.name, names)

    def test_finance_deposit_is_the_credit_rule(self):
        order = self._confirmed_order()
        self.assertEqual(order.amount_total, 333.33)
        book = self._finance_export()
        self.assertIn("All dates", book["Awaiting Deposit"]["A1"].value)
        rows = list(book["Awaiting Deposit"].iter_rows(min_row=3, values_only=True))
        row = [r for r in rows if r[0] == order.name][0]
        # CRD-1: 30 % of 333.33, to the cent, as policy.credit computes it
        self.assertEqual(row[8], crd.deposit_amount(333.33, 30.0))
        self.assertEqual(row[8], 100.0)

    def test_search_batches_reads_everything_once_in_order(self):
        partners = self.env["res.partner"].create([{"name": f"SDP Batch {i:02}"} for i in range(7)])
        wizard = self.env["sales.target.export.wizard"].create({"year": 2027})
        domain = [("id", "in", partners.ids)]
        batches = list(wizard._search_batches("res.partner", domain, "name, id", size=3))
        self.assertEqual([len(b) for b in batches], [3, 3, 1])
        read = list(wizard._search_iter("res.partner", domain, "name, id", size=3))
        self.assertEqual([p.id for p in read], partners.ids)

    def test_search_batches_reads_paths_with_the_rows(self):
        companies = self.env["res.partner"].create(
            [{"name": f"SDP Path Co {i}", "is_company": True} for i in range(2)]
        )
        contacts = self.env["res.partner"].create(
            [{"name": f"SDP Path {i}", "parent_id": companies[i % 2].id} for i in range(5)]
        )
        self.env.invalidate_all()
        wizard = self.env["sales.target.export.wizard"].create({"year": 2027})
        batches = wizard._search_batches(
            "res.partner",
            [("id", "in", contacts.ids)],
            "name, id",
            size=2,
            fields=["name", "parent_id.name"],
        )
        read = []
        for batch in batches:
            # the rows, their parents and the parents' names came with the batch
            with self.assertQueryCount(0):
                read += [(p.id, p.name, p.parent_id.name) for p in batch]
        self.assertEqual(read, [(p.id, p.name, p.parent_id.name) for p in contacts.sorted("name")])

    def test_search_batches_streams_a_view_once_in_order(self):
        # the activity progress is a view computed when read: one query for all rows
        domain = [("user_id", "in", (self.salesperson | self.salesperson2).ids)]
        order = "user_id, date, kind, id"
        expected = self.env["sales.activity.progress"].search(domain, order=order)
        self.assertGreater(len(expected), 10)
        wizard = self.env["sales.activity.export.wizard"].create({})
        fields = ["user_id.partner_id.name", "date", "kind", "done", "target", "state"]
        Progress = type(self.env["sales.activity.progress"])
        computed = []

        def table_query(model):
            computed.append(model)
            return table_query.original.fget(model)

        table_query.original = Progress._table_query
        with patch.object(Progress, "_table_query", property(table_query)):
            batches = list(
                wizard._search_batches(
                    "sales.activity.progress", domain, order, size=7, fields=fields
                )
            )
            read = [
                (r.id, r.user_id.name, r.date, r.kind, r.done, r.state) for b in batches for r in b
            ]
        self.assertEqual(len(computed), 1, "the view is computed once, not once a batch")
        self.assertEqual(len(batches), -(-len(expected) // 7))
        self.assertEqual(
            read, [(r.id, r.user_id.name, r.date, r.kind, r.done, r.state) for r in expected]
        )

    def test_search_batches_let_go_of_the_rows_they_read(self):
        partners = self.env["res.partner"].create(
            [{"name": f"SDP Window {i:02}", "user_id": self.manager.id} for i in range(9)]
        )
        wizard = self.env["sales.target.export.wizard"].create({"year": 2027})
        name = self.env["res.partner"]._fields["name"]
        user_name = self.env["res.users"]._fields["login"]
        self.env.invalidate_all()
        kept = []
        with (
            patch.object(mixin, "EXPORT_CACHE_ROWS", 3),
            patch.object(mixin, "EXPORT_CACHE_RELATED", 1),
        ):
            for _batch in wizard._search_batches(
                "res.partner",
                [("id", "in", partners.ids)],
                "name, id",
                size=3,
                fields=["name", "user_id.login"],
            ):
                # what the batches before read left the cache, the users included
                cache = name._get_cache(self.env)
                kept.append(sum(p in cache for p in partners.ids))
                self.assertIn(self.manager.id, user_name._get_cache(self.env))
        self.assertEqual(kept, [3, 3, 3])
        self.assertNotIn(self.manager.id, user_name._get_cache(self.env))

    def test_search_batches_of_a_new_wizard_keep_it(self):
        # a wizard not saved (an onchange) lives in the cache: the export keeps it
        wizard = self.env["sales.target.export.wizard"].new({"year": 2031})
        partners = self.env["res.partner"].create([{"name": f"SDP New {i}"} for i in range(4)])
        with patch.object(mixin, "EXPORT_CACHE_ROWS", 1):
            batches = wizard._search_batches(
                "res.partner", [("id", "in", partners.ids)], "name, id", size=1
            )
            self.assertEqual([b.name for b in batches], partners.mapped("name"))
        self.assertEqual(wizard.year, 2031)

    # ------------------------------------------------------------------
    # the xlsx base
    # ------------------------------------------------------------------
    def test_xlsx_base_streams_rows_in_constant_memory(self):
        def rows():
            for i in range(3000):
                yield (f"Line {i}", date(2027, 3, 1), datetime(2027, 3, 1, 8, 30), float(i), None)

        content = generate_xlsx_report(
            [
                Sheet(
                    name="Lines",
                    columns=(
                        Column("Name", 20),
                        Column("Day", 12, "date"),
                        Column("At", 18, "datetime"),
                        Column("Amount", 14, "money", total=True),
                        Column("Share", 10, "percent"),
                    ),
                    rows=rows(),
                    total_label="Total",
                )
            ],
            "Company — Period — exported by someone",
        )
        # constant_memory writes strings inline: no shared string table
        self.assertNotIn("xl/sharedStrings.xml", zipfile.ZipFile(io.BytesIO(content)).namelist())
        sheet = _book(content)["Lines"]
        self.assertEqual(sheet["A1"].value, "Company — Period — exported by someone")
        self.assertEqual([c.value for c in sheet[2]], ["Name", "Day", "At", "Amount", "Share"])
        self.assertEqual(sheet.column_dimensions["A"].width, 20 + 0.7109375)
        self.assertEqual(
            [c.value for c in sheet[3002]],
            ["Line 2999", datetime(2027, 3, 1), datetime(2027, 3, 1, 8, 30), 2999.0, None],
        )
        self.assertEqual(sheet["D3002"].number_format, "#,##0.00")
        self.assertEqual(sheet["E3002"].number_format, "0.0%")
        self.assertEqual((sheet["C3003"].value, sheet["D3003"].value), ("Total", "=SUM(D3:D3002)"))

    def test_xlsx_base_sheet_names_cells_and_info(self):
        columns = (Column("State"),)
        content = generate_xlsx_report(
            [
                Sheet(
                    "TRIP/2027/001",
                    columns,
                    iter([(Cell("Behind", "warning"),)]),
                    info=(("Trip", "TRIP/2027/001", "text"), ("Days", 2.5, "number")),
                ),
                Sheet("TRIP/2027/001", columns, iter(())),
            ],
            "Title",
        )
        book = _book(content)
        self.assertEqual(book.sheetnames, ["TRIP_2027_001", "TRIP_2027_001 (2)"])
        first = book["TRIP_2027_001"]
        values = [row for row in first.iter_rows(values_only=True)]
        self.assertEqual(
            values,
            [
                ("Title", None),
                ("Trip", "TRIP/2027/001"),
                ("Days", 2.5),
                (None, None),
                ("State", None),
                ("Behind", None),
            ],
        )
        self.assertEqual(first.freeze_panes, "A6")
        self.assertEqual(first["A6"].font.color.rgb, "FFC0392B")
