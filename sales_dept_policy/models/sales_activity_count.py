# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.tools import SQL, sql

from ..policy import activity as vis

_logger = logging.getLogger(__name__)

# the local day of a visit in its salesperson's time zone, truncated to the period
_BUCKET = """date_trunc(p.period, v.date_planned AT TIME ZONE 'UTC'
                                 AT TIME ZONE COALESCE(rp.tz, 'UTC'))::date"""

# VIS-4: the effective visits of a statement's rows, counted per person, kind and
# local week and month; ``sign`` is +1 for rows that now count, -1 for rows that
# counted before. Keys are written in order so that concurrent transactions lock
# the same counters in the same order (no deadlock); under Odoo's REPEATABLE READ
# a counter changed by another transaction meanwhile makes this one retry.
_APPLY = f"""
    INSERT INTO sales_activity_count AS c (user_id, kind, period, date, done)
    SELECT v.user_id, v.kind, p.period, {_BUCKET}, SUM(v.sign)
      FROM (%s) v
      JOIN res_users ru ON ru.id = v.user_id
      JOIN res_partner rp ON rp.id = ru.partner_id
     CROSS JOIN (VALUES ('week'), ('month')) p(period)
     GROUP BY 1, 2, 3, 4
    HAVING SUM(v.sign) <> 0
     ORDER BY 1, 2, 3, 4
    ON CONFLICT (user_id, kind, period, date) DO UPDATE SET done = c.done + EXCLUDED.done;
"""

_TRIGGER_FUNCTIONS = {
    "INSERT": _APPLY
    % """SELECT user_id, kind, date_planned, 1 AS sign FROM sdp_new
          WHERE is_effective AND user_id IS NOT NULL""",
    "DELETE": _APPLY
    % """SELECT user_id, kind, date_planned, -1 AS sign FROM sdp_old
          WHERE is_effective AND user_id IS NOT NULL""",
    # only the rows whose count key or effectiveness changed (a boolean the ORM
    # never wrote is NULL: not effective)
    "UPDATE": _APPLY
    % """SELECT o.user_id, o.kind, o.date_planned, -1 AS sign
           FROM sdp_old o JOIN sdp_new n ON n.id = o.id
          WHERE o.is_effective AND o.user_id IS NOT NULL
            AND (n.is_effective IS NOT TRUE OR n.user_id IS DISTINCT FROM o.user_id
                 OR n.kind IS DISTINCT FROM o.kind OR n.date_planned <> o.date_planned)
         UNION ALL
         SELECT n.user_id, n.kind, n.date_planned, 1
           FROM sdp_old o JOIN sdp_new n ON n.id = o.id
          WHERE n.is_effective AND n.user_id IS NOT NULL
            AND (o.is_effective IS NOT TRUE OR n.user_id IS DISTINCT FROM o.user_id
                 OR n.kind IS DISTINCT FROM o.kind OR n.date_planned <> o.date_planned)""",
}
_TRIGGER_TABLES = {
    "INSERT": "NEW TABLE AS sdp_new",
    "DELETE": "OLD TABLE AS sdp_old",
    "UPDATE": "OLD TABLE AS sdp_old NEW TABLE AS sdp_new",
}


class SalesActivityCount(models.Model):
    """VIS-4: the effective visits counted per salesperson, kind and local week and
    month, kept as the visits change, so that the activity progress reads a few
    thousand counters instead of a year of visits.

    The counters are kept by PostgreSQL statement triggers on the visits' table, in
    the transaction that changes the visits, whatever changes them (a form, an RPC
    call, the recompute of ``is_effective`` when a customer's phone changes, an
    import, SQL): they never drift from the visits. Concurrent writers of the same
    salesperson's counters are serialised by the row locks of the upsert (and
    Odoo retries the transaction that lost, REPEATABLE READ). Periods are the
    salesperson's local ones (their time zone); a change of time zone recounts
    that salesperson's visits (``_recount``). Nobody writes the counters through
    the ORM; they are read through ``sales.activity.progress``.
    """

    _name = "sales.activity.count"
    _description = "Effective Visits per Period"
    _log_access = False
    _order = "date desc, user_id, kind, period"

    user_id = fields.Many2one("res.users", required=True, readonly=True, ondelete="cascade")
    kind = fields.Selection(list(vis.KIND_LABELS), required=True, readonly=True)
    period = fields.Selection([("week", "Week"), ("month", "Month")], required=True, readonly=True)
    date = fields.Date(string="Period Start", required=True, readonly=True)
    done = fields.Integer(string="Effective", readonly=True)

    _key_unique = models.Constraint(
        "UNIQUE (user_id, kind, period, date)",
        "One counter per salesperson, kind and period (VIS-4).",
    )

    def init(self):
        self._install_triggers()

    @api.model
    def _install_triggers(self):
        """Create or update the triggers on the visits' table (and count every visit
        the first time). Called by the init of both models: at install, whichever
        table is made second."""
        cr = self.env.cr
        if not (sql.table_exists(cr, "sales_visit") and sql.table_exists(cr, self._table)):
            return
        cr.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'sales_visit'::regclass"
            " AND tgname LIKE 'sales_activity_count_%'"
        )
        existed = cr.fetchone()[0] == len(_TRIGGER_FUNCTIONS)
        for event, body in _TRIGGER_FUNCTIONS.items():
            name = f"sales_activity_count_{event.lower()}"
            # the constant text of this module, no value of anyone's
            cr.execute(  # pylint: disable=sql-injection
                f"""
                CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
                LANGUAGE plpgsql AS $body$
                BEGIN
                    {body}
                    RETURN NULL;
                END
                $body$;
                DROP TRIGGER IF EXISTS {name} ON sales_visit;
                CREATE TRIGGER {name} AFTER {event} ON sales_visit
                    REFERENCING {_TRIGGER_TABLES[event]}
                    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
                """  # noqa: S608
            )
        if not existed:
            self._recount()

    @api.model
    def _drop_triggers(self):
        for event in _TRIGGER_FUNCTIONS:
            name = f"sales_activity_count_{event.lower()}"
            self.env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s() CASCADE", SQL.identifier(name)))

    @api.model
    def _recount(self, users=None):
        """Count again the effective visits of ``users`` (all when None): at install,
        and when a salesperson's time zone moves their weeks and months."""
        self.env["sales.visit"].flush_model(["user_id", "kind", "date_planned", "is_effective"])
        self.env["res.partner"].flush_model(["tz"])
        where = SQL("TRUE") if users is None else SQL("user_id = ANY(%s)", list(users.ids))
        self.env.cr.execute(SQL("DELETE FROM sales_activity_count WHERE %s", where))
        self.env.cr.execute(
            SQL(
                _APPLY,
                SQL(
                    "SELECT user_id, kind, date_planned, 1 AS sign FROM sales_visit"
                    " WHERE is_effective AND user_id IS NOT NULL AND %s",
                    where,
                ),
            )
        )
        self.invalidate_model()
        _logger.info("VIS-4: recounted the effective visits of %s", users or "everyone")
