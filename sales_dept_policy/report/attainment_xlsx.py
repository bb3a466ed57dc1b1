# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""xlsx of target attainment: one row per salesperson and month (QTA-4, QTA-5)."""

import io

import xlsxwriter


def build_attainment_xlsx(title, headers, rows):
    """Return the bytes of a one-sheet workbook; ``rows`` hold plain values,
    the attainment as a ratio (shown as a percentage)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#EDE7F0", "border": 1})
    money = workbook.add_format({"num_format": "#,##0.00"})
    percent = workbook.add_format({"num_format": "0.0%"})
    sheet = workbook.add_worksheet(title[:31])
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 2)
    for r, row in enumerate(rows, start=1):
        salesperson, month, target, signed, collected, ratio, rating = row
        sheet.write(r, 0, salesperson)
        sheet.write(r, 1, month)
        sheet.write_number(r, 2, target, money)
        sheet.write_number(r, 3, signed, money)
        sheet.write_number(r, 4, collected, money)
        if ratio is None:
            sheet.write_blank(r, 5, None)
        else:
            sheet.write_number(r, 5, ratio, percent)
        sheet.write(r, 6, rating or "")
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 6, 14)
    workbook.close()
    return buffer.getvalue()
