"""Reviewers' corrections: an append-only log beside the originals, replayed by every build.

A correction names its target by content, not by build: the document's sha256, and for a
fact its extracted indicator and character span. The extraction itself is never changed;
the warehouse shows the corrected value with status ``corrected`` (or ``rejected``).

An assignment (field ``assign``) names a measured number no indicator took by its span
(``mention@<start>-<end>``) and gives it an indicator: on replay the mention becomes a fact
(rule ``manual.assign``, status ``corrected``) with the document's period, and later
corrections name that fact like any other (``<indicator>@<start>-<end>``).

The log is shared by builds and editors, so it is only touched under ``build_lock``: a build
holds it from reading its inputs to the swap, an append holds it while it writes. A build
fingerprints exactly the bytes it replayed (``read_corrections``); a bad line is reported by
its number and skipped, never stopping the other corrections.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import re
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from etl.models import DocumentMeta, Fact, Mention

if TYPE_CHECKING:
    from etl.catalog import Catalog

__all__ = [
    "ASSIGN",
    "ASSIGN_EXTRACTOR",
    "ASSIGN_RULE",
    "DOC_FIELDS",
    "FACT_FIELDS",
    "LOCK_FILE",
    "Correction",
    "CorrectionsLog",
    "append_corrections",
    "apply_corrections",
    "assign_mentions",
    "build_lock",
    "fact_key",
    "load_corrections",
    "mention_key",
    "parse_corrections",
    "read_corrections",
]

DOC_FIELDS = ("province", "agency", "report_type", "period_label", "period_start", "period_end")
FACT_FIELDS = ("value", "indicator", "period_start", "period_end", "as_of", "status")
_DATE_FIELDS = {"period_start", "period_end", "as_of"}
ASSIGN = "assign"  # the field of an assignment: a mention given an indicator
ASSIGN_RULE = "manual.assign"  # the rule of the fact an assignment makes
ASSIGN_EXTRACTOR = "manual"  # who made that fact: an editor, not an extractor
_MENTION_KEY = re.compile(r"mention@\d+-\d+")


@dataclass(frozen=True, slots=True)
class Correction:
    doc_sha256: str
    field: str
    new_value: str | None
    why: str
    who: str
    fact_key: str | None = None  # None: the document's metadata
    old_value: str | None = None
    at: str = ""
    correction_id: str = ""
    # The figure as the editor saw it, so a build can find it again when the extractor moves its
    # span: where its number starts in the original, the value the rules read, the quote.
    num_start: int | None = None
    num_value: str | None = None
    quote: str | None = None

    def validated(self) -> Correction:
        """Fill id and time; refuse a correction without a reason or on an unknown field."""
        if not self.why.strip():
            raise ValueError("Cần ghi lý do sửa")
        if not self.who.strip():
            raise ValueError("Cần ghi người sửa")
        if self.field == ASSIGN or (self.fact_key or "").startswith("mention@"):
            return self._validated_assignment()
        problem = self.problem()
        if problem:
            raise ValueError(problem)
        return self._stamped()

    def problem(self) -> str | None:
        """Why replaying this correction would fail, in Vietnamese; None when it can be replayed.

        The catalog is not consulted: an assignment to a code the catalog dropped is kept and
        shown as not applied."""
        if self.field == ASSIGN or (self.fact_key or "").startswith("mention@"):
            if self.field != ASSIGN or not _MENTION_KEY.fullmatch(self.fact_key or ""):
                return "Gán chỉ tiêu cần một số liệu chưa gán (mention@<đầu>-<cuối>) và trường 'assign'"
            return self._figure_problem()
        allowed = FACT_FIELDS if self.fact_key else DOC_FIELDS
        if self.field not in allowed:
            return f"Không sửa được trường {self.field!r}"
        if self.field == "status" and self.new_value not in ("rejected", "extracted"):
            return "Trạng thái chỉ có thể là rejected hoặc extracted"
        if self.field == "value" and not _is_number(self.new_value):
            return f"giá trị {self.new_value!r} không phải là số"
        if self.field in _DATE_FIELDS and self.new_value and not _is_iso(self.new_value, date.fromisoformat):
            return f"ngày {self.new_value!r} không đúng dạng YYYY-MM-DD"
        if self.at and not _is_iso(self.at, datetime.fromisoformat):
            return f"thời điểm sửa {self.at!r} không đúng dạng ISO"
        return self._figure_problem()

    def _figure_problem(self) -> str | None:
        """The recorded figure must be usable to find it again (a hand-written line may be wrong)."""
        if self.num_start is not None and (type(self.num_start) is not int or self.num_start < 0):
            return f"vị trí số liệu {self.num_start!r} không hợp lệ"
        if self.num_value is not None and not _is_number(self.num_value):
            return f"giá trị gốc {self.num_value!r} không phải là số"
        return None

    def _validated_assignment(self) -> Correction:
        """An assignment names a mention by its span and a catalog indicator."""
        from etl.catalog import default_catalog  # the catalog only when an assignment is checked

        problem = self.problem()
        if problem:
            raise ValueError(problem)
        try:
            default_catalog().get(str(self.new_value))
        except KeyError:
            raise ValueError(f"Không có chỉ tiêu {self.new_value!r} trong danh mục") from None
        return self._stamped()

    def _stamped(self) -> Correction:
        return replace(
            self,
            at=self.at or datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
            correction_id=self.correction_id or uuid.uuid4().hex[:16],
        )


def fact_key(fact: Fact) -> str:
    """What identifies an extracted figure across builds: indicator and span in the original."""
    return f"{fact.indicator}@{fact.char_start}-{fact.char_end}"


def mention_key(mention: Mention) -> str:
    """What identifies a measured number no indicator took: its span in the original."""
    return f"mention@{mention.char_start}-{mention.char_end}"


def _is_number(value: object) -> bool:
    try:
        return math.isfinite(float(str(value).replace(",", ".")))
    except ValueError:
        return False


def _is_iso(value: str, parse: object) -> bool:
    try:
        parse(value)  # type: ignore[operator]
    except (TypeError, ValueError):
        return False
    return True


LOCK_FILE = ".build.lock"  # in the data folder: data/.build.lock, beside data/raw and data/corrections.jsonl


@dataclass(slots=True)
class _Held:
    """One lock file as this process holds it: reentrant, so a publish that holds it can build."""

    thread_lock: threading.RLock = field(default_factory=threading.RLock)
    handle: object = None
    depth: int = 0


_held: dict[str, _Held] = {}
_held_guard = threading.Lock()


@contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """The one writer lock of a data folder, shared by builds, corrections and imports.

    A build holds it from reading its inputs to the swap; an append holds it while it writes.
    Reentrant in one process (a publish holds it while it builds); readers never take it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    with _held_guard:
        held = _held.setdefault(str(path.resolve()), _Held())
    with held.thread_lock:
        if held.depth == 0:
            held.handle = _acquire(path)
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0:
                fcntl.flock(held.handle, fcntl.LOCK_UN)  # type: ignore[arg-type]
                held.handle.close()  # type: ignore[attr-defined]
                held.handle = None


