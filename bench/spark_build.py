"""Benchmark (not a test): the full build with each executor on the same corpus, in one run.

    python bench/spark_build.py [--docs 200] [--cores N] [--master URL] [--keep DIR] [--smoke]

Makes a corpus varied from the samples (bench/build_benchmark.py), then builds it with the local
process pool and with Spark (etl/spark_executor.py, ``local[cores]`` or ``--master``), printing
documents/s for each (the whole build, and ``transform`` alone: what the executor runs, without
the build's fixed costs), Spark's once with its session's start-up and once without, the time to
add one report incrementally, the peak memory of the build process, and the machine's load. ``--smoke``
(4 documents, run by `make test`) builds with the local pool only: Spark's JVM start-up alone takes
longer than `make test` should (the slow test tests/etl/test_spark_build.py runs Spark).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.build_benchmark import make_site  # noqa: E402
from etl.build import BuildInputs, build  # noqa: E402
from etl.catalog import default_catalog  # noqa: E402
from etl.checks import CHECKS_PATH, official_ranks  # noqa: E402
from etl.executor import Executor, LocalPool  # noqa: E402
from etl.reference import read_reference  # noqa: E402
from etl.spark_executor import SparkExecutor, spark_unavailable  # noqa: E402
from etl.transform import TransformInputs  # noqa: E402
from etl.workers import DEFAULT_FILE_TIMEOUT  # noqa: E402

EXTRA = "extra_new_report.txt"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def map_only(name: str, folder: Path, raw: Path, executor: Executor) -> None:
    """``transform`` over every file by ``executor``, the outcomes drained (no store): the part of a
    build an executor runs, without the build's fixed costs (schema, checks across documents, swap)."""
    ranks = official_ranks(read_reference(folder / "reference").tables["reference_indices"])
    inputs = TransformInputs(default_catalog(), (), (tomllib.loads(CHECKS_PATH.read_text("utf-8")), ranks),
                             DEFAULT_FILE_TIMEOUT)  # fmt: skip
    files = [(p.name, p) for p in sorted(raw.glob("*.txt"))]
    spool = folder / f"spool-{executor.name}"
    spool.mkdir(exist_ok=True)
    started = time.perf_counter()
    done = sum(len(getattr(item, "sources", [item])) for item in executor.map(files, inputs, spool))
    seconds = time.perf_counter() - started
    shutil.rmtree(spool, ignore_errors=True)
    print(f"{name:28} transform only: {done / seconds:6.1f} documents/s, {seconds:6.1f} s  [{load()}]")


def measure(name: str, folder: Path, raw: Path, executor: Executor) -> None:
    """A full build of ``raw`` into ``folder``, then one report added (an incremental build)."""
    inputs = BuildInputs.in_folder(folder, raw)
    db = folder / f"{name}.duckdb"
    (raw / EXTRA).unlink(missing_ok=True)
    full = build(inputs, db, full=True, executor=executor)
    print(f"{name:28} full build: {full.documents / full.seconds:6.1f} documents/s, {full.seconds:6.1f} s, "
          f"{full.facts} facts, {len(full.errors)} failed files  [{load()}]")  # fmt: skip
    shutil.copy(next(p for p in sorted(raw.glob("*.txt")) if p.name != EXTRA), raw / EXTRA)
    (raw / EXTRA).write_text((raw / EXTRA).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    added = build(inputs, db, executor=executor)
    print(f"{'':28} +1 report: {added.seconds:.2f} s ({added.changed} document read)")
    (raw / EXTRA).unlink()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 1, help="worker processes / local[N]")
    ap.add_argument("--master", help="a Spark master URL (default local[--cores])")
    ap.add_argument("--keep", type=Path, help="make the corpus and warehouses here instead of a temporary folder")
    ap.add_argument("--smoke", action="store_true", help="4 documents, the local pool only: seconds")
    args = ap.parse_args()
    if args.smoke:
        args.docs = 4
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        raw, paths = make_site(folder, args.docs)
        print(f"corpus: {len(paths)} documents, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB; {load()}")
        measure(f"local pool ({args.cores} proc.)", folder, raw, LocalPool(args.cores))
        map_only(f"local pool ({args.cores} proc.)", folder, raw, LocalPool(args.cores))
        reason = "--smoke: the local pool only" if args.smoke else spark_unavailable()
        if reason:
            print(f"Spark: not measured ({reason})")
        else:
            spark = SparkExecutor(master=args.master, cores=args.cores)
            measure(f"Spark {spark.master_url}, cold", folder, raw, spark)  # its own session: JVM start-up too
            session = spark.session(folder / "spark-scratch")
            try:
                measure(f"Spark {spark.master_url}, warm", folder, raw, spark)  # a session already running
                map_only(f"Spark {spark.master_url}, warm", folder, raw, spark)
            finally:
                session.stop()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of the build process: {peak:.0f} MB (Spark's JVM and workers are other processes)")


if __name__ == "__main__":
    main()
