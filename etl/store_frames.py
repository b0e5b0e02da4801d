"""The store's tables that no document makes, as frames: the vocabulary, the reference tables,
the corrections log as replayed, and findings, each row stamped with the build."""

from __future__ import annotations

import pandas as pd

from contract import REPORT_TYPE_LABELS, SEVERITIES, STATUSES
from etl.catalog import Catalog
from etl.checks import Finding
from etl.corrections import Correction
from etl.rows import columns

__all__ = ["corrections_frame", "findings_frame", "vocabulary_frames"]


def vocabulary_frames(
    catalog: Catalog, checks: dict, reference: dict[str, pd.DataFrame], build_id: str
) -> list[tuple[str, pd.DataFrame]]:
    """(table, rows) of what the codes mean: indicators, severities, report types, statuses, and
    the reference tables."""
    severities = [{"code": s.code, "label": s.label, "sort_order": s.order} for s in SEVERITIES]
    types = [{"code": c, "label": label, "sort_order": n} for n, (c, label) in enumerate(REPORT_TYPE_LABELS.items())]
    statuses = [{"code": s.code, "label": s.label, "kept": s.kept, "sort_order": n} for n, s in enumerate(STATUSES)]
    return [
        ("indicators", _indicators_frame(catalog, checks, build_id)),
        ("severities", pd.DataFrame(severities).assign(build_id=build_id)),
        ("report_types", pd.DataFrame(types).assign(build_id=build_id)),
        ("statuses", pd.DataFrame(statuses).assign(build_id=build_id)),
        *((name, frame.assign(build_id=build_id)) for name, frame in reference.items()),
    ]


def findings_frame(findings: list[Finding], build_id: str) -> pd.DataFrame:
    """One row per finding id (a finding found twice is stored once)."""
    rows = [
        {
            "finding_id": finding_id, "check_id": f.check, "severity": f.severity, "title": f.title,
            "message": f.message, "province": f.province, "doc_ids": list(f.doc_ids),
            "fact_ids": list(f.fact_ids), "build_id": build_id,
        }
        for finding_id, f in {f.finding_id: f for f in findings}.items()
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns("findings"))


def _indicators_frame(catalog: Catalog, checks: dict, build_id: str) -> pd.DataFrame:
    """The catalog's indicators, each with the published index checks.toml compares it with."""
    official = {code: index for index, code in checks.get("reference_rank", {}).get("indices", {}).items()}
    rows = [
        {
            "code": i.code, "group_code": i.group, "group_label": catalog.groups.get(i.group, i.group),
            "label_vi": i.label_vi, "label_en": i.label_en, "unit": i.unit, "scope": i.scope,
            "kind": i.kind, "min_value": i.min_value, "max_value": i.max_value, "sort_order": n,
            "build_id": build_id, "short_label": i.short_label, "kpi_order": i.kpi_order,
            "lower_is_better": i.lower_is_better, "official_index": official.get(i.code),
        }
        for n, i in enumerate(catalog.indicators)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns("indicators"))


def corrections_frame(corrections: list[Correction], applied: set[str], build_id: str) -> pd.DataFrame:
    """The log's corrections, each marked applied when its document or figure was found (where the
    figure is now, ``applied_key``, the store marks once the documents are in: etl/remap.py)."""
    rows = [
        {
            "correction_id": c.correction_id, "made_at": _naive(c.at), "who": c.who, "why": c.why,
            "doc_sha256": c.doc_sha256, "fact_key": c.fact_key, "field": c.field, "old_value": c.old_value,
            "new_value": c.new_value, "applied": c.correction_id in applied,
            "applied_key": None, "build_id": build_id,
        }
        for c in corrections
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns("corrections"))


def _naive(at: str) -> pd.Timestamp:
    """A correction's time as stored: UTC without a zone (a log line may carry one)."""
    ts = pd.Timestamp(at)
    return ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo is not None else ts
