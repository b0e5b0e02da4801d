"""Consistency checks within and across submissions; findings keep the facts they rest on.

The checks are declared in ``checks.toml``; each kind there has one function and one scope in
``CHECKS``. They read typed records (``CheckInputs``) and hand ``list[Finding]`` to the
warehouse. There is one way to read those records from a warehouse, ``check_inputs``: full
builds, incremental builds and ``python -m etl check`` all use it, so they always agree. (A
build's workers check inside each document over the same records, made from the rows they load.)
"""

from __future__ import annotations

import hashlib
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from etl.catalog import Catalog

if TYPE_CHECKING:
    import duckdb

__all__ = [
    "CHECKS",
    "COLLECTION",
    "DOCUMENT",
    "LOG_CHECK",
    "ORPHAN_CHECK",
    "RECORD_COLUMNS",
    "CheckInputs",
    "DocumentRecord",
    "FactRecord",
    "Finding",
    "check_inputs",
    "load_checks",
    "log_findings",
    "orphan_findings",
    "official_ranks",
    "run_checks",
    "stored_log_findings",
]

CHECKS_PATH = Path(__file__).with_name("checks.toml")
DOCUMENT, COLLECTION, ALL = "document", "collection", "all"  # scopes: inside one document, across them
LOG_CHECK = "corrections_log"  # a bad line of the corrections log, stored as a finding
ORPHAN_CHECK = "corrections_orphan"  # a correction whose figure the extraction no longer has, or not only one
_EXACT = {"exact", "sum"}
_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    severity: str  # loi | canh_bao | thong_tin
    title: str
    message: str
    province: str | None
    doc_ids: tuple[str, ...]
    fact_ids: tuple[str, ...]

    @property
    def finding_id(self) -> str:
        """Stable across builds: the check and what it rests on (a log line: its text)."""
        if self.check == ORPHAN_CHECK:  # one per correction: several in one document are several findings
            key = "|".join([self.check, *sorted(self.doc_ids), self.message])
        elif self.doc_ids or self.fact_ids:
            key = "|".join([self.check, *sorted(self.doc_ids), *sorted(self.fact_ids)])
        else:
            key = f"{self.check}|{self.message}"
        return hashlib.sha1(key.encode()).hexdigest()[:16]

    def as_json(self) -> dict[str, object]:
        return {
            "finding_id": self.finding_id,
            "check": self.check,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "province": self.province,
            "doc_ids": list(self.doc_ids),
            "fact_ids": list(self.fact_ids),
        }


# What the checks read of a fact (columns of ``facts``), then its document's province and agency.
RECORD_COLUMNS = (
    "fact_id", "doc_id", "indicator", "value", "qualifier", "period_start", "period_end", "as_of", "role", "char_start",
)  # fmt: skip


class FactRecord(NamedTuple):
    """A kept (not rejected) fact as the checks read it."""

    fact_id: str
    doc_id: str
    indicator: str
    value: float
    qualifier: str
    period_start: date | None
    period_end: date | None
    as_of: date | None
    role: str
    char_start: int | None
    province: str | None
    agency: str  # "" when the document names none

    @property
    def ref(self) -> date | None:
        """The date a figure holds at: its as-of date, else its period's end."""
        return self.as_of if self.as_of is not None else self.period_end


class DocumentRecord(NamedTuple):
    """A document as the checks across documents read it."""

    doc_id: str
    province: str | None
    agency: str | None
    report_type: str | None
    period_label: str | None
    period_start: date | None
    period_end: date | None
    content_sha256: str


class OfficialRank(NamedTuple):
    rank: int
    of_n: int | None
    source_url: str | None


@dataclass(frozen=True)
class CheckInputs:
    """Everything the checks read: kept facts, documents, published ranks by (index, province, year).

    Facts are held in one order (document, position) whatever gave them, so the same records
    give the same findings."""

    facts: tuple[FactRecord, ...]
    documents: tuple[DocumentRecord, ...] = ()
    official: Mapping[tuple[str, str, int], tuple[OfficialRank, ...]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        facts: Iterable[FactRecord],
        documents: Iterable[DocumentRecord] = (),
        official: Mapping[tuple[str, str, int], tuple[OfficialRank, ...]] | None = None,
    ) -> CheckInputs:
        ordered = sorted(facts, key=lambda r: (r.doc_id, -1 if r.char_start is None else r.char_start,
                                               r.indicator, r.fact_id))  # fmt: skip
        return cls(tuple(ordered), tuple(documents), official or {})

    @cached_property
    def primary(self) -> list[FactRecord]:
        return [r for r in self.facts if r.role == "primary"]

    @cached_property
    def by_date(self) -> list[dict[str, list[FactRecord]]]:
        return _groups(self.primary, same_date=True)

    @cached_property
    def by_doc(self) -> list[dict[str, list[FactRecord]]]:
        return _groups(self.primary, same_date=False)


