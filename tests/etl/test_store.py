"""The store (etl/store.py): a full build is an incremental build over everything, and a build that
fails inside any step leaves the live warehouse as it was."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from contract import SCHEMA_PATH
from etl import store as etl_store
from etl.build import build_warehouse, update_warehouse
from tests.conftest import RAW, REPORTS, ROOT, rows

DEV_DOCS = ROOT.parent / "shared" / "dev" / "docs"
ADDED = "binh_duong_snv_cai_cach_hanh_chinh_6t_2024.txt"  # a sample of its own province
CHANGED, REMOVED, TOUCHED = "000_542a35844e80859c.txt", "003_f5a7d10bcc5b6b47.txt", "001_5244b78082e0eeed.txt"
NOT_COMPARED = {"build_id"}  # an unchanged row keeps the build that wrote it
NO_PROVINCE = "khong_ro_tinh.txt"  # a report that names no province: its rows are rechecked too
NO_PROVINCE_TEXT = ("BÁO CÁO\nKết quả công tác cải cách hành chính năm 2024\n\nTrong năm 2024, bộ phận một cửa "
                    "đã tiếp nhận 1.250 hồ sơ, giải quyết đúng hạn 1.200 hồ sơ.\n")  # fmt: skip
BUILD_ROW = {"build_id", "started_at", "finished_at", "mode", "engine"}  # the one builds row: when and how


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _correction(sha: str, field: str, value: str) -> str:
    return json.dumps({"doc_sha256": sha, "field": field, "new_value": value, "why": "kiểm thử", "who": "store"},
                      ensure_ascii=False)  # fmt: skip


def _site(tmp_path: Path) -> tuple[Path, Path]:
    """The samples and ../shared/dev/docs (when there) in a data folder, with a corrections log
    naming the report to be removed, the one to be changed (before and after) and the one to be
    added; the last two move to provinces of their own, so the provinces they leave are rechecked
    only because they were there before."""
    if not DEV_DOCS.is_dir() and os.environ.get("CI") == "1":
        pytest.fail(f"{DEV_DOCS} is missing: CI must build it")
    data = tmp_path / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    shutil.copytree(RAW, data / "raw")
    for doc in sorted(DEV_DOCS.glob("*.txt")) if DEV_DOCS.is_dir() else ():
        shutil.copy(doc, data / "raw" / doc.name)
    raw = data / "raw"
    log = [
        _correction(_sha(raw / REMOVED), "agency", "Sở Thử nghiệm"),  # applied, then its document goes
        _correction(_sha(raw / CHANGED), "period_label", "năm 2024"),  # applied, then its bytes change
        _correction(_sha(REPORTS / ADDED), "province", "Cà Mau"),  # applied once its document comes
        _correction(hashlib.sha256(_changed(raw).encode()).hexdigest(), "province", "Bạc Liêu"),  # once changed
    ]
    (data / "corrections.jsonl").write_text("\n".join(log) + "\n", encoding="utf-8")
    return raw, data / "warehouse.duckdb"


def _changed(raw: Path) -> str:
    return (raw / CHANGED).read_text(encoding="utf-8").replace("tiếp nhận \n\n36 hồ sơ", "tiếp nhận 40 hồ sơ")


def _edit(raw: Path) -> None:
    """Two reports added (one of no province), one changed, one removed, one touched (same bytes,
    a new time)."""
    shutil.copy(REPORTS / ADDED, raw)
    (raw / NO_PROVINCE).write_text(NO_PROVINCE_TEXT, encoding="utf-8")
    (raw / CHANGED).write_bytes(_changed(raw).encode())
    (raw / REMOVED).unlink()
    st = (raw / TOUCHED).stat()
    os.utime(raw / TOUCHED, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def _differences(a: Path, b: Path) -> dict[str, tuple[int, int]]:
    """Per table, the rows of ``a`` not in ``b`` and of ``b`` not in ``a`` (EXCEPT ALL, every
    column but the build that wrote the row)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    try:
        listed = "SELECT table_name FROM duckdb_tables() WHERE database_name = ?"
        tables = {r[0] for r in con.execute(listed, ["a"]).fetchall()}
        assert tables == {r[0] for r in con.execute(listed, ["b"]).fetchall()}
        out = {}
        for table in sorted(tables):
            skip = BUILD_ROW if table == "builds" else NOT_COMPARED
            cols = ", ".join(
                f'"{c}"' for (c,) in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' AND table_name = ? "
                    "ORDER BY column_index", [table]).fetchall() if c not in skip
            )  # fmt: skip
            count = "SELECT count(*) FROM (SELECT {c} FROM {x}.{t} EXCEPT ALL SELECT {c} FROM {y}.{t})"
            out[table] = (con.execute(count.format(c=cols, x="a", y="b", t=table)).fetchone()[0],
                          con.execute(count.format(c=cols, x="b", y="a", t=table)).fetchone()[0])  # fmt: skip
        return out
    finally:
        con.close()


