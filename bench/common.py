"""What the benchmarks share: opening a database's registry and the salespeople."""

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ODOO_HOME = Path(os.environ.get("ODOO_HOME", "/opt/odoo"))
N_SALESPEOPLE = 200


def registry(db):
    """The registry of ``db`` with Odoo's addons and this repository on the path."""
    sys.path.insert(0, str(ODOO_HOME))
    from odoo.tools import config  # noqa: PLC0415

    addons = f"{ODOO_HOME}/addons,{ODOO_HOME}/odoo/addons,{REPO}"
    config.parse_config(["-d", db, f"--addons-path={addons}", "--log-level=warn"])
    from odoo.modules.registry import Registry  # noqa: PLC0415

    return Registry(db)


def salespeople(env, prefix, label, count=N_SALESPEOPLE, **values):
    """The bench salespeople ``<prefix>_000``…, created once."""
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    domain = [("login", "=like", f"{prefix}_%")]
    users = Users.search(domain, order="id")
    if len(users) < count:
        group = env.ref("sales_dept_policy.group_salesperson")
        Users.create(
            [
                {
                    "name": f"{label} {i:03d}",
                    "login": f"{prefix}_{i:03d}",
                    "group_ids": [(6, 0, group.ids)],
                    **values,
                }
                for i in range(len(users), count)
            ]
        )
        users = Users.search(domain, order="id")
    return users


def best(run, runs):
    """The shortest of ``runs`` timings of ``run()``, and its result."""
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = run()
        timings.append(time.perf_counter() - t0)
    return min(timings), result


@contextlib.contextmanager
def running(command, url, log):
    """Run the Odoo server ``command`` until the block ends, once ``url`` answers
    (shared with tests/scale); fail with the end of its log ``log`` when it stops
    or does not answer within two minutes."""
    process = subprocess.Popen(command, cwd=ODOO_HOME)  # noqa: S603
    try:
        for _ in range(120):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{url}/web/login", timeout=5)  # noqa: S310
                break
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {Path(log).read_text()[-3000:]}")
            time.sleep(1)
        else:
            raise RuntimeError(f"the server did not answer: see {log}")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
