"""The vocabulary is declared once (contract/vocabulary.toml, the catalog, checks.toml) and
carried by the warehouse; the dashboard reads it from there.

The dashboard keeps no copy (checked below), so nothing is held equal to anything."""

from __future__ import annotations

import ast

from contract import REPORT_TYPE_LABELS, REPORT_TYPES, SEVERITIES, STATUSES
from etl.checks import load_checks
from tests.conftest import ROOT, rows


def test_every_report_type_has_a_label_and_one_is_every_other_report():
    assert [r.code for r in REPORT_TYPES if not r.pattern] == ["khac"]
    assert all(r.label for r in REPORT_TYPES) and len(REPORT_TYPE_LABELS) == len(REPORT_TYPES)


def test_every_severity_a_check_declares_is_in_the_vocabulary():
    config = load_checks()
    declared = {r["severity"] for kind in config.values() for r in (kind if isinstance(kind, list) else [kind])}
    assert declared <= {s.code for s in SEVERITIES}


def test_the_warehouse_carries_the_vocabulary(warehouse):
    assert rows(warehouse, "SELECT code, label, sort_order FROM severities ORDER BY sort_order") == [
        ("loi", "Lỗi", 0), ("canh_bao", "Cảnh báo", 1), ("thong_tin", "Thông tin", 2)
    ]
    assert dict(rows(warehouse, "SELECT code, label FROM report_types")) == REPORT_TYPE_LABELS
    assert rows(warehouse, "SELECT code, label, kept FROM statuses ORDER BY sort_order") == [tuple(s) for s in STATUSES]
    written = {s for (s,) in rows(warehouse, "SELECT DISTINCT status FROM facts")}
    assert written <= {s.code for s in STATUSES}
    kpis = rows(warehouse, "SELECT code, short_label FROM indicators WHERE kpi_order IS NOT NULL ORDER BY kpi_order")
    assert kpis[0] == ("staff_total", "Tổng số CBCCVC và người lao động") and len(kpis) == 9
    assert rows(warehouse, "SELECT code FROM indicators WHERE official_index = 'DTI'") == [("dti_rank",)]
    lower = {c for (c,) in rows(warehouse, "SELECT code FROM indicators WHERE lower_is_better")}
    assert lower == {"dti_rank", "par_index_rank", "tthc_pending"}
    codes = rows(warehouse, "SELECT DISTINCT period_code FROM documents WHERE period_code IS NOT NULL")
    assert {c for (c,) in codes} <= {"H1", "Y", "Q1", "Q2", "Q3", "Q4"} and codes


def test_the_dashboard_reads_the_vocabulary_from_the_warehouse(warehouse):
    """The read side has no copy of these words: it reads them through queries.vocabulary, and
    no module of dashboard/ spells a severity or report-type label."""
    from dashboard.db import connect
    from dashboard.queries import vocabulary

    con = connect(warehouse)
    try:
        words = vocabulary(con)
    finally:
        con.close()
    assert list(words.severities.items()) == [(s.code, s.label) for s in sorted(SEVERITIES, key=lambda s: s.order)]
    assert words.report_types == REPORT_TYPE_LABELS
    kpis = rows(warehouse, "SELECT code, short_label FROM indicators WHERE kpi_order IS NOT NULL ORDER BY kpi_order")
    assert list(words.kpis.items()) == kpis
    labels = [s.label for s in SEVERITIES if s.label != "Thông tin"] + list(REPORT_TYPE_LABELS.values())
    for path in sorted((ROOT / "dashboard").glob("*.py")):
        literals = {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)}  # fmt: skip
        assert sorted(literals & set(labels)) == [], f"{path.name} spells a label of the vocabulary"
