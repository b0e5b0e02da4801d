"""The warehouse: same files give the same rows; builds are atomic for readers and survive kills."""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.build import build_warehouse
from etl.catalog import default_catalog
from etl.checks import check_inputs, run_checks
from tests.conftest import ROOT, rows

STABLE_FACT_COLUMNS = "doc_id, indicator, value, qualifier, period_start, period_end, as_of, char_start, char_end, role"


def test_tables_and_view(warehouse):
    tables = {r[0] for r in rows(warehouse, "SELECT table_name FROM information_schema.tables")}
    assert {"documents", "facts", "indicators", "builds", "build_sources", "fact_view"} <= tables
    (n_docs,) = rows(warehouse, "SELECT count(*) FROM documents")[0]
    assert n_docs == 10
    bad = rows(
        warehouse,
        "SELECT f.fact_id FROM facts f JOIN documents d USING (doc_id) "
        "WHERE substr(d.text, f.char_start + 1, f.char_end - f.char_start) <> f.quote",
    )
    assert bad == []
    builds = rows(warehouse, "SELECT build_id, catalog_sha256, etl_version FROM builds")
    assert len(builds) == 1 and len(builds[0][1]) == 64
    assert rows(warehouse, "SELECT count(DISTINCT build_id) FROM facts")[0][0] == 1
    assert rows(warehouse, "SELECT count(*) FROM build_sources WHERE status = 'loaded'")[0][0] == 10


