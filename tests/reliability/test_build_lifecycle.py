"""A build's processes and files live no longer than the build ("Nothing lost, nothing taken down").

Real corpora in temporary folders, real `python -m etl` processes, real signals: a build killed
with SIGKILL leaves no live worker and the next build (even one that writes nothing) removes
its temporary warehouse and spool folder; SIGTERM stops a build cleanly; a file over its time
budget fails with its reason while the others load, also when its worker cannot be reached by
the alarm (stopped) and has to be killed."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl.build import build_warehouse
from tests.conftest import RAW, ROOT, rows
from tests.reliability.sites import make_site

COPIES = 31  # × 5 samples = 160 files: a few seconds of extraction on two workers


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """160 reports and their warehouse, built once; each test works on a copy."""
    folder = tmp_path_factory.mktemp("big")
    raw, db = make_site(folder, COPIES)
    build_warehouse(raw, db, workers=2)
    return folder


def _copy(site: Path, tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(site / "data", tmp_path / "data")
    return tmp_path / "data" / "raw", tmp_path / "data" / "w.duckdb"


def _etl(*args: str, **kwargs: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)  # fmt: skip


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        stat = _stat(int(entry.name)) if entry.name.isdigit() else None
        if stat and int(stat[1]) == pid:
            out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")  # a zombie has exited


def _wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def leftovers(db: Path) -> list[Path]:
    return sorted([*db.parent.glob(db.name + ".tmp-*"), *db.parent.glob(f".{db.name}.spool-*")])


def _running_build(raw: Path, db: Path, *extra: str) -> tuple[subprocess.Popen, list[int]]:
    """A full build on two workers, caught while the workers are handing chunks over."""
    proc = _etl("build", "--full", "--workers", "2", "--raw", str(raw), "--db", str(db), *extra)
    caught = _wait_for(lambda: proc.poll() is not None or list(db.parent.glob(f".{db.name}.spool-*/*.arrow")), 60)
    assert caught and proc.poll() is None, "the build finished before it could be caught; make the corpus larger"
    workers = children(proc.pid)
    assert len(workers) == 2, workers
    return proc, workers


@pytest.mark.slow
def test_a_killed_build_leaves_no_live_worker_and_the_next_build_sweeps_its_leftovers(big_site, tmp_path):
    raw, db = _copy(big_site, tmp_path)
    (before,) = rows(db, "SELECT build_id FROM builds")[0]
    proc, workers = _running_build(raw, db)
    os.kill(proc.pid, signal.SIGKILL)  # the build alone, not its process group
    proc.communicate()
    assert _wait_for(lambda: not any(alive(w) for w in workers), 5), "workers outlived the killed build"
    assert leftovers(db), "a build killed mid-way leaves its temporary files (until the next build)"
    assert rows(db, "SELECT build_id FROM builds")[0][0] == before

    started = time.monotonic()
    again = _etl("build", "--raw", str(raw), "--db", str(db))  # incremental, nothing changed: writes nothing
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert "0 văn bản đọc lại" in out
    assert "chờ" not in err and time.monotonic() - started < 30  # the dead build's lock went with it
    assert leftovers(db) == []


def lineage(root: int) -> set[int]:
    """Every process descended from ``root`` (its workers and their replacements), by parent pid."""
    parents = {}
    for entry in Path("/proc").iterdir():
        stat = _stat(int(entry.name)) if entry.name.isdigit() else None
        if stat:
            parents[int(entry.name)] = int(stat[1])
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - found
        found |= frontier
    return found


def _kill_all(pids: set[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["workers-starting", "chunks-handed-over"])
def test_no_worker_is_alive_a_second_after_its_build_is_killed(big_site, tmp_path, moment):
    """SIGKILL of the build as its workers start (the race their start checks) and while they hand
    chunks over: a second later no process the build started is alive. A zombie is not alive (it
    has exited and holds no memory, file or lock; reaping an orphan is PID 1's job, and PID 1 may
    do it only once a second)."""
    raw, db = _copy(big_site, tmp_path)
    proc = _etl("build", "--full", "--workers", "2", "--raw", str(raw), "--db", str(db))
    reached = {
        "workers-starting": lambda: len(children(proc.pid)) == 2,
        "chunks-handed-over": lambda: list(db.parent.glob(f".{db.name}.spool-*/*.arrow")),
    }[moment]
    workers: set[int] = set()
    try:
        assert _wait_for(lambda: proc.poll() is not None or reached(), 60) and proc.poll() is None
        workers = lineage(proc.pid)
        assert len(workers) == 2, workers
        os.kill(proc.pid, signal.SIGKILL)  # the build alone, not its process group
        deadline = time.monotonic() + 1.0
        proc.wait()  # not communicate(): a live worker would hold the pipes open
        _wait_for(lambda: not any(alive(w) for w in workers), deadline - time.monotonic())
        assert [w for w in workers if alive(w)] == [], "workers outlived their killed build by a second"
    finally:
        _kill_all({w for w in workers if alive(w)} | ({proc.pid} if proc.poll() is None else set()))
        proc.communicate(timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_build_stops_its_workers_and_removes_its_files(big_site, tmp_path, sig):
    raw, db = _copy(big_site, tmp_path)
    (before,) = rows(db, "SELECT build_id FROM builds")[0]
    proc, workers = _running_build(raw, db)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 128 + sig, err
    assert not any(alive(w) for w in workers)
    assert leftovers(db) == []
    assert rows(db, "SELECT build_id FROM builds")[0][0] == before


@pytest.mark.slow
def test_check_sweeps_what_dead_builds_left_but_not_what_running_ones_write(tmp_path):
    raw, db = make_site(tmp_path)
    build_warehouse(raw, db)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        hour_ago = time.time() - 3600
        dead_tmp = db.with_name(f"{db.name}.tmp-{dead.stdout.strip()}-aaaaaa")
        reused = db.parent / f".{db.name}.spool-{sleeper.pid}-bbbbbb"  # its pid now names a newer process
        running = db.with_name(f"{db.name}.tmp-{sleeper.pid}-cccccc")
        for path in (dead_tmp, Path(str(dead_tmp) + ".wal"), running):
            path.write_bytes(b"x")
        reused.mkdir()
        (reused / "x.arrow").write_bytes(b"")
        os.utime(reused, (hour_ago, hour_ago))
        out = subprocess.run([sys.executable, "-m", "etl", "check", "--db", str(db)], cwd=ROOT,
                             capture_output=True, text=True)  # fmt: skip
        assert out.returncode == 0, out.stderr
        assert leftovers(db) == [running]
    finally:
        sleeper.kill()
        sleeper.wait()


def _slow_report() -> bytes:
    """One long report (all samples forty times over, years varied): seconds of extraction."""
    text = "\n\n".join(f.read_text(encoding="utf-8") for f in sorted(RAW.glob("*.txt")))
    return "\n\n".join(text.replace("2024", str(2000 + i % 25)) for i in range(40)).encode("utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "worker-processes"])
def test_a_file_over_its_time_budget_fails_with_its_reason_and_the_others_load(tmp_path, workers):
    raw, db = make_site(tmp_path)
    (raw / "cham.txt").write_bytes(_slow_report())
    started = time.monotonic()
    report = build_warehouse(raw, db, workers=workers, file_timeout=1.0)
    assert time.monotonic() - started < 15
    assert report.errors == [("cham.txt", "cham.txt: quá thời gian trích xuất (quá 1 giây); bỏ qua tệp này")]
    assert report.documents == 5
    assert rows(db, "SELECT status, error FROM build_sources WHERE file_name = 'cham.txt'") == [
        ("failed", "cham.txt: quá thời gian trích xuất (quá 1 giây); bỏ qua tệp này")
    ]


@pytest.mark.slow
def test_the_command_line_takes_the_budget_from_its_option_and_from_the_environment(tmp_path):
    raw, db = make_site(tmp_path)
    (raw / "cham.txt").write_bytes(_slow_report())
    out = subprocess.run([sys.executable, "-m", "etl", "build", "--raw", str(raw), "--db", str(db),
                          "--file-timeout", "0.5"], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert out.returncode == 1
    assert "cham.txt: quá thời gian trích xuất (quá 0,5 giây)" in out.stderr and "Văn bản: 5" in out.stdout
    env = {**os.environ, "ETL_FILE_TIMEOUT": "0.5"}
    out = subprocess.run([sys.executable, "-m", "etl", "build", "--full", "--raw", str(raw), "--db", str(db)],
                         cwd=ROOT, capture_output=True, text=True, env=env)  # fmt: skip
    assert out.returncode == 1 and "quá thời gian trích xuất (quá 0,5 giây)" in out.stderr


@pytest.mark.slow
def test_a_worker_the_alarm_cannot_reach_is_killed_and_the_rest_of_its_chunk_loads(big_site, tmp_path):
    """A stopped worker (as one hung in the kernel) never runs its alarm: the build kills it, the
    file it was on fails for its time, a new worker reads the rest of its chunk."""
    raw, db = _copy(big_site, tmp_path)
    proc, workers = _running_build(raw, db, "--file-timeout", "1")
    for w in workers:
        os.kill(w, signal.SIGSTOP)
    out, err = proc.communicate(timeout=90)
    failed = [line for line in err.splitlines() if line.startswith("LỖI")]
    assert proc.returncode == (1 if failed else 0), err
    assert all("quá thời gian trích xuất (quá 1 giây)" in line for line in failed), failed
    assert len(failed) <= 2
    assert f"Văn bản: {5 * (COPIES + 1) - len(failed)}" in out
    assert not any(alive(w) for w in workers)
    assert children(proc.pid) == []