def _acquire(path: Path) -> object:
    """Open and lock the file, saying once on stderr when another writer makes us wait."""
    handle = path.open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"{path}: đang có bản dựng hoặc sửa đổi khác chạy, chờ nó xong…", file=sys.stderr)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except BaseException:
            handle.close()
            raise
    return handle


def _forget_locks_in_child() -> None:
    """A forked worker must not keep its parent's lock alive after the parent dies."""
    for held in _held.values():
        if held.handle is not None:
            held.handle.close()  # type: ignore[attr-defined]  # the parent's lock stays: it has its own descriptor
        held.handle, held.depth = None, 0
        held.thread_lock = threading.RLock()
    _held.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


@dataclass(frozen=True, slots=True)
class CorrectionsLog:
    """The corrections log as one build read it: the exact bytes (what the build fingerprints),
    the corrections they hold, and one Vietnamese line per line that could not be replayed."""

    data: bytes
    corrections: list[Correction]
    problems: list[str]


_FIELDS = {f.name for f in fields(Correction)}
_REQUIRED = ("doc_sha256", "field", "new_value", "why", "who")
_TEXT = ("doc_sha256", "field", "why", "who", "at", "correction_id")  # must be strings
_OPTIONAL_TEXT = ("new_value", "old_value", "fact_key", "num_value", "quote")  # strings or null (a number as text)
_OPTIONAL_INT = ("num_start",)  # a whole number or null
_FIGURE_FIELDS = ("num_start", "num_value", "quote")  # written only when known: a line without them is an old one
_SCALAR = str | int | float | None
_UNKNOWN_TIME = "1970-01-01T00:00:00"  # a hand-written line without its time


def read_corrections(path: Path) -> CorrectionsLog:
    """Read the log once: the build replays and fingerprints these very bytes."""
    data = path.read_bytes() if path.exists() else b""
    corrections, problems = parse_corrections(data, path.name)
    return CorrectionsLog(data, corrections, problems)


def load_corrections(path: Path) -> list[Correction]:
    """The corrections of the log that can be replayed (bad lines are skipped)."""
    return read_corrections(path).corrections


