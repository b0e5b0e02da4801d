"""The extractor seam (etl/extract/seam.py, registry.py, resolve.py): the rules are one
extractor among any others registered beside them, ``resolve`` alone decides, and every fact
names the extractor whose reading it is — down to the warehouse's facts.extractor."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, replace

import pytest

from etl.build import build_warehouse, update_warehouse
from etl.extract import (
    RULES,
    Context,
    Extractor,
    Proposal,
    Proposals,
    Unread,
    Vocabulary,
    beside,
    extract_document,
    extractors,
    register,
    resolve,
    unregister,
)
from etl.metadata import detect_metadata
from etl.normalize import normalize
from etl.text.segments import segment
from tests.conftest import RAW, rows

REPORT = (
    "BÁO CÁO\nKết quả công tác thanh tra năm 2024\n\n"
    "Sở Xây dựng tỉnh Cà Mau báo cáo kết quả công tác năm 2024 như sau:\n"
    "Trong năm 2024, Sở đã tiếp nhận 1.204 hồ sơ thủ tục hành chính.\n"
    "Đoàn công tác đã đi 17 chuyến khảo sát thực tế tại cơ sở.\n"
)
_TRIPS = re.compile(r"(\d+) chuyến")


@dataclass(frozen=True, slots=True)
class TripCounter:
    """A tiny second extractor: '<n> chuyến' is a number of inspections."""

    name: str = "trips"
    indicator: str = "inspections_total"
    confidence: float = 0.9

    def propose(self, context: Context, vocabulary: Vocabulary) -> Proposals:
        lower = context.norm.lower
        segments = segment(context.norm.text, lower)
        meta, ind = context.meta, vocabulary.get(self.indicator)
        return Proposals(
            tuple(
                Proposal(ind, "trips", float(m.group(1)), "exact", None, m.start(1), m.start(), m.end(),
                         segments.sentence_at(m.start(1)), False, self.confidence,
                         (meta.period_start, meta.period_end, None))  # fmt: skip
                for m in _TRIPS.finditer(lower)
            )
        )


def _context(text: str = REPORT) -> Context:
    norm = normalize(text)
    return Context(norm, detect_metadata(norm, "bao_cao.txt"))


def test_the_rules_are_the_one_extractor_registered_by_default(catalog):
    assert isinstance(RULES, Extractor) and RULES.name == "rules"
    assert extractors() == (RULES,)
    context = _context()
    facts, _ = extract_document(context.norm, context.meta, catalog)
    assert facts and {f.extractor for f in facts} == {"rules"}


def test_a_second_extractor_beside_the_rules_makes_facts_under_its_own_name(catalog):
    context = _context()
    with beside(TripCounter()):
        assert [e.name for e in extractors()] == ["rules", "trips"]
        facts, mentions = extract_document(context.norm, context.meta, catalog)
    assert extractors() == (RULES,), "leaving `beside` unregisters it"
    made = {(f.indicator, f.value, f.extractor, f.rule) for f in facts}
    assert ("inspections_total", 17.0, "trips", "inspections_total.trips") in made
    assert any(f.indicator == "tthc_received" and f.value == 1204 and f.extractor == "rules" for f in facts)
    assert not [m for m in mentions if m.value == 17.0], "a number another extractor read is no unassigned mention"


def test_resolve_names_each_fact_by_the_extractor_it_was_handed_under(catalog):
    context = _context()
    spoofed = TripCounter().propose(context, catalog)
    spoofed = Proposals(tuple(replace(p, extractor="rules") for p in spoofed.figures))
    facts, _ = resolve(context, catalog, {"trips": spoofed})
    assert [(f.value, f.extractor) for f in facts] == [(17.0, "trips")]


def test_one_number_is_one_figure_across_extractors_the_surer_wins(catalog):
    context = _context()
    sure = TripCounter(name="sure", indicator="inspected_entities", confidence=0.95)
    facts, _ = resolve(
        context,
        catalog,
        {e.name: e.propose(context, catalog) for e in (TripCounter(confidence=0.7), sure)},
    )
    assert [(f.indicator, f.extractor) for f in facts] == [("inspected_entities", "sure")]


def test_an_unread_number_stays_a_mention_unless_another_extractor_read_it(catalog):
    context = _context()
    trips = TripCounter().propose(context, catalog)
    p = trips.figures[0]
    left = Proposals(unread=(Unread(p.value, "chuyến", p.num_start, p.start, p.end, p.sentence, "không rõ"),))
    _, alone = resolve(context, catalog, {"other": left})
    assert [(m.value, m.measure, m.reason) for m in alone] == [(17.0, "chuyến", "không rõ")]
    _, together = resolve(context, catalog, {"other": left, "trips": trips})
    assert together == []


def test_registering_asks_for_a_new_name_and_a_propose(catalog):
    with pytest.raises(ValueError, match="already registered"):
        register(TripCounter(name="rules"))
    with pytest.raises(TypeError, match="no extractor"):
        register(object())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cannot be removed"):
        unregister("rules")
    assert extractors() == (RULES,)


def test_facts_land_in_the_warehouse_with_their_extractors_name(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    (data / "raw").mkdir()
    (data / "raw" / "ca_mau_sxd_2024.txt").write_text(REPORT, encoding="utf-8")
    db = data / "warehouse.duckdb"
    with beside(TripCounter()):
        build_warehouse(data / "raw", db, workers=1)
        assert update_warehouse(data / "raw", db, workers=1) is not None  # the same extractors: an update
    made = rows(db, "SELECT extractor, indicator, value FROM facts ORDER BY extractor, indicator")
    assert ("trips", "inspections_total", 17.0) in made
    assert {e for e, _, _ in made} == {"rules", "trips"}
    assert update_warehouse(data / "raw", db, workers=1) is None, "other extractors: a full build is due"
    build_warehouse(data / "raw", db, workers=1)
    assert {e for (e,) in rows(db, "SELECT DISTINCT extractor FROM facts")} == {"rules"}
