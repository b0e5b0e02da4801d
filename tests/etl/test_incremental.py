"""Incremental builds: only new or changed files are read again; the result equals a full build."""

from __future__ import annotations

import shutil

from etl.build import build_warehouse, update_warehouse
from tests.conftest import RAW, REPORTS, rows

COLUMNS = "doc_id, fact_id, indicator, value, role, status, period_start, period_end, as_of, char_start"


def site(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    shutil.copytree(RAW, data / "raw")
    return data / "raw", data / "warehouse.duckdb"


def test_adding_changing_and_removing_files_equals_a_full_build(tmp_path):
    raw, db = site(tmp_path)
    build_warehouse(raw, db)
    shutil.copy(REPORTS / "binh_duong_snv_cai_cach_hanh_chinh_6t_2024.txt", raw)
    target = raw / "000_542a35844e80859c.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("tiếp nhận \n\n36 hồ sơ", "tiếp nhận 40 hồ sơ"))
    (raw / "003_f5a7d10bcc5b6b47.txt").unlink()
    report = update_warehouse(raw, db)
    assert report is not None and report.changed == 3  # one new, one changed, one removed
    assert rows(db, "SELECT mode FROM builds") == [("incremental",)]
    full = tmp_path / "full.duckdb"
    build_warehouse(raw, full)
    for sql in (
        f"SELECT {COLUMNS} FROM facts ORDER BY ALL",
        "SELECT doc_id, province, sha256 FROM documents ORDER BY 1",
        "SELECT finding_id, check_id FROM findings ORDER BY 1",
        "SELECT fact_id, finding_severity, finding_titles FROM fact_findings ORDER BY 1",
        "SELECT file_name, sha256, status FROM build_sources ORDER BY 1",
    ):
        assert rows(db, sql) == rows(full, sql), sql
    assert rows(db, "SELECT count(*) FROM fact_findings")[0][0] > 0  # the comparison above compared marks
    assert ("000_542a35844e80859c.txt", 40.0) in rows(
        db, "SELECT doc_id, value FROM facts WHERE indicator = 'tthc_received'"
    )


def test_unchanged_files_are_not_read_again(tmp_path):
    raw, db = site(tmp_path)
    first = build_warehouse(raw, db)
    again = update_warehouse(raw, db)
    assert again.changed == 0 and again.build_id == first.build_id  # nothing written


def test_a_new_catalog_checks_or_corrections_need_a_full_build(tmp_path):
    raw, db = site(tmp_path)
    build_warehouse(raw, db)
    (raw.parent / "corrections.jsonl").write_text("", encoding="utf-8")
    assert update_warehouse(raw, db) is not None  # an empty log changes nothing
    reference = raw.parent / "reference" / "reference_index.csv"
    reference.write_text(reference.read_text(encoding="utf-8") + "Tây Ninh,DTI,2023,30,63,,false,x\n")
    assert update_warehouse(raw, db) is None  # a new published rank: findings change everywhere
    build_warehouse(raw, db)
    log = raw.parent / "corrections.jsonl"
    log.write_text('{"doc_sha256": "x", "field": "province", "new_value": "A", "why": "w", "who": "v"}\n')
    assert update_warehouse(raw, db) is None


def test_no_warehouse_yet_means_a_full_build(tmp_path):
    raw, db = site(tmp_path)
    assert update_warehouse(raw, db) is None
