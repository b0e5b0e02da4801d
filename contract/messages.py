"""The import page's protocol with the ETL: what the page hands ``python -m etl import`` and
``correct`` (a manifest of uploads, a batch of corrections), and the JSON lines the ETL answers
with (a staged upload, a duplicate, an error, a warning, a publish, a save).

Both sides build and read these typed records, never dicts by string keys. Every message carries
its ``type`` and the protocol ``version``; reading one with a field missing, a field unknown, a
value of the wrong type or another version raises ``MessageError`` saying which and where.

A field added to a record within a version is optional (it has a default) and listed in the
record's ``ADDED``: written only when it has a value, so a message without it reads as before
and reads the same to a reader that predates the field.
"""

from __future__ import annotations

import json
import types
from dataclasses import MISSING, dataclass, fields, is_dataclass
from datetime import date
from typing import Any, ClassVar, TypeVar, Union, get_args, get_origin, get_type_hints

__all__ = [
    "PROTOCOL_VERSION",
    "REPLIES",
    "REQUESTS",
    "BuildWarning",
    "Corrected",
    "CorrectionBatch",
    "CorrectionRequest",
    "DocumentFields",
    "Duplicate",
    "Failed",
    "Manifest",
    "ManifestEntry",
    "Message",
    "MessageError",
    "Published",
    "Record",
    "Reply",
    "Staged",
    "StagedFact",
    "StagedMention",
    "parse",
    "parse_line",
]

PROTOCOL_VERSION = 1
_ENVELOPE = ("type", "version")
R = TypeVar("R", bound="Record")


class MessageError(ValueError):
    """A message that does not follow the protocol: which message, which field, and why."""


class Record:
    """A typed part of a message: its fields as JSON (dates as ISO text, tuples as lists)."""

    __slots__ = ()
    ADDED: ClassVar[tuple[str, ...]] = ()  # optional fields added within the version: omitted when None

    def to_json(self) -> dict[str, Any]:
        """This record as a JSON object, its fields in declared order (an added field only when set)."""
        values = ((f.name, getattr(self, f.name)) for f in fields(self))  # type: ignore[arg-type]
        return {name: _encode(value) for name, value in values if value is not None or name not in self.ADDED}

    @classmethod
    def from_json(cls: type[R], data: object) -> R:
        """The record a JSON object states; MessageError on a missing, unknown or mistyped field."""
        return _record(cls, data, cls.__name__)


class Message(Record):
    """A whole message: a record with its ``type`` and the protocol ``version``."""

    __slots__ = ()
    TYPE: ClassVar[str]

    def to_json(self) -> dict[str, Any]:
        return {"type": self.TYPE, "version": PROTOCOL_VERSION, **super().to_json()}

    def to_line(self) -> str:
        """One JSON line, as the ETL prints it."""
        return json.dumps(self.to_json(), ensure_ascii=False)

    @classmethod
    def from_json(cls: type[R], data: object) -> R:
        where = getattr(cls, "TYPE", cls.__name__)
        if not isinstance(data, dict):
            raise MessageError(f"thông điệp {where!r}: cần một đối tượng JSON, nhận {type(data).__name__}")
        if data.get("type") != where:
            raise MessageError(f"thông điệp {where!r}: nhận thông điệp loại {data.get('type')!r}")
        if "version" not in data:
            raise MessageError(f"thông điệp {where!r}: thiếu trường 'version' (phiên bản giao thức)")
        if data["version"] != PROTOCOL_VERSION:
            raise MessageError(
                f"thông điệp {where!r}: phiên bản giao thức {data['version']!r}, "
                f"bên này chỉ đọc phiên bản {PROTOCOL_VERSION}"
            )
        return _record(cls, {k: v for k, v in data.items() if k not in _ENVELOPE}, where)


# --- parts ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentFields(Record):
    """A report's metadata as the ETL read it (the shape of ``extract --json``'s document line)."""

    doc: str
    province: str | None
    agency: str | None
    report_type: str
    period_label: str | None
    period_start: date | None
    period_end: date | None
    report_date: date | None
    report_number: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class StagedFact(Record):
    """A figure read from an upload, with the key a correction names it by."""

    fact_key: str
    indicator: str
    value: float
    unit: str
    qualifier: str
    period_start: date | None
    period_end: date | None
    as_of: date | None
    quote: str
    char_start: int
    char_end: int
    sentence: str
    rule: str
    confidence: float
    role: str  # primary | alternative
    extractor: str  # the extractor that read it


@dataclass(frozen=True, slots=True)
class StagedMention(Record):
    """A measured number of an upload no indicator took, with the key an assignment names it by."""

    mention_key: str
    value: float
    measure: str
    quote: str
    char_start: int
    char_end: int
    sentence: str
    reason: str


@dataclass(frozen=True, slots=True)
class ManifestEntry(Record):
    name: str  # as the browser sent it
    path: str  # where its bytes wait (never named after the upload)


@dataclass(frozen=True, slots=True)
class CorrectionRequest(Record):
    """One correction asked for, with its reason. The document is named by ``doc_sha256`` (or,
    on the command line, by the uploaded ``file``); an assignment may name its mention in
    ``mention_key``; ``who`` defaults to the command's --who.

    ``num_start``, ``num_value`` and ``quote`` name the figure as the editor saw it (where its
    number starts in the original, the value read, the quote), so a later build can follow it
    when the extractor moves its span (etl/remap.py); the ETL records them itself when absent."""

    ADDED: ClassVar[tuple[str, ...]] = ("num_start", "num_value", "quote")

    field: str
    doc_sha256: str | None = None
    file: str | None = None
    fact_key: str | None = None
    mention_key: str | None = None
    old_value: str | int | float | None = None
    new_value: str | int | float | None = None
    why: str = ""
    who: str | None = None
    num_start: int | None = None
    num_value: str | int | float | None = None
    quote: str | None = None


