# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""xlsx of activity against target, per salesperson and week or month (VIS-4)."""

import io

import xlsxwriter


def build_activity_xlsx(title, heads, rows):
    """One sheet; ``rows``: (salesperson, period start, kind, effective, target, gap, state)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = workbook.add_format({"bold": True, "bg_color": "#EDE7F0", "border": 1})
    behind = workbook.add_format({"font_color": "#C0392B"})
    sheet = workbook.add_worksheet(title[:31])
    sheet.write_row(0, 0, heads, head)
    sheet.freeze_panes(1, 1)
    for r, row in enumerate(rows, start=1):
        salesperson, start, kind, done, target, gap, state, is_behind = row
        sheet.write_row(r, 0, (salesperson, start, kind))
        sheet.write_number(r, 3, done)
        sheet.write_number(r, 4, target)
        sheet.write_number(r, 5, gap)
        sheet.write(r, 6, state, behind if is_behind else None)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 2, 22)
    sheet.set_column(3, 6, 12)
    workbook.close()
    return buffer.getvalue()
