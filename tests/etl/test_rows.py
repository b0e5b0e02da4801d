"""The rows writer (etl/rows.py): every fact row names the extractor that made it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from etl.rows import columns, doc_rows
from tests.conftest import make_report

BODY = "Trong năm 2024, Sở đã tiếp nhận 1.204 hồ sơ, đã giải quyết 1.180 hồ sơ."


def test_each_fact_row_carries_its_extractor_before_the_build_id():
    ex = make_report(BODY)
    assert columns("facts")[-2:] == ("extractor", "build_id")
    out = doc_rows("r.txt", ex, [])
    assert out.facts and {f[-1] for f in out.facts} == {"rules"}
    other = replace(ex, facts=tuple(replace(f, extractor="trips") for f in ex.facts))
    assert {f[-1] for f in doc_rows("r.txt", other, []).facts} == {"trips"}


def test_a_fact_without_an_extractor_is_refused():
    ex = make_report(BODY)
    nameless = replace(ex, facts=(replace(ex.facts[0], extractor=""),))
    with pytest.raises(ValueError, match="bộ trích xuất"):
        doc_rows("r.txt", nameless, [])