def test_a_full_and_an_incremental_build_of_the_same_files_hold_the_same_rows(tmp_path):
    raw, db = _site(tmp_path)
    build_warehouse(raw, db)
    shas = [_sha(raw / REMOVED), _sha(raw / CHANGED), _sha(REPORTS / ADDED), hashlib.sha256(_changed(raw).encode())
            .hexdigest()]  # fmt: skip
    before = dict(rows(db, "SELECT doc_sha256, applied FROM corrections"))
    _edit(raw)
    report = update_warehouse(raw, db)
    assert report is not None and report.mode == "incremental" and report.changed == 4
    full = tmp_path / "full.duckdb"
    build_warehouse(raw, full)
    assert rows(full, "SELECT mode FROM builds") == [("full",)]
    differences = _differences(db, full)
    assert {t: d for t, d in differences.items() if d != (0, 0)} == {}
    assert len(differences) == SCHEMA_PATH.read_text(encoding="utf-8").count("CREATE TABLE ")  # every table
    for table in ("documents", "facts", "mentions", "findings", "fact_findings", "serving_facts", "serving_latest",
                  "serving_documents", "build_sources", "corrections", "indicators"):  # fmt: skip
        assert rows(full, f"SELECT count(*) FROM {table}")[0][0] > 0, table  # noqa: S608 - compared, not empty
    after = dict(rows(db, "SELECT doc_sha256, applied FROM corrections"))
    assert [before[sha] for sha in shas] == [True, True, False, False]
    assert [after[sha] for sha in shas] == [False, False, True, True]  # the removed and changed ones lapsed
    moved = f"SELECT doc_id, province FROM documents WHERE doc_id IN ('{ADDED}', '{CHANGED}') ORDER BY 1"  # noqa: S608
    assert rows(db, moved) == [(CHANGED, "Bạc Liêu"), (ADDED, "Cà Mau")]
    assert rows(db, "SELECT count(*) FROM documents WHERE province = 'Tây Ninh'") == [(3,)]  # it left, one went
    assert rows(db, "SELECT count(*) FROM serving_facts WHERE province IS NULL") == [(1,)]


def test_only_the_new_changed_and_removed_documents_are_rewritten(tmp_path):
    """An incremental build keeps the other documents' stored rows: the build that wrote them."""
    raw, db = _site(tmp_path)
    first = build_warehouse(raw, db)
    _edit(raw)
    second = update_warehouse(raw, db)
    written = dict(rows(db, "SELECT doc_id, build_id FROM documents"))
    assert written[ADDED] == written[NO_PROVINCE] == written[CHANGED] == second.build_id and REMOVED not in written
    assert {b for d, b in written.items() if d not in (ADDED, NO_PROVINCE, CHANGED)} == {first.build_id}
    assert rows(db, f"SELECT mtime_ns FROM build_sources WHERE file_name = '{TOUCHED}'") == [  # noqa: S608
        ((raw / TOUCHED).stat().st_mtime_ns,)
    ]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name or ".spool-" in p.name or p.suffix == ".wal")


@pytest.mark.parametrize("incremental", [False, True], ids=["full", "incremental"])
@pytest.mark.parametrize("step, target", [
    ("replace", "_insert_arrow"),  # while writing a document's rows
    ("replace", "_mark_corrections"),  # after every row is written
    ("recheck", "run_checks"),  # the checks across documents
    ("recheck", "write_serving"),  # the serving tables, last before publishing
])  # fmt: skip
def test_a_failure_inside_a_step_leaves_the_live_warehouse_byte_identical(tmp_path, monkeypatch, step, target,
                                                                          incremental):  # fmt: skip
    raw, db = _site(tmp_path)
    build_warehouse(raw, db)
    live = db.read_bytes()
    _edit(raw)
    calls: list[str] = []

    def broken(*args: object, **kwargs: object) -> None:
        calls.append(target)
        raise RuntimeError(f"hỏng giữa bước {step}")

    broken_target = (etl_store.Store, target) if target.startswith("_mark") else (etl_store, target)
    monkeypatch.setattr(*broken_target, broken)
    with pytest.raises(RuntimeError, match=step):
        update_warehouse(raw, db) if incremental else build_warehouse(raw, db)
    assert calls == [target]
    assert db.read_bytes() == live
    assert _leftovers(db.parent) == []
    monkeypatch.undo()  # the next build writes again
    assert (update_warehouse(raw, db) if incremental else build_warehouse(raw, db)) is not None
    assert db.read_bytes() != live and _leftovers(db.parent) == []
