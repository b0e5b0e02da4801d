"""One build entry: named inputs, read once, full or incremental decided in one place."""

from __future__ import annotations

import shutil

from etl.build import BuildInputs, build, update_warehouse
from etl.cli import main
from etl.executor import LocalPool
from tests.conftest import RAW, rows

EXTRA_RANK = "Tây Ninh,DTI,2019,30,63,,false,https://example.org/dti-2019\n"


def _site(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    shutil.copytree(RAW, data / "raw")
    return data


def test_build_decides_full_or_incremental_itself(tmp_path):
    data = _site(tmp_path)
    inputs, db = BuildInputs.in_folder(data), data / "w.duckdb"
    assert build(inputs, db).mode == "full"  # no warehouse yet
    shutil.copy(RAW / "000_542a35844e80859c.txt", data / "raw" / "copy.txt")
    report = build(inputs, db)
    assert (report.mode, report.changed) == ("incremental", 1)
    assert build(inputs, db, full=True).mode == "full"
    assert rows(db, "SELECT mode, documents, engine FROM builds") == [("full", 6, "local")]


class _Renamed:
    """The local pool under another name: the builds row names whichever executor ran ``transform``."""

    name = "elsewhere"

    def map(self, files, inputs, spool, on_progress=None):
        return LocalPool(1).map(files, inputs, spool, on_progress)


def test_the_builds_row_records_the_engine_that_ran_the_build(tmp_path):
    data = _site(tmp_path)
    inputs, db = BuildInputs.in_folder(data), data / "w.duckdb"
    build(inputs, db, workers=1)
    assert rows(db, "SELECT mode, engine FROM builds") == [("full", "local")]
    shutil.copy(RAW / "000_542a35844e80859c.txt", data / "raw" / "copy.txt")
    assert build(inputs, db, executor=_Renamed()).mode == "incremental"
    assert rows(db, "SELECT mode, engine FROM builds") == [("incremental", "elsewhere")]


def test_a_reference_edit_during_a_build_is_in_neither_the_build_nor_its_fingerprint(tmp_path):
    data = _site(tmp_path)
    inputs, db = BuildInputs.in_folder(data), data / "w.duckdb"
    index = data / "reference" / "reference_index.csv"

    def edit(done: int, total: int) -> None:  # while the reports are read: the inputs were read before
        if EXTRA_RANK not in index.read_text(encoding="utf-8"):
            with index.open("a", encoding="utf-8") as out:
                out.write(EXTRA_RANK)

    build(inputs, db, full=True, on_progress=edit)
    assert rows(db, "SELECT count(*) FROM reference_indices WHERE year = 2019 AND rank = 30") == [(0,)]
    assert update_warehouse(data / "raw", db) is None  # the edit is not counted as built: a full build is due
    build(inputs, db)
    assert rows(db, "SELECT count(*) FROM reference_indices WHERE year = 2019 AND rank = 30") == [(1,)]


def test_the_command_line_takes_the_log_and_the_reference_tables_from_where_it_is_told(tmp_path):
    data = _site(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(data / "reference", elsewhere)
    db = data / "w.duckdb"
    assert main(["build", "--raw", str(data / "raw"), "--db", str(db)]) == 0
    assert rows(db, "SELECT count(*) FROM reference_indices") == [(0,)]  # none in the data folder
    args = ["build", "--raw", str(data / "raw"), "--db", str(db), "--reference", str(elsewhere)]
    assert main([*args, "--corrections-log", str(tmp_path / "log.jsonl")]) == 0
    assert rows(db, "SELECT count(*) FROM reference_indices")[0][0] > 0
