"""The samples against the analyst's gold facts and metadata (copied from ../shared/gold)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from etl.pipeline import process_file
from tests.conftest import GOLD, RAW, REPORTS


def _year(row: dict) -> int | None:
    for key in ("as_of", "period_end", "period_start"):
        v = row.get(key) or ""
        if len(v) >= 4 and v[:4].isdigit():
            return int(v[:4])
    return None


def score(gold_csv: Path, files: list[Path]) -> tuple[float, float, list[str]]:
    """Precision and recall the way ../shared/tools/score_extraction.py counts them."""
    gold = defaultdict(list)
    for r in csv.DictReader(gold_csv.open(encoding="utf-8")):
        vals = [float(r["value"])] + [float(x) for x in (r.get("alt_values") or "").split(";") if x]
        gold[(r["doc"], r["indicator"])].append((vals, _year(r)))
    predicted = set()
    for f in files:
        for fact in process_file(f).facts:
            if fact.role == "primary":
                when = fact.as_of or fact.period_end or fact.period_start
                predicted.add((f.name, fact.indicator, fact.value, when.year if when else None))
    used, wrong = set(), []
    for doc, ind, value, year in sorted(predicted, key=str):
        rows = gold.get((doc, ind), [])
        hit = next(
            (
                i
                for i, (vals, gyear) in enumerate(rows)
                if (doc, ind, i) not in used
                and any(abs(value - v) <= 1e-6 * max(1, abs(v)) for v in vals)
                and (len(rows) == 1 or gyear is None or gyear == year)
            ),
            None,
        )
        if hit is None:
            wrong.append(f"WRONG {doc} {ind}={value} ({year})")
        else:
            used.add((doc, ind, hit))
    n_gold = sum(len(v) for v in gold.values())
    missed = [f"MISSED {d} {i}" for (d, i), rows in gold.items() for k in range(len(rows)) if (d, i, k) not in used]
    precision = len(used) / len(predicted) if predicted else 0.0
    return precision, len(used) / n_gold, wrong + missed


def test_samples_match_gold(seed_files):
    precision, recall, problems = score(GOLD / "seeds_gold.csv", seed_files)
    assert precision >= 0.95 and recall >= 0.95, problems
    assert not problems, problems  # today: every gold figure, nothing else


def test_reports_in_other_phrasings_match_expected():
    files = sorted(p for p in REPORTS.glob("*.*") if p.suffix in (".txt", ".md"))
    precision, recall, problems = score(REPORTS / "expected.csv", files)
    assert precision >= 0.95 and recall >= 0.95, problems


def _docs(csv_path: Path) -> list[dict]:
    return list(csv.DictReader(csv_path.open(encoding="utf-8")))


@pytest.mark.parametrize(
    "row", _docs(GOLD / "seeds_docs.csv") + _docs(REPORTS / "expected_docs.csv"), ids=lambda r: r["doc"]
)
def test_document_metadata(row):
    path = RAW / row["doc"] if (RAW / row["doc"]).exists() else REPORTS / row["doc"]
    meta = process_file(path).meta
    assert meta.province == row["province"]
    assert meta.agency == row["agency"]
    assert meta.report_type == row["report_type"]
    assert str(meta.period_start) == row["period_start"]
    assert str(meta.period_end) == row["period_end"]
    assert (str(meta.report_date) if meta.report_date else "") == (row["report_date"] or "")
    if "report_number" in row:
        assert (meta.report_number or "") == row["report_number"]
