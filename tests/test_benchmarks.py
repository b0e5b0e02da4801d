"""Benchmarks cannot rot: each runs end to end in seconds (``--smoke``) here, in `make test`,
and fills its warehouse through the build's own row writers."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

BENCHMARKS = sorted(p for p in (ROOT / "bench").glob("*.py") if 'if __name__ == "__main__"' in p.read_text("utf-8"))


def test_every_benchmark_is_found():
    assert {p.stem for p in BENCHMARKS} >= {"build_benchmark", "dashboard_benchmark", "national_benchmark"}


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.stem)
def test_benchmark_runs_in_smoke_mode(script, tmp_path):
    out = subprocess.run([sys.executable, str(script), "--smoke"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=180)  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip()


@pytest.mark.parametrize("script", sorted((ROOT / "bench").glob("*.py")), ids=lambda p: p.stem)
def test_no_benchmark_types_rows_by_hand(script):
    """Hand-typed INSERTs drift from the schema (they did: 'builds has 11 columns but 9 values')."""
    assert "INSERT INTO" not in script.read_text(encoding="utf-8").upper()


def test_the_national_corpus_names_former_provinces_before_the_merger(tmp_path):
    from datetime import date

    from bench.corpus import former_names, generate, reported_name

    formers = former_names()
    before = {reported_name("Vĩnh Long", date(2024, 6, 1), formers, turn) for turn in range(3)}
    assert before == {"Vĩnh Long", "Bến Tre", "Trà Vinh"}
    assert reported_name("Vĩnh Long", date(2025, 7, 1), formers, 1) == "Vĩnh Long"
    generate(tmp_path, provinces=2, agencies=1, years=2, kinds=1)  # Hà Nội and Huế, 2024 and 2025
    heads = sorted(p.read_text(encoding="utf-8").splitlines()[0] for p in (tmp_path / "raw").iterdir())
    assert "UBND TỈNH THỪA THIÊN HUẾ" in heads and "UBND TỈNH HUẾ" in heads
