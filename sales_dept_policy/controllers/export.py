# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The download of the xlsx exports, on a read replica when there is one.

The export wizards write nothing when they make a file
(``wizards/sales_export_wizard_mixin.py``): the file is made here, by a
read-only route, which Odoo serves on ``--db_replica_host`` when it is
configured (a read-only transaction of the primary with ``--dev=replica``).

A replica is a little behind the primary. The wizard was saved, and maybe the
records exported were changed, by the user's previous requests, committed on the
primary: the download names the wizard's version (``v``, its ``write_date``) and
the primary's WAL position when the export was asked (``lsn``), and the replica
serves it only once it has replayed that far and holds that version of the
wizard. Else, or when the URL is not one of :meth:`action_export`'s, the primary
serves it: a slow replica delays nothing and never exports an older wizard.
"""

import re
from datetime import datetime

from odoo import http
from odoo.http import content_disposition, request
from odoo.tools import SQL

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_LSN = re.compile(r"^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$")


def _export_model(model):
    """The wizard model named ``model`` if it is an export's, else None."""
    registry = request.env.registry
    if model not in registry or "sales.export.wizard.mixin" not in registry:
        return None
    cls = registry[model]
    if cls._name == "sales.export.wizard.mixin" or not issubclass(
        cls, registry["sales.export.wizard.mixin"]
    ):
        return None
    return cls


class SalesPolicyExport(http.Controller):
    def _replica_is_current(self, rule, args):
        """Whether the read-only cursor (the replica's) may serve the download: it
        has replayed the primary up to ``lsn`` and holds version ``v`` of the wizard.
        (On the primary itself, ``pg_is_in_recovery()`` is false: always.)"""
        params = request.httprequest.args
        lsn, version = params.get("lsn", ""), params.get("v", "")
        cls = _export_model(args.get("model"))
        if cls is None or not _LSN.match(lsn):
            return False
        try:
            version = datetime.fromisoformat(version)
        except ValueError:
            return False
        rows = request.env.execute_query(
            SQL(
                """SELECT (NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn)
                          AND EXISTS (SELECT 1 FROM %s WHERE id = %s AND write_date = %s)""",
                lsn,
                SQL.identifier(cls._table),
                args.get("wizard_id"),
                version,
            )
        )
        return bool(rows[0][0])

    @http.route(
        "/sales_dept_policy/export/<string:model>/<int:wizard_id>/<string:filename>",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=_replica_is_current,
    )
    def download(self, model, wizard_id, filename=None, **kwargs):
        """The xlsx of export wizard ``wizard_id``, read with the user's rights."""
        if _export_model(model) is None:
            raise request.not_found()
        wizard = request.env[model].browse(wizard_id).exists()
        if not wizard:
            raise request.not_found()
        wizard.check_access("read")
        content, file_name = wizard._export_file()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(file_name)),
                ("Content-Length", len(content)),
                ("Cache-Control", "no-store"),
            ],
        )
