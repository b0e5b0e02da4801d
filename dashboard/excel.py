"""Excel exports with openpyxl: numbers as numbers, dates as dates, Vietnamese headers."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboard.filters import Filters
from dashboard.formatting import (
    QUALIFIER_LABELS,
    STATUS_LABELS,
    citation,
    slug,
    vn_datetime,
)

# (source column, header, kind): kind says how the cell is written and formatted
FACT_SHEET: list[tuple[str, str, str]] = [
    ("row_no", "STT", "int"),
    ("province", "Tỉnh, thành phố", "text"),
    ("agency", "Cơ quan", "text"),
    ("report_type_label", "Loại báo cáo", "text"),  # the warehouse's label (report_types)
    ("label_vi", "Chỉ tiêu", "text"),
    ("value", "Giá trị", "number"),
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
    ("file_name", "Tệp", "text"),
]
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
# whole numbers '#,##0' (9.280.000.000 in a Vietnamese Excel), fractions '#,##0.0#' (12,5) — never '55.'
_FORMATS = {"number": "#,##0", "int": "0", "date": "DD/MM/YYYY"}
_FRACTION = "#,##0.0#"
_LABELS = {"status": STATUS_LABELS, "qualifier": QUALIFIER_LABELS}


def _column(df: pd.DataFrame, col: str, kind: str) -> list[object]:
    """One column as the Python values openpyxl writes (vectorised: exports are large)."""
    if col not in df or df.empty:
        return [None] * len(df)
    series = df[col]
    if kind == "date":
        stamps = pd.to_datetime(series, errors="coerce")
        return [None if pd.isna(v) else v.date() for v in stamps]
    if kind in ("int", "number"):
        numbers = pd.to_numeric(series, errors="coerce")
        return [None if pd.isna(v) else int(v) if kind == "int" or float(v).is_integer() else float(v) for v in numbers]
    if kind == "raw":
        return list(series)
    labels = _LABELS.get(kind)
    if labels is not None:
        return [None if pd.isna(v) else labels.get(str(v), str(v)) for v in series]
    return [None if v is None or (isinstance(v, float) and pd.isna(v)) else " ".join(str(v).split()) for v in series]


def _sheet(wb: Workbook, title: str, df: pd.DataFrame, columns: list[tuple[str, str, str]]) -> None:
    """A write-only sheet: header row styled and frozen, autofilter, widths fitted to the data."""
    ws = wb.create_sheet(title)
    values = [_column(df, col, kind) for col, _, kind in columns]
    for j, (_, header, kind) in enumerate(columns, start=1):
        sample = [len(str(v)) for v in values[j - 1][:500] if v is not None]
        width = min(max([len(header), *sample]) + 2, 60)
        ws.column_dimensions[get_column_letter(j)].width = max(width, 11 if kind == "date" else 6)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(df), 0) + 1}"
    header_cells = []
    for _, header, _ in columns:
        cell = WriteOnlyCell(ws, value=header)
        cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header_cells.append(cell)
    ws.append(header_cells)
    # One formatted cell per column, reused row after row: a write-only sheet writes each row as
    # it is appended, and registering a cell's style is most of what a new cell would cost.
    templates = [_template(ws, _FORMATS[kind]) if kind in _FORMATS else None for _, _, kind in columns]
    fractions = [_template(ws, _FRACTION) if kind == "number" else None for _, _, kind in columns]
    for row in zip(*values, strict=True) if values else []:
        out = list(row)
        for j, template in enumerate(templates):
            if template is not None and out[j] is not None:
                cell = fractions[j] if isinstance(out[j], float) and fractions[j] is not None else template
                cell.value = out[j]
                out[j] = cell
        ws.append(out)


def _template(ws: object, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws)
    cell.number_format = number_format
    return cell


def _positions(df: pd.DataFrame) -> list[str]:
    """'trang 2' where the document has pages (PDF), else nothing (offsets stay in the warehouse)."""
    pages = df["page"] if "page" in df else [None] * len(df)
    return [f"trang {int(p)}" if p is not None and not pd.isna(p) else "" for p in pages]


def _with_info(
    wb: Workbook, filters: Filters, count: tuple[str, int], built_at: object, now: datetime | None = None,
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
    _sheet(wb, "Thông tin", info, [("key", "Mục", "text"), ("value", "Giá trị", "raw")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def facts_workbook(
    df: pd.DataFrame, filters: Filters, built_at: object, now: datetime | None = None,
    progress: Callable[[float], None] | None = None, view: Sequence[tuple[str, str]] = (),
) -> bytes:
    """Sheets 'Số liệu' (the rows), 'Nguồn' (their evidence) and 'Thông tin' (filters, times);
    ``progress`` hears the share done after each step (a large export takes a while)."""
    step = progress or (lambda _done: None)
    wb = Workbook(write_only=True)
    if not df.empty:
        df = df.assign(row_no=range(1, len(df) + 1), position=_positions(df), document=_citations(df))
    step(0.1)
    _sheet(wb, "Số liệu", df, FACT_SHEET)
    step(0.5)
    _sheet(wb, "Nguồn", df, SOURCE_SHEET)
    step(0.8)
    data = _with_info(wb, filters, ("Số dòng", len(df)), built_at, now, view)
    step(1.0)
    return data


def _citations(df: pd.DataFrame) -> list[str]:
    """Each row's citation name, computed once per document (exports can be large)."""
    columns = [c for c in ("report_number", "report_date", "agency", "province", "title", "period_label",
                           "file_name") if c in df]  # fmt: skip
    docs = df.drop_duplicates("doc_id")[["doc_id", *columns]].to_dict("records")
    names = {r["doc_id"]: citation(r, None) for r in docs}
    return [names[d] for d in df["doc_id"]]


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
    ("value", "Giá trị", "number"),
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
    wb = Workbook(write_only=True)
    names = names or {}
    if not findings.empty:
        findings = findings.assign(
            row_no=range(1, len(findings) + 1), documents=["; ".join(names.get(d, d) for d in ds)
                                                           for ds in findings["doc_ids"]],
        )  # fmt: skip
    _sheet(wb, "Phát hiện", findings, FINDING_SHEET)
    if not evidence.empty:
        evidence = evidence.assign(position=_positions(evidence), document=_citations(evidence))
    _sheet(wb, "Bằng chứng", evidence, EVIDENCE_SHEET)
    return _with_info(wb, filters, ("Số phát hiện", len(findings)), built_at, view=view)
