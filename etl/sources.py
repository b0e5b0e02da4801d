"""The raw folder -> the files a build reads, and the entries it refuses, each with its reason.

Only regular files are read: no devices, FIFOs or sockets, and a symbolic link only when it
ends at a regular file inside the raw folder. Nothing is skipped silently except hidden
entries (".gitkeep"): a refused entry stays in the listing with its reason, so the build
reports it like any file that failed. A file is opened without following a link or waiting on
a FIFO and checked again once open (fstat), so a file swapped or deleted while the build runs
fails on its own instead of stopping the build.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PosixPath

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUFFIXES",
    "RawFile",
    "RawListing",
    "UnreadableError",
    "raw_entries",
    "raw_files",
    "read_regular",
    "scan_raw",
    "shown",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = (".txt", ".md", ".docx", ".pdf")
# Reading a listed file whole by path (hashing it) stops here: a regular file, but never without end.
WHOLE_READ_MAX_BYTES = 256 * 1024 * 1024

_SAVE_AS_DOCX = "hãy lưu lại dưới dạng .docx"
_TABLE_TO_DOCX = "hãy chép bảng vào tệp .docx hoặc lưu dưới dạng .pdf"
_HINTS = {
    ".doc": _SAVE_AS_DOCX, ".rtf": _SAVE_AS_DOCX, ".odt": _SAVE_AS_DOCX, ".wpd": _SAVE_AS_DOCX,
    ".docm": _SAVE_AS_DOCX, ".dotx": _SAVE_AS_DOCX, ".htm": _SAVE_AS_DOCX, ".html": _SAVE_AS_DOCX,
    ".xls": _TABLE_TO_DOCX, ".xlsx": _TABLE_TO_DOCX, ".ods": _TABLE_TO_DOCX,
    ".ppt": "hãy lưu lại dưới dạng .pdf", ".pptx": "hãy lưu lại dưới dạng .pdf",
}  # fmt: skip
_KINDS = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "thiết bị"), (stat.S_ISBLK, "thiết bị"))
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_OPEN_FLAGS |= getattr(os, "O_CLOEXEC", 0)
# C0/C1 controls, DEL, bidi overrides and line separators: they could draw a fake line or colour
# in a terminal; \udc80-\udcff are bytes of a name that is not UTF-8 (os' surrogateescape).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\udc80-\udcff]")


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(name: str) -> str:
    """A file name as a message shows it: control characters escaped like repr does (\\x1b), so a
    name cannot forge a line, a colour or a "LỖI" of its own."""
    return _UNSAFE.sub(_escaped, name)


def _escaped(m: re.Match[str]) -> str:
    if m.group() in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[m.group()]
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the byte the name really holds
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class UnreadableError(OSError):
    """A listed file that is not read; ``str()`` is the reason, in Vietnamese, without the name."""


class RawFile(PosixPath):
    """A path the listing accepted or refused. Whoever reads it by path (``read_bytes``, ``stat``)
    never follows a link, waits on a FIFO or reads without end; a refused one carries its reason."""

    refusal: str | None = None  # why it is not read
    target: str | None = None  # the regular file inside the raw folder a link ends at
    identity: tuple[int, int] | None = None  # (st_dev, st_ino) when listed: another file there is refused
    listed: os.stat_result | None = None  # a refused entry's lstat when listed

    def read_bytes(self) -> bytes:
        """The file's bytes, read as ``read_regular`` does; a refused entry raises UnreadableError."""
        return read_regular(self, WHOLE_READ_MAX_BYTES)

    def stat(self, *, follow_symlinks: bool = True) -> os.stat_result:  # noqa: ARG002 - never follows
        """The file's status without following a link: an accepted link's target, a refused entry as listed."""
        if self.refusal is not None and self.listed is not None:
            return self.listed
        return os.lstat(self.target or self)

    def __reduce__(self) -> tuple:
        return (_raw_file, (str(self), self.refusal, self.target, self.identity, self.listed))


