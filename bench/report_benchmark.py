"""Benchmark (not a test): the time to compile the report for one province and one year.

    python bench/report_benchmark.py [--db /tmp/national/warehouse.duckdb] [--repeat 5]
    python bench/report_benchmark.py --smoke      # seconds: a warehouse built from data/raw

The national warehouse is the one bench/national_benchmark.py builds (bench/corpus.py); without it
run that first. Prints each run's time split into selecting (SQL + matching), the .docx and the
Excel annex, then the median against the 3 s target of issue 15.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the project's packages, imported inside the functions below
TARGET_SECONDS = 3.0


def smoke_warehouse(folder: Path) -> Path:
    from etl.build import build_warehouse

    db = folder / "warehouse.duckdb"
    build_warehouse(ROOT / "data" / "raw", db, workers=1)
    return db


def busiest(db: Path) -> tuple[str, int]:
    """The province and year with the most figures: the largest one-province, one-year report."""
    from dashboard.db import connect

    con = connect(db)
    try:
        province, year = con.execute(
            "SELECT province, year FROM fact_view WHERE role = 'primary' AND province IS NOT NULL "
            "GROUP BY ALL ORDER BY count(*) DESC, province LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return province, int(year)


def one_run(db: Path, scope) -> tuple:
    """Seconds to select, to render the .docx and to write the Excel annex, and the report."""
    from dashboard import compiled
    from dashboard.compiled_docx import render_docx
    from dashboard.db import connect

    t0 = time.perf_counter()
    con = connect(db)
    try:
        report = compiled.compile_report(con, scope)
        t1 = time.perf_counter()
        document = render_docx(report)
        t2 = time.perf_counter()
        workbook = compiled.annex_workbook(con, report)
        t3 = time.perf_counter()
    finally:
        con.close()
    assert document and workbook
    return t1 - t0, t2 - t1, t3 - t2, report


def main() -> None:
    from dashboard import compiled

    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=Path("/tmp/national/warehouse.duckdb"))
    ap.add_argument("--province", default=None, help="default: the province with the most figures")
    ap.add_argument("--year", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--smoke", action="store_true", help="a warehouse built from data/raw, one run")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = smoke_warehouse(Path(tmp)) if a.smoke else a.db
        if not db.exists():
            sys.exit(f"{db} is missing: run bench/national_benchmark.py first (or --smoke)")
        province, year = busiest(db)
        province, year = a.province or province, a.year or year
        scope = compiled.Scope(compiled.parse_period(str(year)), provinces=(province,))
        print(f"warehouse: {db} ({db.stat().st_size / 1e6:.0f} MB); report: {province}, năm {year}; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work slows the runs)")
        totals = []
        for run in range(1, (1 if a.smoke else a.repeat) + 1):
            cpu = time.process_time()
            select, docx_s, xlsx_s, report = one_run(db, scope)
            cpu = time.process_time() - cpu
            totals.append(select + docx_s + xlsx_s)
            rows = sum(len(s.rows) for s in report.sections)
            print(f"run {run}: {totals[-1]:.2f} s (select {select:.2f}, docx {docx_s:.2f}, xlsx {xlsx_s:.2f}; "
                  f"CPU {cpu:.2f} s); "
                  f"{len(report.units)} agencies, {rows} rows, {len(report.omissions)} left out")  # fmt: skip
        median = statistics.median(totals)
        verdict = "within" if median <= TARGET_SECONDS else "OVER"
        print(f"median {median:.2f} s — {verdict} the {TARGET_SECONDS:.0f} s target")


if __name__ == "__main__":
    main()
