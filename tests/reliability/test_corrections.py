"""No correction is ever lost ("Nothing lost, nothing taken down").

Real reports in temporary folders, real `python -m etl` processes: corrections and builds
interleaved at random (full builds, builds killed with SIGKILL or SIGTERM, corrections killed
mid-way) lose nothing; a correction written while a full build runs is replayed by the next
plain build, and one made through ``etl correct`` waits for it (those two hold a build inside its
run and wait on what the processes do, never on the clock); a bad line of the log is reported
by its number and skipped while every other correction applies; a correction appended after a
cut-off line starts on a line of its own."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from etl.build import BuildInputs, build, build_warehouse, inputs_sha256
from etl.corrections import read_corrections
from etl.run import BuildReport
from tests.conftest import ROOT, rows
from tests.reliability.sites import make_site

LOG = "corrections.jsonl"


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    raw, db = make_site(folder)
    build_warehouse(raw, db)
    return folder


def _copy(site: Path, tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(site / "data", tmp_path / "data")
    return tmp_path / "data" / "raw", tmp_path / "data" / "w.duckdb"


def targets(db: Path, n: int = 4) -> list[tuple[str, str]]:
    """(document sha256, fact key) of a few primary figures of different documents."""
    return rows(db, f"""
        SELECT d.sha256, f.fact_key FROM facts f JOIN documents d USING (doc_id)
        WHERE f.role = 'primary' AND f.status = 'extracted'
        QUALIFY row_number() OVER (PARTITION BY f.doc_id ORDER BY f.char_start) = 1
        ORDER BY f.doc_id LIMIT {n}""")  # fmt: skip


def line(sha: str, key: str, value: object, k: int, **extra: object) -> str:
    item = {"doc_sha256": sha, "field": "value", "new_value": value, "why": f"kiểm tra {k}", "who": "Kiểm thử",
            "fact_key": key, "old_value": None, "at": "2026-01-02T03:04:05", "correction_id": f"c{k:04d}"}  # fmt: skip
    item.update(extra)
    return json.dumps(item, ensure_ascii=False)


def values(db: Path, keys: list[str]) -> dict[str, float]:
    found = rows(db, "SELECT fact_key, value FROM facts WHERE role = 'primary'")
    return {k: v for k, v in found if k in keys}


def _etl(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


# --- bad lines -------------------------------------------------------------------------------------

BAD_LINES = {
    "extra key": lambda sha, key: line(sha, key, "7", 90, extra="x"),
    "non-number value": lambda sha, key: line(sha, key, "bảy", 90),
    "not JSON": lambda sha, key: line(sha, key, "7", 90)[:-1] + ",}",
    "missing key": lambda sha, key: json.dumps({"doc_sha256": sha, "field": "value", "new_value": "7"}),
    "wrong type": lambda sha, key: line(sha, key, "7", 90, who=["A"]),
    "bad date": lambda sha, key: line(sha, key, "31/12/2024", 90, field="period_end"),
    "unknown field": lambda sha, key: line(sha, key, "7", 90, field="unit"),
    "same id, other content": lambda sha, key: line(sha, key, "8", 1),
}
EXPECTED = {
    "extra key": "trường lạ 'extra'",
    "non-number value": "giá trị 'bảy' không phải là số",
    "not JSON": "không đọc được JSON",
    "missing key": "thiếu trường 'why', 'who'",
    "wrong type": "trường 'who' phải là chuỗi",
    "bad date": "ngày '31/12/2024' không đúng dạng YYYY-MM-DD",
    "unknown field": "Không sửa được trường 'unit'",
    "same id, other content": "mã sửa đổi 'c0001' trùng với dòng 1",
}


def _good_lines(found: list[tuple[str, str]]) -> tuple[list[str], dict[str, float]]:
    """Eight good corrections, two per figure; the later one wins."""
    lines, want = [], {}
    for k in range(8):
        sha, key = found[k % len(found)]
        lines.append(line(sha, key, f"{1000 + k}", k + 1))
        want[key] = 1000.0 + k
    return lines, want


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
def test_a_bad_line_is_reported_by_its_number_and_skipped_while_the_others_apply(small_site, tmp_path, kind):
    raw, db = _copy(small_site, tmp_path)
    found = targets(db)
    good, want = _good_lines(found)
    log = good[:6] + [BAD_LINES[kind](*found[0])] + good[6:]  # the bad line is line 7
    (raw.parent / LOG).write_text("\n".join(log) + "\n", encoding="utf-8")
    report = build_warehouse(raw, db)
    assert len(report.warnings) == 1, report.warnings
    assert report.warnings[0].startswith(f"{LOG} dòng 7: {EXPECTED[kind]}"), report.warnings
    assert report.warnings[0].endswith("; bỏ qua dòng này") and report.errors == []
    assert values(db, list(want)) == want
    assert rows(db, "SELECT count(*), bool_and(applied) FROM corrections") == [(8, True)]
    assert rows(db, "SELECT severity, message FROM findings WHERE check_id = 'corrections_log'") == [
        ("canh_bao", report.warnings[0])
    ]


@pytest.mark.slow
def test_a_truncated_last_line_is_skipped_and_the_next_correction_starts_on_its_own_line(small_site, tmp_path):
    raw, db = _copy(small_site, tmp_path)
    found = targets(db)
    good, want = _good_lines(found)
    cut = line(*found[1], "5", 99)[:40]
    log = raw.parent / LOG
    log.write_text("\n".join(good) + "\n" + cut, encoding="utf-8")  # a writer died mid-line
    report = build_warehouse(raw, db)
    assert len(report.warnings) == 1 and report.warnings[0].startswith(f"{LOG} dòng 9: không đọc được JSON")
    assert values(db, list(want)) == want

    sha, key = found[2]
    (tmp_path / "sua.json").write_text(json.dumps([{"doc_sha256": sha, "fact_key": key, "field": "value",
                                                    "new_value": "4242", "why": "sai số"}]))  # fmt: skip
    out = _run("correct", "--file", str(tmp_path / "sua.json"), "--raw", str(raw), "--db", str(db), "--json")
    assert out.returncode == 0, out.stderr
    assert log.read_text(encoding="utf-8").split("\n")[8] == cut  # the cut line kept as it was, on its own
    warnings = [json.loads(x) for x in out.stdout.splitlines() if '"warning"' in x]
    assert [w["message"][:40] for w in warnings] == [f"{LOG} dòng 9: không đọc được JSON"[:40]]
    assert values(db, list(want) + [key])[key] == 4242.0
    assert rows(db, "SELECT count(*), bool_and(applied) FROM corrections") == [(9, True)]


def test_an_exact_duplicate_line_is_one_correction(small_site, tmp_path):
    raw, db = _copy(small_site, tmp_path)
    found = targets(db)
    good, want = _good_lines(found)
    (raw.parent / LOG).write_text("\n".join([*good[:3], good[2], *good[3:], good[0]]) + "\n", encoding="utf-8")
    report = build_warehouse(raw, db)
    assert report.warnings == [] and report.errors == []
    assert values(db, list(want)) == want
    assert rows(db, "SELECT count(*), count(DISTINCT correction_id) FROM corrections") == [(8, 8)]


def test_a_correction_an_old_writer_appended_onto_a_cut_off_line_is_recovered(small_site, tmp_path):
    raw, db = _copy(small_site, tmp_path)
    found = targets(db)
    sha, key = found[0]
    (raw.parent / LOG).write_text(line(sha, key, "1", 1)[:30] + line(sha, key, "77", 2) + "\n", encoding="utf-8")
    report = build_warehouse(raw, db)
    assert report.warnings == [f"{LOG} dòng 1: phần đầu dòng bị cắt; đã đọc sửa đổi ghi nối ở cuối dòng"]
    assert values(db, [key]) == {key: 77.0}


@pytest.mark.slow
def test_the_command_line_warns_and_check_lists_the_bad_line(small_site, tmp_path):
    raw, db = _copy(small_site, tmp_path)
    found = targets(db)
    good, want = _good_lines(found)
    (raw.parent / LOG).write_text("\n".join(good[:6] + ['{"doc_sha256": "ab'] + good[6:]) + "\n", encoding="utf-8")
    out = _run("build", "--raw", str(raw), "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert f"CẢNH BÁO  {LOG} dòng 7: không đọc được JSON" in out.stderr
    assert values(db, list(want)) == want
    check = _run("check", "--db", str(db))
    assert f"{LOG} dòng 7: không đọc được JSON" in check.stdout


# --- corrections and builds at the same time ------------------------------------------------------


def _append_raw(log: Path, text: str) -> None:
    """A writer that takes no lock (a hand edit, an older tool): the log must still not lose it."""
    with log.open("a", encoding="utf-8") as out:
        out.write(text + "\n")


PATIENCE = 300  # seconds: only ever a failure's limit, never what decides an outcome


class HeldBuild:
    """A full build of ``raw`` run in a thread of this process and held inside its run — from its
    first progress report until ``release()``. While held, it holds the build lock and has read the
    corrections log (a build reads every input before it extracts): an event, not a moment."""

    def __init__(self, raw: Path, db: Path) -> None:
        self._inputs, self._db = BuildInputs.in_folder(raw.parent, raw), db
        self._reached, self._go = threading.Event(), threading.Event()
        self._outcome: dict[str, object] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _progress(self, done: int, total: int) -> None:
        self._reached.set()
        self._go.wait()

    def _run(self) -> None:
        try:  # one worker, no time budget: nothing here depends on how fast the machine is
            self._outcome["report"] = build(self._inputs, self._db, full=True, workers=1, file_timeout=0,
                                            on_progress=self._progress)  # fmt: skip
        except BaseException as exc:  # handed to the test
            self._outcome["error"] = exc
        finally:
            self._reached.set()

    def __enter__(self) -> HeldBuild:
        self._thread.start()
        assert self._reached.wait(PATIENCE), "the build never reported progress"
        assert "error" not in self._outcome, self._outcome["error"]
        assert self._thread.is_alive(), "the build ended without being held"
        return self

    def release(self) -> BuildReport:
        """Let the build finish (it swaps its warehouse in and gives the lock up); its report."""
        self._go.set()
        self._thread.join(PATIENCE)
        assert not self._thread.is_alive(), "the released build did not finish"
        assert "error" not in self._outcome, self._outcome["error"]
        return self._outcome["report"]  # type: ignore[return-value]

    def __exit__(self, *exc: object) -> None:
        self._go.set()
        self._thread.join(PATIENCE)


def _until_line(proc: subprocess.Popen, text: str) -> list[str]:
    """Read ``proc``'s stderr up to the first line holding ``text`` (the lines read); fail when it ends
    first. A watchdog kills it after ``PATIENCE`` so a hang fails instead of blocking the suite."""
    watchdog = threading.Timer(PATIENCE, proc.kill)
    watchdog.start()
    try:
        seen = []
        for got in proc.stderr:
            seen.append(got)
            if text in got:
                return seen
    finally:
        watchdog.cancel()
    pytest.fail(f"it never printed {text!r}: {''.join(seen)}")


@pytest.mark.slow
def test_a_correction_written_during_a_full_build_is_replayed_by_the_next_plain_build(small_site, tmp_path):
    raw, db = _copy(small_site, tmp_path)
    sha, key = targets(db, 1)[0]
    with HeldBuild(raw, db) as held:  # it has read the log and holds the lock
        _append_raw(raw.parent / LOG, line(sha, key, "31337", 1))
        report = held.release()
    assert report.errors == [] and report.mode == "full"
    assert rows(db, "SELECT count(*) FROM corrections") == [(0,)]  # it read the log before the line came
    again = _run("build", "--raw", str(raw), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert "0 văn bản đọc lại" not in again.stdout
    assert values(db, [key]) == {key: 31337.0}


@pytest.mark.slow
def test_a_correction_made_while_a_build_runs_waits_for_it_and_is_never_undone(small_site, tmp_path):
    raw, db = _copy(small_site, tmp_path)
    sha, key = targets(db, 1)[0]
    log = raw.parent / LOG
    (tmp_path / "sua.json").write_text(json.dumps([{"doc_sha256": sha, "fact_key": key, "field": "value",
                                                    "new_value": "2718", "why": "sai số"}]))  # fmt: skip
    with HeldBuild(raw, db) as held, (tmp_path / "correct.out").open("w") as out:
        correct = subprocess.Popen(
            [sys.executable, "-m", "etl", "correct", "--file", str(tmp_path / "sua.json"), "--raw", str(raw),
             "--db", str(db)], cwd=ROOT, stdout=out, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        _until_line(correct, "chờ nó xong")  # it says it waits for the build: it has met the lock
        assert correct.poll() is None
        assert not log.exists() or log.read_text(encoding="utf-8") == ""  # nothing written before its turn
        report = held.release()
        err = correct.stderr.read()
        assert correct.wait(PATIENCE) == 0, err
    assert report.errors == [] and report.mode == "full"
    assert [c.new_value for c in read_corrections(log).corrections] == ["2718"]
    assert rows(db, "SELECT new_value, applied FROM corrections") == [("2718", True)]
    assert values(db, [key]) == {key: 2718.0}  # built after the held build swapped in: not undone by it


def _schedule(rng: random.Random, rounds: int) -> list[tuple[float, str, dict]]:
    """Per round a correction, and most often a build beside it (full or not, on one or two
    workers) started a moment before or after it; some builds and corrections are killed
    (SIGKILL, or SIGTERM) at a random moment of their run."""
    events, t = [], 0.0
    for i in range(rounds):
        t += rng.uniform(0.15, 0.7)
        kill = rng.choice([signal.SIGKILL, signal.SIGTERM]) if rng.random() < 0.15 else None
        events.append((t, "correct", {"i": i, "kill": kill, "after": rng.uniform(0.3, 2.0)}))
        if rng.random() < 0.55:
            kill = rng.choice([signal.SIGKILL, signal.SIGKILL, signal.SIGTERM]) if rng.random() < 0.4 else None
            build = {"full": rng.random() < 0.5, "workers": rng.choice(["1", "2"]), "kill": kill,
                     "after": rng.uniform(0.3, 2.0)}  # fmt: skip
            events.append((max(0.0, t + rng.uniform(-0.4, 0.4)), "build", build))
    return sorted(events, key=lambda e: e[0])


def _start(kind: str, spec: dict, raw: Path, db: Path, folder: Path, found: list) -> subprocess.Popen:
    where = ["--raw", str(raw), "--db", str(db)]
    if kind == "build":
        return _etl("build", *(["--full"] if spec["full"] else []), "--workers", spec["workers"], *where)
    sha, key = found[spec["i"] % len(found)]
    path = folder / f"sua-{spec['i']}.json"
    path.write_text(json.dumps([{"doc_sha256": sha, "fact_key": key, "field": "value",
                                 "new_value": str(500000 + spec["i"]), "why": f"lần {spec['i']}"}]))  # fmt: skip
    return _etl("correct", "--file", str(path), *where)


def _kill_due(started: list, begin: float) -> None:
    now = time.monotonic() - begin
    for _, spec, proc, at in started:
        if spec["kill"] and proc.poll() is None and now >= at + spec["after"]:
            os.kill(proc.pid, spec["kill"])  # the command alone: its workers must follow by themselves
            spec["kill"] = None


def _nothing_silently_lost(raw: Path, db: Path, found: list, seed: int) -> bool:
    """Whether the warehouse claims to be built from the log as it is now; if it does, it must show
    every correction of it (a plain build would not build again, so a missing one is lost).

    Holds at every moment, builds running or not: a build's claim is the bytes it replayed."""
    con = duckdb.connect(str(db), read_only=True)  # one snapshot of the warehouse
    try:
        snapshot = con.execute("SELECT inputs_sha256 FROM builds").fetchall()[0][0]
        stored = con.execute("SELECT new_value, applied FROM corrections").fetchall()
        facts = dict(con.execute("SELECT fact_key, value FROM facts WHERE role = 'primary'").fetchall())
    finally:
        con.close()
    log = read_corrections(raw.parent / LOG)
    if snapshot != inputs_sha256(BuildInputs.in_folder(raw.parent, raw), log):
        return False
    logged = [int(float(c.new_value)) - 500000 for c in log.corrections]
    assert sorted(int(v) - 500000 for v, _ in stored) == sorted(logged), (seed, "a correction was lost")
    assert all(applied for _, applied in stored), seed
    last = {found[i % len(found)][1]: 500000.0 + i for i in logged}
    assert {k: facts[k] for k in last} == last, (seed, "the warehouse does not show the latest corrections")
    return True


