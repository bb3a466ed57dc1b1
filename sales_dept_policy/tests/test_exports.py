# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
import zipfile
from datetime import date, datetime

import openpyxl

from odoo.tests import freeze_time, new_test_user, tagged

from ..policy import credit as crd
from ..report.xlsx_base import Cell, Column, Sheet, generate_xlsx_report
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
