"""A user's walk through the Sales Policy app, in a browser and over JSON-RPC.

Shared by ``tests/scale/test_replica.py`` and ``bench/replica.py``:

- :func:`walk`: logs in at ``/web/login`` in Chromium (Playwright), opens every
  menu under the app's root as the web client does, the first record of a list
  or kanban, and runs every export dialog down to the downloaded file; returns
  what went wrong (error dialogs, danger notifications, failed RPCs).
- :class:`JsonSession`: the web client's own JSON-RPC (``/web/dataset/call_kw``,
  ``call_button``), which Odoo routes read-only for read methods; XML-RPC never is.
- :func:`server_problems` and :func:`requests_by_mode`: what the server log says
  (errors, writes refused in a read-only transaction, the cursor of each request).
"""

import re
import time
from collections import Counter

import requests

ROOT_MENU = "sales_dept_policy.sales_policy_menu_root"
CHROMIUM = "/usr/bin/chromium"
XLSX_MAGIC = b"PK\x03\x04"

# --- the browser ---------------------------------------------------------------

_SETUP_JS = """() => {
  const {rpcBus} = odoo.loader.modules.get("@web/core/network/rpc");
  window.__sdp = {pending: {}, errors: []};
  rpcBus.addEventListener("RPC:REQUEST", ({detail}) => {
    window.__sdp.pending[detail.data.id] = detail.url;
  });
  rpcBus.addEventListener("RPC:RESPONSE", ({detail}) => {
    delete window.__sdp.pending[detail.data.id];
    if (detail.error) {
      const e = detail.error;
      window.__sdp.errors.push(`${detail.url}: ${(e.data && e.data.name) || e.message || e}`);
    }
  });
  return true;
}"""

_MENUS_JS = """(root) => {
  const menus = odoo.__WOWL_DEBUG__.root.env.services.menu;
  const top = menus.getAll().find((m) => m.xmlid === root);
  if (!top) return null;
  const found = [];
  const visit = (menu, path) => {
    for (const id of menu.children) {
      const child = menus.getMenu(id);
      const name = `${path} / ${child.name}`;
      if (child.actionID) found.push({id: child.id, xmlid: child.xmlid, name});
      visit(child, name);
    }
  };
  visit(top, top.name);
  return found;
}"""

_OPEN_JS = """async (id) => {
  const env = odoo.__WOWL_DEBUG__.root.env;
  await env.services.menu.selectMenu(env.services.menu.getMenu(id));
  return true;
}"""

_VIEW_JS = """() => {
  const env = odoo.__WOWL_DEBUG__.root.env;
  const controller_ = env.services.action.currentController;
  const views = ((controller_ && controller_.views) || []).map((v) => v.type);
  const dialog = document.querySelector(".modal .o_form_view");
  const controller = document.querySelector(".o_action_manager .o_view_controller");
  const type = dialog ? "dialog"
      : controller ? ([...controller.classList].find((c) => /^o_\\w+_view$/.test(c)) || "view")
      : "client";
  return {type, views, sample: !!document.querySelector(".o_view_sample_data")};
}"""

_IDLE_JS = "() => window.__sdp && Object.keys(window.__sdp.pending).length === 0"

_PROBLEM_SELECTORS = (
    ".o_error_dialog",
    ".o_notification.border-danger",
    ".o_notification.text-bg-danger",
    ".o_notification_bar.bg-danger",
)


def _idle(page, timeout=30000):
    """Wait until the web client has no RPC in flight, twice (a render may start one)."""
    for _ in range(2):
        page.wait_for_function(_IDLE_JS, timeout=timeout)
        page.wait_for_timeout(100)


def _problems(page):
    found = []
    for selector in _PROBLEM_SELECTORS:
        for element in page.query_selector_all(selector):
            found.append(" ".join(element.inner_text().split())[:400])
    found += page.evaluate("() => window.__sdp.errors.splice(0)")
    return found


def _close_dialogs(page):
    for button in page.query_selector_all(".modal .btn-close, .modal .o_form_button_cancel"):
        if button.is_visible():
            button.click()
    page.wait_for_timeout(50)


