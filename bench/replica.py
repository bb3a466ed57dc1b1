"""The addon served through a real PostgreSQL streaming replica: what share the replica serves.

Makes (once) a hot standby of the local PostgreSQL 15 cluster with
``pg_basebackup -R`` in a data directory of its own, listening on another port
(5433), starts it, waits until it streams, then serves ``-d DB`` with
``--db_replica_host``/``--db_replica_port`` pointing at it and runs a mix of the
roles' requests:

- ``rpc``: rounds of what the roles do over the web client's JSON-RPC — the
  salesperson lists their customers, reads their activity progress (VIS-4) and
  logs a visit (a write), the manager reads the target analysis (QTA-4) and the
  visits grouped by salesperson, finance reads the balances (ORD-6); each
  exports a file;
- ``walk``: the browser walk of every Sales Policy menu (tests/scale/webwalk.py)
  as some roles, when Playwright and Chromium are there.

It prints, per phase and in all, the requests served on the replica's read-only
cursor (``ro`` in Odoo's request log) against the primary's (``rw``; ``ro->rw``:
a read retried on the primary), and the transactions each cluster committed in
the database (``pg_stat_database``), and checks that the replica holds what the
mix wrote (the visits, counted on both clusters). Then it stops the server and the
replica, and removes the replica's data directory (``--keep`` keeps it stopped, for
the next run to catch up from).

    $ODOO_PYTHON bench/replica.py -d DB [--rounds 5] [--workers 2] [--no-walk]
        [--walk-roles salesperson,manager,finance,gm] [--port 5433] [--keep]
    $ODOO_PYTHON bench/replica.py --drop        # stop and remove the replica

Run as root (PostgreSQL's commands run as ``postgres`` through ``runuser``) or as
``postgres``. The primary is only read: its defaults (``wal_level = replica``,
``max_wal_senders = 10``) and Debian's ``local replication all peer`` line allow
the base backup; when no such line exists, one line for ``postgres`` is added to
its ``pg_hba.conf`` and the primary is reloaded (never restarted), and ``--drop``
takes it out again. No replication slot is made, so a stopped replica never
holds WAL on the primary. ODOO_HOME (default /opt/odoo) says where Odoo 19 is.
"""

import argparse
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ODOO_HOME = Path(os.environ.get("ODOO_HOME", "/opt/odoo"))
sys.path.insert(0, str(REPO / "tests" / "scale"))

import webwalk  # noqa: E402
from common import running  # noqa: E402

SOCKET_DIR = "/var/run/postgresql"
PRIMARY_PORT = 5432
DATADIR = Path("/var/lib/postgresql/15/sdp_replica")
HBA_MARK = "# sdp bench/replica.py"
#: the standby's settings that must be at least the primary's (hot standby)
AT_LEAST_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_prepared_transactions",
    "max_locks_per_transaction",
    "max_wal_senders",
)


def log(message):
    print(message, flush=True)


# --- PostgreSQL, as the postgres user ------------------------------------------


def as_postgres(command):
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def run(command, check=True, **kwargs):
    return subprocess.run(  # noqa: S603
        as_postgres(command), check=check, capture_output=True, text=True, cwd="/tmp", **kwargs
    )


def pg_bin():
    out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
    candidates = [Path(out.stdout.strip())] if out.returncode == 0 else []
    candidates.append(Path("/usr/lib/postgresql/15/bin"))
    for path in candidates:
        if (path / "pg_ctl").exists():
            return path
    sys.exit("pg_ctl of PostgreSQL 15 not found (pg_config --bindir, /usr/lib/postgresql/15/bin)")


def sql(query, port=PRIMARY_PORT, db="postgres"):
    """One value (or rows of |-separated values) of ``query``, as postgres, over
    the socket; the ``postgres`` database, so the bench's database counts none."""
    out = run(["psql", "-XAtq", "-h", SOCKET_DIR, "-p", str(port), "-d", db, "-c", query])
    return out.stdout.strip()


def primary_check():
    """The primary allows a base backup over its socket: wal_level, a free WAL
    sender, a local replication line of pg_hba (added, with a reload, if missing).
    Returns whether a line was added."""
    wal_level = sql("SHOW wal_level")
    if wal_level not in ("replica", "logical"):
        sys.exit(f"the primary's wal_level is {wal_level}: set it to replica and restart it")
    senders = int(sql("SHOW max_wal_senders"))
    used = int(sql("SELECT count(*) FROM pg_stat_replication"))
    if used >= senders:
        sys.exit(f"the primary's {senders} WAL senders are all in use")
    rules = sql(
        "SELECT count(*) FROM pg_hba_file_rules WHERE type = 'local'"
        " AND 'replication' = ANY(database)"
        " AND ('all' = ANY(user_name) OR 'postgres' = ANY(user_name))"
        " AND auth_method IN ('peer', 'trust') AND error IS NULL"
    )
    if int(rules):
        return False
    hba = Path(sql("SHOW hba_file"))
    log(f"adding a local replication line for postgres to {hba} and reloading")
    with hba.open("a") as file:
        file.write(
            f"local   replication     postgres                                peer  {HBA_MARK}\n"
        )
    sql("SELECT pg_reload_conf()")
    return True


