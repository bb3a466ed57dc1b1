# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""xlsx of trip claims (one sheet a trip) and of policy breaches (TRV-13)."""

import io

import xlsxwriter


def _formats(workbook):
    return {
        "head": workbook.add_format({"bold": True, "bg_color": "#EDE7F0", "border": 1}),
        "bold": workbook.add_format({"bold": True}),
        "money": workbook.add_format({"num_format": "#,##0.00"}),
        "total": workbook.add_format({"bold": True, "num_format": "#,##0.00", "top": 1}),
    }


def _sheet_name(name, used):
    base = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "Sheet"
    candidate, n = base, 1
    while candidate in used:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    used.add(candidate)
    return candidate


def build_trip_claims_xlsx(trips, labels):
    """``trips``: dicts with ``name``, ``info`` (label, value pairs) and ``lines``
    (date, description, kind, class, claimed, allowed, rule, status); ``labels``:
    the translated column heads and the word for totals."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fmt = _formats(workbook)
    used = set()
    for trip in trips:
        sheet = workbook.add_worksheet(_sheet_name(trip["name"], used))
        row = 0
        for label, value in trip["info"]:
            sheet.write(row, 0, label, fmt["bold"])
            sheet.write(row, 1, value)
            row += 1
        row += 1
        sheet.write_row(row, 0, labels["heads"], fmt["head"])
        first = row + 1
        for line in trip["lines"]:
            row += 1
            sheet.write_row(row, 0, line[:4])
            sheet.write_number(row, 4, line[4], fmt["money"])
            sheet.write_number(row, 5, line[5], fmt["money"])
            sheet.write_row(row, 6, line[6:])
        row += 1
        sheet.write(row, 3, labels["total"], fmt["bold"])
        claimed = sum(line[4] for line in trip["lines"])
        allowed = sum(line[5] for line in trip["lines"])
        col = "E"
        sheet.write_formula(row, 4, f"=SUM({col}{first + 1}:{col}{row})", fmt["total"], claimed)
        sheet.write_formula(row, 5, f"=SUM(F{first + 1}:F{row})", fmt["total"], allowed)
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 36)
        sheet.set_column(2, 5, 14)
        sheet.set_column(6, 7, 40)
    if not trips:
        workbook.add_worksheet(labels["empty"][:31])
    workbook.close()
    return buffer.getvalue()


def build_breaches_xlsx(title, heads, rows):
    """One sheet: a row per claim line above the standard."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fmt = _formats(workbook)
    sheet = workbook.add_worksheet(title[:31])
    sheet.write_row(0, 0, heads, fmt["head"])
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, row[:5])
        for c in (5, 6, 7):
            sheet.write_number(r, c, row[c], fmt["money"])
        sheet.write_row(r, 8, row[8:])
    sheet.set_column(0, 4, 18)
    sheet.set_column(5, 7, 14)
    sheet.set_column(8, 9, 40)
    workbook.close()
    return buffer.getvalue()
