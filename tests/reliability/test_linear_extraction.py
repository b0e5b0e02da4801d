"""Extraction time grows linearly with the text: a crafted report of one long line, or of
thousands of numbers, cannot stall a build or the import preview (the work per figure looks
back only within a bounded sentence and topic window)."""

from __future__ import annotations

import time

import pytest

from etl.pipeline import process_bytes

UNITS = {
    "one long sentence of figures": "Sở tiếp nhận 1.234 hồ sơ, giải quyết 1.200 hồ sơ, đang giải quyết 34 hồ sơ; ",
    "bare numbers": "12 34 5.678 9,1% 2024 15/12/2024 ",
    "many short sentences": "Trong năm 2024, Tổng đài 1022 tiếp nhận 420 cuộc gọi đến. ",
}


def _seconds(unit: str, megabytes: float) -> float:
    text = "BÁO CÁO\nKết quả năm 2024\n" + unit * int(megabytes * 1e6 / len(unit.encode())) + "\n"
    start = time.process_time()
    process_bytes("dai.txt", text.encode())
    return time.process_time() - start


@pytest.mark.slow
@pytest.mark.parametrize("unit", UNITS.values(), ids=UNITS.keys())
def test_four_times_the_text_takes_about_four_times_as_long(unit):
    small = min(_seconds(unit, 0.15) for _ in range(2))
    large = _seconds(unit, 0.6)
    # linear gives 4; the quadratic reading this replaces gave 16 and more
    assert large / max(small, 1e-3) < 8, (small, large)
