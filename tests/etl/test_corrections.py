"""Replaying the corrections log on one fact and one document (etl/corrections.py), on hand-made records."""

from __future__ import annotations

from datetime import date

from etl.corrections import Correction, apply_corrections, apply_to_fact, fact_key
from etl.models import DocumentMeta, Fact

SHA = "a" * 64


def a_fact(value: float = 31, indicator: str = "tthc_received", start: int = 100) -> Fact:
    return Fact(doc="a.txt", indicator=indicator, value=float(value), unit="hồ sơ", qualifier="exact",
                period_start=date(2024, 1, 1), period_end=date(2024, 6, 30), as_of=None, quote=str(value),
                char_start=start, char_end=start + 2, sentence="", sentence_start=0, sentence_end=0,
                rule="test", confidence=1.0)  # fmt: skip


def fix(target: Fact | None, field: str, new_value: str | None, n: int, sha: str = SHA) -> Correction:
    return Correction(doc_sha256=sha, field=field, new_value=new_value, why="kiểm thử", who="A",
                      fact_key=None if target is None else fact_key(target), correction_id=f"c{n}")  # fmt: skip


def test_a_value_correction_changes_the_value_and_marks_it_corrected():
    fact = a_fact(31)
    effective, status, applied = apply_to_fact(fact, [fix(fact, "value", "35,5", 1)])
    assert (effective.value, status, applied) == (35.5, "corrected", {"c1"})
    assert fact.value == 31.0  # the extraction itself is never changed


def test_a_later_value_correction_does_not_take_back_a_rejection():
    fact = a_fact(31)
    effective, status, applied = apply_to_fact(fact, [fix(fact, "status", "rejected", 1), fix(fact, "value", "40", 2)])
    assert status == "rejected" and effective.value == 40.0 and applied == {"c1", "c2"}
    _, status, _ = apply_to_fact(fact, [fix(fact, "status", "rejected", 1), fix(fact, "period_end", "2024-07-31", 2)])
    assert status == "rejected"


def test_only_a_status_correction_takes_back_a_rejection():
    fact = a_fact(31)
    fixes = [fix(fact, "status", "rejected", 1), fix(fact, "status", "extracted", 2)]
    assert apply_to_fact(fact, fixes)[1] == "extracted"
    assert apply_to_fact(fact, [fix(fact, "value", "40", 1), fix(fact, "status", "rejected", 2)])[1] == "rejected"


def test_corrections_of_another_figure_or_document_are_not_applied():
    fact, other = a_fact(31), a_fact(31, start=200)
    effective, status, applied = apply_to_fact(fact, [fix(other, "value", "99", 1)])
    assert (effective, status, applied) == (fact, "extracted", set())
    meta = DocumentMeta(doc="a.txt", province="Tây Ninh", agency=None, report_type="khac", period_label="",
                        period_start=None, period_end=None, report_date=None, report_number=None, title="")  # fmt: skip
    fixes = [fix(fact, "value", "99", 1, sha="b" * 64), fix(None, "province", "Trà Vinh", 2, sha="b" * 64)]
    same_meta, [(extracted, effective, status)], applied = apply_corrections(meta, (fact,), SHA, fixes)
    assert (same_meta, extracted, effective, status, applied) == (meta, fact, fact, "extracted", set())
