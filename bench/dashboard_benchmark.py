"""Benchmark (not a test): the dashboard's queries on a warehouse of synthetic facts.

    python bench/dashboard_benchmark.py [--facts 1000000] [--rows 100000]

Fills a warehouse with the real schema (etl/schema.sql), then prints p50/p95 of each page's
queries and the time to export rows to Excel.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard import queries  # noqa: E402
from dashboard.db import connect  # noqa: E402
from dashboard.excel import facts_workbook  # noqa: E402
from dashboard.filters import Filters  # noqa: E402
from dashboard.views import KPI_INDICATORS, compare_frames, kpi_cards  # noqa: E402
from etl.catalog import default_catalog  # noqa: E402
from etl.gazetteer import PROVINCES_2024  # noqa: E402

AGENCIES = ["Sở Thông tin và Truyền thông", "Sở Nội vụ", "Sở Tư pháp", "Sở Y tế", "Sở Tài chính"]
TYPES = ["dan_chu_co_so", "dan_van_chinh_quyen", "cai_cach_hanh_chinh", "chuyen_doi_so"]


def fill(db: Path, n_facts: int) -> None:
    """Documents: province × agency × year × type; facts spread over them and the catalog."""
    catalog = default_catalog()
    con = duckdb.connect(str(db))
    con.execute((ROOT / "etl" / "schema.sql").read_text(encoding="utf-8"))
    con.execute("INSERT INTO builds VALUES ('bench', now(), now(), 'bench', 'x', 'x', 0, 0, 0)")
    con.executemany(
        "INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench')",
        [
            (
                i.code,
                i.group,
                catalog.groups[i.group],
                i.label_vi,
                i.label_en,
                i.unit,
                i.scope,
                i.kind,
                i.min_value,
                i.max_value,
                n,
            )
            for n, i in enumerate(catalog.indicators)
        ],  # fmt: skip
    )
    con.execute("CREATE TEMP TABLE p AS SELECT unnest(?::VARCHAR[]) AS province", [list(PROVINCES_2024)])
    con.execute("CREATE TEMP TABLE a AS SELECT unnest(?::VARCHAR[]) AS agency", [AGENCIES])
    con.execute("CREATE TEMP TABLE t AS SELECT unnest(?::VARCHAR[]) AS report_type", [TYPES])
    con.execute("""
        INSERT INTO documents
        SELECT printf('doc_%06d.txt', row_number() OVER ()), printf('doc_%06d.txt', row_number() OVER ()),
               md5(province || agency || y::VARCHAR || report_type), 'txt', 'utf-8', 30000,
               province, agency, report_type, 'năm ' || y, make_date(y, 1, 1), make_date(y, 12, 31),
               make_date(y, 12, 20), NULL, 'Báo cáo năm ' || y,
               'Báo cáo tổng hợp số liệu. Sở đã tiếp nhận 1.234 hồ sơ trong kỳ báo cáo.', NULL, 'bench'
        FROM p, a, t, range(2016, 2026) r(y)
    """)
    n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    con.execute(
        """
        INSERT INTO facts
        SELECT printf('f%09d', i), d.doc_id, ind.code, (hash(i) % 100000)::DOUBLE, ind.unit, 'exact',
               CASE WHEN ind.kind = 'stock' THEN NULL ELSE d.period_start END,
               CASE WHEN ind.kind = 'stock' THEN NULL ELSE d.period_end END,
               CASE WHEN ind.kind = 'stock' THEN d.period_end END,
               year(d.period_end), '1.234 hồ sơ', 20, 31, 'Sở đã tiếp nhận 1.234 hồ sơ trong kỳ báo cáo.',
               0, 48, NULL, ind.code || '.bench', 0.9, NULL, 'primary', NULL, 'bench'
        FROM range(?) r(i)
        JOIN (SELECT doc_id, period_start, period_end, row_number() OVER (ORDER BY doc_id) - 1 AS k FROM documents) d
          ON d.k = i % ?
        JOIN (SELECT code, unit, kind, row_number() OVER (ORDER BY sort_order) - 1 AS k FROM indicators) ind
          ON ind.k = (i // ?) % (SELECT count(*) FROM indicators)
        """,
        [n_facts, n_docs, n_docs],
    )
    con.execute("CHECKPOINT")
    con.close()


def timed(fn: object, repeat: int = 20) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    return statistics.median(runs), runs[int(0.95 * (len(runs) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--facts", type=int, default=1_000_000)
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        fill(db, args.facts)
        con = connect(db)
        n = con.execute("SELECT count(*) FROM facts").fetchone()[0]
        print(f"warehouse: {n:,} facts, filled in {time.perf_counter() - started:.1f} s")
        one = Filters(provinces=("Tây Ninh",), year_from=2024, year_to=2024)
        two = Filters(provinces=("Tây Ninh", "Trà Vinh"), year_from=2023, year_to=2024)
        pages = {
            "shell (filter options)": lambda: queries.options(con),
            "Tổng quan (KPI cards)": lambda: kpi_cards(queries.latest_facts(con, one, KPI_INDICATORS, 24)),
            "Xu hướng (one indicator, all years)": lambda: queries.facts(
                con, Filters(provinces=("Tây Ninh", "Trà Vinh")), ("tthc_received",)
            ),
            "So sánh (two provinces)": lambda: compare_frames(
                queries.latest_facts(con, two), ["Tây Ninh", "Trà Vinh"], False
            ),
            "Tra cứu (filtered, text search)": lambda: queries.facts(con, one, (), "hồ sơ", limit=10_000),
            "Văn bản (document list)": lambda: queries.documents(con, one),
        }
        for name, fn in pages.items():
            p50, p95 = timed(fn)
            print(f"{name:40} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
        rows = queries.facts(con, Filters(), limit=args.rows)
        started = time.perf_counter()
        data = facts_workbook(rows, Filters(), None)
        print(f"Excel export of {len(rows):,} rows: {time.perf_counter() - started:.1f} s, {len(data) / 1e6:.1f} MB")
        con.close()


if __name__ == "__main__":
    main()
