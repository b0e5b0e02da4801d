"""Report files -> text. The format is read from the content, not the file name.

.txt/.md: UTF-8 (with or without BOM), UTF-16, Windows-1258 or legacy TCVN3 (.VnTime);
.docx: paragraphs and tables in document order; .pdf: the text layer, page by page.

Word and PDF tables (ruled, or aligned by position only: ``etl.text.pdf_tables``) come out in
the form of a Markdown pipe table, so one table parser reads all three: a blank line, then one
row per line as ``| cell | cell |`` with one cell per grid column (a merged cell repeats its
text in every column and row it covers; "|" inside a cell becomes "/", line breaks a space),
then a blank line.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from etl.models import SourceText
from etl.sources import DEFAULT_MAX_BYTES, SUFFIXES, UnreadableError, read_regular, shown, too_large, unsupported
from etl.text.html_tables import html_tables_to_rows
from etl.text.pdf_tables import UnruledTable, find_unruled_tables, may_hold_unruled

__all__ = ["DEFAULT_MAX_BYTES", "DOCX_LIMITS", "SUFFIXES", "ReadError", "decode_text", "read_bytes", "read_document"]

# TCVN 5712:1993 (VN3), bytes 0x80-0xFF, as glibc's iconv maps them; 0xB0-0xB4 are tone marks.
_TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323"
    "àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
_TCVN3_LOW = {1: "Ú", 2: "Ụ", 4: "Ừ", 5: "Ử", 6: "Ữ", 17: "Ứ", 18: "Ự", 19: "Ỳ", 20: "Ỷ", 21: "Ỹ", 22: "Ý", 23: "Ỵ"}
_TCVN3 = {i: chr(i) for i in range(128)} | _TCVN3_LOW | {0x80 + i: c for i, c in enumerate(_TCVN3_HIGH)}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_COMMON_WORDS = (" của ", " và ", " các ", " được ", " trong ", " người ", " năm ", " thực hiện ", " cơ quan ")
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class DocxLimits:
    """What a .docx may inflate to, checked on the zip directory before anything is inflated.

    python-docx holds every part in memory and parses every XML part into a tree (several times
    the XML's size), so a 1.5 MB file inflating to 1 GB once took 6.6 GB. Real reports' XML is a
    few MB and compresses 5-20 times; pictures hardly compress at all."""

    part_bytes: int = 64 * 1024 * 1024  # any one part, word/document.xml included
    total_bytes: int = 200 * 1024 * 1024  # all parts together
    ratio: float = 100.0  # inflated / compressed, for a part over ratio_from bytes
    ratio_from: int = 1024 * 1024


DOCX_LIMITS = DocxLimits()


class ReadError(Exception):
    """A file that cannot be read; the message names the file and the reason, in Vietnamese."""


def _named(name: str, reason: str) -> ReadError:
    """The error for one file: one line, its name shown with control characters escaped."""
    return ReadError(f"{shown(name)}: {reason}")


def read_document(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read one report file from disk: a regular file only, opened without following a link or
    blocking, so a FIFO, a device or a file swapped mid-build fails on its own."""
    path = path if isinstance(path, Path) else Path(path)  # Path(p) would drop a RawFile's listing
    try:
        data = read_regular(path, max_bytes)
    except UnreadableError as exc:
        raise _named(path.name, str(exc)) from exc
    return read_bytes(path.name, data, max_bytes)


# what a file's content was found to be, as an editor reads it (never 'TEXT')
KINDS = {"text": "văn bản thuần", "pdf": "PDF", "docx": "tài liệu Word (.docx)"}


def read_bytes(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read a report from its bytes; ``name`` is used for messages and the format check."""
    if len(data) > max_bytes:
        raise _named(name, too_large(len(data), max_bytes))
    if not data.strip():
        raise _named(name, "tệp rỗng")
    suffix = Path(name).suffix.lower()
    kind = _sniff(data)
    claimed = {".docx": "docx", ".pdf": "pdf"}.get(suffix, "text")
    if suffix and suffix not in SUFFIXES:
        raise _named(name, unsupported(suffix))
    if kind != claimed:
        raise _named(name, f"nội dung là {KINDS[kind]} nhưng tên tệp có đuôi {shown(suffix) or '(không có)'}")
    sha = hashlib.sha256(data).hexdigest()
    if kind == "docx":
        return SourceText(name, _docx_text(name, data), "docx", "docx", sha, len(data))
    if kind == "pdf":
        text, pages = _pdf_text(name, data)
        return SourceText(name, text, "pdf", "pdf", sha, len(data), pages)
    text, encoding = decode_text(name, data)
    if suffix in (".md", ".markdown", ".htm", ".html"):
        text = html_tables_to_rows(text)  # a converter's <table> reads like a pipe table
    return SourceText(name, text, suffix.lstrip(".") or "txt", encoding, sha, len(data))


def _sniff(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    return "text"


def decode_text(name: str, data: bytes) -> tuple[str, str]:
    """Detect the encoding of a text file; raise ReadError for binary content."""
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _checked(name, data.decode(codec, errors="replace"), codec)
    bom = data.startswith(_UTF8_BOM)
    body = data[len(_UTF8_BOM) :] if bom else data
    if not bom and data.count(b"\x00") > len(data) // 4:
        return _utf16(name, data)
    try:
        return _checked(name, body.decode("utf-8"), "utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in body:
        raise _named(name, "không phải tệp văn bản (dữ liệu nhị phân)")
    return _legacy_text(name, body)


def _utf16(name: str, data: bytes) -> tuple[str, str]:
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            return _checked(name, data.decode(codec), codec)
        except (UnicodeDecodeError, ReadError):
            continue
    raise _named(name, "không phải tệp văn bản (dữ liệu nhị phân)")


def _legacy_text(name: str, data: bytes) -> tuple[str, str]:
    """Text that is not all UTF-8: one Vietnamese legacy encoding, or UTF-8 lines mixed with
    lines of one (files pasted together), each line then read in its own encoding."""
    whole, codec, score = _best_legacy(data)
    mixed = _mixed_lines(name, data, score)
    if mixed is not None:
        return mixed
    if score == 0:
        raise _named(name, "không nhận ra bảng mã tiếng Việt của tệp")
    return _checked(name, whole, codec)


def _mixed_lines(name: str, data: bytes, whole_score: int) -> tuple[str, str] | None:
    """UTF-8 lines among legacy ones, each read in its own encoding; None when no line is UTF-8
    beyond ASCII or the file reads better in one legacy encoding."""
    lines = data.splitlines(keepends=True)
    as_utf8 = [_utf8_or_none(line) for line in lines]
    if not any(t is not None and not t.isascii() for t in as_utf8):
        return None
    _, codec, score = _best_legacy(b"".join(line for line, t in zip(lines, as_utf8, strict=True) if t is None))
    text = "".join(_legacy_decode(line, codec) if t is None else t for line, t in zip(lines, as_utf8, strict=True))
    text = unicodedata.normalize("NFC", text)
    if score > 0 and _vietnamese_score(text) >= whole_score:
        return _checked(name, text, f"utf-8+{codec}")
    if whole_score > 0:
        return None
    where = _clipped(", ".join(str(i + 1) for i, t in enumerate(as_utf8) if t is None))
    raise _named(name, f"tệp trộn UTF-8 với một bảng mã không nhận ra (dòng {where}) — hãy lưu lại dưới dạng UTF-8")


def _utf8_or_none(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _legacy_decode(data: bytes, codec: str) -> str:
    if codec == "tcvn3":
        return "".join(_TCVN3[b] for b in data)
    return data.decode("cp1258", errors="replace")


def _best_legacy(data: bytes) -> tuple[str, str, int]:
    """The legacy encoding whose reading holds the most common Vietnamese words: (text, name, score)."""
    scored = []
    for codec in ("windows-1258", "tcvn3"):
        text = unicodedata.normalize("NFC", _legacy_decode(data, codec))
        scored.append((_vietnamese_score(text), text, codec))
    score, text, codec = max(scored, key=lambda s: s[0])
    return text, codec, score


def _clipped(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: text.rfind(",", 0, limit)] + ", …"


def _vietnamese_score(text: str) -> int:
    low = text.lower()
    return sum(low.count(w) for w in _COMMON_WORDS)


def _checked(name: str, text: str, encoding: str) -> tuple[str, str]:
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 100) or text.count("\ufffd") > max(2, len(text) // 100):
        raise _named(name, "không phải tệp văn bản (dữ liệu nhị phân)")
    if not text.strip():
        raise _named(name, "tệp rỗng")
    return text, encoding


def _docx_text(name: str, data: bytes) -> str:
    _check_docx_sizes(name, data)
    try:
        import docx  # python-docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                blocks.extend(_table_block(blocks, _table_rows(block)))
            else:
                blocks.append(block.text)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _named(name, f"không đọc được tệp .docx ({type(exc).__name__}: {shown(str(exc))})") from exc
    except Exception as exc:  # python-docx raises lxml and package errors of many kinds
        raise _named(name, f"không đọc được tệp .docx ({type(exc).__name__})") from exc
    text = "\n".join(blocks)
    if not text.strip():
        raise _named(name, "tệp .docx không có nội dung văn bản")
    return text


def _check_docx_sizes(name: str, data: bytes, limits: DocxLimits = DOCX_LIMITS) -> None:
    """Refuse a zip bomb from the zip directory alone: no part is inflated to find out (zipfile
    never inflates a part past the size its directory entry declares)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _named(name, f"không đọc được tệp .docx ({type(exc).__name__}: {shown(str(exc))})") from exc
    total = sum(p.file_size for p in parts)
    if total > limits.total_bytes:
        raise _named(name, _docx_odd(f"{_mb(total)}, tối đa {_mb(limits.total_bytes)}"))
    for p in parts:
        if p.file_size > limits.part_bytes:
            raise _named(name, _docx_odd(f"{shown(p.filename)} {_mb(p.file_size)}, tối đa {_mb(limits.part_bytes)}"))
        ratio = p.file_size / max(p.compress_size, 1)
        if p.file_size > limits.ratio_from and ratio > limits.ratio:
            raise _named(name, _docx_odd(f"{shown(p.filename)} gấp {ratio:.0f} lần bản nén, tối đa {limits.ratio:.0f}"))


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _docx_odd(detail: str) -> str:
    return f"tệp .docx bất thường (dung lượng giải nén {detail}) — không đọc"


def _table_block(before: list[str], rows: list[str]) -> list[str]:
    """The rows with a blank line around them, so a table never runs into the text beside it."""
    if not rows:
        return []
    return ([""] if before and before[-1] else []) + rows + [""]


def _pipe_row(cells: list[str]) -> str:
    """One table row in the shared form; the outer pipes keep an empty first or last cell."""
    return "| " + " | ".join(cells) + " |"


def _cell_text(text: str) -> str:
    """A cell on one line, with the cell separator "|" kept out of its text."""
    return " ".join(text.split()).replace("|", "/")


def _table_rows(table: Any) -> list[str]:
    """One line per row and one cell per grid column, so columns line up down the table.

    python-docx gives a merged cell once for every grid column and row it covers; the repeats
    are kept. Rows that start late or end early are padded with empty cells.
    """
    width = len(table.columns)
    rows = []
    for row in table.rows:
        cells = [""] * row.grid_cols_before + [_docx_cell(c) for c in row.cells] + [""] * row.grid_cols_after
        rows.append(_pipe_row(cells + [""] * (width - len(cells))))
    return rows


def _docx_cell(cell: Any) -> str:
    """The text of a Word cell, with any table nested in it flattened into the text."""
    from docx.table import Table

    parts = []
    for block in cell.iter_inner_content():
        parts.append(_nested_text(block) if isinstance(block, Table) else block.text)
    return _cell_text(" ".join(parts))


def _nested_text(table: Any) -> str:
    """A nested table's words in reading order, each merged cell once."""
    seen: list[Any] = []  # the cells' XML elements, held so identity checks stay valid
    parts = []
    for row in table.rows:
        for cell in row.cells:
            if not any(cell._tc is tc for tc in seen):
                seen.append(cell._tc)
                parts.append(_docx_cell(cell))
    return " ".join(parts)


# Path segments in a content stream: a rectangle gives 4 edges, a line 1. A ruled table of
# 2 x 2 cells needs at least 6 edges; a clipping rectangle ("re W n") draws nothing.
_SEGMENTS = re.compile(rb"(?<![^\s])(re|l)(?=\s)")
_CLIPS = re.compile(rb"(?<![^\s])re\s+W\*?\s")
_MIN_TABLE_EDGES = 6


def _pdf_text(name: str, data: bytes) -> tuple[str, tuple[int, ...]]:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise _named(name, "PDF được đặt mật khẩu")
        with _PlumberPages(data) as plumber:
            pages: list[str] = []
            for i, page in enumerate(reader.pages):
                pages.append(_pdf_page_text(page, i, plumber))
                if plumber.broken_row and i:
                    pages[i - 1] = _mended(pages[i - 1], *plumber.broken_row)
    except ReadError:
        raise
    except Exception as exc:  # pypdf raises many error types for damaged files
        raise _named(name, f"{_PDF_BROKEN} — {type(exc).__name__}") from exc
    starts: list[int] = []
    chunks: list[str] = []
    pos = 0
    for text in pages:
        starts.append(pos)
        chunks.append(text)
        pos += len(text) + 1
    full = "\n".join(chunks)
    if len("".join(full.replace("|", " ").split())) < 20:
        raise _named(name, _why_no_text(reader))
    return full, tuple(starts)


_PDF_BROKEN = "không đọc được tệp PDF (tệp hỏng)"


def _why_no_text(reader: Any) -> str:
    """A PDF without text: a scan when its pages read, damaged when a page's content does not
    (pypdf then gives an empty page rather than an error)."""
    try:
        pages = list(reader.pages)
        for page in pages:
            _content_streams(page)
    except Exception as exc:  # noqa: BLE001 - any failure here means a damaged file
        return f"{_PDF_BROKEN} — {type(exc).__name__}"
    if not pages:
        return f"{_PDF_BROKEN} — không có trang nào"
    return "PDF không có lớp văn bản (bản scan)"


def _pdf_page_text(page: Any, index: int, plumber: _PlumberPages) -> str:
    """A page that draws lines goes through pdfplumber for its tables; so does one whose plain
    text holds rows of figures (an unruled table) or that follows a page an unruled table ran to
    the foot of (the table may go on).
    The rest, and any page pdfplumber fails on, is read by pypdf (several times faster)."""
    plumber.broken_row = None
    if _may_hold_table(page):
        try:
            return plumber.text(index)
        except Exception:  # pdfminer raises many error types; pypdf reads the page instead
            plumber.carried = None
    text = page.extract_text() or ""
    if plumber.carried is not None or may_hold_unruled(text):
        try:
            return plumber.text(index, ruled=False) or text
        except Exception:  # as above: pypdf's text stands
            pass
    plumber.carried = None
    return text


def _may_hold_table(page: Any) -> bool:
    """Whether the page draws enough lines for a ruled table (pdfplumber is slow: ~0.1 s a page)."""
    try:
        edges = sum(_edge_count(stream) for stream in _content_streams(page))
    except Exception:  # an unreadable stream: let pdfplumber try
        return True
    return edges >= _MIN_TABLE_EDGES


def _content_streams(page: Any) -> list[bytes]:
    """The page's content stream and those of the forms it draws (one level deep)."""
    contents = page.get_contents()
    streams = [contents.get_data()] if contents is not None else []
    xobjects = _entry(_entry(page, "/Resources"), "/XObject")
    for key in xobjects:
        xobject = _entry(xobjects, key)
        if xobject.get("/Subtype") == "/Form":
            streams.append(xobject.get_data())
    return streams


def _entry(obj: Any, key: str) -> Any:
    """``obj[key]`` resolved, or {} if absent (``.get`` on pypdf objects leaves references unresolved)."""
    value = obj.get(key)
    return value.get_object() if value is not None else {}


def _edge_count(stream: bytes) -> int:
    """Table edges a content stream can draw, counted from its operators without parsing it."""
    segments = _SEGMENTS.findall(stream)
    return 4 * (segments.count(b"re") - len(_CLIPS.findall(stream))) + segments.count(b"l")


class _PlumberPages:
    """pdfplumber, opened on the first page that needs it (most text pages never do)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pdf: Any = None
        self.carried: UnruledTable | None = None  # an unruled table the last page ended with
        self.broken_row: tuple[str, str] | None = None  # its last row, and that row ended on this page

    def __enter__(self) -> _PlumberPages:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pdf is not None:
            self._pdf.close()

    def text(self, index: int, ruled: bool = True) -> str | None:
        """The page's text with its tables as pipe rows; the page's parsed objects are dropped after.
        Without ``ruled`` only unruled tables are looked for, and None says the page has none."""
        if self._pdf is None:
            import pdfplumber

            self._pdf = pdfplumber.open(io.BytesIO(self._data))
        page = self._pdf.pages[index]
        try:
            read = _plumber_page_text(page, self.carried, ruled)
            self.carried, self.broken_row = read.carried, read.broken_row
            return read.text
        finally:
            page.close()


class _PageRead(NamedTuple):
    """A page read by pdfplumber: its text (None: an unruled search found nothing), the unruled
    table running to its foot, and (old, new) for the last row of the page before when the
    row's end was found at the top of this page."""

    text: str | None
    carried: UnruledTable | None = None
    broken_row: tuple[str, str] | None = None


def _plumber_page_text(page: Any, carried: UnruledTable | None = None, ruled: bool = True) -> _PageRead:
    """The page's text lines with each table, as pipe rows, where it stands on the page.

    Ruled tables first, then unruled ones among the words outside them. With no table at all the
    text is pdfplumber's for a ruled page, None for an unruled one (the caller has pypdf's)."""
    tables = [(t.bbox, rows) for t in page.find_tables() if (rows := _pdf_table_rows(t))] if ruled else []
    rest = page.filter(lambda obj: not any(_inside(obj, box) for box, _ in tables)) if tables else page
    unruled = find_unruled_tables(rest.extract_words(), carried)
    tables += [(t.bbox, [_pipe_row(row) for row in t.rows]) for t in unruled]
    if not tables:
        return _PageRead((page.extract_text() or "") if ruled else None)
    ends = unruled[-1] if unruled and unruled[-1].ends_page else None
    return _PageRead(_page_with_tables(page, tables), ends, _broken_row(carried, unruled))


def _broken_row(carried: UnruledTable | None, unruled: list[UnruledTable]) -> tuple[str, str] | None:
    """The last row of the page before as written there, and with the cells that end it here."""
    if carried is None or not unruled or not unruled[0].tail:
        return None
    last = carried.rows[-1]
    ended = [" ".join(f"{a} {b}".split()) for a, b in zip(last, unruled[0].tail, strict=True)]
    return _pipe_row(last), _pipe_row(ended)


def _mended(text: str, old: str, new: str) -> str:
    """The page's text with its last ``old`` row replaced by ``new``."""
    at = text.rfind(old)
    return text if at < 0 else text[:at] + new + text[at + len(old) :]


def _page_with_tables(page: Any, tables: list[tuple[tuple[float, float, float, float], list[str]]]) -> str:
    """The text lines outside the tables, and each table's rows where the table stands."""
    boxes = [bbox for bbox, _ in tables]
    outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
    items = [(line["top"], line["text"]) for line in outside.extract_text_lines(return_chars=False)]
    items += [(bbox[1], rows) for bbox, rows in tables]
    lines: list[str] = []
    for _, item in sorted(items, key=lambda item: item[0]):
        if isinstance(item, str):
            lines.append(item)
        else:
            lines.extend(_table_block(lines, item))
    return "\n".join(lines)


def _inside(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    """Whether an object's centre lies in the box (characters of a table's cells)."""
    x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
    y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _pdf_table_rows(table: Any) -> list[str]:
    """Pipe rows of a ruled table with at least 2 rows, 2 columns and some text; else none."""
    grid = _pdf_grid(table)
    if len(grid) < 2 or len(grid[0]) < 2 or not any(any(row) for row in grid):
        return []
    return [_pipe_row(row) for row in grid]


def _pdf_grid(table: Any) -> list[list[str]]:
    """The table's cell texts, a merged cell's text repeated in each grid cell it covers.

    pdfplumber gives a merged cell at its top-left grid cell and None where it extends.
    """
    boxes = [row.cells for row in table.rows]
    text_of = {}
    for row, values in zip(boxes, table.extract(), strict=True):
        text_of.update({box: _cell_text(value or "") for box, value in zip(row, values, strict=True) if box})
    lefts = sorted({box[0] for box in text_of})
    tops = sorted({box[1] for box in text_of})
    grid = []
    for top, row in zip(tops, boxes, strict=True):
        cells = [box or _covering(text_of, left, top) for left, box in zip(lefts, row, strict=True)]
        grid.append([text_of.get(box, "") for box in cells])
    return grid


def _covering(cells: dict[tuple[float, ...], str], left: float, top: float) -> tuple[float, ...]:
    """The merged cell that spans over the grid cell starting at (left, top); () if none."""
    return next((box for box in cells if box[0] <= left < box[2] and box[1] <= top < box[3]), ())
