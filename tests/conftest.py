"""Pure tests import the addon's ``policy`` package without Odoo."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "sales_dept_policy"))
