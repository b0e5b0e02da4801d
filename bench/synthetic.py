"""Synthetic extractions for the benchmarks: documents province × agency × year × report type and
facts spread over them and the catalog, made as the extraction stage hands them on
(``etl.pipeline.Extraction``) so the product's own row writers turn them into warehouse rows.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from datetime import date, timedelta

from etl.catalog import Catalog, Indicator
from etl.gazetteer import PROVINCES_2024
from etl.models import DocumentMeta, Fact, SourceText
from etl.pipeline import Extraction

AGENCIES = ("Sở Thông tin và Truyền thông", "Sở Nội vụ", "Sở Tư pháp", "Sở Y tế", "Sở Tài chính")
TYPES = ("dan_chu_co_so", "dan_van_chinh_quyen", "cai_cach_hanh_chinh", "chuyen_doi_so")
YEARS = range(2016, 2026)
SENTENCE = "Sở đã tiếp nhận 1.234 hồ sơ trong kỳ báo cáo."
TEXT = "Báo cáo tổng hợp số liệu. " + SENTENCE
QUOTE_AT = TEXT.index("1.234")


def _combos() -> list[tuple[str, str, str, int]]:
    return [(p, a, t, y) for p in PROVINCES_2024 for a in AGENCIES for t in TYPES for y in YEARS]


def _period(year: int, round_: int) -> tuple[date, date, str]:
    """Round 0: the year's report; round m (1–12): the report of month m (no two months overlap)."""
    if round_ == 0:
        return date(year, 1, 1), date(year, 12, 31), f"năm {year}"
    month = (round_ - 1) % 12 + 1
    end = date(year, 12, 31) if month == 12 else date(year, month + 1, 1) - timedelta(days=1)
    return date(year, month, 1), end, f"tháng {month} năm {year}"


def _value(indicator: Indicator, i: int) -> float:
    """The low end of the catalog's range (ranks 1–3): the checks flag only the staff balance of
    each document (a total of 1 over parts of 0), about one finding in 25 facts, the share of the
    national corpus (bench/corpus.py) — random figures would flag two facts in three."""
    return float(max(indicator.min_value, 0) + (i % 3 if indicator.kind == "rank" else 0))


def extractions(n_facts: int, catalog: Catalog, n_docs: int | None = None) -> Iterator[tuple[str, Extraction]]:
    """``n_facts`` facts over ``n_docs`` documents: by default every province × agency × type ×
    year once (about ten facts a document), then monthly reports as long as a document would
    otherwise hold one indicator twice."""
    combos, indicators = _combos(), catalog.indicators
    n_docs = n_docs or max(1, min(len(combos), n_facts // 10), math.ceil(n_facts / len(indicators)))
    for k in range(n_docs):
        province, agency, report_type, year = combos[k % len(combos)]
        start, end, label = _period(year, k // len(combos))
        doc_id = f"doc_{k:07d}.txt"
        sha = hashlib.sha256(f"{doc_id}{province}{agency}{label}{report_type}".encode()).hexdigest()
        source = SourceText(doc_id, TEXT, "txt", "utf-8", sha, 30000)
        meta = DocumentMeta(doc_id, province, agency, report_type, label, start, end, end, None, f"Báo cáo {label}")
        facts = []
        for i in range(k, n_facts, n_docs):  # fact i belongs to document i % n_docs
            ind = indicators[(i // n_docs) % len(indicators)]
            stock = ind.kind == "stock"
            facts.append(Fact(doc_id, ind.code, _value(ind, i), ind.unit, "exact", None if stock else start,
                              None if stock else end, end if stock else None, "1.234 hồ sơ", QUOTE_AT + i % 7,
                              QUOTE_AT + 5 + i % 7, SENTENCE, TEXT.index(SENTENCE), len(TEXT), f"{ind.code}.bench",
                              0.9, extractor="bench"))  # fmt: skip
        yield doc_id, Extraction(source, meta, tuple(facts), sha)
