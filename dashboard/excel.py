"""Excel exports with XlsxWriter in constant-memory mode (each row goes to disk as it is written):
numbers as numbers, dates as dates, Vietnamese headers; every text through ``safe_text`` (no
control characters) and formula-like texts kept as text."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from contract import STATUS_LABELS, is_rank
from dashboard.filters import Filters
from dashboard.formatting import (
    QUALIFIER_LABELS,
    citation,
    original_name,
    rank_text,
    slug,
    vn_datetime,
)
from dashboard.safe_text import formula_like, safe_text

# (source column, header, kind): kind says how the cell is written and formatted
FACT_SHEET: list[tuple[str, str, str]] = [
    ("row_no", "STT", "int"),
    ("province", "Tỉnh, thành phố", "text"),
    ("agency", "Cơ quan", "text"),
    ("report_type_label", "Loại báo cáo", "text"),  # the warehouse's label (report_types)
    ("label_vi", "Chỉ tiêu", "text"),
    ("value", "Giá trị", "value"),
    ("unit", "Đơn vị", "text"),
    ("qualifier", "Ghi chú số liệu", "qualifier"),
    ("period_start", "Từ ngày", "date"),
    ("period_end", "Đến ngày", "date"),
    ("as_of", "Tại ngày", "date"),
    ("finding_titles", "Kiểm tra chất lượng", "text"),
    ("status", "Trạng thái", "status"),
]
# One row per figure, the same STT as on 'Số liệu': where it was read, and the words it was read from.
SOURCE_SHEET: list[tuple[str, str, str]] = [
    ("row_no", "STT", "int"),
    ("document", "Văn bản", "text"),
    ("sentence", "Câu nguồn", "text"),
    ("quote", "Cụm số liệu", "text"),
    ("position", "Trang", "text"),
    ("uploaded", "Tệp", "text"),  # the name it was uploaded under; blank for a stored, hashed name
]
# whole numbers '#,##0' (9.280.000.000 in a Vietnamese Excel), fractions '#,##0.0#' (12,5) — never '55.'
_STYLES = {
    "header": {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "pattern": 1, "valign": "vcenter",
               "text_wrap": True},
    "number": {"num_format": "#,##0"},
    "fraction": {"num_format": "#,##0.0#"},
    "int": {"num_format": "0"},
    "date": {"num_format": "DD/MM/YYYY"},
    "quoted": {"quote_prefix": True},  # Excel's text prefix: shown as written, still text when edited
    "wrap": {"text_wrap": True, "valign": "top"},  # a text longer than its column: whole, over lines
    "quoted_wrap": {"quote_prefix": True, "text_wrap": True, "valign": "top"},
    "rank": {"align": "right"},  # '40/63': a rank with the number of provinces ranked
}  # fmt: skip
_MAX_WIDTH = 60  # characters; a longer text wraps inside its column, never cut
# Never guess from a string: a text stays a text, whatever it starts with.
_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False}  # fmt: skip
_LABELS = {"status": STATUS_LABELS, "qualifier": QUALIFIER_LABELS}


def _column(df: pd.DataFrame, col: str, kind: str) -> list[object]:
    """One column as the Python values the sheet holds (vectorised: exports are large)."""
    if col not in df or df.empty:
        return [None] * len(df)
    series = df[col]
    if kind == "value":
        return _values(df)
    if kind == "date":
        stamps = pd.to_datetime(series, errors="coerce")
        return [None if pd.isna(v) else v.date() for v in stamps]
    if kind in ("int", "number"):
        numbers = pd.to_numeric(series, errors="coerce")
        return [None if pd.isna(v) else int(v) if kind == "int" or float(v).is_integer() else float(v) for v in numbers]
    if kind == "raw":
        return [_text(v) if isinstance(v, str) else v for v in series]
    labels = _LABELS.get(kind)
    if labels is not None:
        return [None if pd.isna(v) else _text(labels.get(str(v), str(v))) for v in series]
    return [None if v is None or (isinstance(v, float) and pd.isna(v)) else _text(str(v)) for v in series]


def _values(df: pd.DataFrame) -> list[object]:
    """'Giá trị': numbers stay numbers; a rank whose number of provinces ranked the warehouse
    keeps (facts.denominator) is the text '40/63', as officials write it."""
    numbers = _column(df, "value", "number")
    if "kind" not in df or "denominator" not in df:
        return numbers
    out: list[object] = []
    for number, kind, of_n in zip(numbers, df["kind"], df["denominator"], strict=True):
        ranked = is_rank(kind) and number is not None and not pd.isna(of_n)
        out.append(rank_text(number, of_n) if ranked else number)
    return out


def _text(value: str) -> str:
    """A text cell's value: safe for the file, on one line (whitespace runs become one space)."""
    return " ".join(safe_text(value).split())


