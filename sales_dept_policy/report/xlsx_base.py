# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one xlsx writer of the addon's exports.

Shaped like OCA ``report_xlsx``'s ``generate_xlsx_report``: the base opens the
workbook, defines the formats once, writes on every sheet a title row (company,
period, who exported it), the optional key/value block, the header (frozen)
and then streams the rows; an export only declares its sheets, their columns
and an iterator of rows.

The workbook is written in ``constant_memory`` mode: a row is flushed to disk
as soon as the next one starts, so memory does not grow with the rows, and
rows must come in order (the base never goes back). ``in_memory`` is left out
on purpose: xlsxwriter turns ``constant_memory`` off when it is set
(``xlsxwriter/workbook.py``), which would keep every cell in memory again.
"""

import tempfile
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

WORKBOOK_OPTIONS = {"constant_memory": True}

#: every format of every export, by kind; a column or a cell names its kind
FORMATS = {
    "title": {"bold": True, "font_size": 12},
    "header": {"bold": True, "bg_color": "#EDE7F0", "border": 1},
    "label": {"bold": True},
    "text": {},
    "number": {},
    "money": {"num_format": "#,##0.00"},
    "percent": {"num_format": "0.0%"},
    "date": {"num_format": "yyyy-mm-dd"},
    "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
    "warning": {"font_color": "#C0392B"},
    "total": {"bold": True, "num_format": "#,##0.00", "top": 1},
}
NUMERIC_KINDS = frozenset({"number", "money", "percent", "total"})
TEMPORAL_KINDS = frozenset({"date", "datetime"})


class Column(NamedTuple):
    """A column: its (translated) header, its width and the kind of its cells.

    ``total``: the column is summed on a total row under the rows.
    """

    label: str
    width: int = 14
    kind: str = "text"
    total: bool = False


class Cell(NamedTuple):
    """A value written in another kind than its column's (e.g. a warning)."""

    value: Any
    kind: str


class Sheet(NamedTuple):
    """A sheet of an export.

    ``rows``: an iterator of sequences, one value per column (``None`` or
    ``False``: a blank cell); datetimes naive and already in the reader's time
    zone. ``info``: ``(label, value, kind)`` lines written above the header.
    ``total_label``: written left of the first totalled column.
    ``freeze_columns``: how many leading columns stay visible when scrolling.
    """

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    info: Sequence[tuple] = ()
    total_label: str = ""
    freeze_columns: int = 0


def sheet_name(name, used):
    """A valid, unique sheet name (31 characters, none of ``[]:*?/\\``)."""
    base = "".join("_" if c in "[]:*?/\\" else c for c in (name or ""))[:31] or "Sheet"
    candidate, n = base, 1
    while candidate in used:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    used.add(candidate)
    return candidate


def write_cell(worksheet, row, col, value, kind, formats):
    """Write ``value`` as a cell of ``kind`` (overridden by a :class:`Cell`)."""
    if isinstance(value, Cell):
        value, kind = value
    cell_format = formats[kind]
    if value is None or value is False:
        worksheet.write_blank(row, col, None, cell_format)
    elif kind in TEMPORAL_KINDS:
        worksheet.write_datetime(row, col, value, cell_format)
    elif kind in NUMERIC_KINDS:
        worksheet.write_number(row, col, value, cell_format)
    else:
        worksheet.write_string(row, col, str(value), cell_format)


def write_sheet(worksheet, sheet, title, formats):
    """Title, info block, header, then the rows as they come, then the totals."""
    for col, column in enumerate(sheet.columns):
        worksheet.set_column(col, col, column.width)
    worksheet.write_string(0, 0, title, formats["title"])
    row = 1
    for label, value, kind in sheet.info:
        worksheet.write_string(row, 0, label, formats["label"])
        write_cell(worksheet, row, 1, value, kind, formats)
        row += 1
    if sheet.info:
        row += 1  # a blank line between the block and the table
    header_row = row
    for col, column in enumerate(sheet.columns):
        worksheet.write_string(header_row, col, column.label, formats["header"])
    worksheet.freeze_panes(header_row + 1, sheet.freeze_columns)
    totals = {col: 0.0 for col, column in enumerate(sheet.columns) if column.total}
    for values in sheet.rows:
        row += 1
        for col, (column, value) in enumerate(zip(sheet.columns, values, strict=True)):
            write_cell(worksheet, row, col, value, column.kind, formats)
            if col in totals:
                totals[col] += (value.value if isinstance(value, Cell) else value) or 0.0
    if totals:
        row += 1
        if sheet.total_label and min(totals) > 0:
            worksheet.write_string(row, min(totals) - 1, sheet.total_label, formats["label"])
        for col, amount in totals.items():
            if row - 1 > header_row:
                first = xl_rowcol_to_cell(header_row + 1, col)
                last = xl_rowcol_to_cell(row - 1, col)
                worksheet.write_formula(row, col, f"=SUM({first}:{last})", formats["total"], amount)
            else:
                worksheet.write_number(row, col, 0.0, formats["total"])


def generate_xlsx_report(sheets, title):
    """Return the bytes of a workbook of ``sheets`` (an iterable of
    :class:`Sheet`), each opening with the ``title`` row."""
    # zipped into a temporary file, read once: the file is in memory once, not twice
    # (a BytesIO and the bytes copied out of it)
    with tempfile.TemporaryFile() as output:
        workbook = xlsxwriter.Workbook(output, WORKBOOK_OPTIONS)
        formats = {kind: workbook.add_format(props) for kind, props in FORMATS.items()}
        used = set()
        for sheet in sheets:
            write_sheet(workbook.add_worksheet(sheet_name(sheet.name, used)), sheet, title, formats)
        workbook.close()
        output.seek(0)
        return output.read()
