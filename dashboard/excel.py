"""Excel exports with openpyxl: numbers as numbers, dates as dates, Vietnamese headers."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboard.filters import Filters
from dashboard.formatting import QUALIFIER_LABELS, report_type_label, slug, vn_datetime

# (source column, header, kind): kind says how the cell is written and formatted
FACT_SHEET: list[tuple[str, str, str]] = [
    ("province", "Tỉnh, thành phố", "text"),
    ("agency", "Cơ quan", "text"),
    ("report_type", "Loại báo cáo", "report_type"),
    ("group_label", "Nhóm chỉ tiêu", "text"),
    ("label_vi", "Chỉ tiêu", "text"),
    ("value", "Giá trị", "number"),
    ("unit", "Đơn vị", "text"),
    ("qualifier", "Ghi chú số liệu", "qualifier"),
    ("period_start", "Từ ngày", "date"),
    ("period_end", "Đến ngày", "date"),
    ("as_of", "Tại ngày", "date"),
    ("year", "Năm", "int"),
    ("file_name", "Văn bản", "text"),
]
SOURCE_SHEET: list[tuple[str, str, str]] = [
    ("label_vi", "Chỉ tiêu", "text"),
    ("value", "Giá trị", "number"),
    ("file_name", "Văn bản", "text"),
    ("quote", "Trích dẫn", "text"),
    ("sentence", "Câu nguồn", "text"),
    ("char_start", "Vị trí bắt đầu (ký tự)", "int"),
    ("char_end", "Vị trí kết thúc (ký tự)", "int"),
    ("page", "Trang", "int"),
]
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_FONT = Font(bold=True, color="FFFFFF")


def _cell(value: object, kind: str) -> object:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    if kind == "date":
        return pd.Timestamp(value).date()
    if kind == "int":
        return int(value)
    if kind == "number":
        v = float(value)
        return int(v) if v.is_integer() else v
    if kind == "report_type":
        return report_type_label(str(value))
    if kind == "qualifier":
        return QUALIFIER_LABELS.get(str(value), str(value))
    return " ".join(str(value).split())


def _sheet(wb: Workbook, title: str, df: pd.DataFrame, columns: list[tuple[str, str, str]], first: bool) -> None:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append([header for _, header, _ in columns])
    for row in df.itertuples(index=False):
        record = row._asdict()
        ws.append([_cell(record.get(col), kind) for col, _, kind in columns])
    for j, (_, _, kind) in enumerate(columns, start=1):
        fmt = {"number": "#,##0.##", "int": "0", "date": "DD/MM/YYYY"}.get(kind)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
    for cell in ws[1]:
        cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    _fit_widths(ws, df, columns)


def _fit_widths(ws: object, df: pd.DataFrame, columns: list[tuple[str, str, str]]) -> None:
    sample = df.head(500)
    for j, (col, header, kind) in enumerate(columns, start=1):
        lengths = [len(header)]
        if col in sample:
            lengths += [len(str(_cell(v, kind) or "")) for v in sample[col]]
        width = min(max(lengths) + 2, 60)
        ws.column_dimensions[get_column_letter(j)].width = max(width, 10 if kind == "date" else 6)  # type: ignore[attr-defined]


def facts_workbook(df: pd.DataFrame, filters: Filters, built_at: object, now: datetime | None = None) -> bytes:
    """Sheets 'Số liệu' (the rows), 'Nguồn' (their evidence) and 'Thông tin' (filters, times)."""
    wb = Workbook()
    _sheet(wb, "Số liệu", df, FACT_SHEET, first=True)
    _sheet(wb, "Nguồn", df, SOURCE_SHEET, first=False)
    info = wb.create_sheet("Thông tin")
    info.append(["Mục", "Giá trị"])
    for key, value in filters.describe():
        info.append([key, value])
    info.append(["Số dòng", len(df)])
    info.append(["Thời điểm xuất", vn_datetime(now or datetime.now())])
    info.append(["Kho dữ liệu dựng lúc", vn_datetime(built_at) if built_at is not None else "không rõ"])
    for cell in info[1]:
        cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_filename(what: str, filters: Filters, today: date | None = None) -> str:
    """'so-lieu_tay-ninh_2024_2026-11-21.xlsx': what, for whom, which years, and when."""
    parts = [slug(what)]
    if filters.provinces:
        parts.append("-".join(slug(p) for p in filters.provinces[:3]))
    if filters.year_from is not None and filters.year_from == filters.year_to:
        parts.append(str(filters.year_from))
    elif filters.year_from is not None or filters.year_to is not None:
        parts.append(f"{filters.year_from or ''}-{filters.year_to or ''}")
    parts.append((today or date.today()).isoformat())
    return "_".join(parts) + ".xlsx"