def test_findings_of_a_build_are_the_checks_over_what_it_loaded(warehouse, raw_dir):
    """Workers check inside each document, the build across documents: together, every check once."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        inputs = check_inputs(con)
        stored = {r[0] for r in con.execute("SELECT finding_id FROM findings").fetchall()}
    finally:
        con.close()
    assert inputs.official  # the published ranks the build loaded
    expected = {f.finding_id for f in run_checks(inputs, default_catalog())}
    assert stored == expected and len(stored) >= 4


def test_same_files_same_rows(raw_dir, tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    build_warehouse(raw_dir, a)
    build_warehouse(raw_dir, b)
    query = f"SELECT {STABLE_FACT_COLUMNS} FROM facts ORDER BY ALL"
    assert rows(a, query) == rows(b, query)
    assert rows(a, "SELECT fact_id FROM facts ORDER BY 1") == rows(b, "SELECT fact_id FROM facts ORDER BY 1")


def test_an_empty_folder_builds_an_empty_warehouse(tmp_path):
    (tmp_path / "raw").mkdir()
    report = build_warehouse(tmp_path / "raw", tmp_path / "w.duckdb")
    assert (report.documents, report.facts, report.errors) == (0, 0, [])
    assert rows(tmp_path / "w.duckdb", "SELECT count(*) FROM indicators")[0][0] > 60


def test_changed_file_replaces_its_facts(raw_dir, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    db = tmp_path / "w.duckdb"
    build_warehouse(raw, db)
    before = rows(db, "SELECT doc_id, indicator, value FROM facts WHERE role = 'primary' ORDER BY ALL")
    target = raw / "000_542a35844e80859c.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("tiếp nhận \n\n36 hồ sơ", "tiếp nhận 40 hồ sơ"))
    build_warehouse(raw, db)
    after = rows(db, "SELECT doc_id, indicator, value FROM facts WHERE role = 'primary' ORDER BY ALL")
    assert ("000_542a35844e80859c.txt", "tthc_received", 40.0) in after
    assert ("000_542a35844e80859c.txt", "tthc_received", 36.0) not in after
    assert [r for r in before if r[0] != target.name] == [r for r in after if r[0] != target.name]


def test_bad_file_is_reported_and_the_others_load(raw_dir, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    (raw / "hong.txt").write_bytes(bytes(range(256)) * 50)
    (raw / "rong.docx").write_bytes(b"")
    db = tmp_path / "w.duckdb"
    report = build_warehouse(raw, db)
    assert sorted(name for name, _ in report.errors) == ["hong.txt", "rong.docx"]
    assert all(reason.startswith(name) for name, reason in report.errors)
    assert report.documents == 10
    failed = rows(db, "SELECT file_name, error FROM build_sources WHERE status = 'failed' ORDER BY 1")
    assert [f for f, _ in failed] == ["hong.txt", "rong.docx"]


@pytest.mark.slow
def test_cli_build_exit_code_and_summary(raw_dir, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    db = tmp_path / "w.duckdb"
    ok = subprocess.run([sys.executable, "-m", "etl", "build", "--raw", str(raw), "--db", str(db)],
                        capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert "Văn bản: 10" in ok.stdout and "giây" in ok.stdout
    (raw / "hong.txt").write_bytes(b"\x00\x01\x02" * 100)
    bad = subprocess.run([sys.executable, "-m", "etl", "build", "--raw", str(raw), "--db", str(db)],
                         capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert bad.returncode == 1
    assert "hong.txt" in bad.stderr and "Văn bản: 10" in bad.stdout


def _read_loop(db: str, seconds: float, queue: mp.Queue) -> None:
    counts, errors = set(), []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            con = duckdb.connect(db, read_only=True)
            try:
                n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
                n_facts = con.execute("SELECT count(*) FROM fact_view").fetchone()[0]
                counts.add((n_docs, n_facts))
            finally:
                con.close()
        except Exception as exc:  # noqa: BLE001 - every failure is what this test looks for
            errors.append(repr(exc))
    queue.put((sorted(counts), errors))


@pytest.mark.slow
def test_readers_never_see_a_half_built_warehouse(raw_dir, tmp_path):
    db = tmp_path / "w.duckdb"
    build_warehouse(raw_dir, db)
    expected = rows(db, "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM fact_view)")[0]
    queue: mp.Queue = mp.get_context("spawn").Queue()
    reader = mp.get_context("spawn").Process(target=_read_loop, args=(str(db), 6.0, queue))
    reader.start()
    time.sleep(1.0)
    for _ in range(4):
        build_warehouse(raw_dir, db)
    counts, errors = queue.get(timeout=30)
    reader.join(timeout=10)
    assert errors == []
    assert counts == [tuple(expected)]


def test_a_build_removes_only_the_leftovers_of_builds_that_are_gone(raw_dir, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".w.duckdb.spool-{dead.stdout.strip()}-abcdef"
    live = tmp_path / f".w.duckdb.spool-{os.getppid()}-abcdef"  # the test runner's parent still runs
    for folder in (stale, live):
        folder.mkdir()
        (folder / "x.arrow").write_bytes(b"")
    (tmp_path / f"w.duckdb.tmp-{dead.stdout.strip()}-abcdef").write_bytes(b"")
    build_warehouse(raw_dir, tmp_path / "w.duckdb")
    assert not stale.exists() and live.exists()
    assert list(tmp_path.glob("w.duckdb.tmp-*")) == []


@pytest.mark.slow
def test_killed_build_leaves_the_previous_warehouse(raw_dir, tmp_path):
    db = tmp_path / "w.duckdb"
    build_warehouse(raw_dir, db)
    (build_before,) = rows(db, "SELECT build_id FROM builds")[0]
    big = tmp_path / "big"
    big.mkdir()
    for i in range(60):
        for f in raw_dir.iterdir():
            shutil.copy(f, big / f"{i:03d}_{f.name}")
    proc = subprocess.Popen([sys.executable, "-m", "etl", "build", "--raw", str(big), "--db", str(db)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if list(tmp_path.glob(".w.duckdb.spool-*/*.arrow")):  # killed while loading the new file
            break
        time.sleep(0.005)
    if proc.poll() is not None:
        pytest.fail("the build finished before it could be killed; make the corpus larger")
    os.killpg(proc.pid, signal.SIGKILL)  # the build and its worker processes
    proc.wait()
    assert rows(db, "SELECT build_id FROM builds")[0][0] == build_before
    assert not Path(str(db) + ".wal").exists()
    report = build_warehouse(raw_dir, db)
    assert rows(db, "SELECT build_id FROM builds")[0][0] == report.build_id
    assert list(tmp_path.glob("w.duckdb.tmp-*")) == []
    assert list(tmp_path.glob(".w.duckdb.spool-*")) == []  # the killed build's Arrow files are gone too


def test_every_fact_a_finding_rests_on_is_marked_with_the_worst(warehouse):
    """fact_view reads the marks a build wrote once (fact_findings), not an aggregate per query."""
    worst = rows(warehouse, "SELECT fact_id, arg_min(severity, s.sort_order) FROM finding_facts "
                            "JOIN severities s ON s.code = severity GROUP BY 1 ORDER BY 1")  # fmt: skip
    marked = rows(warehouse, "SELECT fact_id, finding_severity FROM fact_view WHERE finding_severity IS NOT NULL "
                             "ORDER BY 1")  # fmt: skip
    assert marked == worst and marked