def _raw_file(
    path: str,
    refusal: str | None = None,
    target: str | None = None,
    identity: tuple[int, int] | None = None,
    listed: os.stat_result | None = None,
) -> RawFile:
    """A RawFile with its listing facts (also how one is rebuilt in a worker process)."""
    raw = RawFile(path)
    raw.refusal, raw.target, raw.identity, raw.listed = refusal, target, identity, listed
    return raw


@dataclass(frozen=True, slots=True)
class RawListing:
    """What the raw folder holds: the files to read and the entries refused, in path order."""

    files: list[RawFile]
    refused: list[RawFile]

    @property
    def skipped(self) -> list[tuple[str, str]]:
        """(path, message naming the file and the reason) of every refused entry."""
        return [(str(p), f"{shown(p.name)}: {p.refusal}") for p in self.refused]


def raw_files(raw_dir: Path) -> list[RawFile]:
    """The files under ``raw_dir`` to read, in path order (what a build reads)."""
    return scan_raw(raw_dir).files


def raw_entries(raw_dir: Path) -> list[RawFile]:
    """Every entry a build accounts for, in path order: a refused one fails with its reason when
    read, so it reaches the build's errors and build_sources like any bad file."""
    listing = scan_raw(raw_dir)
    return sorted([*listing.files, *listing.refused], key=str)


def scan_raw(raw_dir: Path) -> RawListing:
    """Walk ``raw_dir`` (sub-folders included, hidden entries and links to folders not followed)."""
    root = os.path.realpath(raw_dir)
    files: list[RawFile] = []
    refused: list[RawFile] = []
    top = str(raw_dir)
    stack = [top]
    while stack:
        for entry in _entries(stack.pop(), top, refused):
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False) and not _undecodable(entry.name):
                stack.append(entry.path)
                continue
            found = _verdict(entry, root)
            if found is not None:
                (refused if found.refusal else files).append(found)
    return RawListing(sorted(files, key=str), sorted(refused, key=str))


