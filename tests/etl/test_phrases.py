"""Every catalog indicator has a phrasing test; and things that must not become figures don't."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import make_report

HERE = Path(__file__).parent
PHRASES = list(csv.DictReader((HERE / "phrases.csv").open(encoding="utf-8")))
NEGATIVES = list(csv.DictReader((HERE / "negatives.csv").open(encoding="utf-8")))


def test_every_indicator_has_a_phrase(catalog):
    covered = {p["indicator"] for p in PHRASES}
    missing = [i.code for i in catalog.indicators if i.code not in covered]
    assert not missing, f"add a line to phrases.csv for: {missing}"


@pytest.mark.parametrize("row", PHRASES, ids=lambda r: f"{r['indicator']}:{r['text'][:30]}")
def test_phrase_gives_the_figure(row):
    facts = make_report(row["text"].replace("\\n", "\n")).facts
    found = {(f.indicator, f.value) for f in facts if f.role == "primary"}
    assert (row["indicator"], float(row["value"])) in found, found


@pytest.mark.parametrize("row", NEGATIVES, ids=lambda r: r["reason"])
def test_not_a_figure(row):
    facts = [f for f in make_report(row["text"]).facts if f.role == "primary"]
    assert facts == [], [(f.indicator, f.value, f.quote) for f in facts]