def parse_corrections(data: bytes, name: str = "corrections.jsonl") -> tuple[list[Correction], list[str]]:
    """Corrections in log order, and a '<name> dòng N: …' line for each line skipped.

    An exact duplicate of an earlier line is the same correction written twice: read once."""
    out: list[Correction] = []
    problems: list[str] = []
    seen_lines: set[str] = set()
    seen_ids: dict[str, int] = {}
    for n, raw in enumerate(data.split(b"\n"), start=1):
        line = raw.decode("utf-8", errors="replace").strip()
        if not line or line in seen_lines:
            continue
        seen_lines.add(line)
        c, problem = _parse_line(line) if _is_utf8(raw) else (None, "không phải văn bản UTF-8")
        if c is not None and c.correction_id in seen_ids:
            c, problem = None, f"mã sửa đổi {c.correction_id!r} trùng với dòng {seen_ids[c.correction_id]}"
        if problem:  # a line recovered from its end is read, with a note
            problems.append(f"{name} dòng {n}: {problem}" + ("" if c is not None else "; bỏ qua dòng này"))
        if c is not None:
            seen_ids[c.correction_id] = n
            out.append(c)
    return out, problems


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parse_line(line: str) -> tuple[Correction | None, str | None]:
    """One log line as a correction, or why it cannot be replayed. A line an old writer appended
    onto a cut-off line is recovered from its end (with a note)."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        tail = _recover_tail(line)
        if tail is None:
            return None, f"không đọc được JSON ({exc.msg}, cột {exc.colno}) — dòng bị cắt hoặc hỏng"
        c, problem = _correction_of(tail, line)
        return c, problem or "phần đầu dòng bị cắt; đã đọc sửa đổi ghi nối ở cuối dòng"
    return _correction_of(item, line)


def _recover_tail(line: str) -> dict | None:
    """The last complete JSON object a line ends with, after a cut-off beginning."""
    decoder = json.JSONDecoder()
    start = line.find('{"', 1)
    while start != -1:
        try:
            item, end = decoder.raw_decode(line, start)
        except json.JSONDecodeError:
            item, end = None, 0
        if isinstance(item, dict) and end == len(line):
            return item
        start = line.find('{"', start + 1)
    return None


def _correction_of(item: object, line: str) -> tuple[Correction | None, str | None]:
    """A parsed line as a correction, or why it is not one."""
    if not isinstance(item, dict):
        return None, "không phải một đối tượng JSON"
    extra = sorted(set(item) - _FIELDS)
    missing = [k for k in _REQUIRED if k not in item]
    if extra or missing:
        return None, "; ".join(
            [f"trường lạ {', '.join(map(repr, extra))}"] * bool(extra)
            + [f"thiếu trường {', '.join(map(repr, missing))}"] * bool(missing)
        )
    bad = [k for k in _TEXT if k in item and not isinstance(item[k], str)]
    bad += [k for k in _OPTIONAL_TEXT if isinstance(item.get(k), bool) or not isinstance(item.get(k), _SCALAR)]
    if bad:
        return None, f"trường {', '.join(map(repr, bad))} phải là chuỗi"
    not_int = [k for k in _OPTIONAL_INT if item.get(k) is not None and type(item[k]) is not int]
    if not_int:
        return None, f"trường {', '.join(map(repr, not_int))} phải là số nguyên"
    values = {k: str(v) if isinstance(v, int | float) and k not in _OPTIONAL_INT else v for k, v in item.items()}
    values.setdefault("correction_id", hashlib.sha256(line.encode()).hexdigest()[:16])  # an old line without id
    values.setdefault("at", _UNKNOWN_TIME)
    c = Correction(**values)
    problem = c.problem()
    return (None, problem) if problem else (c, None)


def append_corrections(path: Path, corrections: list[Correction]) -> list[Correction]:
    """Validate and append under the build lock; the log is only ever appended to, and on disk
    before this returns. A cut-off last line is closed first, so it never swallows a new line."""
    checked = [c.validated() for c in corrections]
    if not checked:
        return checked
    payload = "".join(json.dumps(_line_of(c), ensure_ascii=False) + "\n" for c in checked).encode("utf-8")
    with build_lock(path.parent):
        created = not path.exists()
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            if _ends_without_newline(fd):
                payload = b"\n" + payload
            while payload:  # one write in practice; a reader at worst sees a cut-off last line
                payload = payload[os.write(fd, payload) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:  # the new file's name on disk too
            _fsync_folder(path.parent)
    return checked


def _line_of(c: Correction) -> dict[str, object]:
    """A correction as its log line: the figure's fields only when known, so a metadata
    correction's line reads as before."""
    return {k: v for k, v in asdict(c).items() if v is not None or k not in _FIGURE_FIELDS}


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _ends_without_newline(fd: int) -> bool:
    size = os.fstat(fd).st_size
    return size > 0 and os.pread(fd, 1, size - 1) != b"\n"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _meta_value(field: str, value: str | None) -> object:
    return _date(value) if field in ("period_start", "period_end") else value


