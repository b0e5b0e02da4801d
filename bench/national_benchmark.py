"""Benchmark (not a test): the whole pipeline at national scale.

    python bench/national_benchmark.py [--out /tmp/national] [--provinces 34 --agencies 20 --years 10 --kinds 4]
                                       [--smoke]

Generates the corpus (bench/corpus.py) with its true figures, runs a full build on every core,
checks extraction against the truth, adds one report incrementally, times each dashboard page's
queries on the result, and prints the peak memory.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import document, filler_paragraphs, generate  # noqa: E402
from dashboard import comparison, kpis, queries  # noqa: E402
from dashboard.db import connect  # noqa: E402
from dashboard.filters import Filters  # noqa: E402
from etl.build import build_warehouse, update_warehouse  # noqa: E402


def recall(db: Path, truth_csv: Path) -> tuple[float, int]:
    con = duckdb.connect(str(db), read_only=True)
    found = {
        (d, i, round(v, 6), y)
        for d, i, v, y in con.execute(
            "SELECT doc_id, indicator, value, year FROM facts WHERE role = 'primary'"
        ).fetchall()
    }
    con.close()
    truth = [(r["doc"], r["indicator"], round(float(r["value"]), 6), int(r["year"]))
             for r in csv.DictReader(truth_csv.open(encoding="utf-8"))]  # fmt: skip
    return sum(t in found for t in truth) / len(truth), len(truth)


def page_times(db: Path, repeat: int = 20) -> dict[str, tuple[float, float]]:
    con = connect(db)
    provinces = queries.options(con).provinces
    a, b = provinces[0], provinces[1]
    year = queries.options(con).years[1]
    one = Filters(provinces=(a,), year_from=year, year_to=year)
    two = Filters(provinces=(a, b), year_from=year - 1, year_to=year)
    key_figures = tuple(queries.vocabulary(con).kpis)
    pages = {
        "shell (filter options)": lambda: queries.options(con),
        "Tổng quan": lambda: kpis.kpi_cards(queries.latest_facts(con, one, key_figures, 24)),
        "Xu hướng": lambda: queries.facts(con, Filters(provinces=(a, b)), ("tthc_received",)),
        "So sánh": lambda: comparison.compare_frames(queries.latest_facts(con, two), [a, b], False),
        "Tra cứu": lambda: queries.facts(con, one, (), "hồ sơ", limit=10_000),
        "Văn bản": lambda: queries.documents(con, one),
        "Chất lượng dữ liệu": lambda: (queries.findings(con, one), queries.coverage(con, one)),
    }
    out = {}
    for name, fn in pages.items():
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            runs.append((time.perf_counter() - t) * 1000)
        runs.sort()
        out[name] = (statistics.median(runs), runs[max(0, math.ceil(0.95 * len(runs)) - 1)])
    con.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("/tmp/national"))
    ap.add_argument("--provinces", type=int, default=34)
    ap.add_argument("--agencies", type=int, default=20)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--kinds", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=1, help="full builds to run; each is printed, then the median")
    ap.add_argument("--smoke", action="store_true", help="four documents in a temporary folder: seconds")
    ap.add_argument("--baseline", metavar="GIT_REF", help="also build with this earlier commit, to compare")
    a = ap.parse_args()
    if not a.smoke:
        run(a, 20)
        return
    a.provinces, a.agencies, a.years, a.kinds = 2, 1, 2, 1
    with tempfile.TemporaryDirectory() as tmp:
        a.out = Path(tmp)
        run(a, 2)


def baseline_speed(ref: str, raw: Path, out: Path) -> float:
    """Documents/s of a full build by an earlier commit (a detached worktree, the same packages)."""
    tree = Path(tempfile.mkdtemp(prefix="baseline-"))
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref], check=True,
                   capture_output=True)  # fmt: skip
    try:
        db = out / "baseline.duckdb"
        db.unlink(missing_ok=True)
        code = (
            "import sys; from pathlib import Path; from etl.build import build_warehouse; "
            "r = build_warehouse(Path(sys.argv[1]), Path(sys.argv[2])); print(r.documents / r.seconds)"
        )
        done = subprocess.run([sys.executable, "-c", code, str(raw), str(db)], cwd=tree, check=True,
                              capture_output=True, text=True)  # fmt: skip
        db.unlink(missing_ok=True)
        return float(done.stdout.strip().splitlines()[-1])
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False,
                       capture_output=True)  # fmt: skip


def run(a: argparse.Namespace, repeat_queries: int) -> None:
    """Corpus (made once), full builds, recall, an incremental add, page queries, memory."""
    raw, db = a.out / "raw", a.out / "warehouse.duckdb"
    if not raw.exists():
        t = time.perf_counter()
        n = generate(a.out, a.provinces, a.agencies, a.years, a.kinds)
        print(f"corpus: {n} documents generated in {time.perf_counter() - t:.0f} s")
    files = [f for f in raw.glob("*.txt") if f.name != "extra_new_report.txt"]
    mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"corpus: {len(files)} documents, {mb:.0f} MB; machine: {os.cpu_count()} cores")
    (raw / "extra_new_report.txt").unlink(missing_ok=True)  # left by an earlier run's incremental add
    speeds = []
    for run in range(1, a.repeat + 1):
        db.unlink(missing_ok=True)
        report = build_warehouse(raw, db)
        speeds.append(report.documents / report.seconds)
        print(f"full build {run}: {speeds[-1]:.0f} documents/s, {mb / report.seconds:.1f} MB/s, "
              f"{report.seconds:.0f} s, {report.facts} facts, {report.findings} findings")  # fmt: skip
    if a.repeat > 1:
        print(f"full build, median of {a.repeat}: {statistics.median(speeds):.0f} documents/s "
              f"(this machine's speed varies between runs by up to ±15 %)")  # fmt: skip
    if a.baseline:
        print(f"the same corpus built by {a.baseline}: {baseline_speed(a.baseline, raw, a.out):.0f} documents/s")
    r, n_truth = recall(db, a.out / "truth.csv")
    print(f"extraction vs truth: recall {r:.3f} over {n_truth} true figures")
    text, _ = document(random.Random(7), "Cần Thơ", "Sở Y tế", 2025, "cai_cach_hanh_chinh", filler_paragraphs())
    (raw / "extra_new_report.txt").write_text(text, encoding="utf-8")
    inc = update_warehouse(raw, db)
    print(f"incremental add of one report: {inc.seconds:.2f} s ({inc.changed} document read)")
    for name, (p50, p95) in page_times(db, repeat_queries).items():
        print(f"page {name:28} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak memory: {self_kb / 1024:.0f} MB (build process), {child_kb / 1024:.0f} MB (largest worker)")
    print(f"warehouse file: {db.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