def login(context, url, user, password):
    """A page of ``context`` logged in as ``user``, the web client loaded."""
    page = context.new_page()
    page.goto(f"{url}/web/login")
    page.fill("input[name=login]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector(".o_main_navbar", timeout=60000)
    page.wait_for_function("() => window.odoo && odoo.__WOWL_DEBUG__", timeout=30000)
    page.evaluate(_SETUP_JS)
    _idle(page)
    return page


_REQUIRED_EMPTY_JS = """() => [...document.querySelectorAll(
    ".modal .o_required_modifier input:not([type=radio]), .modal .o_required_modifier select"
  )].some((el) => el.offsetParent !== null && !el.value
      && !el.closest(".o_field_widget").querySelector(".o_tag"))"""


def _export(page, downloads, timeout=60):
    """Click the export dialog's Export and wait for the file (or an error); a
    dialog whose default leaves a required field empty (the trips of a trip export)
    is first switched to its radios' last option (the period's policy breaches)."""
    button = page.query_selector(".modal footer button[name=action_export]")
    if not button:
        return "", []
    if page.evaluate(_REQUIRED_EMPTY_JS):
        for radio in page.query_selector_all(".modal .o_field_radio"):
            options = radio.query_selector_all("input[type=radio]")
            if options:
                options[-1].click()
        _idle(page)
    downloads.clear()
    button.click()
    deadline = time.monotonic() + timeout
    while not downloads and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if any(page.query_selector(s) for s in _PROBLEM_SELECTORS):
            break
    _idle(page)
    found = _problems(page)
    if not downloads:
        return "no file", found or ["the export gave no file"]
    with open(downloads[0].path(), "rb") as file:
        head = file.read(4)
    if head != XLSX_MAGIC:
        found.append(f"the export is not an xlsx file: {head!r}")
    return f"exported {downloads[0].suggested_filename}", found


def walk(context, url, user, password, exports=True):
    """Every Sales Policy menu of ``user``: returns (steps, problems), a step being
    (menu path, view type, what was done), a problem (menu path, message)."""
    page = login(context, url, user, password)
    menus = page.evaluate(_MENUS_JS, ROOT_MENU)
    if menus is None:
        return [], [("-", f"{user} does not see the Sales Policy app")]
    steps, problems = [], []
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    for menu in menus:
        page.evaluate(_OPEN_JS, menu["id"])
        _idle(page)
        view = page.evaluate(_VIEW_JS)
        done = ""
        found = _problems(page)
        if not found and view["type"] == "dialog" and exports:
            done, more = _export(page, downloads)
            found += more
        elif not found and view["type"] in ("o_list_view", "o_kanban_view"):
            row = page.query_selector(
                ".o_list_view .o_data_row .o_data_cell:not(.o_list_record_selector)"
            ) or page.query_selector(".o_kanban_view .o_kanban_record:not(.o_kanban_ghost)")
            if row and not view["sample"] and "form" in view["views"]:
                row.evaluate("el => el.click()")
                _idle(page)
                try:
                    page.wait_for_selector(
                        ".o_action_manager .o_form_view, .modal .o_form_view", timeout=1500
                    )
                    done = "opened the first record"
                except Exception:  # noqa: BLE001 - an editable list selects the row instead
                    done = "no form opens from this view"
                found += _problems(page)
        steps.append((menu["name"], view["type"], done))
        problems += [(menu["name"], message) for message in found]
        _close_dialogs(page)
    page.close()
    return steps, problems


def browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])


# --- JSON-RPC ------------------------------------------------------------------


class JsonRpcError(Exception):
    pass


class JsonSession:
    """One user logged in over the web client's JSON-RPC (cookie session)."""

    def __init__(self, url, db, user, password):
        self.url = url
        self.http = requests.Session()
        result = self._post(
            "/web/session/authenticate", {"db": db, "login": user, "password": password}
        )
        self.uid = result["uid"]

    def _post(self, path, params):
        response = self.http.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"].get("data", {})
            raise JsonRpcError(f"{path}: {data.get('name')}: {data.get('message')}")
        return body.get("result")

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def button(self, model, method, ids, **kwargs):
        return self._post(
            f"/web/dataset/call_button/{model}/{method}",
            {"model": model, "method": method, "args": [ids], "kwargs": kwargs},
        )

    def get(self, path):
        response = self.http.get(f"{self.url}{path}", timeout=300)
        response.raise_for_status()
        return response


# --- the server log ------------------------------------------------------------

_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) ", re.M)
_REQUEST = re.compile(
    r'werkzeug: \S+ - - \[[^\]]+\] "(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" '
    r"(?P<status>\d+) - (?P<queries>\d+) [\d.]+ [\d.]+(?: (?P<mode>\S+))?"
)
READ_ONLY_FAILURES = ("ReadOnlySqlTransaction", "read-only transaction", "ro->rw")


def log_records(text):
    """The log's records (a record runs until the next timestamped line)."""
    starts = [m.start() for m in _RECORD.finditer(text)] + [len(text)]
    return [text[a:b] for a, b in zip(starts, starts[1:], strict=False)]


def server_problems(text, ignore=()):
    """Records of level ERROR or CRITICAL and any write refused in a read-only
    transaction (Odoo's retry on the primary logs a WARNING and serves ``ro->rw``),
    but those holding one of the ``ignore`` strings."""
    found = []
    for record in log_records(text):
        level = _RECORD.match(record)["level"]
        if level in ("ERROR", "CRITICAL") or any(s in record for s in READ_ONLY_FAILURES):
            if not any(s in record for s in ignore):
                found.append(record.strip()[:2000])
    return found


def requests_by_mode(text):
    """[(method, path, status, mode)] of the requests the server logged; mode is
    ``ro`` (read-only cursor: the replica), ``rw``, ``ro->rw`` or ``-`` (no database)."""
    return [
        (m["method"], m["path"], int(m["status"]), m["mode"] or "-")
        for m in _REQUEST.finditer(text)
    ]


def mode_counts(text):
    """How many database requests each cursor mode served."""
    return Counter(mode for *_, mode in requests_by_mode(text) if mode != "-")


def wait_for_log(log, pattern, timeout=10):
    """Wait until the log (a Path) shows ``pattern`` (requests are logged after
    their response is sent)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if re.search(pattern, log.read_text()):
            return True
        time.sleep(0.2)
    return False
