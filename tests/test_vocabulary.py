"""The vocabulary is declared once on the etl side (etl/vocabulary.py, the catalog, checks.toml)
and carried by the warehouse; the dashboard reads it from there.

Until the dashboard reads these tables, its copies are held equal to them here; delete each
assertion with the copy it guards (the lead switches dashboard/ over)."""

from __future__ import annotations

import pandas as pd

from etl.checks import load_checks
from etl.metadata import REPORT_TYPES
from etl.vocabulary import REPORT_TYPE_LABELS, SEVERITIES
from tests.conftest import rows


def test_every_report_type_metadata_can_write_has_a_label():
    assert set(REPORT_TYPES) | {"khac"} == set(REPORT_TYPE_LABELS)


def test_every_severity_a_check_declares_is_in_the_vocabulary():
    config = load_checks()
    declared = {r["severity"] for kind in config.values() for r in (kind if isinstance(kind, list) else [kind])}
    assert declared <= {s.code for s in SEVERITIES}


def test_the_warehouse_carries_the_vocabulary(warehouse):
    assert rows(warehouse, "SELECT code, label, sort_order FROM severities ORDER BY sort_order") == [
        ("loi", "Lỗi", 0), ("canh_bao", "Cảnh báo", 1), ("thong_tin", "Thông tin", 2)
    ]
    assert dict(rows(warehouse, "SELECT code, label FROM report_types")) == REPORT_TYPE_LABELS
    kpis = rows(warehouse, "SELECT code, short_label FROM indicators WHERE kpi_order IS NOT NULL ORDER BY kpi_order")
    assert kpis[0] == ("staff_total", "Tổng số CBCCVC và người lao động") and len(kpis) == 9
    assert rows(warehouse, "SELECT code FROM indicators WHERE official_index = 'DTI'") == [("dti_rank",)]
    lower = {c for (c,) in rows(warehouse, "SELECT code FROM indicators WHERE lower_is_better")}
    assert lower == {"dti_rank", "par_index_rank", "tthc_pending"}
    codes = rows(warehouse, "SELECT DISTINCT period_code FROM documents WHERE period_code IS NOT NULL")
    assert {c for (c,) in codes} <= {"H1", "Y", "Q1", "Q2", "Q3", "Q4"} and codes


def test_the_dashboard_copies_still_equal_the_warehouse(warehouse):
    """Until the dashboard reads the tables above, its copies must agree with them; a copy already
    deleted is not checked. Delete this test with the last copy: severity and report-type labels
    (formatting.py), the KPI list, short labels, lower-is-better and official index (views.py),
    quarters parsed again (tracker.py)."""
    import importlib

    kpis = rows(warehouse, "SELECT code, short_label FROM indicators WHERE kpi_order IS NOT NULL ORDER BY kpi_order")
    lower = {c for (c,) in rows(warehouse, "SELECT code FROM indicators WHERE lower_is_better")}
    copies = {
        ("formatting", "SEVERITY_LABELS"): dict(rows(warehouse, "SELECT code, label FROM severities")),
        ("formatting", "REPORT_TYPE_LABELS"): dict(rows(warehouse, "SELECT code, label FROM report_types")),
        ("views", "KPI_INDICATORS"): tuple(c for c, _ in kpis),
        ("views", "SHORT_LABELS"): dict(kpis),
        ("views", "LOWER_IS_BETTER"): lower,
        ("views", "OFFICIAL_INDEX"): dict(rows(warehouse, "SELECT code, official_index FROM indicators "
                                                         "WHERE official_index IS NOT NULL")),  # fmt: skip
    }
    for (module, name), expected in copies.items():
        copy = getattr(importlib.import_module(f"dashboard.{module}"), name, None)
        assert copy is None or copy == expected, f"dashboard/{module}.py {name}"
    period_of = getattr(importlib.import_module("dashboard.tracker"), "period_of", None)
    for label, end, code in rows(warehouse, "SELECT period_label, period_end, period_code FROM documents"):
        expected = period_of(label, pd.Timestamp(end) if end else None) if period_of else None
        assert period_of is None or (expected[1] if expected else None) == code, label
