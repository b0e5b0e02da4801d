"""Files -> chunks of warehouse rows, made in worker processes (one per core).

A worker reads, normalises and extracts each file, replays the corrections, turns it into
schema-ordered rows (documents, facts, unassigned mentions) typed as Arrow tables, runs the
checks that look inside one document, and leaves the tables as an Arrow file in a spool
folder: the page cache carries them to the parent, where pickling them through a pipe would
stall the workers.

The workers belong to the build: the kernel kills them when the build process dies, and the
build kills them when it stops early. Each file has a time budget (``ETL_FILE_TIMEOUT``,
60 s by default): an alarm in the worker stops a file over it; a worker stuck where the alarm
cannot reach (C code) is killed by the build, which hands the rest of its chunk to a new one.
A file over budget fails with its reason; the other files load.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing as mp
import os
import pickle
import shutil
import signal
import threading
import time
import traceback
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from etl.batch import Chunk, chunk_of
from etl.catalog import Catalog
from etl.corrections import Correction
from etl.transform import TransformInputs, given_up, overtime_message, sha256_of, transform

__all__ = [
    "DEFAULT_FILE_TIMEOUT",
    "extract_in_chunks",
    "file_timeout",
    "owner_alive",
    "sha256_of",
    "spool_folder",
    "sweep_spools",
    "transform_in_chunks",
]

_PARALLEL_FROM = 64  # files; below this a process pool costs more than it saves
_CHUNK = 32  # files a worker extracts before handing their rows back
DEFAULT_FILE_TIMEOUT = 60.0  # seconds one file may take to read and extract
_POLL = 0.2  # seconds between the build's looks at its workers
_AHEAD = 2  # tasks sent to a worker before it finishes the first


def file_timeout(seconds: float | None = None) -> float | None:
    """The per-file budget: the argument, else ``ETL_FILE_TIMEOUT``, else 60 s; 0 or less means none."""
    if seconds is None:
        try:
            seconds = float(os.environ.get("ETL_FILE_TIMEOUT", DEFAULT_FILE_TIMEOUT))
        except ValueError:
            seconds = DEFAULT_FILE_TIMEOUT
    return seconds if seconds > 0 else None


def _load_chunk(
    items: list[tuple[str, Path]],
    inputs: TransformInputs | None = None,
    given_up_at: dict[int, str] | None = None,
    on_file: Callable[[int | None], None] | None = None,
) -> Chunk:
    """Files -> one chunk, each file by ``transform``; in a worker process, with the inputs it was
    started with. ``given_up_at`` holds the files (by index) that already failed in a worker that
    had to be killed; ``on_file(k)`` is told as each file starts."""
    inputs = inputs or _worker["inputs"]  # type: ignore[assignment]
    done = []
    for k, item in enumerate(items):
        if given_up_at and k in given_up_at:
            done.append(given_up(item, given_up_at[k]))
            continue
        if on_file is not None:
            on_file(k)
        done.append(transform(item, inputs))  # type: ignore[arg-type]
    if on_file is not None:
        on_file(None)  # the files are done: what follows is no file's time
    return chunk_of(done, _worker.get("spool"))  # type: ignore[arg-type]


def extract_in_chunks(
    items: list[tuple[str, Path]],
    catalog: Catalog,
    corrections: list[Correction],
    checks: tuple[dict, dict],
    workers: int | None,
    spool: Path,
    on_progress: object = None,
    budget: float | None = None,
) -> Iterator[Chunk]:
    """Chunks of files in order, from worker processes when there are enough files to pay for them
    (their Arrow tables then wait in ``spool``; a chunk's ``release`` removes them).

    ``budget`` is each file's time budget in seconds (None: ``file_timeout()``).
    ``on_progress(done, total)`` is called as results arrive (for a progress bar)."""
    inputs = TransformInputs(catalog, tuple(corrections), checks, file_timeout(budget))
    return transform_in_chunks(items, inputs, workers, spool, on_progress)


def transform_in_chunks(
    items: list[tuple[str, Path]],
    inputs: TransformInputs,
    workers: int | None,
    spool: Path,
    on_progress: object = None,
) -> Iterator[Chunk]:
    """``transform`` over ``items`` with ``inputs`` (its ``budget`` as given: None is no limit), by
    worker processes when there are enough files: chunks in order, as ``extract_in_chunks``."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(items) >= _PARALLEL_FROM else 1
    budget = inputs.budget
    batches = [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]
    pool = None
    if workers <= 1:
        results: Iterator[Chunk] = (_load_chunk(b, inputs) for b in batches)
    else:
        pool = _Pool(workers, (inputs, spool), budget)
        results = pool.run(batches)
    done = 0
    try:
        for chunk in results:
            done += len(chunk.sources)
            if callable(on_progress):
                on_progress(done, len(items))
            yield chunk
    finally:
        if pool is not None:
            pool.close()


_worker: dict[str, object] = {}


def _set_worker(inputs: TransformInputs, spool: Path) -> None:
    """One set of transform inputs (catalog, corrections, checks, time budget) and spool folder per
    worker process: sent once, not with every task.

    They live as long as the worker: frozen, the garbage collector no longer walks them."""
    _worker.update(inputs=inputs, spool=spool)
    gc.freeze()


@dataclass(frozen=True, slots=True)
class _Task:
    """A chunk of files for one worker; ``given_up`` are files (by index) that already failed."""

    seq: int
    items: list[tuple[str, Path]]
    given_up: dict[int, str] = field(default_factory=dict)
    restarts: int = 0  # times a worker was lost on it outside any file


@dataclass(slots=True)
class _Slot:
    """One worker process, the tasks sent to it and not done yet (it reads the first; the next one
    waits in its pipe, so it never idles while the build loads rows), and the file it started last."""

    process: mp.process.BaseProcess
    conn: Connection
    tasks: deque[_Task] = field(default_factory=deque)
    current: int | None = None
    since: float = 0.0


class _Pool:
    """Worker processes owned by one build: forked from it, killed with it, and replaced when one
    has to be killed for a file over its time budget (the rest of its work goes to the new one)."""

    def __init__(self, size: int, setup: tuple, budget: float | None) -> None:
        self.size, self.setup, self.budget = size, setup, budget
        self.ctx = mp.get_context("fork")  # the catalog and corrections reach the workers unpickled
        self.slots: list[_Slot] = []
        self.todo: deque[_Task] = deque()
        self.ready: dict[int, Chunk] = {}

    def run(self, batches: list[list[tuple[str, Path]]]) -> Iterator[Chunk]:
        """The chunks in order, whatever order the workers finish them in."""
        self.todo.extend(_Task(seq, items) for seq, items in enumerate(batches))
        self.slots = [self._start() for _ in range(min(self.size, len(batches)))]
        for seq in range(len(batches)):
            while seq not in self.ready:
                self._step()
            yield self.ready.pop(seq)

    def _start(self) -> _Slot:
        mine, theirs = self.ctx.Pipe()
        process = self.ctx.Process(target=_work, args=(theirs, os.getpid(), self.setup), daemon=True)
        process.start()
        theirs.close()  # the worker holds the only other end: its death reads as end of file here
        return _Slot(process, mine)

    def _step(self) -> None:
        for slot in list(self.slots):
            while len(slot.tasks) < _AHEAD and self.todo and slot in self.slots:
                self._give(slot, self.todo.popleft())
        busy = {slot.conn: slot for slot in self.slots if slot.tasks}
        for conn in wait(list(busy), timeout=_POLL):
            self._drain(busy[conn])  # type: ignore[index]
        self._watch()

    def _give(self, slot: _Slot, task: _Task) -> None:
        slot.tasks.append(task)
        if len(slot.tasks) == 1:
            slot.current, slot.since = None, time.monotonic()
        try:
            slot.conn.send((task.items, task.given_up))
        except OSError:  # the worker died while idle: a new one takes its tasks
            self._replace(slot, list(slot.tasks))

    def _drain(self, slot: _Slot) -> None:
        """Every message the worker sent, so no time is counted against it while the build was busy."""
        while slot in self.slots and slot.tasks and slot.conn.poll(0):
            self._receive(slot)

    def _receive(self, slot: _Slot) -> None:
        try:
            kind, value = slot.conn.recv()
        except (EOFError, OSError):
            slot.process.join(timeout=1)
            code = slot.process.exitcode
            self._give_up(slot, lambda p: f"{p.name}: tiến trình trích xuất dừng đột ngột (mã {code}); bỏ qua tệp này")
            return
        if kind == "start":
            slot.current, slot.since = value, time.monotonic()
        elif kind == "done":
            self.ready[slot.tasks.popleft().seq] = _unpickled(Path(value))
            slot.current, slot.since = None, time.monotonic()  # the next task, already sent, starts
        else:
            raise RuntimeError(f"Lỗi trong tiến trình trích xuất:\n{value}")

    def _watch(self) -> None:
        """Kill a worker whose file ran well past its budget without the alarm stopping it (or that
        hangs as long between files)."""
        if not self.budget:
            return
        limit = self.budget + max(2.0, self.budget / 4)  # the same outside files: typing rows takes far less
        for slot in list(self.slots):
            if slot.tasks and time.monotonic() - slot.since > limit:
                self._give_up(slot, lambda p: overtime_message(p, self.budget or 0))

    def _give_up(self, slot: _Slot, reason: Callable[[Path], str]) -> None:
        """The file the worker was on fails with ``reason``; a new worker takes the rest of its work
        (the whole chunk again, a few times, when it was lost outside any file)."""
        task, rest, k = slot.tasks[0], list(slot.tasks)[1:], slot.current
        if k is None and task.restarts >= 2:
            raise RuntimeError("Tiến trình trích xuất dừng đột ngột ngoài một tệp nào")
        if k is None:
            again = _Task(task.seq, task.items, task.given_up, task.restarts + 1)
        else:
            again = _Task(task.seq, task.items, {**task.given_up, k: reason(task.items[k][1])})
        self._replace(slot, [again, *rest])

    def _replace(self, slot: _Slot, tasks: list[_Task]) -> None:
        """A new worker instead of this one; its tasks go first in line, in their order."""
        _stop(slot)
        self.slots.remove(slot)
        self.slots.append(self._start())
        self.todo.extendleft(reversed(tasks))

    def close(self) -> None:
        """Stop every worker: idle ones are told to leave, busy ones (the build stopped early) killed."""
        for slot in self.slots:
            if not slot.tasks:
                with suppress(OSError):
                    slot.conn.send(None)
        deadline = time.monotonic() + 2.0
        for slot in self.slots:
            if not slot.tasks:
                slot.process.join(timeout=max(0.0, deadline - time.monotonic()))
            _stop(slot)
        self.slots.clear()


def _stop(slot: _Slot) -> None:
    """Kill the worker if it still runs (SIGKILL also ends a stopped one), reap it, close its pipe."""
    if slot.process.is_alive():
        slot.process.kill()
    slot.process.join()
    slot.conn.close()


def _work(conn: Connection, parent: int, setup: tuple) -> None:
    """A worker's life: tied to the build, deaf to Ctrl-C (the build stops it), one chunk at a time."""
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _set_worker(*setup)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        items, given_up = task
        try:
            chunk = _load_chunk(items, given_up_at=given_up, on_file=lambda k: conn.send(("start", k)))
            done = _pickled(chunk, _worker["spool"])  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - a failure outside any one file stops the build, with its trace
            conn.send(("error", traceback.format_exc()[-3000:]))
            continue
        conn.send(("done", str(done)))  # every message is a few bytes: written whole, whenever the worker stops


def _pickled(chunk: Chunk, spool: Path) -> Path:
    """The chunk's small parts beside its Arrow files, so the pipe only carries their name."""
    path = spool / f"{uuid.uuid4().hex}.chunk"
    path.write_bytes(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def _unpickled(path: Path) -> Chunk:
    try:
        return pickle.loads(path.read_bytes())  # noqa: S301 - our own worker wrote it, in our own folder
    finally:
        path.unlink(missing_ok=True)


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """The kernel kills this worker when the build dies (Linux); elsewhere a thread watches."""
    try:
        armed = ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):
        armed = False
    if os.getppid() != parent:  # the build died before the request took effect
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def owner_alive(suffix: str, since: float | None = None) -> bool:
    """Whether the build that named a file '<pid>-<random>' still runs (then its file is not stale).

    ``since`` is the file's modification time: a process started after it reuses a dead build's pid."""
    pid = suffix.split("-", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    started = _started_at(int(pid))
    return not (since is not None and started is not None and started > since + 1.0)


def _started_at(pid: int) -> float | None:
    """When a process started (epoch seconds), from /proc; None where /proc cannot tell."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        boot = next(line for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime"))
        return int(boot.split()[1]) + int(stat[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError, StopIteration):
        return None


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def sweep_spools(db_path: Path) -> int:
    """Remove the spool folders of builds that are gone; returns how many."""
    swept = 0
    for stale in db_path.parent.glob(f".{db_path.name}.spool-*"):
        if not owner_alive(stale.name.rsplit("spool-", 1)[1], _mtime(stale)):
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed build
            swept += 1
    return swept


@contextmanager
def spool_folder(db_path: Path) -> Iterator[Path]:
    """A folder beside the warehouse where workers leave their Arrow files; gone afterwards."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    sweep_spools(db_path)
    folder = db_path.parent / f".{db_path.name}.spool-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