@lru_cache(maxsize=4)
def load_checks(path: Path = CHECKS_PATH) -> dict:
    """The check declarations; every indicator they name must exist in the catalog (tested)."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _num(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _groups(facts: list[FactRecord], same_date: bool) -> list[dict[str, list[FactRecord]]]:
    """Facts of one document (and one date), by indicator."""
    groups: dict[tuple, dict[str, list[FactRecord]]] = defaultdict(lambda: defaultdict(list))
    for row in facts:
        key = (row.doc_id, row.ref) if same_date else (row.doc_id,)
        groups[key][row.indicator].append(row)
    return list(groups.values())


def _finding(rule: dict, message: str, rows: list[FactRecord], check: str | None = None) -> Finding:
    return Finding(
        check=check or rule["id"],
        severity=rule["severity"],
        title=rule["title"],
        message=message,
        province=rows[0].province,
        doc_ids=tuple(sorted({r.doc_id for r in rows})),
        fact_ids=tuple(r.fact_id for r in rows),
    )


def _parts_sum(inputs: CheckInputs, rule: dict, catalog: Catalog) -> list[Finding]:
    """The total equals the sum of its parts (one document and date); parts present never exceed it."""
    found = []
    for by in inputs.by_date:
        if rule["total"] not in by:
            continue
        total = by[rule["total"]][0]
        parts = [by[p][0] for p in rule["parts"] if p in by]
        if not parts or any(r.qualifier not in _EXACT for r in [total, *parts]):
            continue
        s = sum(p.value for p in parts)
        complete = len(parts) == len(rule["parts"]) and not rule.get("only_not_exceed")
        terms = " + ".join(_num(p.value) for p in parts)
        if complete and abs(s - total.value) > _TOLERANCE:
            msg = f"{_num(total.value)} ≠ {terms} = {_num(s)}"
        elif len(parts) > 1 and s > total.value + _TOLERANCE:  # one part alone: see not_greater
            msg = f"Các thành phần ({terms} = {_num(s)}) vượt tổng {_num(total.value)}"
        else:
            continue
        found.append(_finding(rule, msg, [total, *parts]))
    return found


def _not_greater(inputs: CheckInputs, rule: dict, catalog: Catalog) -> list[Finding]:
    """A part cannot exceed its whole (one document and date, or one document)."""
    found = []
    for by in inputs.by_date if rule.get("same_date", True) else inputs.by_doc:
        for part in by.get(rule["part"], []):
            for whole in by.get(rule["whole"], []):
                if whole.qualifier in ("at_least", "about") or part.qualifier in ("at_most", "about"):
                    continue
                if part.value > whole.value + _TOLERANCE:
                    found.append(_finding(rule, f"{_num(part.value)} > {_num(whole.value)}", [part, whole]))
    return found


def _monotonic(inputs: CheckInputs, rule: dict, catalog: Catalog) -> list[Finding]:
    """Counts from 1 January: a longer period of the same year cannot report less."""
    flows = {i.code for i in catalog.indicators if i.kind == "flow"}
    series: dict[tuple, list[FactRecord]] = defaultdict(list)
    for row in inputs.primary:
        start = row.period_start
        if (row.indicator in flows and row.qualifier in _EXACT and start is not None
                and row.period_end is not None and row.province is not None
                and (start.month, start.day) == (1, 1)):  # fmt: skip
            series[(row.province, row.agency, row.indicator, start)].append(row)
    found = []
    for (_, _, indicator, start), rows in series.items():
        ordered = sorted(rows, key=lambda r: r.period_end)
        for shorter, longer in zip(ordered, ordered[1:], strict=False):
            if longer.period_end > shorter.period_end and longer.value < shorter.value - _TOLERANCE:
                msg = (
                    f"{_num(shorter.value)} đến {shorter.period_end:%d/%m/%Y} nhưng {_num(longer.value)} "
                    f"đến {longer.period_end:%d/%m/%Y} (cùng tính từ {start:%d/%m/%Y})"
                )
                found.append(_finding(rule, msg, [shorter, longer], check=f"{indicator}_not_monotonic"))
    return found


def _conflicts(inputs: CheckInputs, rule: dict, catalog: Catalog) -> list[Finding]:
    """One document gives two values for one indicator and period."""
    groups: dict[tuple, list[FactRecord]] = defaultdict(list)
    for row in inputs.facts:
        groups[(row.doc_id, row.indicator, row.period_start, row.period_end, row.as_of)].append(row)
    found = []
    for rows in groups.values():
        if len(rows) < 2 or not any(r.role == "alternative" for r in rows):
            continue
        rows = sorted(rows, key=lambda r: r.role != "primary")
        values = " và ".join(_num(r.value) for r in rows)
        found.append(_finding(rule, f"Văn bản nêu {values}", rows, check=f"{rows[0].indicator}_conflict"))
    return found


def _out_of_range(inputs: CheckInputs, rule: dict, catalog: Catalog) -> list[Finding]:
    """A value outside the catalog's plausible range."""
    found = []
    ranges = {i.code: (i.min_value, i.max_value) for i in catalog.indicators}
    for row in inputs.facts:
        low, high = ranges.get(row.indicator, (float("-inf"), float("inf")))
        if not low <= row.value <= high:
            msg = f"{_num(row.value)} ngoài khoảng {_num(low)}–{_num(high)}"
            found.append(_finding(rule, msg, [row], check=f"{row.indicator}_out_of_range"))
    return found


