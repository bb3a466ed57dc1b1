"""What the benchmarks share: opening a database's registry and the salespeople."""

import os
import sys
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
