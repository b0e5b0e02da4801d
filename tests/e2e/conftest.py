"""A real Streamlit server and Debian's Chromium driven by Playwright.

The server runs on a free loopback port against a warehouse built from data/raw, and is
stopped whatever happens. A failing test prints the server log tail and the page's console errors.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import RAW, ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db: Path, module: str = "dashboard.serve", name: str = "server") -> Iterator[dict]:
    """A Streamlit server (``python -m module``) on a free port reading the warehouse ``db``, its log
    beside it named ``name``; stopped whatever happens."""
    port = _free_port()
    log = db.with_name(f"{db.stem}-{name}.log")
    env = {**os.environ, "WAREHOUSE": str(db)}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", module, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    info = {"url": f"http://127.0.0.1:{port}", "log": log, "db": db}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(info["url"] + "/_stcore/health", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("Streamlit did not start:\n" + log.read_text()[-3000:])
            time.sleep(0.3)
        yield info
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    from etl.build import build_warehouse

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    db = tmp_path_factory.mktemp("e2e") / "warehouse.duckdb"
    build_warehouse(RAW, db)
    with serve(db) as info:
        yield info


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="en-US")
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    request.node.e2e_page = pg
    yield pg
    context.close()


def settle(pg, timeout: float = 30_000) -> None:
    """Wait the way Streamlit's own tests do: the script has run and is not running again."""
    pg.wait_for_timeout(150)
    pg.wait_for_selector('[data-test-script-state="notRunning"]', timeout=timeout)
    pg.wait_for_load_state("networkidle")


def open_page(pg, server: dict, path: str = "") -> None:
    pg.goto(server["url"] + "/" + path)
    settle(pg)


def shot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def no_exception_box(pg) -> None:
    boxes = pg.locator('[data-testid="stException"]')
    assert boxes.count() == 0, boxes.first.inner_text()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        server_info = item.funcargs.get("server")
        if server_info:
            tail = Path(server_info["log"]).read_text(errors="replace")[-3000:]
            report.sections.append(("Streamlit server log (tail)", tail))
        pg = getattr(item, "e2e_page", None)
        if pg is not None:
            report.sections.append(("Browser console errors", "\n".join(pg.console_errors) or "(none)"))


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")
