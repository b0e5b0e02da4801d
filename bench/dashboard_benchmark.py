"""Benchmark (not a test): the dashboard's pages on a warehouse of synthetic facts.

    python bench/dashboard_benchmark.py [--facts 1000000] [--db /tmp/w1m.duckdb] [--rows 100000]
                                        [--repeat 20] [--renders 3] [--app-root DIR] [--smoke]

Fills a warehouse through the build's own row writers (``etl.build.build_from_extractions``:
schema, rows, vocabulary, checks, serving tables, builds row — never hand-typed INSERTs, so it
follows the schema); ``--db`` keeps it (an existing file is reused: a 10M-fact fill takes
minutes). Then prints, per page, p50/p95 of its queries as the page runs them (from the serving
tables) beside the same question asked directly of the facts, in wall milliseconds and CPU
milliseconds (the machine is shared: read the CPU and the ratios); the time from server start
to the first rendered Tổng quan in Debian's chromium (``--app-root``: another checkout's app,
e.g. the code before a change, on the same warehouse); and the time to export rows to Excel
beside a bare XlsxWriter dump of the same rows.
``--smoke`` runs the same steps in seconds without the browser (a test in `make test` does, so it
cannot rot).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xlsxwriter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import extractions  # noqa: E402
from dashboard import comparison, kpis, queries  # noqa: E402
from dashboard.db import connect  # noqa: E402
from dashboard.excel import FACT_SHEET, SOURCE_SHEET, facts_workbook  # noqa: E402
from dashboard.filters import Filters  # noqa: E402
from etl.build import BuildInputs, build_from_extractions  # noqa: E402
from etl.catalog import default_catalog  # noqa: E402


def fill(db: Path, n_facts: int) -> None:
    """Documents province × agency × year × type, facts spread over them and the catalog."""
    inputs = BuildInputs.in_folder(db.parent / "data")  # an empty data folder: no log, no reference tables
    build_from_extractions(inputs, db, extractions(n_facts, default_catalog()))


def timed(fn: Callable[[], object], repeat: int = 20) -> tuple[float, float, float]:
    """p50 and p95 of ``repeat`` runs in wall milliseconds, and the p50 of their CPU milliseconds."""
    runs, cpu = [], []
    for _ in range(repeat):
        started, spent = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - spent) * 1000)
    runs.sort()
    return statistics.median(runs), runs[max(0, math.ceil(0.95 * len(runs)) - 1)], statistics.median(cpu)


def pages(con: object) -> dict[str, Callable[..., object]]:
    """Each page's queries as the page runs them; ``from_facts=True`` asks the facts directly."""
    one = Filters(provinces=("Tây Ninh",), year_from=2024, year_to=2024)
    two = Filters(provinces=("Tây Ninh", "Trà Vinh"), year_from=2023, year_to=2024)
    years = queries.options(con).years or (None, None)
    first = Filters(year_from=years[0], year_to=years[1])  # what the sidebar sends on a first visit
    key_figures = tuple(queries.vocabulary(con).kpis)
    return {
        "shell (filter options)": lambda **k: queries.options(con),
        "Tổng quan (KPI cards, one province)": lambda **k: kpis.kpi_cards(
            queries.latest_facts(con, one, key_figures, 24, **k)),
        "Tổng quan (every province, first view)": lambda **k: kpis.kpi_cards(
            queries.latest_facts(con, first, key_figures, 24, **k)),
        "Xu hướng (one indicator, all years)": lambda **k: queries.facts(
            con, Filters(provinces=("Tây Ninh", "Trà Vinh")), ("tthc_received",), **k),
        "So sánh (two provinces)": lambda **k: comparison.compare_frames(
            queries.latest_facts(con, two, **k), ["Tây Ninh", "Trà Vinh"], False),
        "Tra cứu (filtered, text search)": lambda **k: queries.facts(con, one, (), "hồ sơ", limit=10_000, **k),
        "Văn bản (document list)": lambda **k: queries.documents(con, one, **k),
    }  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _server(db: Path, root: Path) -> object:
    """``python -m dashboard.serve`` of the checkout ``root`` on a free loopback port, stopped after."""
    port = _free_port()
    env = {**os.environ, "WAREHOUSE": str(db), "PYTHONPATH": str(root)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.serve", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield proc, f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def first_render(db: Path, root: Path, browser: object, timeout: float = 300) -> tuple[float, float]:
    """Seconds from starting the server to its health check answering, and to Tổng quan drawn in
    chromium (its key-figure cards, or the page's notice when there are none, and the script done)."""
    started = time.perf_counter()
    with _server(db, root) as (proc, url):
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        up = time.perf_counter() - started
        page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
        try:
            page.goto(url, timeout=timeout * 1000)
            page.wait_for_selector('[data-testid="stMetric"], [data-testid="stAlert"]', timeout=timeout * 1000)
            page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=timeout * 1000)
            return up, time.perf_counter() - started
        finally:
            page.close()


