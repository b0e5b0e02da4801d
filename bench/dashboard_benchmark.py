"""Benchmark (not a test): the dashboard's queries on a warehouse of synthetic facts.

    python bench/dashboard_benchmark.py [--facts 1000000] [--rows 100000] [--smoke]

Fills a warehouse through the build's own row writers (``etl.build.build_from_extractions``:
schema, rows, vocabulary, checks, builds row — never hand-typed INSERTs, so it follows the
schema), then prints p50/p95 of each page's queries and the time to export rows to Excel beside
a bare XlsxWriter dump of the same rows (CPU seconds: the machine is shared).
``--smoke`` runs the same steps in seconds (a test in `make test` does, so it cannot rot).
"""

from __future__ import annotations

import argparse
import io
import math
import statistics
import sys
import tempfile
import time
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


def timed(fn: object, repeat: int = 20) -> tuple[float, float]:
    """p50 and p95 of ``repeat`` runs, in milliseconds."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    return statistics.median(runs), runs[max(0, math.ceil(0.95 * len(runs)) - 1)]


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


def cpu_seconds(fn: object) -> tuple[float, object]:
    started = time.process_time()
    result = fn()  # type: ignore[operator]
    return time.process_time() - started, result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--facts", type=int, default=1_000_000)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--smoke", action="store_true", help="a few thousand facts, two runs per query: seconds")
    args = ap.parse_args()
    repeat = 20
    if args.smoke:
        args.facts, args.rows, repeat = 3_000, 500, 2
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        fill(db, args.facts)
        con = connect(db)
        n = con.execute("SELECT count(*) FROM facts").fetchone()[0]
        print(f"warehouse: {n:,} facts, filled in {time.perf_counter() - started:.1f} s")
        one = Filters(provinces=("Tây Ninh",), year_from=2024, year_to=2024)
        two = Filters(provinces=("Tây Ninh", "Trà Vinh"), year_from=2023, year_to=2024)
        key_figures = tuple(queries.vocabulary(con).kpis)
        pages = {
            "shell (filter options)": lambda: queries.options(con),
            "Tổng quan (KPI cards)": lambda: kpis.kpi_cards(queries.latest_facts(con, one, key_figures, 24)),
            "Xu hướng (one indicator, all years)": lambda: queries.facts(
                con, Filters(provinces=("Tây Ninh", "Trà Vinh")), ("tthc_received",)
            ),
            "So sánh (two provinces)": lambda: comparison.compare_frames(
                queries.latest_facts(con, two), ["Tây Ninh", "Trà Vinh"], False
            ),
            "Tra cứu (filtered, text search)": lambda: queries.facts(con, one, (), "hồ sơ", limit=10_000),
            "Văn bản (document list)": lambda: queries.documents(con, one),
        }
        for name, fn in pages.items():
            p50, p95 = timed(fn, repeat)
            print(f"{name:40} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
        rows = queries.facts(con, Filters(), limit=args.rows)
        spent, data = cpu_seconds(lambda: facts_workbook(rows, Filters(), None))
        floor, _ = cpu_seconds(lambda: bare_dump(rows))
        print(f"Excel export of {len(rows):,} rows: {spent:.1f} s CPU, {len(data) / 1e6:.1f} MB; "
              f"a bare XlsxWriter dump of the same rows {floor:.1f} s ({spent / max(floor, 1e-9):.2f}×)")
        con.close()


if __name__ == "__main__":
    main()