class _Book:
    """An XlsxWriter workbook writing to memory, with its cell formats registered once."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.out, _OPTIONS)
        self.formats = {name: self.wb.add_format(style) for name, style in _STYLES.items()}

    def close(self) -> bytes:
        self.wb.close()
        return self.out.getvalue()


def _sheet(book: _Book, title: str, df: pd.DataFrame, columns: list[tuple[str, str, str]]) -> None:
    """A sheet: header row styled and frozen, autofilter, widths fitted to the data (a longer text
    wraps), printed landscape one page wide with the header on every page; rows written in order."""
    ws = book.wb.add_worksheet(title)
    values = [_column(df, col, kind) for col, _, kind in columns]
    widths = []
    for j, (_, header, kind) in enumerate(columns):
        sample = [len(str(v)) for v in values[j][:500] if v is not None]
        width = max(min(max([len(header), *sample]) + 2, _MAX_WIDTH), 11 if kind == "date" else 6)
        ws.set_column(j, j, width)
        widths.append(width)
    _print_setup(ws)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(df), 0), len(columns) - 1)
    for j, (_, header, _) in enumerate(columns):
        ws.write_string(0, j, header, book.formats["header"])
    plan = [(j, *_cells(ws, kind, values[j], book.formats, widths[j])) for j, (_, _, kind) in enumerate(columns)]
    for r in range(len(df) if values else 0):
        for j, write, column, formats in plan:
            if column[r] is not None:
                write(r + 1, j, column[r], formats[r])


def _print_setup(ws: Worksheet) -> None:
    """Printed as officials file it: A4 landscape, every column on one page's width (as many pages
    down as needed), the header row repeated on each page."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def _cells(
    ws: Worksheet, kind: str, column: list[object], formats: dict[str, Format], width: float = _MAX_WIDTH
) -> tuple[Callable[..., object], list[object], list[Format | None]]:
    """How one column is written, by its kind (never guessed from a value): the sheet's write
    method, the values, each cell's format (fractions, ranks, formula-like texts kept as text, a
    text longer than its column wrapped)."""
    if kind in ("int", "date"):
        return (ws.write_number if kind == "int" else ws.write_datetime), column, [formats[kind]] * len(column)
    if kind in ("number", "value"):
        kinds = ["rank" if isinstance(v, str) else "fraction" if isinstance(v, float) else "number" for v in column]
        return (ws.write if kind == "value" else ws.write_number), column, [formats[k] for k in kinds]
    column = [None if v == "" else v for v in column]  # an empty text is no cell
    cell_formats = []
    for v in column:
        text = isinstance(v, str)
        name = ("quoted" if text and formula_like(v) else "") + ("_wrap" if text and len(v) > width - 2 else "")
        cell_formats.append(formats[name.lstrip("_")] if name else None)
    return (ws.write if kind == "raw" else ws.write_string), column, cell_formats  # raw: texts and counts


def _positions(df: pd.DataFrame) -> list[str]:
    """'trang 2' where the document has pages (PDF), else nothing (offsets stay in the warehouse)."""
    pages = df["page"] if "page" in df else [None] * len(df)
    return [f"trang {int(p)}" if p is not None and not pd.isna(p) else "" for p in pages]


def _with_info(
    book: _Book, filters: Filters, count: tuple[str, int], built_at: object, now: datetime | None = None,
    view: Sequence[tuple[str, str]] = (),
) -> bytes:
    """Close with the 'Thông tin' sheet (filters, the page's own choices — search text, indicators,
    severities: ``view`` — row count, export and build times) and serialise."""
    rows = [
        *filters.describe(),
        *((label, value or "tất cả") for label, value in view),
        count,
        ("Thời điểm xuất", vn_datetime(now or datetime.now())),
        ("Kho dữ liệu dựng lúc", vn_datetime(built_at) if built_at is not None else "không rõ"),
    ]
    info = pd.DataFrame(rows, columns=["key", "value"])
    _sheet(book, "Thông tin", info, [("key", "Mục", "text"), ("value", "Giá trị", "raw")])
    return book.close()


def facts_workbook(
    df: pd.DataFrame, filters: Filters, built_at: object, now: datetime | None = None,
    progress: Callable[[float], None] | None = None, view: Sequence[tuple[str, str]] = (),
) -> bytes:
    """Sheets 'Số liệu' (the rows), 'Nguồn' (their evidence) and 'Thông tin' (filters, times);
    ``progress`` hears the share done after each step (a large export takes a while)."""
    step = progress or (lambda _done: None)
    book = _Book()
    if not df.empty:
        df = df.assign(row_no=range(1, len(df) + 1), position=_positions(df), document=_citations(df),
                       uploaded=_uploaded(df))  # fmt: skip
    step(0.1)
    _sheet(book, "Số liệu", df, FACT_SHEET)
    step(0.5)
    _sheet(book, "Nguồn", df, SOURCE_SHEET)
    step(0.8)
    data = _with_info(book, filters, ("Số dòng", len(df)), built_at, now, view)
    step(1.0)
    return data