def _entries(folder: str, top: str, refused: list[RawFile]) -> list[os.DirEntry[str]]:
    """A folder's entries; an unreadable sub-folder is refused with its reason (a missing raw
    folder is the caller's mistake and raises)."""
    try:
        with os.scandir(folder) as it:
            return list(it)
    except OSError as exc:
        if folder == top:
            raise
        listed = os.stat_result((stat.S_IFDIR, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        refused.append(_raw_file(folder, f"không đọc được thư mục ({exc.strerror})", listed=listed))
        return []


def _verdict(entry: os.DirEntry[str], root: str) -> RawFile | None:
    """One entry: a file to read, or refused with its reason; None when it is gone since listing."""
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    if _undecodable(entry.name):
        where = os.path.join(os.path.dirname(entry.path), shown(entry.name))  # noqa: PTH118, PTH120 - scandir strings
        return _raw_file(where, "tên tệp không phải UTF-8 — hãy đổi tên tệp", listed=st)
    if stat.S_ISLNK(st.st_mode):
        return _link(entry.path, root, st)
    if not stat.S_ISREG(st.st_mode):
        return _raw_file(entry.path, f"không phải tệp thường ({_kind(st.st_mode)}) — không đọc", listed=st)
    return _regular(entry.path, st, None)


def _undecodable(name: str) -> bool:
    """A name whose bytes are not UTF-8 (Python holds them as surrogates); no table can store it."""
    return any(0xDC80 <= ord(ch) <= 0xDCFF for ch in name)


def _link(path: str, root: str, st: os.stat_result) -> RawFile:
    """A symbolic link: read only when it ends at a regular file inside the raw folder."""
    try:
        target = os.path.realpath(path, strict=True)
        target_st = os.stat(target)  # noqa: PTH116 - a resolved path string
    except OSError as exc:
        loop = exc.errno == errno.ELOOP
        reason = "liên kết vòng (symlink trỏ vòng về chính nó)" if loop else "liên kết hỏng (trỏ tới tệp không tồn tại)"
        return _raw_file(path, reason, listed=st)
    if os.path.commonpath([root, target]) != root:
        return _raw_file(path, f"liên kết trỏ ra ngoài thư mục dữ liệu ({shown(target)}) — không đọc", listed=st)
    if stat.S_ISDIR(target_st.st_mode):
        return _raw_file(path, "liên kết tới thư mục — không đọc theo liên kết thư mục", listed=st)
    if not stat.S_ISREG(target_st.st_mode):
        return _raw_file(path, f"liên kết tới {_kind(target_st.st_mode)}, không phải tệp thường", listed=st)
    return _regular(path, target_st, target)


def _regular(path: str, st: os.stat_result, target: str | None) -> RawFile:
    """A regular file (or a link to one): read if its format is one the readers know."""
    suffix = os.path.splitext(path)[1].lower()  # noqa: PTH122 - scandir strings
    if suffix in SUFFIXES:
        return _raw_file(path, target=target, identity=(st.st_dev, st.st_ino))
    return _raw_file(path, unsupported(suffix), listed=st)


def unsupported(suffix: str) -> str:
    """Why a file of this extension is not read, and what to do about it."""
    if not suffix:
        return f"tệp không có đuôi — chỉ nhận {', '.join(SUFFIXES)}"
    hint = _HINTS.get(suffix.lower(), f"chỉ nhận {', '.join(SUFFIXES)}")
    return f"định dạng {shown(suffix)} chưa được hỗ trợ — {hint}"


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "không phải tệp thường")


def read_regular(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A regular file's bytes: opened without following a link or blocking, checked once open
    (fstat), read to at most ``max_bytes``; raises UnreadableError with the reason."""
    if getattr(path, "refusal", None):
        raise UnreadableError(path.refusal)  # type: ignore[attr-defined]
    try:
        fd = os.open(getattr(path, "target", None) or path, _OPEN_FLAGS)
    except OSError as exc:
        raise UnreadableError(_open_failure(exc)) from exc
    try:
        st = os.fstat(fd)
        _check_open(st, getattr(path, "identity", None), max_bytes)
        return _read_at_most(fd, max_bytes)
    finally:
        os.close(fd)


def _open_failure(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "là liên kết tượng trưng (symlink) — không đọc theo liên kết"
    if exc.errno == errno.ENOENT:
        return "tệp không còn (đã bị xoá hoặc đổi tên trong khi đọc)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "không có quyền đọc tệp"
    if exc.errno == errno.ENXIO:
        return "không phải tệp thường (socket) — không đọc"
    return f"không mở được tệp ({exc.strerror})"


def _check_open(st: os.stat_result, identity: tuple[int, int] | None, max_bytes: int) -> None:
    """What was opened is a regular file, the one listed, and not too big."""
    if not stat.S_ISREG(st.st_mode):
        kind = "thư mục" if stat.S_ISDIR(st.st_mode) else _kind(st.st_mode)
        raise UnreadableError(f"không phải tệp thường ({kind}) — không đọc")
    if identity is not None and identity != (st.st_dev, st.st_ino):
        raise UnreadableError("tệp đã bị thay bằng tệp khác trong khi đọc — hãy dựng lại kho")
    if st.st_size > max_bytes:
        raise UnreadableError(too_large(st.st_size, max_bytes))


def too_large(size: int, max_bytes: int) -> str:
    return f"tệp quá lớn ({size / 1e6:.1f} MB, tối đa {max_bytes / 1e6:.0f} MB)"


def _read_at_most(fd: int, max_bytes: int) -> bytes:
    """Read to the end, but never past ``max_bytes`` (a file may grow after fstat)."""
    chunks: list[bytes] = []
    total = 0
    while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise UnreadableError(too_large(total, max_bytes))
    return b"".join(chunks)
