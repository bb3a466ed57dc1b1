# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""xlsx for finance: orders awaiting deposit and orders confirmed with deviations."""

import io

import xlsxwriter


def build_finance_xlsx(sheets):
    """Return the bytes of a workbook.

    ``sheets`` is a list of ``(title, headers, rows)``; cells are plain values.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#EDE7F0", "border": 1})
    money = workbook.add_format({"num_format": "#,##0.00"})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for title, headers, rows in sheets:
        sheet = workbook.add_worksheet(title[:31])
        sheet.write_row(0, 0, headers, bold)
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if hasattr(value, "year"):
                    sheet.write_datetime(r, c, value, date)
                elif isinstance(value, float):
                    sheet.write_number(r, c, value, money)
                else:
                    sheet.write(r, c, value)
        for c, header in enumerate(headers):
            sheet.set_column(c, c, max(12, len(str(header)) + 4))
    workbook.close()
    return buffer.getvalue()