def _reference_ranks(inputs: CheckInputs, rule: dict, catalog: Catalog) -> list[Finding]:
    """A rank a report claims for a year vs the officially published one (estimates ignored)."""
    found = []
    for index_code, indicator in rule["indices"].items():
        for row in inputs.primary:
            if row.indicator != indicator or row.period_end is None:
                continue
            year = row.period_end.year
            for ref in inputs.official.get((index_code, row.province, year), ()):
                if ref.rank != int(row.value):
                    msg = (f"Báo cáo nêu {index_code} {year} hạng {int(row.value)}, công bố chính thức hạng "
                           f"{ref.rank}/{ref.of_n} ({ref.source_url})")  # fmt: skip
                    found.append(_finding(rule, msg, [row], check=f"{indicator}_reference_mismatch"))
    return found


def _duplicates(inputs: CheckInputs, rule: dict, catalog: Catalog) -> list[Finding]:
    """Two files with the same content."""
    groups: dict[str, list[DocumentRecord]] = defaultdict(list)
    for doc in inputs.documents:
        groups[doc.content_sha256].append(doc)
    found = []
    for members in groups.values():
        if len(members) > 1:
            ids = tuple(sorted(d.doc_id for d in members))
            message = "Trùng nội dung: " + ", ".join(ids)
            found.append(Finding("duplicate_documents", rule["severity"], rule["title"], message,
                                 members[0].province, ids, ()))  # fmt: skip
    return found


def _overlaps(inputs: CheckInputs, rule: dict, catalog: Catalog) -> list[Finding]:
    """Two reports of one type, province and agency whose periods overlap."""
    groups: dict[tuple, list[DocumentRecord]] = defaultdict(list)
    for d in inputs.documents:
        if None not in (d.period_start, d.period_end, d.province, d.agency, d.report_type):
            groups[(d.province, d.agency, d.report_type)].append(d)
    found = []
    for rows in groups.values():
        rows.sort(key=lambda r: r.period_start)
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if b.period_start > a.period_end:
                    break  # sorted by start: no later one overlaps a either
                msg = (f"{a.doc_id} ({a.period_label or ''}) và {b.doc_id} ({b.period_label or ''}) "
                       "cùng loại báo cáo, kỳ chồng lấn")  # fmt: skip
                found.append(Finding("overlapping_periods", rule["severity"], rule["title"], msg, a.province,
                                     (a.doc_id, b.doc_id), ()))  # fmt: skip
    return found


Check = Callable[[CheckInputs, dict, Catalog], list[Finding]]

# Each kind of check.toml: the function that evaluates one of its entries, and its scope.
CHECKS: dict[str, tuple[Check, str]] = {
    "parts_sum": (_parts_sum, DOCUMENT),
    "not_greater": (_not_greater, DOCUMENT),
    "conflict": (_conflicts, DOCUMENT),
    "range": (_out_of_range, DOCUMENT),
    "reference_rank": (_reference_ranks, DOCUMENT),
    "monotonic": (_monotonic, COLLECTION),
    "duplicate": (_duplicates, COLLECTION),
    "overlap": (_overlaps, COLLECTION),
}


