"""Issue 18: the dashboard's spreadsheet files are those scripts/dashboard_json.py writes."""

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "dashboard_json.py"


def _generator():
    spec = importlib.util.spec_from_file_location("dashboard_json", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_files_are_current():
    generator = _generator()
    for path, sample in ((generator.DASHBOARD, False), (generator.SAMPLE, True)):
        assert path.read_text(encoding="utf-8") == generator.render(sample), path


def test_sample_mirrors_the_dashboard():
    """Same sheets, figures and titles; the sample reads no model."""
    generator = _generator()
    real = json.loads(generator.render(False))
    sample = json.loads(generator.render(True))
    assert not sample["pivots"] and not sample["globalFilters"]
    for real_sheet, sample_sheet in zip(real["sheets"], sample["sheets"], strict=True):
        assert real_sheet["name"] == sample_sheet["name"]
        assert [f["id"] for f in real_sheet["figures"]] == [
            f["id"] for f in sample_sheet["figures"]
        ]
        titles = {k: v for k, v in real_sheet["cells"].items() if "HYPERLINK" in v}
        assert titles == {k: sample_sheet["cells"][k] for k in titles}
    assert not any(
        f["data"]["type"].startswith("odoo_") for s in sample["sheets"] for f in s["figures"]
    )


def test_check_mode_reports_a_stale_file(tmp_path, monkeypatch):
    generator = _generator()
    stale = tmp_path / "sales_policy_dashboard.json"
    stale.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(generator, "DASHBOARD", stale)
    monkeypatch.setattr(generator, "SAMPLE", tmp_path / "missing.json")
    assert generator.main(["--check"]) == 1
    assert generator.main([]) == 0
    assert generator.main(["--check"]) == 0
