# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from datetime import datetime, time
from urllib.parse import quote, urlencode

import pytz

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..report.xlsx_base import generate_xlsx_report

#: how many records an export reads at a time
EXPORT_BATCH_SIZE = 500


class SalesExportWizardMixin(models.AbstractModel):
    """What the xlsx export wizards share: the period, the file, its download.

    An export declares its sheets (:meth:`_export_sheets`: ``report.xlsx_base.Sheet``,
    columns and an iterator of rows read in batches with :meth:`_search_batches`),
    its file name (:meth:`_export_file_name`) and what it refuses
    (:meth:`_check_export`). Every export is read with the user's own rights, and
    its dates and times are the reader's (:meth:`_local`). Wizards that export a
    year or a number of periods leave ``date_from``/``date_to`` empty and override
    :meth:`_period_label`.

    Nothing is written when a file is made: :meth:`action_export` only checks the
    wizard and returns the download, and the file is made when it is downloaded,
    by a read-only route (``controllers/export.py``) that a read replica serves
    once it holds the wizard as the user saved it. ``file_data`` is the same file
    for clients reading the wizard (computed, never stored).
    """

    _name = "sales.export.wizard.mixin"
    _description = "Sales Policy Export Wizard"

    date_from = fields.Date(help="First day of the period exported, in your time zone.")
    date_to = fields.Date(help="Last day of the period exported, included, in your time zone.")
    file_data = fields.Binary(
        string="File",
        compute="_compute_file_data",
        help="The xlsx file, made when it is read (never stored).",
    )
    file_name = fields.Char(compute="_compute_file_name")

    # ------------------------------------------------------------------
    # Period
    # ------------------------------------------------------------------
    def _check_period(self, required=False):
        """Refuse a period whose end is before its start (or, if ``required``,
        a period not given in full)."""
        self.ensure_one()
        if required and not (self.date_from and self.date_to):
            raise UserError(self.env._("Give a period whose end is not before its start."))
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise UserError(self.env._("Give a period whose end is not before its start."))

    def _date_range_label(self, date_from, date_to):
        """The period ``date_from``..``date_to`` (both optional) as a reader says it."""
        if date_from and date_to:
            return self.env._(
                "From %(date_from)s to %(date_to)s",
                date_from=format_date(self.env, date_from),
                date_to=format_date(self.env, date_to),
            )
        if date_from:
            return self.env._("From %(date_from)s", date_from=format_date(self.env, date_from))
        if date_to:
            return self.env._("Until %(date_to)s", date_to=format_date(self.env, date_to))
        return self.env._("All dates")

    def _period_label(self):
        """The period of the export, for its title row."""
        self.ensure_one()
        return self._date_range_label(self.date_from, self.date_to)

    # ------------------------------------------------------------------
    # Time zone: the reader's
    # ------------------------------------------------------------------
    def _local(self, value):
        """A UTC datetime of the database as a naive datetime of the reader's
        time zone (what a spreadsheet cell holds); empty stays empty."""
        if not value:
            return None
        return fields.Datetime.context_timestamp(self, value).replace(tzinfo=None)

    def _local_day_start(self, day):
        """The UTC datetime at which ``day`` starts in the reader's time zone."""
        start = self.env.tz.localize(datetime.combine(day, time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _search_batches(self, model, domain, order, size=EXPORT_BATCH_SIZE):
        """Yield the records of ``domain`` (the user's rights apply) in batches
        of ``size``, in ``order`` (which must end with a unique key), dropping
        each batch from the cache once it was used."""
        Model = self.env[model]
        offset = 0
        while True:
            batch = Model.search(domain, order=order, limit=size, offset=offset)
            if not batch:
                return
            yield batch
            batch.invalidate_recordset()
            if len(batch) < size:
                return
            offset += size

    def _search_iter(self, model, domain, order, size=EXPORT_BATCH_SIZE):
        """The records of :meth:`_search_batches`, one at a time."""
        for batch in self._search_batches(model, domain, order, size):
            yield from batch

    def _selection_labels(self, model, field_name):
        """The translated labels of a selection field, by value."""
        field = self.env[model]._fields[field_name]
        return dict(field._description_selection(self.env))

    # ------------------------------------------------------------------
    # File
    # ------------------------------------------------------------------
    def _xlsx_title(self):
        """The title row of every sheet: the company, the period, the reader."""
        return self.env._(
            "%(company)s — %(period)s — exported by %(user)s",
            company=self.env.company.name,
            period=self._period_label(),
            user=self.env.user.name,
        )

    def _xlsx(self, sheets):
        """The bytes of a workbook of ``sheets`` (``report.xlsx_base.Sheet``)."""
        self.ensure_one()
        return generate_xlsx_report(sheets, self._xlsx_title())

    def _check_export(self):
        """Refuse what cannot be exported (UserError); by default, a period whose end
        is before its start."""
        self._check_period()

    def _export_sheets(self):
        """The sheets of the file (``report.xlsx_base.Sheet``), rows read lazily."""
        raise NotImplementedError

    def _export_file_name(self):
        """The file's name."""
        raise NotImplementedError

    def _export_file(self):
        """The bytes of the file and its name, read with the user's rights and writing
        nothing (so that a read replica can make it)."""
        self.ensure_one()
        self._check_export()
        return self._xlsx(self._export_sheets()), self.file_name

    def _compute_file_name(self):
        for wizard in self:
            wizard.file_name = wizard._export_file_name().replace("/", "-")

    def _compute_file_data(self):
        for wizard in self:
            wizard.file_data = base64.b64encode(wizard._export_file()[0])

    def action_export(self):
        """Check the export and return its download, which makes the file.

        The download is read-only (``controllers.export``): it names the wizard's
        version and the primary's WAL position now, so that a replica serves it only
        once it holds the wizard as saved and everything committed before; else the
        primary serves it.
        """
        self.ensure_one()
        self._check_export()
        # the file follows the wizard as it is now (it is computed, not stored)
        self.invalidate_recordset(["file_data", "file_name"])
        lsn = self.env.execute_query(SQL("SELECT pg_current_wal_lsn()"))[0][0]
        query = urlencode({"v": self.write_date.isoformat(), "lsn": lsn})
        return {
            "type": "ir.actions.act_url",
            "url": f"/sales_dept_policy/export/{self._name}/{self.id}/"
            f"{quote(self.file_name, safe='')}?{query}",
            "target": "self",
        }