def renders(db: Path, root: Path, n: int) -> list[tuple[float, float]]:
    """``n`` first renders, each on a fresh server (nothing cached), in Debian's chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            return [first_render(db, root, browser) for _ in range(n)]
        finally:
            browser.close()


def bare_dump(rows: pd.DataFrame) -> bytes:
    """The export's two big sheets as bare XlsxWriter cells (constant memory, no formats, no
    citations): the floor the export is measured against."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    for name, columns in (("Số liệu", FACT_SHEET), ("Nguồn", SOURCE_SHEET)):
        ws = wb.add_worksheet(name)
        frame = rows[[c for c, _, _ in columns if c in rows]].astype(object)
        for r, row in enumerate(frame.where(frame.notna(), None).itertuples(index=False), start=1):
            ws.write_row(r, 0, row)
    wb.close()
    return out.getvalue()


CHROMIUM = "/usr/bin/chromium"


def cpu_seconds(fn: object) -> tuple[float, object]:
    started = time.process_time()
    result = fn()  # type: ignore[operator]
    return time.process_time() - started, result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--facts", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, help="keep the warehouse here (an existing file is reused as it is)")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--renders", type=int, default=3, help="first renders in chromium (0: none)")
    ap.add_argument("--app-root", type=Path, default=ROOT, help="the checkout whose app the browser times")
    ap.add_argument("--smoke", action="store_true", help="a few thousand facts, two runs per query: seconds")
    args = ap.parse_args()
    if args.smoke:
        args.facts, args.rows, args.repeat, args.renders = 3_000, 500, 2, 0
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        if not db.exists():
            fill(db, args.facts)
        con = connect(db)
        n = con.execute("SELECT count(*) FROM facts").fetchone()[0]
        print(f"warehouse: {n:,} facts, filled in {time.perf_counter() - started:.1f} s "
              f"({'with' if queries.served(con) else 'without'} serving tables)")  # fmt: skip
        print(f"{'page (ms)':40} {'p50':>7} {'p95':>7} {'CPU':>6}      {'asked of the facts:':19} {'p50':>7} "
              f"{'p95':>7} {'CPU':>6}")  # fmt: skip
        for name, fn in pages(con).items():
            served, asked = timed(fn, args.repeat), timed(lambda fn=fn: fn(from_facts=True), args.repeat)
            print(f"{name:40} {served[0]:7.1f} {served[1]:7.1f} {served[2]:6.0f}      "
                  f"{'':19} {asked[0]:7.1f} {asked[1]:7.1f} {asked[2]:6.0f}")  # fmt: skip
        if args.renders and Path(CHROMIUM).exists():
            times = renders(db, args.app_root.resolve(), args.renders)
            print(f"first Tổng quan in chromium from server start ({args.app_root.resolve().name}): "
                  + ", ".join(f"{t:.1f}" for _, t in times) + f" s (median {statistics.median(t for _, t in times):.1f}"
                  f" s; the server answering after {statistics.median(u for u, _ in times):.1f} s)")  # fmt: skip
        rows = queries.facts(con, Filters(), limit=args.rows)
        spent, data = cpu_seconds(lambda: facts_workbook(rows, Filters(), None))
        floor, _ = cpu_seconds(lambda: bare_dump(rows))
        print(f"Excel export of {len(rows):,} rows: {spent:.1f} s CPU, {len(data) / 1e6:.1f} MB; "
              f"a bare XlsxWriter dump of the same rows {floor:.1f} s ({spent / max(floor, 1e-9):.2f}×)")
        con.close()


if __name__ == "__main__":
    main()
