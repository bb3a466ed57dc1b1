"""The README's pictures: the demo as each role sees it, in Chinese and English.

Run by ``scripts/screenshots`` against a served demo database; drives the system's
Chromium (Debian's ``chromium``) with Playwright, logs in as each role, opens the
screen and writes ``docs/screenshots/<name>.<lang>.png``, quantized to a palette so
that each stays well under 200 KB.

    python scripts/screenshots.py --url http://127.0.0.1:8069 --db DB [--out DIR]
"""

import argparse
import io
import sys
import time
from pathlib import Path

import requests
from PIL import Image
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parent.parent
MAX_BYTES = 200 * 1024
VIEWPORT = {"width": 1366, "height": 768}
LANGS = ("zh_CN", "en_US")

#: name, login, path (from /odoo), a button to click there (or None), what to wait for
SHOTS = (
    (
        "customer_archive",
        "salesperson",
        "action-sales_dept_policy.res_partner_action_customer_archive?view_type=list",
        None,
        ".o_list_view .o_data_row",
    ),
    (
        # TRV-13: the trip's claim lines, claimed against allowed, the rule that capped
        "trip_claim",
        "manager",
        "action-sales_dept_policy.sales_trip_action/{trip}",
        "button[name=action_open_expenses]",
        ".o_list_view .o_data_row",
    ),
    (
        "activity_progress",
        "manager",
        "action-sales_dept_policy.sales_activity_progress_action?view_type=kanban",
        None,
        ".o_kanban_record",
    ),
    (
        "target_analysis",
        "manager",
        "action-sales_dept_policy.sales_target_report_action?view_type=pivot",
        None,
        ".o_pivot table",
    ),
    (
        "approval_chatter",
        "gm",
        "action-sales_dept_policy.sales_contract_review_action/{review}",
        None,
        ".o-mail-Message",
    ),
)


class Rpc:
    """The admin's JSON-RPC session: the records the pictures open, each role's language."""

    def __init__(self, url, db):
        self.url, self.session = url, requests.Session()
        reply = self.session.post(
            f"{url}/web/session/authenticate",
            json={"params": {"db": db, "login": "admin", "password": "admin"}},
            timeout=60,
        ).json()
        if reply.get("error"):
            sys.exit(f"scripts/screenshots: the admin cannot log in: {reply['error']}")

    def call(self, model, method, *args, **kwargs):
        reply = self.session.post(
            f"{self.url}/web/dataset/call_kw",
            json={"params": {"model": model, "method": method, "args": args, "kwargs": kwargs}},
            timeout=60,
        ).json()
        if reply.get("error"):
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply["result"]

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        (row,) = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        return row["res_id"]


def save_png(raw, path):
    """Write ``raw`` (a PNG) quantized to 256 colours (text stays sharp)."""
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    if buffer.tell() > MAX_BYTES:
        image = image.quantize(colors=64, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        image.save(buffer, "PNG", optimize=True)
    path.write_bytes(buffer.getvalue())
    return buffer.tell()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", default=str(REPO / "docs/screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rpc = Rpc(args.url, args.db)
    records = {
        "trip": rpc.ref("sales_dept_policy.trip_hangzhou_demo"),
    }
    # ORD-1: the Hengda contract, reviewed by the sales manager, waiting for the GM office
    (records["review"],) = rpc.call(
        "sales.contract.review",
        "search",
        [("order_id", "=", rpc.ref("sales_dept_policy.sale_order_hengda_demo"))],
        limit=1,
    )
    logins = {shot[1] for shot in SHOTS}
    users = rpc.call(
        "res.users", "search_read", [("login", "in", sorted(logins))], fields=["login", "lang"]
    )
    before = {u["id"]: u["lang"] for u in users}
    failures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for lang in LANGS:
                for user in users:
                    rpc.call("res.users", "write", [user["id"]], {"lang": lang})
                for name, login, path, click, ready in SHOTS:
                    context = browser.new_context(
                        viewport=VIEWPORT,
                        locale=lang.replace("_", "-"),
                        # the first login takes the browser's time zone: the company's
                        timezone_id="Asia/Shanghai",
                    )
                    page = context.new_page()
                    page.goto(f"{args.url}/web/login?db={args.db}")
                    page.fill("input[name=login]", login)
                    page.fill("input[name=password]", login)
                    page.click("button[type=submit]")
                    page.wait_for_selector(".o_main_navbar", timeout=60000)
                    page.goto(f"{args.url}/odoo/{path.format(**records)}")
                    try:
                        if click:
                            page.click(click, timeout=60000)
                        page.wait_for_selector(ready, timeout=60000)
                    except Exception as error:  # noqa: BLE001  (reported below)
                        failures.append(f"{name} ({lang}): {error}")
                    time.sleep(1.5)  # fonts, charts and the chatter settle
                    target = out / f"{name}.{lang}.png"
                    size = save_png(page.screenshot(full_page=False), target)
                    print(f"{target} {size // 1024} KB")
                    context.close()
        finally:
            browser.close()
            for uid, lang in before.items():
                rpc.call("res.users", "write", [uid], {"lang": lang})
    if failures:
        sys.exit("scripts/screenshots: " + "; ".join(failures))


if __name__ == "__main__":
    main()
