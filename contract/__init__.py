"""The contract between the ETL and the dashboard: the vocabulary both read (vocabulary.toml),
the warehouse's tables and rule views (schema.sql) and the import page's messages to and from
the ETL (messages.py). It imports neither side, nor anything outside the standard library, so
either side can read it without the other."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "KINDS",
    "QUARTERS",
    "RANK",
    "REPORT_TYPES",
    "REPORT_TYPE_LABELS",
    "SCHEMA_PATH",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "STATUSES",
    "STATUS_LABELS",
    "VOCABULARY_PATH",
    "ReportType",
    "Severity",
    "Status",
    "is_kept",
    "is_rank",
    "quarter_number",
]

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
VOCABULARY_PATH = Path(__file__).with_name("vocabulary.toml")
_DATA = tomllib.loads(VOCABULARY_PATH.read_text(encoding="utf-8"))


class Severity(NamedTuple):
    code: str
    label: str
    order: int  # 0 first: the most serious


class ReportType(NamedTuple):
    code: str
    label: str
    pattern: str  # over lower-cased text; '' for the family of every other report


class Status(NamedTuple):
    code: str
    label: str
    kept: bool  # false: counts nowhere (kept_facts leaves it out)


SEVERITIES: tuple[Severity, ...] = tuple(Severity(s["code"], s["label"], n) for n, s in enumerate(_DATA["severities"]))
SEVERITY_LABELS: dict[str, str] = {s.code: s.label for s in SEVERITIES}
REPORT_TYPES: tuple[ReportType, ...] = tuple(ReportType(**r) for r in _DATA["report_types"])
REPORT_TYPE_LABELS: dict[str, str] = {r.code: r.label for r in REPORT_TYPES}
STATUSES: tuple[Status, ...] = tuple(Status(**s) for s in _DATA["statuses"])
STATUS_LABELS: dict[str, str] = {s.code: s.label for s in STATUSES}
KINDS: tuple[str, ...] = tuple(_DATA["kinds"]["codes"])
RANK: str = _DATA["kinds"]["rank"]
QUARTERS: tuple[str, ...] = tuple(_DATA["quarters"]["roman"])
_KEPT = frozenset(s.code for s in STATUSES if s.kept)


def is_kept(status: str) -> bool:
    """Whether a fact of this status counts (the rule of the view kept_facts)."""
    return status in _KEPT


def is_rank(kind: object) -> bool:
    """Whether an indicator of this kind is a rank: a smaller number is a better place."""
    return kind == RANK


def quarter_number(roman: str) -> int:
    """'III' or 'iii' -> 3: a quarter as officials write it."""
    return QUARTERS.index(roman.upper()) + 1
