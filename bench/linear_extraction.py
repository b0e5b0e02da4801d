"""Benchmark (not a test): extraction time against text size when the figures sit in one unbroken
paragraph, beside the same text cut into paragraphs (issue 23: 4 MB must take ≤ 4× the time of 1 MB).

    python bench/linear_extraction.py            # 0.5, 1, 2, 4 MB
    python bench/linear_extraction.py --sizes 0.25 1
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from etl.pipeline import process_bytes  # noqa: E402 - after the path is set

UNIT = (
    "Sở tiếp nhận 1.234 hồ sơ, giải quyết 1.200 hồ sơ, đang giải quyết 34 hồ sơ; "
    "Tổng đài 1022 tiếp nhận 420 cuộc gọi, "
)


def seconds(megabytes: float, paragraphs: bool) -> float:
    """CPU seconds to extract a report of ``megabytes`` of figures, in one paragraph or many."""
    n = int(megabytes * 1e6 / len(UNIT.encode()))
    body = ("\n\n".join([UNIT] * n)) if paragraphs else UNIT * n
    text = "BÁO CÁO\nKết quả năm 2024\n" + body + "\n"
    start = time.process_time()
    process_bytes("dai.txt", text.encode())
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.5, 1.0, 2.0, 4.0])
    parser.add_argument("--smoke", action="store_true", help="two small sizes (seconds)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes = [0.02, 0.04]
    print(f"{'MB':>5} {'one paragraph s':>16} {'paragraphs s':>13} {'× of 1 MB':>10}")
    base = None
    for mb in args.sizes:
        one, many = seconds(mb, False), seconds(mb, True)
        if mb == 1.0:
            base = one
        ratio = f"{one / base:.2f}" if base else ""
        print(f"{mb:>5} {one:>16.2f} {many:>13.2f} {ratio:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
