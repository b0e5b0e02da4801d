"""Report files -> text. The format is read from the content, not the file name.

.txt/.md: UTF-8 (with or without BOM), UTF-16, Windows-1258 or legacy TCVN3 (.VnTime);
.docx: paragraphs and tables in document order; .pdf: the text layer, page by page.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from pathlib import Path

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
                blocks.extend(_table_rows(block))
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


def _table_rows(table: object) -> list[str]:
    rows = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        for cell in row.cells:
            value = cell.text.strip()
            if not cells or cells[-1] != value:  # merged cells repeat their text
                cells.append(value)
        rows.append(" | ".join(cells))
    return rows


def _pdf_text(name: str, data: bytes) -> tuple[str, tuple[int, ...]]:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReadError(f"{name}: PDF được đặt mật khẩu")
        pages = [page.extract_text() or "" for page in reader.pages]
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
    if len("".join(full.split())) < 20:
        raise ReadError(f"{name}: PDF không có lớp văn bản (bản scan)")
    return full, tuple(starts)
