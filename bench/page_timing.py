"""Benchmark (not a test): seconds until each page is drawn, in a real browser, as an official meets it.

    python bench/page_timing.py [--db data/warehouse.duckdb] [--rounds 3] [--pause 2] [--pages …] [--smoke]

Starts the real server (``python -m dashboard.serve``) on a free loopback port, waits until it
answers, then with Debian's chromium driven by Playwright opens every page in a new browser
context (a new browser: nothing cached, a new session), then in a new tab of that browser (a new
session, Streamlit's own scripts cached as a returning official's browser has them), and finally
clicks through the sidebar in one session, ``--pause`` seconds on each page before the next click.
A page counts as drawn when Streamlit's script has stopped running, its heading is there, nothing
is stale or a skeleton, and every chart and table on screen is drawn. Each round starts a fresh
server; the table prints each round's seconds and the median, and the floor: Streamlit alone
serving a heading, what the machine's load leaves of any page.
``--smoke``: one round, Tổng quan only (a test in `make test` runs it, so it cannot rot).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.pages import PAGES, Page  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]  # fmt: skip
# Drawn: the script has run and stopped, a heading, nothing stale or still a skeleton, every chart and table on
# screen drawn (the browser draws a table scrolled out of view, or in a closed expander, only when it is shown).
DRAWN = """(title) => {
  const app = document.querySelector('[data-test-script-state]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const h1 = [...document.querySelectorAll('h1')].find(h => h.innerText.includes(title));
  if (!h1 || document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  const shown = (e) => { const r = e.getBoundingClientRect(); return r.height > 0 && r.top < innerHeight; };
  const drawn = (sel, inner) => [...document.querySelectorAll(sel)].every(e => !shown(e) || e.querySelector(inner));
  return drawn('[data-testid="stPlotlyChart"]', '.main-svg') && drawn('[data-testid="stDataFrame"]', 'canvas'); }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db: Path, log: Path, script: Path | None = None) -> Iterator[tuple[str, float, int]]:
    """The dashboard as `make run` starts it (or Streamlit running ``script``) on a free port; yields its
    address, the seconds it took to answer and its process id."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    start = ["dashboard.serve"] if script is None else ["streamlit", "run", str(script)]
    started = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", *start, "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true"],
            cwd=ROOT, env={**os.environ, "WAREHOUSE": str(db)}, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    break
            if proc.poll() is not None or time.perf_counter() - started > 120:
                raise SystemExit("the server did not start:\n" + log.read_text()[-3000:])
            time.sleep(0.1)
        yield url, time.perf_counter() - started, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def drawn(pg: object, title: str, started: float) -> float:
    """Seconds from ``started`` until the page is drawn and stays so (a rerun right after counts)."""
    while True:
        pg.wait_for_function(DRAWN, arg=title, timeout=120_000, polling=50)  # type: ignore[attr-defined]
        at = time.perf_counter() - started
        pg.wait_for_timeout(300)  # type: ignore[attr-defined]
        if pg.evaluate(DRAWN, title):  # type: ignore[attr-defined]
            return at


def cpu_seconds(pid: int) -> float:
    """CPU seconds a process has used (all its threads): the server's work, whatever the machine's load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _context(browser: object) -> object:
    return browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")  # type: ignore[attr-defined]


def open_by_address(context: object, address: str, title: str, server: int) -> tuple[float, float, float]:
    """A new session (a new tab) opening a page by its address: seconds until drawn, the server's CPU
    seconds meanwhile, and the seconds the page's renderer was busy (its tasks, from Chrome's metrics)."""
    pg = context.new_page()  # type: ignore[attr-defined]
    metrics = context.new_cdp_session(pg)  # type: ignore[attr-defined]
    metrics.send("Performance.enable")
    try:
        cpu, started = cpu_seconds(server), time.perf_counter()
        pg.goto(address)
        seconds = drawn(pg, title, started)
        busy = {m["name"]: m["value"] for m in metrics.send("Performance.getMetrics")["metrics"]}["TaskDuration"]
        return seconds, cpu_seconds(server) - cpu, busy
    finally:
        pg.close()


def visits(browser: object, address: str, title: str, server: int) -> tuple[float, float, float, float]:
    """First visit: a new browser (nothing cached, a new session), with the server's CPU seconds and the
    page's busy seconds; second: a new tab of it (a new session, Streamlit's scripts now cached)."""
    context = _context(browser)
    try:
        first, cpu, busy = open_by_address(context, address, title, server)
        return first, open_by_address(context, address, title, server)[0], cpu, busy
    finally:
        context.close()  # type: ignore[attr-defined]


def clicks(browser: object, url: str, pages: list[Page], pause: float) -> dict[str, float]:
    """One session going through the sidebar: each page from the one before (the first from the last),
    ``pause`` seconds after the one before was drawn (an official reads it first)."""
    context = _context(browser)
    seconds = {}
    try:
        pg = context.new_page()
        pg.goto(f"{url}/{pages[-1].url_path}")
        drawn(pg, pages[-1].title, time.perf_counter())
        for page in pages:
            link = pg.locator('[data-testid="stSidebarNavLink"]', has_text=page.title)
            pg.wait_for_timeout(pause * 1000)
            started = time.perf_counter()
            link.click()
            seconds[page.title] = drawn(pg, page.title, started)
    finally:
        context.close()
    return seconds


FLOOR = "Streamlit alone"  # a page of only a heading: what this machine's load leaves of the rest


def one_round(browser: object, db: Path, tmp: Path, pages: list[Page], pause: float) -> dict[str, tuple]:
    """A fresh server: each page's first visit, second visit (new sessions) and sidebar click; then the
    floor, Streamlit alone serving a heading."""
    with serve(db, tmp / "server.log") as (url, up, pid):
        print(f"  server up in {up:.1f} s", flush=True)
        both = {p.title: visits(browser, f"{url}/{p.url_path}", p.title, pid) for p in pages}
        click = clicks(browser, url, pages, pause) if len(pages) > 1 else {p.title: float("nan") for p in pages}
    script = tmp / "streamlit_alone.py"
    script.write_text(f"import streamlit as st\n\nst.title({FLOOR!r})\n", encoding="utf-8")
    with serve(db, tmp / "floor.log", script) as (url, _, pid):
        floor = visits(browser, url, FLOOR, pid)
    nan = float("nan")
    return {**{p.title: (*both[p.title][:2], click[p.title], *both[p.title][2:]) for p in pages},
            FLOOR: (*floor[:2], nan, *floor[2:])}  # fmt: skip


def _cell(values: list[float]) -> str:
    if all(v != v for v in values):  # NaN: not measured
        return "—"
    shown = " ".join(f"{v:.1f}" for v in values)
    return f"{statistics.median(values):.2f} ({shown})" if len(values) > 1 else f"{values[0]:.2f}"


HEADS = ("page", "first visit", "second visit", "sidebar click", "1st: server CPU", "1st: browser busy")


def print_table(rounds: list[dict[str, tuple]]) -> None:
    """Median seconds per page and column; each round's figure in brackets."""
    width = 22 if len(rounds) > 1 else 18
    print(f"{HEADS[0]:22}" + "".join(f"{h:>{width}}" for h in HEADS[1:]))
    for title in rounds[0]:
        cells = [_cell([r[title][k] for r in rounds]) for k in range(len(HEADS) - 1)]
        print(f"{title:22}" + "".join(f"{c:>{width}}" for c in cells))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "warehouse.duckdb")
    ap.add_argument("--rounds", type=int, default=3, help="fresh servers, one after the other")
    ap.add_argument("--pause", type=float, default=2, help="seconds on a page before the next sidebar click")
    ap.add_argument("--pages", nargs="*", help="only these pages (their address: tong_quan, so_sanh…)")
    ap.add_argument("--smoke", action="store_true", help="one round, the first page only: seconds")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium): no page timings")
        return
    pages = list(PAGES[:1] if args.smoke else PAGES)
    if args.pages:
        pages = [p for p in PAGES if Path(p.file).stem in args.pages]
    rounds = 1 if args.smoke else args.rounds
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db.resolve()
        if not db.exists():  # a fresh clone before `make run`: the samples' warehouse
            from etl.build import build_warehouse

            db = Path(tmp) / "warehouse.duckdb"
            build_warehouse(ROOT / "data" / "raw", db)
        print(f"warehouse {db}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        results = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for k in range(rounds):
                print(f"round {k + 1}/{rounds}", flush=True)
                results.append(one_round(browser, db, Path(tmp), pages, args.pause))
            browser.close()
    print("seconds until drawn — first visit: a new browser; second: a new tab of it (each a new session); "
          f"sidebar click: one session, {args.pause:g} s on the page before; during the first visit, the server's "
          "CPU seconds and the seconds the page's renderer was busy (median of the rounds; each round in brackets)")
    print_table(results)


if __name__ == "__main__":
    main()