def _uploaded(df: pd.DataFrame) -> pd.Series | str:
    """Each row's file as it was uploaded (once per file): never the stored, hashed name."""
    if "file_name" not in df:
        return ""
    return df["file_name"].map({f: original_name(f) for f in df["file_name"].unique()})


def _citations(df: pd.DataFrame) -> list[str]:
    """Each row's citation name, computed once per document (exports can be large)."""
    columns = [c for c in ("report_number", "report_date", "agency", "province", "title", "period_label",
                           "file_name") if c in df]  # fmt: skip
    docs = df.drop_duplicates("doc_id")[["doc_id", *columns]].to_dict("records")
    names = {r["doc_id"]: citation(r, None) for r in docs}
    return [names[d] for d in df["doc_id"]]


def rows_csv(df: pd.DataFrame) -> bytes:
    """Rows too many for a sheet as UTF-8 CSV (with a BOM: Excel then reads Vietnamese). Texts go
    through ``safe_text``; a CSV cell has no type, so a text starting like a formula gets a leading
    apostrophe, or a spreadsheet opening the file would run it."""
    texts = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]
    return df.assign(**{c: df[c].map(_csv_text) for c in texts}).to_csv(index=False).encode("utf-8-sig")


def _csv_text(value: object) -> object:
    if not isinstance(value, str):
        return value
    text = safe_text(value)
    return "'" + text if formula_like(text) else text


def export_filename(
    what: str, filters: Filters, today: date | None = None, view: Sequence[tuple[str, str]] = ()
) -> str:
    """'so-lieu_tay-ninh_2024_ho-so_2026-11-21.xlsx': what, for whom, which years, the view's
    search and choices, and when; the other filters as a short mark, so two views never share a name."""
    parts = [slug(what)]
    if filters.provinces:
        parts.append("-".join(slug(p) for p in filters.provinces[:3]))
    if filters.year_from is not None and filters.year_from == filters.year_to:
        parts.append(str(filters.year_from))
    elif filters.year_from is not None or filters.year_to is not None:
        parts.append(f"{filters.year_from or ''}-{filters.year_to or ''}")
    parts += [slug(value)[:30].strip("-") for _label, value in view if value and slug(value)]
    others = (filters.agencies, filters.report_types, filters.groups, filters.units == "current")
    if any(others):
        parts.append("loc-" + hashlib.sha1(repr(others).encode()).hexdigest()[:6])  # noqa: S324 - a name, not security
    parts.append((today or date.today()).isoformat())
    return "_".join(parts) + ".xlsx"


FINDING_SHEET: list[tuple[str, str, str]] = [
    ("row_no", "STT", "int"),
    ("severity_label", "Mức độ", "text"),  # the warehouse's label (severities)
    ("title", "Kiểm tra", "text"),
    ("message", "Chi tiết", "text"),
    ("province", "Tỉnh, thành phố", "text"),
    ("documents", "Văn bản", "text"),
]
EVIDENCE_SHEET: list[tuple[str, str, str]] = [
    ("row_no", "STT phát hiện", "int"),
    ("label_vi", "Chỉ tiêu", "text"),
    ("value", "Giá trị", "value"),
    ("document", "Văn bản", "text"),
    ("position", "Trang", "text"),
    ("sentence", "Câu nguồn", "text"),
]


def findings_workbook(
    findings: pd.DataFrame, evidence: pd.DataFrame, filters: Filters, built_at: object,
    names: dict[str, str] | None = None, view: Sequence[tuple[str, str]] = (),
) -> bytes:
    """Sheets 'Phát hiện' (one row per finding), 'Bằng chứng' (its facts) and 'Thông tin';
    documents named by their citation (``names``: doc_id -> citation)."""
    book = _Book()
    names = names or {}
    if not findings.empty:
        findings = findings.assign(
            row_no=range(1, len(findings) + 1), documents=["; ".join(names.get(d, d) for d in ds)
                                                           for ds in findings["doc_ids"]],
        )  # fmt: skip
    _sheet(book, "Phát hiện", findings, FINDING_SHEET)
    if not evidence.empty:
        evidence = evidence.assign(position=_positions(evidence), document=_citations(evidence))
    _sheet(book, "Bằng chứng", evidence, EVIDENCE_SHEET)
    return _with_info(book, filters, ("Số phát hiện", len(findings)), built_at, view=view)
