"""Benchmark (not a test): extraction and full-build throughput on a corpus varied from the samples.

    python bench/build_benchmark.py [--docs 2000] [--keep DIR] [--smoke]

Prints documents/s and MB/s for extraction in one process and for a full warehouse build.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.build import build_warehouse  # noqa: E402
from etl.catalog import default_catalog  # noqa: E402
from etl.gazetteer import PROVINCES_2024  # noqa: E402
from etl.pipeline import process_file  # noqa: E402

SMALL_NUMBER = re.compile(r"(?<![\d./])\b(\d{1,3})\b(?![\d./])")
YEAR = re.compile(r"\b(20[12]\d)\b")


def vary(text: str, rng: random.Random) -> str:
    """Another province, other years, other small figures; the same phrasing."""
    province = rng.choice(PROVINCES_2024)
    text = text.replace("Tây Ninh", province).replace("Trà Vinh", province)
    shift = rng.randint(-3, 2)
    text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    return SMALL_NUMBER.sub(lambda m: str(max(1, int(m.group(1)) + rng.randint(-5, 5))).zfill(len(m.group(1))), text)


def make_corpus(out: Path, n_docs: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    samples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    paths = []
    for i in range(n_docs):
        path = out / f"bench_{i:05d}.txt"
        path.write_text(vary(samples[i % len(samples)], rng), encoding="utf-8")
        paths.append(path)
    return paths


def make_site(folder: Path, n_docs: int, reference: bool = True) -> tuple[Path, list[Path]]:
    """A data folder as a build reads it: ``raw/`` holding a corpus of ``n_docs`` varied from the
    samples and, with ``reference``, the reference tables beside it; returns the raw folder and files."""
    raw = folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    if reference:
        shutil.copytree(ROOT / "data" / "reference", folder / "reference", dirs_exist_ok=True)
    return raw, make_corpus(raw, n_docs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--keep", type=Path, help="write the corpus (in raw/) here instead of a temporary folder")
    ap.add_argument("--smoke", action="store_true", help="20 documents: seconds (run by make test)")
    args = ap.parse_args()
    if args.smoke:
        args.docs = 20
    with tempfile.TemporaryDirectory() as tmp:
        out, paths = make_site(args.keep or Path(tmp), args.docs, reference=False)  # as its figures were measured
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        catalog = default_catalog()
        started = time.perf_counter()
        facts = sum(len(process_file(p, catalog).facts) for p in paths)
        seconds = time.perf_counter() - started
        print(f"corpus: {len(paths)} documents, {megabytes:.1f} MB, {facts} facts")
        print(f"extraction, one process: {len(paths) / seconds:.0f} documents/s, {megabytes / seconds:.2f} MB/s")
        report = build_warehouse(out, Path(tmp) / "bench.duckdb", catalog)
        print(
            f"full build (extract + load DuckDB): {report.documents / report.seconds:.0f} documents/s, "
            f"{megabytes / report.seconds:.2f} MB/s, {report.seconds:.1f} s"
        )


if __name__ == "__main__":
    main()