def apply_to_meta(meta: DocumentMeta, corrections: list[Correction]) -> DocumentMeta:
    """The document's metadata with its corrections, latest last."""
    for c in corrections:
        if c.fact_key is None:
            meta = replace(meta, **{c.field: _meta_value(c.field, c.new_value)})
    return meta


def apply_to_fact(fact: Fact, corrections: list[Correction]) -> tuple[Fact, str, set[str]]:
    """The fact with its corrections, its status, and the ids of the corrections applied."""
    status, applied = "extracted", set()
    for c in corrections:
        if c.fact_key != fact_key(fact):
            continue
        applied.add(c.correction_id)
        if c.field == "status":
            status = "rejected" if c.new_value == "rejected" else "extracted"
            continue
        if c.field == "value":
            fact = replace(fact, value=float(str(c.new_value).replace(",", ".")))
        elif c.field in _DATE_FIELDS:
            fact = replace(fact, **{c.field: _date(c.new_value)})
        else:
            fact = replace(fact, **{c.field: c.new_value})
        status = "corrected" if status != "rejected" else status
    return fact, status, applied


def apply_corrections(
    meta: DocumentMeta, facts: tuple[Fact, ...], sha256: str, corrections: list[Correction]
) -> tuple[DocumentMeta, list[tuple[Fact, Fact, str]], set[str]]:
    """One document's corrected metadata, (extracted, effective, status) per fact, and applied ids."""
    mine = [c for c in corrections if c.doc_sha256 == sha256 and c.field != ASSIGN]
    applied = {c.correction_id for c in mine if c.fact_key is None}
    out = []
    for f in facts:
        effective, status, used = apply_to_fact(f, mine)
        applied |= used
        out.append((f, effective, status))
    return apply_to_meta(meta, mine), out, applied


def _assigned_fact(mention: Mention, code: str, meta: DocumentMeta, catalog: Catalog) -> Fact | None:
    """The fact an assignment makes of a mention: the indicator's unit, the document's period
    (a calendar year for annual indicators), or the period's end for a stock; None for a code
    the catalog no longer has."""
    try:
        ind = catalog.get(code)
    except KeyError:
        return None
    start, end = meta.period_start, meta.period_end
    if ind.period == "calendar_year" and end is not None:
        start, end = date(end.year, 1, 1), date(end.year, 12, 31)
    as_of = None
    if ind.kind == "stock":
        as_of = min(end, meta.report_date) if end and meta.report_date else end  # not known after signing
        start = end = None
    return Fact(
        doc=mention.doc, indicator=code, value=mention.value, unit=ind.unit, qualifier="exact",
        period_start=start, period_end=end, as_of=as_of, quote=mention.quote,
        char_start=mention.char_start, char_end=mention.char_end, sentence=mention.sentence,
        sentence_start=mention.sentence_start, sentence_end=mention.sentence_end,
        rule=ASSIGN_RULE, confidence=1.0, extractor=ASSIGN_EXTRACTOR, num_start=mention.num_start,
    )  # fmt: skip


def assign_mentions(
    meta: DocumentMeta,
    mentions: tuple[Mention, ...],
    facts: tuple[Fact, ...],
    sha256: str,
    corrections: list[Correction],
    catalog: Catalog,
) -> tuple[list[tuple[Fact, Fact, str]], list[Mention], set[str]]:
    """Replay one document's assignments: (assigned, effective, status) of each fact they make,
    the mentions left unassigned, and the ids of the corrections applied.

    ``meta`` is the document's corrected metadata (its period dates the new facts). The latest
    assignment of a mention wins; corrections naming the new fact (its value, indicator, status)
    then apply as to any fact. An assignment whose mention is gone, or whose span an extracted
    fact now holds, is not applied."""
    mine = [c for c in corrections if c.doc_sha256 == sha256]
    wanted = {c.fact_key: c for c in mine if c.field == ASSIGN}
    if not wanted:
        return [], list(mentions), set()
    taken = {(f.char_start, f.char_end) for f in facts}
    out, left, applied = [], [], set()
    for m in mentions:
        c = wanted.get(mention_key(m))
        made = None
        if c is not None and (m.char_start, m.char_end) not in taken:
            made = _assigned_fact(m, str(c.new_value), meta, catalog)
        if made is None:
            left.append(m)
            continue
        taken.add((m.char_start, m.char_end))
        effective, status, used = apply_to_fact(made, [x for x in mine if x.field != ASSIGN])
        applied |= used | {c.correction_id}
        out.append((made, effective, "rejected" if status == "rejected" else "corrected"))
    return out, left, applied
