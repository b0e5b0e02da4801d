"""Consistency checks within and across submissions; findings keep the facts they rest on.

The checks are declared in ``checks.toml``; this module evaluates them over the facts and
documents of a build (as DataFrames) and hands ``list[Finding]`` to the warehouse.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from etl.catalog import Catalog

__all__ = [
    "RECORD_COLUMNS",
    "SEVERITY_LABELS",
    "Finding",
    "compares_across_documents",
    "load_checks",
    "official_ranks",
    "run_checks",
]

CHECKS_PATH = Path(__file__).with_name("checks.toml")
SEVERITY_LABELS = {"loi": "Lỗi", "canh_bao": "Cảnh báo", "thong_tin": "Thông tin"}
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
        key = "|".join([self.check, *sorted(self.doc_ids), *sorted(self.fact_ids)])
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


@lru_cache(maxsize=4)
def load_checks(path: Path = CHECKS_PATH) -> dict:
    """The check declarations; every indicator they name must exist in the catalog (tested)."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _num(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


# What the checks read of a fact, then its document's province and agency.
RECORD_COLUMNS = ("fact_id", "doc_id", "indicator", "value", "qualifier", "period_start", "period_end", "as_of", "role")


def _records(facts: pd.DataFrame | list[tuple], documents: pd.DataFrame) -> list[dict]:
    """Facts as plain dicts with their document's province and agency and their reference date.

    ``facts`` is a DataFrame, or tuples of RECORD_COLUMNS + (province, agency) as a warehouse
    query returns them (much faster than a DataFrame at national scale)."""
    if isinstance(facts, pd.DataFrame):
        if facts.empty:
            return []
        docs = dict(zip(documents["doc_id"], zip(documents["province"], documents["agency"], strict=True), strict=True))
        tuples = [
            tuple(None if _missing(v) else v for v in (*values, *docs.get(values[1], (None, None))))
            for values in zip(*(facts[c].tolist() for c in RECORD_COLUMNS), strict=True)
        ]  # NaT and NaN become None, as a query gives them
    else:
        tuples = facts
    keys = (*RECORD_COLUMNS, "province", "agency")
    rows = []
    for values in tuples:
        row = dict(zip(keys, values, strict=True))
        row["ref"] = row["as_of"] if row["as_of"] is not None else row["period_end"]
        row["agency"] = row["agency"] or ""
        rows.append(row)
    return rows


