"""Full builds, incremental builds and ``python -m etl check`` read the checks' inputs one way,
so they always report the same findings (issue 16: they used to disagree after a rejection)."""

from __future__ import annotations

import contextlib
import io
import json
import shutil

from etl.build import BuildInputs, build_warehouse
from etl.cli import main
from etl.corrections import Correction
from etl.importer import publish
from tests.conftest import RAW, REPORTS, rows

DOC = "004_f3cae4251c6f1b42.txt"  # 41 procedures fully online vs 37 published (tests/etl/gold/seeds_checks.csv)


def _site(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    shutil.copytree(RAW, data / "raw")
    return data / "raw", data / "warehouse.duckdb"


def _checked(db) -> dict[str, str]:
    """finding_id -> check of what ``python -m etl check --json`` prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["check", "--db", str(db), "--json"]) == 0
    return {row["finding_id"]: row["check"] for row in map(json.loads, out.getvalue().splitlines())}


def _stored(db) -> dict[str, str]:
    return dict(rows(db, "SELECT finding_id, check_id FROM findings"))


def _reject_41(raw, db) -> None:
    sql = ("SELECT d.sha256, f.fact_key FROM facts f JOIN documents d USING (doc_id) "
           f"WHERE f.doc_id = '{DOC}' AND f.indicator = 'dvc_full_online' AND f.value = 41")  # fmt: skip
    sha, key = rows(db, sql)[0]
    fix = Correction(doc_sha256=sha, field="status", new_value="rejected", why="đếm trùng", who="test", fact_key=key)
    publish([], BuildInputs.in_folder(raw.parent, raw), db, [fix])


def test_check_agrees_with_the_build_after_a_rejection(tmp_path):
    raw, db = _site(tmp_path)
    build_warehouse(raw, db)
    assert "dvc_exceeds_published" in _stored(db).values()
    assert _checked(db) == _stored(db)
    _reject_41(raw, db)
    assert "dvc_exceeds_published" not in _stored(db).values()
    assert "dvc_exceeds_published" not in _checked(db).values()
    assert _checked(db) == _stored(db)


def test_check_agrees_with_an_incremental_build(tmp_path):
    raw, db = _site(tmp_path)
    build_warehouse(raw, db)
    _reject_41(raw, db)
    shutil.copy(REPORTS / "binh_duong_snv_cai_cach_hanh_chinh_6t_2024.txt", raw)
    assert main(["build", "--raw", str(raw), "--db", str(db)]) == 0
    assert rows(db, "SELECT mode FROM builds") == [("incremental",)]
    assert _checked(db) == _stored(db)
