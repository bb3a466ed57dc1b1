"""Tests of the addon served as larger companies run Odoo: several prefork workers,
a cron worker, a read replica (step 5c of ``scripts/test``).

``scripts/test`` installs the demo database, runs the Odoo and end-to-end
suites, stops its own server and then runs these tests with ``SDP_SCALE_DB`` (that
database), ``ODOO_HOME``, ``ODOO_PYTHON`` and ``ODOO_ADDONS_PATH`` set. Each test
serves the database itself, with the options it is about (``serve``).
"""

import contextlib
import importlib.util
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest


def _e2e_session():
    """The e2e suite's logged-in user (one definition for both suites)."""
    path = Path(__file__).resolve().parent.parent / "e2e" / "conftest.py"
    spec = importlib.util.spec_from_file_location("sdp_e2e_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Session


Session = _e2e_session()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def scale_db():
    db = os.environ.get("SDP_SCALE_DB")
    if not db:
        pytest.skip("SDP_SCALE_DB is set by scripts/test, which installs the demo")
    return db


@pytest.fixture(scope="session")
def serve(scale_db, tmp_path_factory):
    """``with serve("--workers=3") as server:`` serves the database with those options
    until the block ends; ``server.url``, ``server.login(name)``, ``server.log``."""

    @contextlib.contextmanager
    def _serve(*options, db=None):
        db = db or scale_db
        port = free_port()
        log = tmp_path_factory.mktemp("server") / "odoo.log"
        home = os.environ["ODOO_HOME"]
        command = [
            os.environ["ODOO_PYTHON"],
            f"{home}/odoo-bin",
            f"--addons-path={os.environ['ODOO_ADDONS_PATH']}",
            "-d",
            db,
            f"--db-filter=^{db}$",
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
            f"--logfile={log}",
            "--log-level=info",
            *options,
        ]
        if not any(option.startswith("--gevent-port") for option in options):
            # prefork starts a websocket server too: never on another server's port
            command.append(f"--gevent-port={free_port()}")
        process = subprocess.Popen(command, cwd=home)  # noqa: S603
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(f"{url}/web/login", timeout=5)  # noqa: S310
                    break
                if process.poll() is not None:
                    break
                time.sleep(1)
            else:
                raise RuntimeError(f"the server did not start: see {log}")
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {log.read_text()[-3000:]}")
            yield Server(url, db, log, process)
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    return _serve


class Server:
    def __init__(self, url, db, log, process):
        self.url = url
        self.db = db
        self.log = log
        self.process = process

    def login(self, name, password=None):
        return Session(self.url, self.db, name, password or name)
