# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import itertools
from datetime import datetime, time
from urllib.parse import quote, urlencode

import pytz

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..report.xlsx_base import generate_xlsx_report

#: how many records an export reads at a time
EXPORT_BATCH_SIZE = 500
#: how many rows an export keeps in cache; and how many of the records they reach
#: (customers, users…), which are read once for many rows
EXPORT_CACHE_ROWS = 10000
EXPORT_CACHE_RELATED = 20000
#: names of the server-side cursors of the exports, unique in a process
_CURSORS = itertools.count()


def _fetch_paths(records, paths, fetched):
    """Fetch the fields of ``paths`` (lists of field names, the first relational)
    of the records related to ``records``, and no other of theirs; ``fetched``
    ({(model, field): ids}) holds the related records already fetched, which are
    not fetched again (nor their access checked again)."""
    by_field = {}
    for path in paths:
        by_field.setdefault(path[0], []).append(path[1:])
    for fname, subpaths in by_field.items():
        # the values in cache (mapped() would check the access to the records again)
        related = records[fname]
        done = fetched.setdefault((records._name, fname), set())
        related = related.browse([id_ for id_ in related._ids if id_ not in done])
        done.update(related._ids)
        related.fetch(list(dict.fromkeys(path[0] for path in subpaths)))
        _fetch_paths(related, [path for path in subpaths if len(path) > 1], fetched)


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
    def _search_batches(self, model, domain, order, size=EXPORT_BATCH_SIZE, fields=None):
        """Yield the records of ``domain`` (the user's rights apply) in batches
        of ``size``, in ``order`` (which must end with a unique key).

        One query reads them all, with the stored ``fields`` (default: those
        Odoo prefetches), streamed from a server-side cursor (``DECLARE …
        FETCH``) a batch at a time: neither the ids nor the rows of the whole
        export are ever in memory, a view (``_table_query``) is computed once
        and not once a batch, and no batch skips the rows of the batches before
        it (as ``OFFSET`` would). A path of ``fields`` (``partner_id.display_name``)
        reads only that of the batch's related records, as Odoo's own export
        does (a user's name is their partner's: ``user_id.partner_id.name``);
        other fields are read when used, for the whole batch.

        The rows leave the cache every :data:`EXPORT_CACHE_ROWS` rows, and the
        records they reached through ``fields`` (customers, users…) once there are
        :data:`EXPORT_CACHE_RELATED` of them, with everything else in cache: memory
        does not grow with the rows, and a customer of many rows is read once.
        """
        Model = self.env[model]
        query = Model._search(domain, order=order)
        if query.is_empty():
            return
        paths = None if fields is None else [fname.split(".") for fname in fields]
        fnames = None if paths is None else list(dict.fromkeys(path[0] for path in paths))
        # the fields' access rights are checked as by search_fetch
        to_fetch = Model._determine_fields_to_fetch(fnames)
        columns = [f for f in to_fetch if f.name != "id" and f.column_type]
        others = [f for f in to_fetch if f.name != "id" and not f.column_type]
        terms = [SQL.identifier(Model._table, "id")]
        for field in columns:
            # as BaseModel._fetch_query selects them
            sql = Model._field_to_sql(Model._table, field.name, query)
            if not field.translate:
                sql = SQL(sql.code, *sql.params, to_flush=(f for f in sql.to_flush if f != field))
            terms.append(sql)
        cursor = SQL.identifier(f"sales_export_{next(_CURSORS)}")
        self.env.execute_query(
            SQL("DECLARE %s NO SCROLL CURSOR FOR %s", cursor, query.select(*terms))
        )
        # a new wizard (onchange) lives in the cache only: keep the cache then
        saved = all(self._ids)
        in_cache, fetched = 0, {}
        while True:
            rows = self.env.execute_query(SQL("FETCH FORWARD %s FROM %s", size, cursor))
            if not rows:
                break
            values = zip(*rows, strict=True)
            batch = Model.browse(next(values))
            for field, column in zip(columns, values, strict=True):
                field._insert_cache(batch, column)
            for field in others:
                field.read(batch)
            _fetch_paths(batch, [path for path in paths or () if len(path) > 1], fetched)
            yield batch
            in_cache += len(rows)
            if not saved:
                batch.invalidate_recordset()
            elif in_cache >= EXPORT_CACHE_ROWS:
                in_cache = 0
                if paths is not None and sum(map(len, fetched.values())) < EXPORT_CACHE_RELATED:
                    # the customers, users… of the rows are read again only once many
                    Model.invalidate_model()
                else:
                    self.env.invalidate_all()  # an export writes nothing: nothing to flush
                    fetched = {}
            if len(rows) < size:
                break
        # (a cursor left open by an export stopped early ends with its transaction)
        self.env.cr.execute(SQL("CLOSE %s", cursor))

    def _search_iter(self, model, domain, order, size=EXPORT_BATCH_SIZE, fields=None):
        """The records of :meth:`_search_batches`, one at a time."""
        for batch in self._search_batches(model, domain, order, size, fields):
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