def _groups(facts: list[dict], same_date: bool) -> list[dict[str, list[dict]]]:
    """Facts of one document (and one date), by indicator."""
    groups: dict[tuple, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in facts:
        key = (row["doc_id"], row["ref"]) if same_date else (row["doc_id"],)
        groups[key][row["indicator"]].append(row)
    return list(groups.values())


def _finding(rule: dict, message: str, rows: list[dict], check: str | None = None) -> Finding:
    return Finding(
        check=check or rule["id"],
        severity=rule["severity"],
        title=rule["title"],
        message=message,
        province=rows[0].get("province"),
        doc_ids=tuple(sorted({r["doc_id"] for r in rows})),
        fact_ids=tuple(r["fact_id"] for r in rows),
    )


def _parts_sum(groups: list[dict[str, list[dict]]], rule: dict) -> list[Finding]:
    found = []
    for by in groups:
        if rule["total"] not in by:
            continue
        total = by[rule["total"]][0]
        parts = [by[p][0] for p in rule["parts"] if p in by]
        if not parts or any(r["qualifier"] not in _EXACT for r in [total, *parts]):
            continue
        s = sum(p["value"] for p in parts)
        complete = len(parts) == len(rule["parts"]) and not rule.get("only_not_exceed")
        terms = " + ".join(_num(p["value"]) for p in parts)
        if complete and abs(s - total["value"]) > _TOLERANCE:
            msg = f"{_num(total['value'])} ≠ {terms} = {_num(s)}"
        elif len(parts) > 1 and s > total["value"] + _TOLERANCE:  # one part alone: see not_greater
            msg = f"Các thành phần ({terms} = {_num(s)}) vượt tổng {_num(total['value'])}"
        else:
            continue
        found.append(_finding(rule, msg, [total, *parts]))
    return found


def _not_greater(groups: list[dict[str, list[dict]]], rule: dict) -> list[Finding]:
    found = []
    for by in groups:
        for part in by.get(rule["part"], []):
            for whole in by.get(rule["whole"], []):
                if whole["qualifier"] in ("at_least", "about") or part["qualifier"] in ("at_most", "about"):
                    continue
                if part["value"] > whole["value"] + _TOLERANCE:
                    msg = f"{_num(part['value'])} > {_num(whole['value'])}"
                    found.append(_finding(rule, msg, [part, whole]))
    return found


_AT = {c: i for i, c in enumerate(RECORD_COLUMNS)}


def compares_across_documents(record: tuple) -> bool:
    """Whether a fact record (RECORD_COLUMNS, province, agency) can take part in a check across
    documents: a superset of what _monotonic keeps, so a build ships only these to its parent."""
    start = record[_AT["period_start"]]
    return (
        record[_AT["role"]] == "primary"
        and record[_AT["qualifier"]] in _EXACT
        and start is not None
        and (start.month, start.day) == (1, 1)
    )


def _monotonic(facts: list[dict], catalog: Catalog, rule: dict) -> list[Finding]:
    """Counts from 1 January: a longer period of the same year cannot report less."""
    flows = {i.code for i in catalog.indicators if i.kind == "flow"}
    series: dict[tuple, list[dict]] = defaultdict(list)
    for row in facts:
        start = row["period_start"]
        if (row["indicator"] in flows and row["qualifier"] in _EXACT and start is not None
                and row["period_end"] is not None and row["province"] is not None
                and (start.month, start.day) == (1, 1)):  # fmt: skip
            series[(row["province"], row["agency"], row["indicator"], start)].append(row)
    found = []
    for (_, _, indicator, start), rows in series.items():
        ordered = sorted(rows, key=lambda r: r["period_end"])
        for shorter, longer in zip(ordered, ordered[1:], strict=False):
            if longer["period_end"] > shorter["period_end"] and longer["value"] < shorter["value"] - _TOLERANCE:
                msg = (
                    f"{_num(shorter['value'])} đến {shorter['period_end']:%d/%m/%Y} nhưng {_num(longer['value'])} "
                    f"đến {longer['period_end']:%d/%m/%Y} (cùng tính từ {start:%d/%m/%Y})"
                )
                found.append(_finding({**rule, "id": ""}, msg, [shorter, longer], check=f"{indicator}_not_monotonic"))
    return found


def _conflicts(facts: list[dict], rule: dict) -> list[Finding]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in facts:
        groups[(row["doc_id"], row["indicator"], row["period_start"], row["period_end"], row["as_of"])].append(row)
    found = []
    for rows in groups.values():
        if len(rows) < 2 or not any(r["role"] == "alternative" for r in rows):
            continue
        rows = sorted(rows, key=lambda r: r["role"] != "primary")
        values = " và ".join(_num(r["value"]) for r in rows)
        found.append(
            _finding({**rule, "id": ""}, f"Văn bản nêu {values}", rows, check=f"{rows[0]['indicator']}_conflict")
        )
    return found


def _out_of_range(facts: list[dict], catalog: Catalog, rule: dict) -> list[Finding]:
    found = []
    ranges = {i.code: (i.min_value, i.max_value) for i in catalog.indicators}
    for row in facts:
        low, high = ranges.get(row["indicator"], (float("-inf"), float("inf")))
        if not low <= row["value"] <= high:
            msg = f"{_num(row['value'])} ngoài khoảng {_num(low)}–{_num(high)}"
            found.append(_finding({**rule, "id": ""}, msg, [row], check=f"{row['indicator']}_out_of_range"))
    return found


def run_checks(
    facts: pd.DataFrame | list[tuple],
    documents: pd.DataFrame | None,
    catalog: Catalog,
    config: dict | None = None,
    reference: pd.DataFrame | dict | None = None,
    scope: str = "all",
) -> list[Finding]:
    """Every finding the declared checks raise over one build's facts and documents
    (and, given the official ranks — a reference table or ``official_ranks`` of one — where a
    report's own rank disagrees with them).

    ``scope``: "document" runs only the checks that look inside one document (a build runs
    them in its workers, file by file), "collection" only those across documents."""
    config = config or load_checks()
    rows = _records(facts, documents)
    primary = [r for r in rows if r["role"] == "primary"]
    findings: list[Finding] = []
    if scope in ("all", "document"):
        by_date, by_doc = _groups(primary, same_date=True), _groups(primary, same_date=False)
        for rule in config.get("parts_sum", []):
            findings += _parts_sum(by_date, rule)
        for rule in config.get("not_greater", []):
            findings += _not_greater(by_date if rule.get("same_date", True) else by_doc, rule)
        findings += _conflicts(rows, config["conflict"])
        findings += _out_of_range(rows, catalog, config["range"])
        if reference is not None and "reference_rank" in config:
            official = official_ranks(reference) if isinstance(reference, pd.DataFrame) else reference
            findings += _reference_ranks(primary, official, config["reference_rank"])
    if scope in ("all", "collection"):
        findings += _monotonic(primary, catalog, config["monotonic"])
        if documents is not None:
            findings += _duplicates(documents, config["duplicate"])
            findings += _overlaps(documents, config["overlap"])
    return findings


def official_ranks(reference: pd.DataFrame) -> dict[tuple, list[dict]]:
    """Published (not derived) ranks by (index, province, year), looked up once per build."""
    official: dict[tuple, list[dict]] = defaultdict(list)
    if reference.empty:
        return official
    for ref in reference[~reference["is_derived"]].to_dict("records"):
        if ref["rank"] is not None and not pd.isna(ref["rank"]):
            official[(ref["index_code"], ref["province"], int(ref["year"]))].append(ref)
    return official


def _reference_ranks(facts: list[dict], official: dict[tuple, list[dict]], rule: dict) -> list[Finding]:
    """A rank a report claims for a year vs the officially published one (estimates ignored)."""
    found = []
    for index_code, indicator in rule["indices"].items():
        for row in facts:
            if row["indicator"] != indicator or row["period_end"] is None:
                continue
            year = row["period_end"].year
            for ref in official.get((index_code, row["province"], year), ()):
                if int(ref["rank"]) != int(row["value"]):
                    msg = (f"Báo cáo nêu {index_code} {year} hạng {int(row['value'])}, công bố chính thức hạng "
                           f"{int(ref['rank'])}/{int(ref['of_n'])} ({ref['source_url']})")  # fmt: skip
                    found.append(_finding({**rule, "id": ""}, msg, [row], check=f"{indicator}_reference_mismatch"))
    return found


def _duplicates(documents: pd.DataFrame, rule: dict) -> list[Finding]:
    if documents.empty:
        return []
    if "content_sha256" in documents:
        content = documents["content_sha256"].tolist()
    else:
        content = [hashlib.sha256(" ".join(str(t).split()).encode()).hexdigest() for t in documents["text"]]
    groups: dict[str, list[tuple[str, object]]] = defaultdict(list)
    for key, doc_id, province in zip(content, documents["doc_id"], documents["province"], strict=True):
        groups[key].append((doc_id, province))
    found = []
    for members in groups.values():
        if len(members) > 1:
            ids = tuple(sorted(d for d, _ in members))
            province = members[0][1]
            found.append(
                Finding(
                    "duplicate_documents",
                    rule["severity"],
                    rule["title"],
                    "Trùng nội dung: " + ", ".join(ids),
                    None if _missing(province) else province,
                    ids,
                    (),
                )  # fmt: skip
            )
    return found


def _overlaps(documents: pd.DataFrame, rule: dict) -> list[Finding]:
    if documents.empty:
        return []
    docs = documents.dropna(subset=["period_start", "period_end", "province", "agency", "report_type"])
    keep = ["doc_id", "province", "agency", "report_type", "period_label", "period_start", "period_end"]
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for d in docs[keep].to_dict("records"):
        groups[(d["province"], d["agency"], d["report_type"])].append(d)
    found = []
    for rows in groups.values():
        rows.sort(key=lambda r: r["period_start"])
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if b["period_start"] > a["period_end"]:
                    break  # sorted by start: no later one overlaps a either
                msg = (
                    f"{a['doc_id']} ({a['period_label'] or ''}) và {b['doc_id']} ({b['period_label'] or ''}) "
                    "cùng loại báo cáo, kỳ chồng lấn"
                )
                found.append(
                    Finding(
                        "overlapping_periods",
                        rule["severity"],
                        rule["title"],
                        msg,
                        a["province"],
                        (a["doc_id"], b["doc_id"]),
                        (),
                    )  # fmt: skip
                )
    return found