def primary_uncheck():
    hba = Path(sql("SHOW hba_file"))
    lines = hba.read_text().splitlines(keepends=True)
    kept = [line for line in lines if HBA_MARK not in line]
    if len(kept) != len(lines):
        hba.write_text("".join(kept))
        sql("SELECT pg_reload_conf()")
        log(f"took the bench's replication line out of {hba} (reloaded)")


# --- the replica ----------------------------------------------------------------


def is_running(bindir, datadir):
    return (
        datadir.exists()
        and run([str(bindir / "pg_ctl"), "-D", str(datadir), "status"], check=False).returncode == 0
    )


def make_replica(bindir, datadir, port):
    log(f"base backup of the primary into {datadir} (pg_basebackup -R, fast checkpoint)…")
    started = time.monotonic()
    if datadir.exists():
        shutil.rmtree(datadir)
    run(
        [
            str(bindir / "pg_basebackup"),
            "-h", SOCKET_DIR, "-p", str(PRIMARY_PORT), "-U", "postgres",
            "-D", str(datadir), "-R", "-X", "stream", "-c", "fast",
        ]
    )  # fmt: skip
    limits = {name: sql(f"SHOW {name}") for name in AT_LEAST_PRIMARY}
    conf = [
        "# a hot standby of the cluster on port 5432, made by bench/replica.py",
        f"port = {port}",
        "listen_addresses = '127.0.0.1'",
        f"unix_socket_directories = '{SOCKET_DIR}'",
        "hot_standby = on",
        "shared_buffers = 128MB",
        "cluster_name = 'sdp_replica'",
        "log_line_prefix = '%m [%p] %q%u@%d '",
        *(f"{name} = {value}" for name, value in limits.items()),
    ]
    hba = [
        "local   all   all                  peer",
        "host    all   all   127.0.0.1/32   scram-sha-256",
    ]
    for name, lines in (("postgresql.conf", conf), ("pg_hba.conf", hba), ("pg_ident.conf", [])):
        path = datadir / name
        path.write_text("".join(f"{line}\n" for line in lines))
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")
        path.chmod(0o600)
    log(f"  done in {time.monotonic() - started:.0f} s")


def start_replica(bindir, datadir, port, timeout=120):
    """Start the standby and wait until it streams from the primary; False if it
    does not (e.g. the primary recycled the WAL it needs)."""
    if not is_running(bindir, datadir):
        run(
            [str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(datadir / "replica.log"),
             "-w", "-t", "120", "start"]
        )  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(subprocess.CalledProcessError):
            streaming = sql(
                "SELECT count(*) FROM pg_stat_replication"
                " WHERE application_name = 'sdp_replica' AND state = 'streaming'"
            )
            if int(streaming) and sql("SELECT pg_is_in_recovery()", port=port) == "t":
                return True
        time.sleep(1)
    return False


