"""Golden files: every figure of every sample and test report, reviewed like code.

Regenerate with UPDATE_GOLDEN=1 pytest tests/etl/test_golden_files.py, then read the diff.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from etl.pipeline import process_file
from tests.conftest import RAW, REPORTS

GOLDEN = Path(__file__).parent / "golden"
SOURCES = sorted(RAW.glob("*.txt")) + sorted(p for p in REPORTS.glob("*.*") if p.suffix in (".txt", ".md"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _lines(path: Path) -> list[str]:
    ex = process_file(path)
    rows = []
    for f in ex.facts:
        row = f.as_json()
        row["role"] = f.role
        rows.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
    meta = {k: str(v) if v is not None else None for k, v in dataclasses.asdict(ex.meta).items()}
    head = json.dumps({"type": "document", **meta}, ensure_ascii=False, sort_keys=True)
    return [head, *sorted(rows)]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_golden(source):
    golden = GOLDEN / f"{source.name}.facts.jsonl"
    lines = _lines(source)
    if UPDATE:
        golden.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden file; run UPDATE_GOLDEN=1 pytest {__file__}"
    assert golden.read_text(encoding="utf-8").splitlines() == lines


def test_update_flag_is_off():
    assert not UPDATE, "UPDATE_GOLDEN=1 rewrites golden files; unset it once they are reviewed"


def test_quotes_are_exact_substrings():
    for source in SOURCES:
        ex = process_file(source)
        for f in ex.facts:
            assert ex.source.text[f.char_start : f.char_end] == f.quote
            assert f.sentence_start <= f.char_start < f.char_end <= f.sentence_end
