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
from pathlib import Path

import pytest


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_ROOT = Path(__file__).resolve().parent.parent.parent
# the e2e suite's logged-in user (one definition for both suites)
Session = _load("sdp_e2e_conftest", _ROOT / "tests" / "e2e" / "conftest.py").Session


def _bench_common():
    """bench/common.py: how a server is started and stopped, for both."""
    return _load("sdp_bench_common", _ROOT / "bench" / "common.py")


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
        url = f"http://127.0.0.1:{port}"
        with _bench_common().running(command, url, log) as process:
            yield Server(url, db, log, process)

    return _serve


class Server:
    def __init__(self, url, db, log, process):
        self.url = url
        self.db = db
        self.log = log
        self.process = process

    def login(self, name, password=None):
        return Session(self.url, self.db, name, password or name)
