"""The words a rule's every match must contain, read from its regex; the engine skips text without them."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from etl.normalize import normalize
from etl.text.literals import required_words

PHRASES = list(csv.DictReader((Path(__file__).parent / "phrases.csv").open(encoding="utf-8")))


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"tiếp nhận \d+ hồ sơ", {"tiếp nhận "}),  # the longest sure run
        (r"(?:tiếp nhận|nhận được) \d+", {"tiếp nhận", "nhận được"}),  # one of the branches
        (r"(?:đã )?giải quyết \d+", {"giải quyết "}),  # an optional part is not sure
        (r"\d+(?: camera)?", set()),  # nothing sure at all
        (r"(?:a|bc) \d+ (?:xử phạt|phạt tiền)", {"xử phạt", "phạt tiền"}),  # a one-letter branch is useless
    ],
)
def test_required_words(pattern, words):
    assert set(required_words(re.compile(pattern))) == words


def test_every_catalog_match_holds_one_of_its_rule_words(catalog):
    """Soundness on real phrasings: skipping text without the words never loses a match."""
    checked = 0
    for row in PHRASES:
        lower = normalize(row["text"].replace("\\n", "\n")).lower
        for ind in catalog.indicators:
            for rule in ind.rules:
                for m in rule.regex.finditer(lower):
                    assert not rule.words or any(w in m.group(0) for w in rule.words), (ind.code, rule.id)
                    checked += 1
    assert checked >= len(PHRASES) // 2  # enough real matches were checked for the test to mean something
