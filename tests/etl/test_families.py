"""Phrasing families seen in published reports (tests/etl/families.csv, our own sentences in each
family): positives must give their figure, negatives must not, family by family."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from tests.conftest import make_report

ROWS = list(csv.DictReader((Path(__file__).parent / "families.csv").open(encoding="utf-8")))
# The share of cases read right today; raise it as families are added, never lower it.
FLOOR = 0.87


def _report_text(row: dict[str, str]) -> str:
    context, sentence = row["context"], row["sentence"]
    if "|" in sentence and "|" in context:  # a table: title line, header row, data row
        title, header = context.split(" | ", 1)
        context = f"{title}\n\n{header}" if len(title) > 25 or ":" in title else context
        return f"{context}\n{sentence}\n"
    return f"{context}\n{sentence}" if context else sentence


def _passes(row: dict[str, str]) -> bool:
    facts = make_report(_report_text(row)).facts
    found = {(f.indicator, round(f.value, 3)) for f in facts}
    wanted = (row["indicator"], round(float(row["value"]), 3))
    return (wanted not in found) if row["qualifier"] == "NEG" else (wanted in found)


def test_families_file_is_well_formed(catalog):
    codes = {i.code for i in catalog.indicators}
    assert len(ROWS) >= 150
    assert {r["indicator"] for r in ROWS} <= codes
    assert sum(r["qualifier"] == "NEG" for r in ROWS) >= len(ROWS) // 5, "keep about a quarter negatives"


def test_every_indicator_group_has_positive_and_negative_cases(catalog):
    group = {i.code: i.group for i in catalog.indicators}
    kinds: dict[str, set[bool]] = defaultdict(set)
    for row in ROWS:
        kinds[group[row["indicator"]]].add(row["qualifier"] == "NEG")
    assert set(kinds) == set(catalog.groups)
    assert all(v == {True, False} for v in kinds.values()), dict(kinds)


def test_families_are_read_right():
    results: dict[str, list[bool]] = defaultdict(list)
    for row in ROWS:
        results[row["family"]].append(_passes(row))
    passed = sum(sum(v) for v in results.values())
    failing = sorted(f for f, v in results.items() if not all(v))
    assert passed / len(ROWS) >= FLOOR, f"{passed}/{len(ROWS)} read right; families failing: {failing}"


def test_every_negative_family_holds_at_least_once():
    """A negative family where every case is taken means a whole class of non-figures leaks."""
    negatives: dict[str, list[bool]] = defaultdict(list)
    for row in ROWS:
        if row["qualifier"] == "NEG":
            negatives[row["family"]].append(_passes(row))
    leaking = sorted(f for f, v in negatives.items() if not any(v))
    assert len(leaking) <= 7, leaking