# --- what the page asks ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Manifest(Message):
    """The uploads ``python -m etl import --manifest`` reads."""

    TYPE: ClassVar[str] = "manifest"
    uploads: tuple[ManifestEntry, ...]


@dataclass(frozen=True, slots=True)
class CorrectionBatch(Message):
    """The corrections ``import --corrections`` and ``correct --file`` log, then rebuild with."""

    TYPE: ClassVar[str] = "corrections"
    items: tuple[CorrectionRequest, ...]


# --- what the ETL answers --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Staged(Message):
    """An upload read and extracted, not written anywhere: what the editor reviews."""

    TYPE: ClassVar[str] = "staged"
    file: str
    sha256: str
    meta: DocumentFields
    facts: tuple[StagedFact, ...]
    mentions: tuple[StagedMention, ...]


@dataclass(frozen=True, slots=True)
class Duplicate(Message):
    """An upload whose bytes a report in the warehouse already has."""

    TYPE: ClassVar[str] = "duplicate"
    file: str
    duplicate_of: str  # that report's file under the raw folder


@dataclass(frozen=True, slots=True)
class Failed(Message):
    """An upload that cannot be read or is refused (the message names it), or a failed command."""

    TYPE: ClassVar[str] = "error"
    file: str
    error: str


@dataclass(frozen=True, slots=True)
class BuildWarning(Message):
    """Something the build skipped and went on without: a bad line of the corrections log, or a
    correction whose figure the extraction no longer has (``doc_id``: the report it concerns,
    under the raw folder, so the page can cite it; None for a line of the log)."""

    TYPE: ClassVar[str] = "warning"
    ADDED: ClassVar[tuple[str, ...]] = ("doc_id",)
    file: str
    message: str
    doc_id: str | None = None


@dataclass(frozen=True, slots=True)
class Published(Message):
    TYPE: ClassVar[str] = "published"
    stored: tuple[str, ...]  # the originals stored, under the raw folder
    corrections: int
    build_id: str
    documents: int


@dataclass(frozen=True, slots=True)
class Corrected(Message):
    TYPE: ClassVar[str] = "corrected"
    corrections: int
    build_id: str


Reply = Staged | Duplicate | Failed | BuildWarning | Published | Corrected
REPLIES: tuple[type[Message], ...] = (Staged, Duplicate, Failed, BuildWarning, Published, Corrected)
REQUESTS: tuple[type[Message], ...] = (Manifest, CorrectionBatch)


def parse(data: object, accepted: tuple[type[Message], ...] = REPLIES) -> Message:
    """The message a JSON object is, by its ``type`` among ``accepted``."""
    kind = data.get("type") if isinstance(data, dict) else None
    for cls in accepted:
        if kind == cls.TYPE:
            return cls.from_json(data)
    known = ", ".join(repr(c.TYPE) for c in accepted)
    raise MessageError(f"thông điệp loại {kind!r} không có trong giao thức (chỉ có {known})")


def parse_line(line: str, accepted: tuple[type[Message], ...] = REPLIES) -> Message:
    """The message one JSON line is."""
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise MessageError(f"dòng không phải JSON: {line[:80]!r} ({exc})") from None
    return parse(data, accepted)


# --- the codec -------------------------------------------------------------------------------------


def _encode(value: object) -> object:
    if isinstance(value, Record):
        return value.to_json()
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _record(cls: type[R], data: object, where: str) -> R:
    if not isinstance(data, dict):
        raise MessageError(f"{where}: cần một đối tượng JSON, nhận {type(data).__name__}")
    declared = fields(cls)  # type: ignore[arg-type]
    names = [f.name for f in declared]
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise MessageError(f"{where}: trường lạ {', '.join(map(repr, unknown))} (chỉ có {', '.join(names)})")
    missing = [f.name for f in declared if f.name not in data and f.default is MISSING]
    if missing:
        raise MessageError(f"{where}: thiếu trường {', '.join(map(repr, missing))}")
    hints = get_type_hints(cls)
    return cls(**{name: _decode(hints[name], value, f"{where}.{name}") for name, value in data.items()})


def _decode(hint: Any, value: object, where: str) -> object:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return _decode_union(get_args(hint), value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise MessageError(f"{where}: cần một danh sách, nhận {type(value).__name__}")
        item = get_args(hint)[0]
        return tuple(_decode(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if isinstance(hint, type) and is_dataclass(hint) and issubclass(hint, Record):
        return _record(hint, value, where)
    if hint is date:
        return _date(value, where)
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint in (str, int, bool) and isinstance(value, hint) and (hint is bool or not isinstance(value, bool)):
        return value
    raise MessageError(f"{where}: cần {getattr(hint, '__name__', hint)}, nhận {value!r}")


def _decode_union(arms: tuple[Any, ...], value: object, where: str) -> object:
    if value is None:
        if type(None) in arms:
            return None
        raise MessageError(f"{where}: không được để trống")
    present = [a for a in arms if a is not type(None)]
    if len(present) == 1:  # 'date | None': what a date needs is the clearer message
        return _decode(present[0], value, where)
    for arm in present:
        try:
            return _decode(arm, value, where)
        except MessageError:
            continue
    names = " | ".join(getattr(a, "__name__", str(a)) for a in present)
    raise MessageError(f"{where}: cần {names}, nhận {value!r}")


def _date(value: object, where: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise MessageError(f"{where}: cần một ngày YYYY-MM-DD, nhận {value!r}")