def _interleave(tmp_path: Path, site: Path, rounds: int, seed: int) -> None:
    raw, db = _copy(site, tmp_path)
    found = targets(db)
    started: list[tuple[str, dict, subprocess.Popen, float]] = []
    begin = time.monotonic()
    for at, kind, spec in _schedule(random.Random(seed), rounds):
        while time.monotonic() - begin < at:
            _kill_due(started, begin)
            _nothing_silently_lost(raw, db, found, seed)  # checked all along, not only at the end
            time.sleep(0.1)
        started.append((kind, spec, _start(kind, spec, raw, db, tmp_path, found), time.monotonic() - begin))
    while any(p.poll() is None for _, _, p, _ in started):
        _kill_due(started, begin)
        _nothing_silently_lost(raw, db, found, seed)
        time.sleep(0.1)
    for *_, proc, _ in started:
        proc.communicate()
    final = _run("build", "--raw", str(raw), "--db", str(db))
    assert final.returncode == 0, (seed, final.stderr)
    log = read_corrections(raw.parent / LOG)
    assert log.problems == [], (seed, log.problems)
    saved = {spec["i"] for kind, spec, p, _ in started if kind == "correct" and p.returncode == 0}
    assert saved <= {int(float(c.new_value)) - 500000 for c in log.corrections}, (seed, "a saved correction is gone")
    assert _nothing_silently_lost(raw, db, found, seed), seed
    assert list(db.parent.glob(db.name + ".tmp-*")) == [] and list(db.parent.glob(f".{db.name}.spool-*")) == []


@pytest.mark.slow
def test_no_correction_is_lost_across_interleaved_corrections_and_builds(small_site, tmp_path):
    seed = int(os.environ.get("RELIABILITY_SEED", time.time_ns() % 1_000_000))
    _interleave(tmp_path, small_site, rounds=20, seed=seed)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("RELIABILITY_LONG"), reason="about a minute a seed: RELIABILITY_LONG=1 runs it")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_correction_is_lost_across_many_interleavings(small_site, tmp_path, seed):
    _interleave(tmp_path, small_site, rounds=60, seed=seed)
