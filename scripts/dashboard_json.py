#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Write the spreadsheet files of the "Sales Policy" dashboard (issue 18).

The bridge module spreadsheet_dashboard_sales_dept_policy loads two o-spreadsheet
files (format 18.5.10, the one Odoo 19's own dashboards are saved in):

- ``sales_policy_dashboard.json``: the dashboard; every figure is read from the
  addon's models through pivots and Odoo charts, so record rules apply;
- ``sales_policy_sample_dashboard.json``: the same layout with fixed figures,
  shown by Odoo while the target analysis has no row for the user
  (``main_data_model_ids``: no target and no signed order).

Both are built from one layout here so they never drift apart. Texts a user
reads are ``_t("...")`` formulas, chart titles, scorecard descriptions and filter
labels: Odoo extracts those into the module's .pot and translates them when the
dashboard is shown. Pivot names are not translated by Odoo and never shown: the
tables are spilled without their title row, or with their top-left cell (where
o-spreadsheet writes the name) in white.

    scripts/dashboard_json.py            # (re)write both files
    scripts/dashboard_json.py --check    # exit 1 when a file differs
"""

import argparse
import json
import sys
from pathlib import Path

MODULE = "spreadsheet_dashboard_sales_dept_policy"
FILES = Path(__file__).resolve().parent.parent / MODULE / "data" / "files"
DASHBOARD = FILES / "sales_policy_dashboard.json"
SAMPLE = FILES / "sales_policy_sample_dashboard.json"
VERSION = "18.5.10"

DASH_SHEET = "sales_policy_dashboard"
DATA_SHEET = "sales_policy_data"
F_PERIOD = "b1f0c3a2-5d1e-4c8e-9a51-0d7c3e2f9a01"
F_USER = "b1f0c3a2-5d1e-4c8e-9a51-0d7c3e2f9a02"

COLS = 14  # A (names) and B..N (12 months and the total of the attainment matrix)
COL_A = 190
COL_W = 70
FULL_WIDTH = COL_A + (COLS - 1) * COL_W - 8
ROWS_PER_PERSON = 15  # a table lists up to 15 salespeople (and a total row)
MONEY = "#,##0"
PERCENT = "0%"

STYLES = {
    "title": {"textColor": "#01666b", "bold": True, "fontSize": 16},
    "header": {
        "textColor": "#434343",
        "fontSize": 9,
        "bold": True,
        "verticalAlign": "middle",
        "wrapping": "wrap",
    },
    "header_right": {
        "textColor": "#434343",
        "fontSize": 9,
        "bold": True,
        "verticalAlign": "middle",
        "wrapping": "wrap",
        "align": "right",
    },
    "header_left": {
        "textColor": "#434343",
        "fontSize": 9,
        "bold": True,
        "verticalAlign": "middle",
        "wrapping": "wrap",
    },
    "body": {"textColor": "#434343", "verticalAlign": "middle"},
    "name": {"textColor": "#01666B", "verticalAlign": "middle"},
    "hidden_title": {"textColor": "#FFFFFF"},
    "bold": {"bold": True},
}
BORDERS = {
    "under_title": {"bottom": {"style": "thin", "color": "#CCCCCC"}},
    "under_header": {"bottom": {"style": "thin", "color": "#CCCCCC"}},
}
NEGATIVE = {"textColor": "#DC6965"}

#: the requests of the policy's approval flow (sales.approval.mixin) and the
#: expense claims, as (model, label); each is counted in the state "submitted"
REQUESTS = (
    ("sales.archive.access.request", "Archive access requests"),
    ("sales.credit.grade.change", "Credit grade changes"),
    ("sales.order.deviation", "Order deviations"),
    ("sales.contract.review", "Contract reviews"),
    ("sales.collection.plan", "Collection plans"),
    ("sales.target", "Sales targets"),
    ("sales.target.revision", "Target revisions"),
    ("sales.trip", "Business trips"),
    ("hr.expense", "Expense claims"),
    ("sales.expense.budget", "Expense budgets"),
    ("sales.expense.budget.revision", "Budget revisions"),
    ("sales.visit.plan", "Weekly visit plans"),
    ("sales.daily.report", "Daily reports"),
    ("sales.monthly.report", "Monthly plans and summaries"),
    ("sales.assessment", "Assessments"),
)

MENU = "sales_dept_policy."


# -----------------------------------------------------------------------------
# cells and ranges
# -----------------------------------------------------------------------------
def col_name(col):
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def xc(col, row):
    """A1 reference of 0-based col and 1-based row."""
    return f"{col_name(col)}{row}"


def rng(col1, row1, col2, row2):
    return f"{xc(col1, row1)}:{xc(col2, row2)}"


def t(text):
    """A translated text cell."""
    escaped = text.replace('"', '\\"')
    return f'=_t("{escaped}")'


def link(menu, text):
    """A title that opens a menu of the addon."""
    return f'=HYPERLINK("odoo://ir_menu_xml_id/{MENU}{menu}", _t("{text}"))'


class Registry:
    """Shared styles, formats and borders of a spreadsheet (ids as strings)."""

    def __init__(self):
        self.styles, self.formats, self.borders = {}, {}, {}

    @staticmethod
    def _id(table, value):
        for key, known in table.items():
            if known == value:
                return int(key)
        key = str(len(table) + 1)
        table[key] = value
        return int(key)

    def style(self, value):
        return self._id(self.styles, value)

    def fmt(self, value):
        return self._id(self.formats, value)

    def border(self, value):
        return self._id(self.borders, value)


class Sheet:
    def __init__(self, registry, sheet_id, name, cols, col_sizes):
        self.registry = registry
        self.data = {
            "id": sheet_id,
            "name": name,
            "colNumber": cols,
            "rowNumber": 0,
            "rows": {},
            "cols": {str(c): {"size": s} for c, s in col_sizes.items()},
            "merges": [],
            "cells": {},
            "styles": {},
            "formats": {},
            "borders": {},
            "conditionalFormats": [],
            "dataValidationRules": [],
            "figures": [],
            "tables": [],
            "areGridLinesVisible": False,
            "isVisible": True,
            "headerGroups": {"ROW": [], "COL": []},
            "comments": {},
        }
        self.last_row = 1

    def set(self, col, row, content):
        self.data["cells"][xc(col, row)] = content
        self.last_row = max(self.last_row, row)

    def style(self, ref, style):
        self.data["styles"][ref] = self.registry.style(style)

    def fmt(self, ref, fmt):
        self.data["formats"][ref] = self.registry.fmt(fmt)

    def border(self, ref, border):
        self.data["borders"][ref] = self.registry.border(border)

    def row_size(self, row, size):
        self.data["rows"][str(row - 1)] = {"size": size}

    def negative_in_red(self, ref, cf_id):
        self.data["conditionalFormats"].append(
            {
                "id": cf_id,
                "ranges": [ref],
                "rule": {
                    "type": "CellIsRule",
                    "operator": "isLessThan",
                    "values": ["0"],
                    "style": NEGATIVE,
                },
            }
        )

    def figure(self, fig_id, col, row, x, y, width, height, data, tag="chart"):
        data = dict(data, chartId=fig_id) if tag == "chart" else data
        self.data["figures"].append(
            {
                "id": fig_id,
                "width": width,
                "height": height,
                "tag": tag,
                "data": data,
                "offset": {"x": x, "y": y},
                "col": col,
                "row": row - 1,
            }
        )

    def done(self, min_rows):
        self.data["rowNumber"] = max(min_rows, self.last_row + 10)
        return self.data


# -----------------------------------------------------------------------------
# pivots
# -----------------------------------------------------------------------------
def measure(field, aggregator="sum", fmt=None, hidden=False):
    spec = {"id": f"{field}:{aggregator}", "fieldName": field, "aggregator": aggregator}
    if field == "__count":
        spec = {"id": "__count", "fieldName": "__count"}
    if fmt:
        spec["format"] = fmt
    if hidden:
        spec["isHidden"] = True
    return spec


def computed(name, formula, fmt=PERCENT):
    """A measure computed from others, on each cell's totals (no aggregator: a
    total divides the sums, it never adds up the rows' ratios)."""
    return {
        "id": name,
        "fieldName": name,
        "userDefinedName": name,
        "computedBy": {"sheetId": DATA_SHEET, "formula": formula},
        "format": fmt,
    }


def matching(date=None, user="user_id"):
    spec = {}
    if date:
        spec[F_PERIOD] = {"chain": date, "type": "date", "offset": 0}
    if user:
        spec[F_USER] = {"chain": user, "type": "many2one"}
    return spec


def granular(field, granularity):
    return {"fieldName": field, "granularity": granularity, "order": "asc"}


ATTAINMENT = computed("Attainment", "=IFERROR('actual_signed:sum'/'target_amount:sum',\"\")")
USED = computed("Used", "=IFERROR(('committed:sum'+'actual:sum')/'budget:sum',\"\")")


def target_measures(hidden=False):
    return [
        measure("target_amount", fmt=MONEY, hidden=hidden),
        measure("actual_signed", fmt=MONEY, hidden=hidden),
        measure("actual_collected", fmt=MONEY, hidden=hidden),
    ]


def activity_pivot(name, period):
    return {
        "name": name,
        "model": "sales.activity.progress",
        "domain": [["period", "=", period], ["periods_ago", "=", 0]],
        "rows": [{"fieldName": "user_id"}],
        "columns": [{"fieldName": "kind"}],
        "measures": [measure("target"), measure("done"), measure("gap")],
        "fieldMatching": matching(),
        "actionXmlId": MENU + "sales_activity_progress_action",
    }


def build_pivots():
    """The pivots by formula id (the number the cells' formulas give)."""
    pivots = {
        1: {
            "name": "Attainment by month",
            "model": "sales.target.report",
            "domain": [],
            "rows": [granular("date", "month")],
            "columns": [],
            "measures": target_measures(),
            "fieldMatching": matching("date"),
            "actionXmlId": MENU + "sales_target_report_action",
        },
        2: {
            "name": "Attainment by salesperson",
            "model": "sales.target.report",
            "domain": [["user_id", "!=", False]],
            "rows": [{"fieldName": "user_id"}],
            "columns": [],
            "measures": [*target_measures(), measure("gap", fmt=MONEY), ATTAINMENT],
            "sortedColumn": {"measure": "actual_signed:sum", "order": "desc", "domain": []},
            "fieldMatching": matching("date"),
            "actionXmlId": MENU + "sales_target_report_action",
        },
        3: {
            "name": "Attainment by month and salesperson",
            "model": "sales.target.report",
            "domain": [["user_id", "!=", False]],
            "rows": [{"fieldName": "user_id"}],
            "columns": [granular("date", "month")],
            "measures": [
                measure("target_amount", hidden=True),
                measure("actual_signed", hidden=True),
                ATTAINMENT,
            ],
            "fieldMatching": matching("date"),
            "actionXmlId": MENU + "sales_target_report_action",
        },
        4: activity_pivot("Activity progress this week", "week"),
        5: activity_pivot("Activity progress this month", "month"),
        6: {
            "name": "Overdue balances by salesperson",
            "model": "sales.balance.report",
            "domain": [["overdue", "=", True]],
            "rows": [{"fieldName": "user_id"}],
            "columns": [],
            "measures": [
                measure("balance_residual", fmt=MONEY),
                measure("__count"),
                measure("days_late", "max"),
            ],
            "sortedColumn": {"measure": "balance_residual:sum", "order": "desc", "domain": []},
            "fieldMatching": matching(),
            "actionXmlId": MENU + "sales_balance_report_action",
        },
        7: {
            "name": "Expenses against budget by salesperson",
            "model": "sales.expense.report",
            "domain": [],
            "rows": [{"fieldName": "user_id"}],
            "columns": [],
            "measures": [
                measure("budget", fmt=MONEY),
                measure("committed", fmt=MONEY),
                measure("actual", fmt=MONEY),
                measure("remaining", fmt=MONEY),
                USED,
                measure("expense_per_10k", "avg", fmt="#,##0.00"),
            ],
            "fieldMatching": matching("date"),
            "actionXmlId": MENU + "sales_expense_report_action",
        },
        8: {
            "name": "Expenses against budget by month",
            "model": "sales.expense.report",
            "domain": [],
            "rows": [granular("date", "month")],
            "columns": [],
            "measures": [
                measure("budget", fmt=MONEY),
                measure("committed", fmt=MONEY),
                measure("actual", fmt=MONEY),
            ],
            "fieldMatching": matching("date"),
            "actionXmlId": MENU + "sales_expense_report_action",
        },
        9: {
            "name": "Effective records by week",
            "model": "sales.activity.progress",
            "domain": [["period", "=", "week"]],
            "rows": [granular("date", "week")],
            "columns": [],
            "measures": [measure("target"), measure("done")],
            "fieldMatching": matching(),
            "actionXmlId": MENU + "sales_activity_progress_action",
        },
    }
    for offset, (model, label) in enumerate(REQUESTS):
        user = "employee_id.user_id" if model == "hr.expense" else "submitted_by_id"
        pivots[10 + offset] = {
            "name": f"{label} waiting for a decision",
            "model": model,
            "domain": [["state", "=", "submitted"]],
            "rows": [],
            "columns": [],
            "measures": [measure("__count")],
            "fieldMatching": matching(user=user),
        }
    result = {}
    for formula_id, pivot in pivots.items():
        key = str(formula_id)
        result[key] = {
            "type": "ODOO",
            "id": key,
            "formulaId": key,
            "context": {},
            "sortedColumn": None,
            **pivot,
        }
    return result


REQUEST_PIVOT = {model: 10 + i for i, (model, _label) in enumerate(REQUESTS)}


# -----------------------------------------------------------------------------
# the sample figures (what a user with no target sees, marked as sample)
# -----------------------------------------------------------------------------
SAMPLE_PEOPLE = ["Li Wei", "Zhang Min", "Chen Jing", "Wang Fang"]
SAMPLE_TARGETS = [70000, 60000, 50000, 40000]
SAMPLE_MONTH_RATIO = [0.62, 0.71, 0.95, 0.88, 1.04, 0.97, 1.12, 0.84, 1.21, 0.93, 1.08, 0.76]
SAMPLE_PERSON_RATIO = [1.09, 0.94, 0.81, 1.17]
SAMPLE_KINDS_WEEK = [("Information Gathering", 10), ("Phone / Proposal", 10)]
SAMPLE_KINDS_MONTH = [("On-Site Visit", 6)]
SAMPLE_DONE_WEEK = [[8, 10], [11, 6], [4, 9], [10, 12]]
SAMPLE_DONE_MONTH = [[5], [7], [2], [6]]
SAMPLE_OVERDUE = [(38400, 3, 47), (19348, 2, 21), (11760, 1, 16)]
SAMPLE_REQUESTS = {
    "sales.order.deviation": 2,
    "sales.contract.review": 1,
    "sales.trip": 3,
    "hr.expense": 5,
    "sales.daily.report": 4,
    "sales.monthly.report": 1,
}
SAMPLE_BUDGET = [(3100, 320, 2310), (2400, 0, 1980), (2000, 450, 1260), (1800, 0, 1630)]
SAMPLE_LATENESS = [("1-30 Days", 19348), ("31-60 Days", 38400), ("61-90 Days", 11760)]


def month_cell(month):
    return f"=DATE(YEAR(TODAY()),{month},1)"


def week_cell(weeks_ago):
    return f"=TODAY()-WEEKDAY(TODAY(),3)-{7 * weeks_ago}"


# -----------------------------------------------------------------------------
# the layout
# -----------------------------------------------------------------------------
class Builder:
    def __init__(self, sample):
        self.sample = sample
        self.reg = Registry()
        self.dash = Sheet(
            self.reg,
            DASH_SHEET,
            "Dashboard",
            COLS,
            {0: COL_A, **{c: COL_W for c in range(1, COLS)}},
        )
        self.data = Sheet(
            self.reg,
            DATA_SHEET,
            "Data",
            20,
            {0: 160, **{c: 100 for c in range(1, 20)}},
        )
        self.menus = {}
        self.cf_count = 0

    # --- helpers ---------------------------------------------------------
    def title(self, col, row, menu, text, last_col=COLS - 1):
        self.dash.set(col, row, link(menu, text) if menu else t(text))
        self.dash.row_size(row, 40)
        self.dash.style(xc(col, row), STYLES["title"])
        self.dash.border(rng(col, row, last_col, row), BORDERS["under_title"])

    def headers(self, row, labels, col=0):
        for offset, label in enumerate(labels):
            self.dash.set(col + offset, row, t(label))
        self.dash.style(xc(col, row), STYLES["header"])
        if len(labels) > 1:
            self.dash.style(rng(col + 1, row, col + len(labels) - 1, row), STYLES["header_right"])
        self.dash.border(rng(col, row, col + len(labels) - 1, row), BORDERS["under_header"])
        self.dash.row_size(row, 36)

    def body(self, col1, row1, col2, row2):
        self.dash.style(rng(col1, row1, col1, row2), STYLES["name"])
        if col2 > col1:
            self.dash.style(rng(col1 + 1, row1, col2, row2), STYLES["body"])

    def red_when_negative(self, ref):
        self.cf_count += 1
        self.dash.negative_in_red(ref, f"sales-policy-cf-{self.cf_count}")

    def static_table(self, sheet, col, row, rows):
        """Fixed values where the dashboard spills a pivot (the sample)."""
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if value is None or value == "":
                    continue
                sheet.set(col + c, row + r, value if isinstance(value, str) else str(value))

    # --- the Data sheet ----------------------------------------------------
    def build_data(self):
        d = self.data
        d.set(0, 1, t("KPI"))
        d.set(1, 1, t("Value"))
        d.set(2, 1, t("Shown"))
        d.style(rng(0, 1, 2, 1), STYLES["bold"])
        kpis = [
            # (label, formula, the sample's figure: from the sample's tables)
            ("Target", '=PIVOT.VALUE(1,"target_amount:sum")', "=SUM(B13:B24)"),
            ("Signed", '=PIVOT.VALUE(1,"actual_signed:sum")', "=SUM(C13:C24)"),
            ("Collected", '=PIVOT.VALUE(1,"actual_collected:sum")', "=SUM(D13:D24)"),
            (
                "Overdue balance",
                '=PIVOT.VALUE(6,"balance_residual:sum")',
                str(sum(v[0] for v in SAMPLE_OVERDUE)),
            ),
            ("Overdue orders", '=PIVOT.VALUE(6,"__count")', str(sum(v[1] for v in SAMPLE_OVERDUE))),
            ("Requests waiting", "=SUM(B41:B55)", "=SUM(B41:B55)"),
            ("Budget", '=PIVOT.VALUE(8,"budget:sum")', "=SUM(K13:K24)"),
            (
                "Spent or committed",
                '=PIVOT.VALUE(8,"actual:sum")+PIVOT.VALUE(8,"committed:sum")',
                "=SUM(L13:M24)",
            ),
        ]
        for i, (label, formula, sample) in enumerate(kpis):
            row = 2 + i
            d.set(0, row, t(label))
            d.set(1, row, sample if self.sample else formula)
            d.set(2, row, f"=FORMAT.LARGE.NUMBER(B{row})")
        # the overdue scorecard's line under the amount: "3 orders overdue"
        d.set(3, 6, '=IF(B6=1,_t("1 order overdue"),B6&" "&_t("orders overdue"))')
        # monthly attainment, weekly activity, monthly expenses: charts' sources
        d.set(0, 12, t("Month"))
        d.set(1, 12, t("Target"))
        d.set(2, 12, t("Signed"))
        d.set(3, 12, t("Collected"))
        d.set(5, 12, t("Week"))
        d.set(6, 12, t("Target"))
        d.set(7, 12, t("Effective"))
        d.set(9, 12, t("Month"))
        d.set(10, 12, t("Budget"))
        d.set(11, 12, t("Committed"))
        d.set(12, 12, t("Actual"))
        d.style(rng(0, 12, 12, 12), STYLES["bold"])
        if self.sample:
            target = sum(SAMPLE_TARGETS)
            rows = []
            for month, ratio in enumerate(SAMPLE_MONTH_RATIO, start=1):
                signed = round(target * ratio)
                rows.append([month_cell(month), target, signed, round(signed * 0.82)])
            self.static_table(d, 0, 13, rows)
            weeks = []
            for ago in range(11, -1, -1):
                done = 62 + (ago * 7) % 19 if ago else 39
                weeks.append([week_cell(ago), 80, done])
            self.static_table(d, 5, 13, weeks)
            budget = [
                [month_cell(m), 9400, 320 if m % 3 == 0 else 0, 5200 + (m * 613) % 2900]
                for m in range(1, 13)
            ]
            self.static_table(d, 9, 13, budget)
            self.static_table(d, 14, 12, [[t("Lateness"), t("Balance to Collect")]])
            self.static_table(d, 14, 13, [[t(label), value] for label, value in SAMPLE_LATENESS])
        else:
            d.set(0, 13, "=PIVOT(1,24,FALSE,FALSE,3,FALSE)")
            d.set(5, 13, "=PIVOT(9,26,FALSE,FALSE,2,FALSE)")
            d.set(9, 13, "=PIVOT(8,24,FALSE,FALSE,3,FALSE)")
        d.fmt(rng(0, 13, 0, 36), "mmm yyyy")
        d.fmt(rng(9, 13, 9, 36), "mmm yyyy")
        if self.sample:
            d.fmt(rng(5, 13, 5, 38), "yyyy-mm-dd")
        # requests waiting for a decision, by kind (the dashboard filters the zeros)
        d.set(0, 40, t("Request"))
        d.set(1, 40, t("Waiting"))
        d.style(rng(0, 40, 1, 40), STYLES["bold"])
        for i, (model, label) in enumerate(REQUESTS):
            row = 41 + i
            d.set(0, row, t(label))
            if self.sample:
                d.set(1, row, str(SAMPLE_REQUESTS.get(model, 0)))
            else:
                d.set(1, row, f'=PIVOT.VALUE({REQUEST_PIVOT[model]},"__count")')

    # --- the Dashboard sheet ---------------------------------------------
    def scorecards(self):
        cards = [
            ("Target", "C2", None, None, "#EFF6FF", "sales_target_report_menu"),
            ("Signed", "C3", "C2", "progress", "#EFF6FF", "sales_target_report_menu"),
            ("Collected", "C4", None, None, "#EFF6FF", "sales_target_report_menu"),
            ("Overdue", "C5", "D6", "text", "#FEF2F2", "sales_balance_report_menu"),
            ("Awaiting decision", "C7", None, None, "#FFF7ED", None),
            ("Budget used", "C9", "C8", "progress", "#FFF7ED", "sales_expense_report_menu"),
        ]
        width, gap = 175, 8
        for i, (title, key, baseline, mode, color, menu) in enumerate(cards):
            fig_id = f"sales-policy-kpi-{i + 1}"
            data = {
                "type": "scorecard",
                "title": {"text": title, "bold": True, "color": "#434343"},
                "background": color,
                "keyValue": f"Data!{key}",
                "baselineMode": mode or "difference",
                "baselineColorUp": "#00A04A",
                "baselineColorDown": "#DC6965",
                "humanize": False,
            }
            if baseline:
                data["baseline"] = f"Data!{baseline}"
            self.dash.figure(fig_id, 0, 1, i * (width + gap), 10, width, 105, data)
            if menu:
                self.menus[fig_id] = MENU + menu

    def combo(self, fig_id, anchor, size, label_range, datasets, menu):
        col, row = anchor
        width, height = size
        data = {
            "type": "combo",
            "title": {"text": ""},
            "background": "#FFFFFF",
            "dataSetsHaveTitle": True,
            "dataSets": [
                {"dataRange": ref, "yAxisId": "y", "type": kind} for ref, kind in datasets
            ],
            "labelRange": label_range,
            "legendPosition": "top",
            "aggregated": False,
            "showValues": False,
            "humanize": True,
        }
        self.dash.figure(fig_id, col, row, 0, 8, width, height, data)
        self.menus[fig_id] = MENU + menu

    def build_dashboard(self):
        self.scorecards()
        row = 6
        # --- target attainment by month (QTA-4/5) ---
        self.title(0, row, "sales_target_report_menu", "Target attainment by month")
        self.combo(
            "sales-policy-attainment-chart",
            (0, row + 1),
            (FULL_WIDTH, 330),
            "Data!A12:A36",
            [("Data!B12:B36", "bar"), ("Data!C12:C36", "line"), ("Data!D12:D36", "line")],
            "sales_target_report_menu",
        )
        row += 16
        self.attainment_by_salesperson(row)
        self.requests(row, 7)
        row += ROWS_PER_PERSON + 4
        row = self.attainment_matrix(row)
        row = self.activity(row, 4, "Activity progress this week", SAMPLE_KINDS_WEEK)
        row = self.activity(row, 5, "Activity progress this month", SAMPLE_KINDS_MONTH)
        self.title(0, row, "sales_activity_progress_menu", "Effective records by week")
        self.combo(
            "sales-policy-activity-chart",
            (0, row + 1),
            (FULL_WIDTH, 300),
            "Data!F12:F38",
            [("Data!G12:G38", "line"), ("Data!H12:H38", "bar")],
            "sales_activity_progress_menu",
        )
        row += 15
        self.overdue(row)
        self.pie(row, 5)
        row += ROWS_PER_PERSON + 4
        self.expenses(row)
        self.title(7, row, "sales_expense_report_menu", "Budget and expenses by month")
        self.combo(
            "sales-policy-expense-chart",
            (7, row + 1),
            ((COLS - 7) * COL_W - 8, 330),
            "Data!J12:J36",
            [("Data!K12:K36", "line"), ("Data!L12:L36", "bar"), ("Data!M12:M36", "bar")],
            "sales_expense_report_menu",
        )
        self.dash.last_row = max(self.dash.last_row, row + ROWS_PER_PERSON + 4)

    def person_table(self, row, pivot_id, menu, text, labels, sample_rows, formats):
        """A title, headers and a pivot spilled by salesperson (with a total row)."""
        dash = self.dash
        last_col = len(labels) - 1
        self.title(0, row, menu, text, last_col)
        self.headers(row + 1, labels)
        first = row + 2
        last = first + ROWS_PER_PERSON
        self.body(0, first, last_col, last)
        for (col1, col2), fmt in formats:
            if self.sample or fmt == PERCENT:
                dash.fmt(rng(col1, first, col2, last), fmt)
        if self.sample:
            rows = sample_rows(first)
            self.static_table(dash, 0, first, rows)
        else:
            dash.set(
                0,
                first,
                f"=PIVOT({pivot_id},{ROWS_PER_PERSON + 1},TRUE,FALSE,{last_col},FALSE)",
            )
        return first, last

    def attainment_by_salesperson(self, row):
        def sample_rows(first):
            rows = []
            for r, (name, target, ratio) in enumerate(
                zip(SAMPLE_PEOPLE, SAMPLE_TARGETS, SAMPLE_PERSON_RATIO, strict=True)
            ):
                year = target * 12
                signed = round(year * ratio * sum(SAMPLE_MONTH_RATIO) / 12)
                line = first + r
                rows.append(
                    [
                        name,
                        year,
                        signed,
                        round(signed * 0.8),
                        f"=C{line}-B{line}",
                        f'=IFERROR(C{line}/B{line},"")',
                    ]
                )
            end = first + len(rows)
            total = [t("Total")] + [f"=SUM({c}{first}:{c}{end - 1})" for c in "BCDE"]
            rows.append([*total, f'=IFERROR(C{end}/B{end},"")'])
            return rows

        first, last = self.person_table(
            row,
            2,
            "sales_target_report_menu",
            "Attainment by salesperson",
            ["Salesperson", "Target", "Signed", "Collected", "Gap", "Attained"],
            sample_rows,
            [((1, 4), MONEY), ((5, 5), PERCENT)],
        )
        self.red_when_negative(rng(4, first, 4, last))

    def requests(self, row, col):
        """APR-1..5: the requests waiting for a decision, by kind (none: a sentence)."""
        dash = self.dash
        count_col = COLS - 1
        self.title(col, row, None, "Requests waiting for a decision", count_col)
        dash.set(col, row + 1, t("Request"))
        dash.set(count_col, row + 1, t("Waiting"))
        dash.style(xc(col, row + 1), STYLES["header"])
        dash.style(xc(count_col, row + 1), STYLES["header_right"])
        dash.border(rng(col, row + 1, count_col, row + 1), BORDERS["under_header"])
        dash.row_size(row + 1, 36)
        first = row + 2
        dash.set(col, first, t("All requests"))
        dash.set(count_col, first, "=Data!B7")
        dash.style(rng(col, first, count_col, first), STYLES["bold"])
        dash.border(rng(col, first, count_col, first), BORDERS["under_header"])
        dash.set(
            col,
            first + 1,
            '=IFERROR(FILTER(Data!A41:A55,Data!B41:B55>0),_t("Nothing is waiting."))',
        )
        dash.set(count_col, first + 1, '=IFERROR(FILTER(Data!B41:B55,Data!B41:B55>0),"")')
        self.body(col, first + 1, col, first + len(REQUESTS))
        dash.style(rng(count_col, first + 1, count_col, first + len(REQUESTS)), STYLES["body"])

    def attainment_matrix(self, row):
        dash = self.dash
        self.title(0, row, "sales_target_report_menu", "Attainment by month and salesperson")
        first = row + 1
        last = first + ROWS_PER_PERSON + 1
        dash.style(xc(0, first), STYLES["hidden_title"])
        dash.style(rng(1, first, COLS - 1, first), STYLES["header_right"])
        dash.fmt(rng(1, first, COLS - 2, first), "mmm yyyy")
        dash.border(rng(0, first, COLS - 1, first), BORDERS["under_header"])
        dash.row_size(first, 36)
        self.body(0, first + 1, COLS - 1, last)
        dash.fmt(rng(1, first + 1, COLS - 1, last), PERCENT)
        if self.sample:
            header = [""] + [month_cell(m) for m in range(1, 13)] + [t("Total")]
            rows = [header]
            for person_ratio, name in zip(SAMPLE_PERSON_RATIO, SAMPLE_PEOPLE, strict=True):
                rows.append(
                    [name]
                    + [round(person_ratio * m, 2) for m in SAMPLE_MONTH_RATIO]
                    + [round(person_ratio * 0.93, 2)]
                )
            rows.append([t("Total")] + [round(m, 2) for m in SAMPLE_MONTH_RATIO] + [0.93])
            self.static_table(dash, 0, first, rows)
        else:
            dash.set(0, first, f"=PIVOT(3,{ROWS_PER_PERSON + 1},TRUE,TRUE,13,FALSE)")
        return last + 2

    def activity(self, row, pivot_id, text, kinds):
        """VIS-4: effective records against the targets of the current week or month."""
        dash = self.dash
        self.title(0, row, "sales_activity_progress_menu", text)
        first = row + 1
        last = first + 1 + ROWS_PER_PERSON
        dash.style(xc(0, first), STYLES["hidden_title"])
        dash.style(rng(1, first, COLS - 1, first), STYLES["header_left"])
        dash.style(rng(1, first + 1, COLS - 1, first + 1), STYLES["header_right"])
        dash.border(rng(0, first + 1, COLS - 1, first + 1), BORDERS["under_header"])
        dash.row_size(first, 36)
        self.body(0, first + 2, COLS - 1, last)
        if self.sample:
            done = SAMPLE_DONE_WEEK if pivot_id == 4 else SAMPLE_DONE_MONTH
            top = [""]
            measures = [""]
            for label, _target in kinds:
                top += [t(label), "", ""]
                measures += [t("Target"), t("Effective"), t("Gap")]
            rows = [top, measures]
            for name, counts in zip(SAMPLE_PEOPLE, done, strict=True):
                line = [name]
                for (_label, target), count in zip(kinds, counts, strict=True):
                    line += [target, count, max(target - count, 0)]
                rows.append(line)
            self.static_table(dash, 0, first, rows)
        else:
            dash.set(0, first, f"=PIVOT({pivot_id},{ROWS_PER_PERSON},FALSE,TRUE,12,TRUE)")
        return last + 2

    def overdue(self, row):
        def sample_rows(first):
            rows = [
                [name, *values] for name, values in zip(SAMPLE_PEOPLE, SAMPLE_OVERDUE, strict=False)
            ]
            end = first + len(rows) - 1
            total = [t("Total")] + [f"=SUM({c}{first}:{c}{end})" for c in "BC"]
            rows.append([*total, f"=MAX(D{first}:D{end})"])
            return rows

        self.person_table(
            row,
            6,
            "sales_balance_report_menu",
            "Overdue balances by salesperson",
            ["Salesperson", "Balance", "Orders", "Days Late"],
            sample_rows,
            [((1, 1), MONEY)],
        )

    def expenses(self, row):
        def sample_rows(first):
            rows = []
            for r, (name, (budget, committed, actual)) in enumerate(
                zip(SAMPLE_PEOPLE, SAMPLE_BUDGET, strict=True)
            ):
                line = first + r
                rows.append(
                    [
                        name,
                        budget * 12,
                        committed,
                        actual * 9,
                        f"=B{line}-C{line}-D{line}",
                        f'=IFERROR((C{line}+D{line})/B{line},"")',
                        round(actual * 9 * 10000 / (SAMPLE_TARGETS[r] * 12 * 0.6), 2),
                    ]
                )
            end = first + len(rows)
            total = [t("Total")] + [f"=SUM({c}{first}:{c}{end - 1})" for c in "BCDE"]
            total += [f'=IFERROR((C{end}+D{end})/B{end},"")', ""]
            rows.append(total)
            return rows

        first, last = self.person_table(
            row,
            7,
            "sales_expense_report_menu",
            "Expenses against budget",
            ["Salesperson", "Budget", "Committed", "Actual", "Remaining", "Used", "Per 10,000"],
            sample_rows,
            [((1, 4), MONEY), ((5, 5), PERCENT), ((6, 6), "#,##0.00")],
        )
        self.red_when_negative(rng(4, first, 4, last))

    def pie(self, row, col):
        fig_id = "sales-policy-lateness-chart"
        self.title(col, row, "sales_balance_report_menu", "Overdue by lateness", COLS - 1)
        if self.sample:
            data = {
                "type": "pie",
                "title": {"text": ""},
                "background": "#FFFFFF",
                "dataSetsHaveTitle": True,
                "dataSets": [{"dataRange": "Data!P12:P15"}],
                "labelRange": "Data!O12:O15",
                "legendPosition": "right",
                "aggregated": False,
            }
        else:
            data = {
                "type": "odoo_pie",
                "title": {"text": ""},
                "background": "#FFFFFF",
                "legendPosition": "right",
                "metaData": {
                    "groupBy": ["late_bucket"],
                    "measure": "balance_residual",
                    "order": None,
                    "resModel": "sales.balance.report",
                    "mode": "pie",
                },
                "searchParams": {
                    "comparison": None,
                    "context": {},
                    "domain": [["overdue", "=", True]],
                    "groupBy": ["late_bucket"],
                    "orderBy": [],
                },
                "dataSets": [],
                "actionXmlId": MENU + "sales_balance_report_action",
                "fieldMatching": matching(),
            }
        self.dash.figure(fig_id, col, row + 1, 0, 8, (COLS - col) * COL_W - 8, 330, data)
        self.menus[fig_id] = MENU + "sales_balance_report_menu"

    def build(self):
        self.build_data()
        self.build_dashboard()
        return {
            "version": VERSION,
            "sheets": [self.dash.done(60), self.data.done(60)],
            "styles": self.reg.styles,
            "formats": self.reg.formats,
            "borders": self.reg.borders,
            "revisionId": "START_REVISION",
            "uniqueFigureIds": True,
            "settings": {
                "locale": {
                    "name": "English (US)",
                    "code": "en_US",
                    "thousandsSeparator": ",",
                    "decimalSeparator": ".",
                    "dateFormat": "mm/dd/yyyy",
                    "timeFormat": "hh:mm:ss",
                    "formulaArgSeparator": ",",
                    "weekStart": 1,
                }
            },
            "pivots": {} if self.sample else build_pivots(),
            "pivotNextId": 10 + len(REQUESTS),
            "customTableStyles": {},
            "globalFilters": [] if self.sample else GLOBAL_FILTERS,
            "lists": {},
            "listNextId": 1,
            "chartOdooMenusReferences": self.menus,
        }


GLOBAL_FILTERS = [
    {"id": F_PERIOD, "type": "date", "label": "Period", "defaultValue": "this_year"},
    {
        "id": F_USER,
        "type": "relation",
        "label": "Salesperson",
        "modelName": "res.users",
        "defaultValueDisplayNames": [],
    },
]


def render(sample):
    return json.dumps(Builder(sample).build(), indent=2, ensure_ascii=False) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a file is not current")
    args = parser.parse_args(argv)
    stale = []
    for path, sample in ((DASHBOARD, False), (SAMPLE, True)):
        text = render(sample)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if stale:
        print("not current, run scripts/dashboard_json.py:", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