def stop_replica(bindir, datadir):
    if is_running(bindir, datadir):
        run([str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"])
        log("replica stopped")


def wait_caught_up(port, timeout=60):
    """Wait until the replica has replayed what the primary has written now."""
    target = sql("SELECT pg_current_wal_lsn()")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", port=port) == "t":
            return True
        time.sleep(0.2)
    return False


def transactions(db, port):
    """Transactions committed and rolled back in ``db`` on the cluster of ``port``."""
    return int(
        sql(
            f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{db}'",
            port=port,
        )
        or 0
    )


# --- Odoo -------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def odoo_server(db, replica_host, replica_port, workers, logfile):
    port = free_port()
    addons = f"{ODOO_HOME}/addons,{ODOO_HOME}/odoo/addons,{REPO}"
    command = [
        os.environ.get("ODOO_PYTHON", sys.executable),
        str(ODOO_HOME / "odoo-bin"),
        f"--addons-path={addons}",
        "-d", db, f"--db-filter=^{db}$",
        f"--http-port={port}", "--http-interface=127.0.0.1",
        f"--workers={workers}", "--max-cron-threads=0", f"--gevent-port={free_port()}",
        f"--db_replica_host={replica_host}", f"--db_replica_port={replica_port}",
        f"--logfile={logfile}", "--log-level=info",
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with running(command, url, logfile):
        yield url


def _password(login):
    return "admin" if login == "admin" else login


def rpc_mix(url, db, rounds):
    """Rounds of the roles' reads, writes and exports; returns the visits written."""
    sp = webwalk.JsonSession(url, db, "salesperson", "salesperson")
    manager = webwalk.JsonSession(url, db, "manager", "manager")
    finance = webwalk.JsonSession(url, db, "finance", "finance")
    customers = sp.call(
        "res.partner", "search", [("archive_user_id", "=", sp.uid)], limit=1, order="id"
    )
    if not customers:
        sys.exit("the salesperson has no customer in this database (use a copy of the demo)")
    visits = []

    def export(session, model, values):
        wizard = session.call(model, "create", values)
        action = session.button(model, "action_export", [wizard])
        content = session.get(action["url"]).content
        assert content[:4] == webwalk.XLSX_MAGIC, model

    for _ in range(rounds):
        sp.call("res.partner", "web_search_read", [], {"display_name": {}, "city": {}}, limit=80)
        sp.call("res.partner", "search_count", [])
        sp.call(
            "sales.activity.progress",
            "web_search_read",
            [("period", "=", "week")],
            {"kind": {}, "done": {}, "target": {}, "state": {}},
        )
        sp.call("sales.activity.progress", "formatted_read_group", [], ["kind"], ["done:sum"])
        planned = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=5)
        visit = sp.call(
            "sales.visit",
            "create",
            {
                "partner_id": customers[0],
                "kind": "info",
                "purpose": "bench/replica.py",
                "date_planned": planned.strftime("%Y-%m-%d %H:%M:%S"),
            },
        )
        sp.call("sales.visit", "write", [visit], {"outcome": "Met the buyer"})
        sp.call("sales.visit", "web_read", [visit], {"display_name": {}, "state": {}})
        visits.append(visit)
        export(sp, "sales.activity.export.wizard", {"period": "week", "periods_back": 4})
        manager.call(
            "sales.target.report",
            "formatted_read_group",
            [],
            ["user_id", "date:month"],
            ["target_amount:sum", "actual_signed:sum"],
        )
        manager.call("sales.visit", "formatted_read_group", [], ["user_id", "kind"], ["__count"])
        export(manager, "sales.target.export.wizard", {})
        finance.call("sales.balance.report", "web_search_read", [], {"display_name": {}})
        export(finance, "sales.finance.export.wizard", {})
    return visits


def browser_walk(url, roles):
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        log("walk: Playwright is not installed, skipped")
        return None
    if not Path(webwalk.CHROMIUM).exists():
        log(f"walk: {webwalk.CHROMIUM} not found, skipped")
        return None
    problems = []
    with sync_playwright() as playwright:
        chromium = webwalk.browser(playwright)
        try:
            for role in roles:
                context = chromium.new_context(accept_downloads=True)
                try:
                    steps, found = webwalk.walk(context, url, role, _password(role))
                finally:
                    context.close()
                log(f"  walk as {role}: {len(steps)} menus, {len(found)} problems")
                problems += found
        finally:
            chromium.close()
    return problems


def share(counts):
    replica, primary = counts.get("ro", 0), counts.get("rw", 0) + counts.get("ro->rw", 0)
    total = replica + primary
    return replica, primary, (100.0 * replica / total if total else 0.0)


def ensure_replica(bindir, args):
    """The replica made (or kept from a previous run) and streaming."""
    fresh = args.fresh or not (args.datadir / "standby.signal").exists()
    if fresh:
        make_replica(bindir, args.datadir, args.port)
    if not start_replica(bindir, args.datadir, args.port):
        if fresh:
            sys.exit(f"the replica does not stream: see {args.datadir / 'replica.log'}")
        log("the kept replica does not catch up: making it anew")
        stop_replica(bindir, args.datadir)
        make_replica(bindir, args.datadir, args.port)
        if not start_replica(bindir, args.datadir, args.port):
            sys.exit(f"the replica does not stream: see {args.datadir / 'replica.log'}")
    lag = sql(
        "SELECT COALESCE(replay_lag::text, '0') FROM pg_stat_replication"
        " WHERE application_name = 'sdp_replica'"
    )
    log(f"replica streaming on port {args.port} (replay lag {lag})")
    exists = f"SELECT count(*) FROM pg_database WHERE datname = '{args.database}'"
    if sql(exists, port=args.port) != "1":
        sys.exit(f"database {args.database} is not on the replica")


def run_mix(args):
    """Serve the database through the replica and run the phases; returns the
    phases (name, log, seconds), the problems, the visits written and the
    transactions of each cluster (before, after)."""
    db = args.database
    phases, problems = [], []
    with tempfile.TemporaryDirectory() as tmp:
        logfile = Path(tmp) / "odoo.log"
        with odoo_server(db, args.replica_host, args.port, args.workers, logfile) as url:
            log(f"Odoo on {url}, {args.workers} workers, replica on port {args.port}")
            before = (transactions(db, PRIMARY_PORT), transactions(db, args.port))
            started, offset = time.monotonic(), len(logfile.read_text())
            visits = rpc_mix(url, db, args.rounds)
            time.sleep(1)  # a request is logged once it has been answered
            text = logfile.read_text()
            phases.append(("rpc", text[offset:], time.monotonic() - started))
            if not args.no_walk:
                started, offset = time.monotonic(), len(text)
                found = browser_walk(url, [r for r in args.walk_roles.split(",") if r])
                if found is not None:
                    problems += found
                    time.sleep(1)
                    text = logfile.read_text()
                    phases.append(("walk", text[offset:], time.monotonic() - started))
            time.sleep(1.5)  # the cumulative statistics are flushed within a second
            after = (transactions(db, PRIMARY_PORT), transactions(db, args.port))
        # prefork answers the web client's websocket on the gevent port only, which a
        # proxy routes /websocket to; none does here (the bus is no part of this)
        problems += webwalk.server_problems(
            logfile.read_text(), ignore=("Couldn't bind the websocket",)
        )
    return phases, problems, visits, (before, after)


def check_replicated(args, visits):
    """The replica holds what the mix wrote: its visits, counted on both clusters."""
    if not wait_caught_up(args.port):
        sys.exit("the replica did not catch up with the primary within 60 s")
    ids = ",".join(map(str, visits))
    query = f"SELECT count(*) FROM sales_visit WHERE id IN ({ids})"
    on_primary = int(sql(query, db=args.database))
    on_replica = int(sql(query, port=args.port, db=args.database))
    log(
        f"visits written by the mix: {len(visits)}; on the primary {on_primary},"
        f" on the replica {on_replica}"
    )
    if not on_primary == on_replica == len(visits):
        sys.exit("the replica misses writes")


def report(args, phases, stats):
    """Print the shares; returns the requests retried on the primary."""
    log("")
    log(
        f"{'phase':<8}{'seconds':>9}{'requests':>10}{'replica':>9}{'primary':>9}"
        f"{'ro->rw':>8}{'replica share':>15}"
    )
    total = Counter()
    for name, text, seconds in phases:
        counts = webwalk.mode_counts(text)
        total.update(counts)
        replica, primary, percent = share(counts)
        log(
            f"{name:<8}{seconds:>9.1f}{replica + primary:>10}{replica:>9}{primary:>9}"
            f"{counts.get('ro->rw', 0):>8}{percent:>14.1f}%"
        )
    replica, primary, percent = share(total)
    log(
        f"{'all':<8}{'':>9}{replica + primary:>10}{replica:>9}{primary:>9}"
        f"{total.get('ro->rw', 0):>8}{percent:>14.1f}%"
    )
    (p0, r0), (p1, r1) = stats
    d_primary, d_replica = p1 - p0, r1 - r0
    tx_share = 100.0 * d_replica / (d_primary + d_replica) if d_primary + d_replica else 0.0
    log(
        f"transactions in {args.database} (pg_stat_database): primary {d_primary},"
        f" replica {d_replica}"
    )
    log(f"replica share of requests: {percent:.1f}%; of transactions: {tx_share:.1f}%")
    return total.get("ro->rw", 0)


def drop(bindir, datadir):
    stop_replica(bindir, datadir)
    if datadir.exists():
        shutil.rmtree(datadir)
        log(f"removed {datadir}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", help="an installed copy of the demo database")
    parser.add_argument("--port", type=int, default=5433, help="the replica's port")
    parser.add_argument("--datadir", type=Path, default=DATADIR)
    parser.add_argument(
        "--replica-host",
        default=SOCKET_DIR,
        help="how Odoo reaches the replica (socket directory or 127.0.0.1)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--walk-roles", default="salesperson,manager,finance,gm")
    parser.add_argument("--no-walk", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="make the replica anew")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the replica's data directory (stopped) for the next run",
    )
    parser.add_argument("--drop", action="store_true", help="stop and remove the replica")
    args = parser.parse_args()
    if os.geteuid() != 0 and pwd.getpwuid(os.geteuid()).pw_name != "postgres":
        sys.exit("run as root (or as postgres): PostgreSQL's commands run as postgres")
    bindir = pg_bin()
    if args.drop:
        drop(bindir, args.datadir)
        primary_uncheck()
        return
    if not args.database:
        parser.error("-d DATABASE is required (or --drop)")
    hba_added = primary_check()
    try:
        ensure_replica(bindir, args)
        phases, problems, visits, stats = run_mix(args)
        check_replicated(args, visits)
        retried = report(args, phases, stats)
        for problem in problems:
            log(f"PROBLEM {problem}")
        if problems or retried:
            sys.exit("errors, or reads retried on the primary: see above")
    finally:
        if args.keep:
            stop_replica(bindir, args.datadir)
        else:
            drop(bindir, args.datadir)
            if hba_added:
                primary_uncheck()


if __name__ == "__main__":
    main()
