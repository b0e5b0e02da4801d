"""Report files -> text. The format is read from the content, not the file name.

.txt/.md: UTF-8 (with or without BOM), UTF-16, Windows-1258 or legacy TCVN3 (.VnTime);
.docx: paragraphs and tables in document order; .pdf: the text layer, page by page.

Word and PDF tables come out in the form of a Markdown pipe table, so one table parser reads
all three: a blank line, then one row per line as ``| cell | cell |`` with one cell per grid
column (a merged cell repeats its text in every column and row it covers; "|" inside a cell
becomes "/", line breaks a space), then a blank line.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from etl.models import SourceText

__all__ = ["DEFAULT_MAX_BYTES", "SUFFIXES", "ReadError", "read_bytes", "read_document"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = (".txt", ".md", ".docx", ".pdf")

# TCVN 5712:1993 (VN3), bytes 0x80-0xFF, as glibc's iconv maps them; 0xB0-0xB4 are tone marks.
_TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323"
    "àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
_TCVN3_LOW = {1: "Ú", 2: "Ụ", 4: "Ừ", 5: "Ử", 6: "Ữ", 17: "Ứ", 18: "Ự", 19: "Ỳ", 20: "Ỷ", 21: "Ỹ", 22: "Ý", 23: "Ỵ"}
_TCVN3 = {i: chr(i) for i in range(128)} | _TCVN3_LOW | {0x80 + i: c for i, c in enumerate(_TCVN3_HIGH)}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_COMMON_WORDS = (" của ", " và ", " các ", " được ", " trong ", " người ", " năm ", " thực hiện ", " cơ quan ")


class ReadError(Exception):
    """A file that cannot be read; the message names the file and the reason, in Vietnamese."""


def read_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read one report file from disk."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"{path.name}: không mở được tệp ({exc.strerror})") from exc
    if size > max_bytes:
        raise ReadError(f"{path.name}: tệp quá lớn ({size / 1e6:.1f} MB, tối đa {max_bytes / 1e6:.0f} MB)")
    return read_bytes(path.name, path.read_bytes(), max_bytes)


def read_bytes(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read a report from its bytes; ``name`` is used for messages and the format check."""
    if len(data) > max_bytes:
        raise ReadError(f"{name}: tệp quá lớn ({len(data) / 1e6:.1f} MB, tối đa {max_bytes / 1e6:.0f} MB)")
    if not data.strip():
        raise ReadError(f"{name}: tệp rỗng")
    suffix = Path(name).suffix.lower()
    kind = _sniff(data)
    claimed = {".docx": "docx", ".pdf": "pdf"}.get(suffix, "text")
    if suffix and suffix not in SUFFIXES:
        raise ReadError(f"{name}: định dạng {suffix} chưa được hỗ trợ (chỉ nhận {', '.join(SUFFIXES)})")
    if kind != claimed:
        raise ReadError(f"{name}: nội dung là {kind.upper()} nhưng tên tệp có đuôi {suffix or '(không có)'}")
    sha = hashlib.sha256(data).hexdigest()
    if kind == "docx":
        return SourceText(name, _docx_text(name, data), "docx", "docx", sha, len(data))
    if kind == "pdf":
        text, pages = _pdf_text(name, data)
        return SourceText(name, text, "pdf", "pdf", sha, len(data), pages)
    text, encoding = decode_text(name, data)
    return SourceText(name, text, suffix.lstrip(".") or "txt", encoding, sha, len(data))


def _sniff(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    return "text"


def decode_text(name: str, data: bytes) -> tuple[str, str]:
    """Detect the encoding of a text file; raise ReadError for binary content."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _checked(name, data.decode(codec, errors="replace"), codec)
    if data.count(b"\x00") > len(data) // 4:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                return _checked(name, data.decode(codec), codec)
            except (UnicodeDecodeError, ReadError):
                continue
        raise ReadError(f"{name}: không phải tệp văn bản (dữ liệu nhị phân)")
    try:
        return _checked(name, data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise ReadError(f"{name}: không phải tệp văn bản (dữ liệu nhị phân)")
    candidates = [
        (data.decode("cp1258", errors="replace"), "windows-1258"),
        ("".join(_TCVN3[b] for b in data), "tcvn3"),
    ]
    scored = [(_vietnamese_score(unicodedata.normalize("NFC", t)), t, enc) for t, enc in candidates]
    score, text, encoding = max(scored, key=lambda s: s[0])
    if score == 0:
        raise ReadError(f"{name}: không nhận ra bảng mã tiếng Việt của tệp")
    return _checked(name, unicodedata.normalize("NFC", text), encoding)


def _vietnamese_score(text: str) -> int:
    low = text.lower()
    return sum(low.count(w) for w in _COMMON_WORDS)


def _checked(name: str, text: str, encoding: str) -> tuple[str, str]:
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 100) or text.count("\ufffd") > max(2, len(text) // 100):
        raise ReadError(f"{name}: không phải tệp văn bản (dữ liệu nhị phân)")
    if not text.strip():
        raise ReadError(f"{name}: tệp rỗng")
    return text, encoding


def _docx_text(name: str, data: bytes) -> str:
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
        raise ReadError(f"{name}: không đọc được tệp .docx ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # python-docx raises lxml and package errors of many kinds
        raise ReadError(f"{name}: không đọc được tệp .docx ({type(exc).__name__})") from exc
    text = "\n".join(blocks)
    if not text.strip():
        raise ReadError(f"{name}: tệp .docx không có nội dung văn bản")
    return text


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
            raise ReadError(f"{name}: PDF được đặt mật khẩu")
        with _PlumberPages(data) as plumber:
            pages = [_pdf_page_text(page, i, plumber) for i, page in enumerate(reader.pages)]
    except ReadError:
        raise
    except Exception as exc:  # pypdf raises many error types for damaged files
        raise ReadError(f"{name}: không đọc được tệp PDF ({type(exc).__name__})") from exc
    starts: list[int] = []
    chunks: list[str] = []
    pos = 0
    for text in pages:
        starts.append(pos)
        chunks.append(text)
        pos += len(text) + 1
    full = "\n".join(chunks)
    if len("".join(full.replace("|", " ").split())) < 20:
        raise ReadError(f"{name}: PDF không có lớp văn bản (bản scan)")
    return full, tuple(starts)


def _pdf_page_text(page: Any, index: int, plumber: _PlumberPages) -> str:
    """A page that draws lines goes through pdfplumber for its tables; the rest, and any page
    pdfplumber fails on, is read by pypdf (several times faster on plain text)."""
    if _may_hold_table(page):
        try:
            return plumber.text(index)
        except Exception:  # pdfminer raises many error types; pypdf reads the page instead
            pass
    return page.extract_text() or ""


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

    def __enter__(self) -> _PlumberPages:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pdf is not None:
            self._pdf.close()

    def text(self, index: int) -> str:
        """The page's text with its tables as pipe rows; the page's parsed objects are dropped after."""
        if self._pdf is None:
            import pdfplumber

            self._pdf = pdfplumber.open(io.BytesIO(self._data))
        page = self._pdf.pages[index]
        try:
            return _plumber_page_text(page)
        finally:
            page.close()


def _plumber_page_text(page: Any) -> str:
    """The page's text lines with each ruled table, as pipe rows, where it stands on the page."""
    tables = [(t.bbox, rows) for t in page.find_tables() if (rows := _pdf_table_rows(t))]
    if not tables:
        return page.extract_text() or ""
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
