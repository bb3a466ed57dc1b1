# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from datetime import datetime, time

import pytz

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..report.xlsx_base import generate_xlsx_report

#: how many records an export reads at a time
EXPORT_BATCH_SIZE = 500


class SalesExportWizardMixin(models.AbstractModel):
    """What the xlsx export wizards share: the period, the file, its download.

    An export declares its sheets (``report.xlsx_base.Sheet``: columns and an
    iterator of rows read in batches with :meth:`_search_batches`) and returns
    ``self._download(self._xlsx(sheets), file_name)``. Every export is read
    with the user's own rights, and its dates and times are the reader's
    (:meth:`_local`). Wizards that export a year or a number of periods leave
    ``date_from``/``date_to`` empty and override :meth:`_period_label`.
    """

    _name = "sales.export.wizard.mixin"
    _description = "Sales Policy Export Wizard"

    date_from = fields.Date(help="First day of the period exported, in your time zone.")
    date_to = fields.Date(help="Last day of the period exported, included, in your time zone.")
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

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

    def _download(self, content, file_name):
        """Keep ``content`` on the wizard and return the action downloading it."""
        self.ensure_one()
        self.write(
            {"file_data": base64.b64encode(content), "file_name": file_name.replace("/", "-")}
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file_data/{self.file_name}?download=true",
            "target": "self",
        }