def run_checks(inputs: CheckInputs, catalog: Catalog, config: dict | None = None, scope: str = ALL) -> list[Finding]:
    """Every finding the declared checks raise over ``inputs``.

    ``scope``: DOCUMENT runs only the checks that look inside one document (a build runs them in
    its workers, file by file), COLLECTION only those across documents, ALL both."""
    config = config or load_checks()
    findings: list[Finding] = []
    for kind, (check, kind_scope) in CHECKS.items():
        if scope not in (ALL, kind_scope) or kind not in config:
            continue
        declared = config[kind]
        for rule in declared if isinstance(declared, list) else [declared]:
            findings += check(inputs, rule, catalog)
    return findings


def official_ranks(reference: pd.DataFrame) -> dict[tuple[str, str, int], tuple[OfficialRank, ...]]:
    """Published (not derived) ranks by (index, province, year) from a reference_indices table."""
    official: dict[tuple[str, str, int], list[OfficialRank]] = defaultdict(list)
    if reference.empty:
        return {}
    for ref in reference[~reference["is_derived"].astype(bool)].to_dict("records"):
        if ref["rank"] is not None and not pd.isna(ref["rank"]):
            of_n = None if pd.isna(ref["of_n"]) else int(ref["of_n"])
            key = (ref["index_code"], ref["province"], int(ref["year"]))
            official[key].append(OfficialRank(int(ref["rank"]), of_n, ref["source_url"]))
    return {key: tuple(ranks) for key, ranks in official.items()}


# A fact's records need not be compared across documents unless it is a primary exact count
# from 1 January (what ``_monotonic`` keeps): a full build reads back only those.
_ACROSS = ("f.role = 'primary' AND f.qualifier IN ('exact', 'sum') "
           "AND month(f.period_start) = 1 AND day(f.period_start) = 1")  # fmt: skip


def check_inputs(con: duckdb.DuckDBPyConnection, where: str = "TRUE", scope: str = ALL) -> CheckInputs:
    """The checks' records as a warehouse holds them: kept facts, documents, published ranks.

    ``where`` is our own clause over ``documents`` (never user input), e.g. the provinces an
    incremental build touched; ``scope`` COLLECTION reads only what the checks across
    documents compare."""
    docs = f"(SELECT * FROM documents WHERE {where})"
    across = f"AND {_ACROSS}" if scope == COLLECTION else ""
    cols = ", ".join(f"f.{c}" for c in RECORD_COLUMNS)
    facts = con.execute(
        f"SELECT {cols}, d.province, coalesce(d.agency, '') FROM kept_facts f JOIN {docs} d USING (doc_id) "  # noqa: S608
        f"WHERE TRUE {across}"
    ).fetchall()
    documents = con.execute(
        f"SELECT {', '.join(DocumentRecord._fields)} FROM {docs} ORDER BY doc_id"  # noqa: S608 - our own clause
    ).fetchall()
    official = {} if scope == COLLECTION else official_ranks(con.execute("SELECT * FROM reference_indices").df())
    return CheckInputs.of(map(FactRecord._make, facts), map(DocumentRecord._make, documents), official)


def log_findings(problems: list[str]) -> list[Finding]:
    """Each bad line of the corrections log as a warning on the data-quality page."""
    return [Finding(LOG_CHECK, "canh_bao", "Dòng hỏng trong nhật ký sửa đổi", p, None, (), ()) for p in problems]


def orphan_findings(doc_id: str, province: str | None, messages: tuple[str, ...]) -> list[Finding]:
    """Each correction of a document that names no figure of it now, as a warning on the
    data-quality page (the message names the figure and why; the page cites the document)."""
    title = "Sửa đổi không còn áp dụng được"
    return [Finding(ORPHAN_CHECK, "canh_bao", title, m, province, (doc_id,), ()) for m in messages]


def stored_log_findings(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """The corrections' warnings a build stored: bad lines of the log (its bytes of that build
    are not kept) and corrections whose figure is gone (their documents were read then)."""
    rows = con.execute("SELECT message FROM findings WHERE check_id = ?", [LOG_CHECK]).fetchall()
    orphans = con.execute(
        "SELECT doc_ids[1], province, message FROM findings WHERE check_id = ? ORDER BY message", [ORPHAN_CHECK]
    ).fetchall()
    return log_findings([message for (message,) in rows]) + [
        f for doc_id, province, message in orphans for f in orphan_findings(doc_id, province, (message,))
    ]
