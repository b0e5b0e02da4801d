"""Benchmark (not a test): the table layout matrix of issue 20 — recall per generated layout.

    python bench/table_layouts.py               # the full matrix: ~50 layouts x docx, PDF, md pipe, md HTML
    python bench/table_layouts.py --quick       # a handful of layouts, no PDF (seconds; also --smoke)
    python bench/table_layouts.py --out /tmp/lay --show-misses 3   # keep the files, print some misses
    python bench/table_layouts.py --kinds unruled   # one file type (docx, pdf, unruled, md, html)

Table layouts are enumerable, so they are generated rather than collected: orientation (measures
on rows, periods on columns / measures on columns, periods on rows) x header depth (one row; two
rows with a merged group header "Kết quả thực hiện", or the same with its text repeated instead of
merged) x where the unit is (a "Đơn vị tính" column or row, the label "(hồ sơ)", the column
header, the caption "ĐVT: triệu đồng") x a totals row "Tổng cộng" under its parts x a table
continued across a page break (header repeated or lost) x file type (.docx with real merged cells,
.pdf made from that .docx by LibreOffice, .md pipe table, .md with an HTML <table>; and "unruled":
a .pdf made the same way from the .docx with the table's borders and table style removed, its
columns then aligned only by position). Each table is filled with figures of catalog indicators
(their label_vi, unit, a plausible value in [min, max]) inside a small report (letterhead, BÁO
CÁO, a title naming the period, one sentence, a caption).
No prose is generated: only table cells carry figures.

Each file's expected facts are written as ../shared/dev2/gold.csv rows (value in the catalog unit:
42,5 in a "triệu đồng" column -> 42500000; the period or as_of its column gives). Extraction runs
in process (``etl.pipeline.process_file``, primary facts as ``etl extract --json`` prints them) and
is matched as ``../shared/tools/score_extraction.py`` matches (doc, indicator, value; the year when
a doc holds several rows of one indicator); that scorer is also run once on the whole set as a
cross-check when it is there. Prints per layout: files, expected, found, recall, precision,
period exactness and recall per file type; then totals per file type and per dimension.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the project's packages

SCORER = ROOT.parent / "shared" / "tools" / "score_extraction.py"
FILE_TYPES = ("docx", "pdf", "unruled", "md", "html")
PDF_TYPES = ("pdf", "unruled")  # made from a .docx by LibreOffice
GOLD_FIELDS = ["doc", "indicator", "value", "alt_values", "unit", "period_start", "period_end", "as_of",
               "qualifier", "quote"]  # fmt: skip
DOCS_FIELDS = ["doc", "province", "agency", "report_label", "period_start", "period_end", "report_date"]


# ---------------------------------------------------------------- what a table holds


@dataclass(frozen=True)
class Column:
    """One period a table gives figures for: its header text and the window it covers."""

    label: str
    start: date
    end: date
    cumulative: bool = False  # a stock has no cumulative figure: its cell is "-"


@dataclass(frozen=True)
class Period:
    key: str
    title: str  # "quý III năm 2025", in the report's title
    report_date: date
    columns: tuple[Column, ...]  # the current period first, the previous one last
    group_span: int  # how many leading columns the two-row header's group spans


PERIODS = {
    "Q": Period("Q", "quý III năm 2025", date(2025, 10, 8), (
        Column("Quý III/2025", date(2025, 7, 1), date(2025, 9, 30)),
        Column("Lũy kế 9 tháng năm 2025", date(2025, 1, 1), date(2025, 9, 30), cumulative=True),
        Column("Cùng kỳ năm 2024", date(2024, 7, 1), date(2024, 9, 30))), 2),
    "M": Period("M", "tháng 10 năm 2025", date(2025, 11, 5), (
        Column("Tháng 10/2025", date(2025, 10, 1), date(2025, 10, 31)),
        Column("Lũy kế 10 tháng năm 2025", date(2025, 1, 1), date(2025, 10, 31), cumulative=True),
        Column("Tháng 10/2024", date(2024, 10, 1), date(2024, 10, 31))), 2),
    "H": Period("H", "6 tháng đầu năm 2025", date(2025, 7, 9), (
        Column("6 tháng đầu năm 2025", date(2025, 1, 1), date(2025, 6, 30)),
        Column("Cùng kỳ năm 2024", date(2024, 1, 1), date(2024, 6, 30))), 2),
    "Y": Period("Y", "năm 2025", date(2026, 1, 12), (
        Column("Năm 2025", date(2025, 1, 1), date(2025, 12, 31)),
        Column("Năm 2024", date(2024, 1, 1), date(2024, 12, 31))), 2),
}  # fmt: skip

SKHCN, TTHCC, SNV = "Sở Khoa học và Công nghệ", "Trung tâm Phục vụ hành chính công", "Sở Nội vụ"


@dataclass(frozen=True)
class Theme:
    """Indicators that one agency reports together, and the words its title uses."""

    key: str
    agency: str
    topic: str
    codes: tuple[str, ...]
    periods: str = "QMHY"


THEMES = (
    Theme("tthc", TTHCC, "tiếp nhận, giải quyết hồ sơ thủ tục hành chính",
          ("tthc_received", "tthc_resolved", "tthc_pending", "tthc_ontime_rate", "online_payment_dossiers",
           "tthc_published", "dvc_online_total", "dvc_full_online")),
    Theme("1022", SKHCN, "vận hành Hệ thống tiếp nhận, xử lý phản ánh, kiến nghị 1022",
          ("hotline1022_received", "hotline1022_resolved", "hotline1022_in_progress", "hotline1022_calls")),
    Theme("cds", SKHCN, "thực hiện nhiệm vụ chuyển đổi số",
          ("edocs_exchanged", "edocs_received", "edocs_sent", "dvc_province_full_online",
           "dvc_province_partial_online", "online_payment_dossiers_province", "lgsp_services_integrated",
           "lgsp_services_used", "ioc_indicator_sets", "app_downloads", "app_users", "app_monthly_active_users",
           "app_online_dossiers", "zalo_miniapp_users", "zalo_miniapp_monthly_active_users")),
    Theme("camera", SKHCN, "khai thác hệ thống camera giám sát",
          ("camera_traffic_total", "camera_traffic_ai", "traffic_violations_detected", "traffic_violations_fined",
           "camera_security_total", "camera_security_ai", "camera_recognition_alerts", "camera_trace_extractions")),
    Theme("thanhtra", SKHCN, "công tác thanh tra, kiểm tra chuyên ngành",
          ("inspections_total", "inspected_entities", "violating_entities", "sanction_decisions", "fines_vnd",
           "subscribers_suspended")),
    Theme("kntc", SNV, "công tác tiếp công dân, giải quyết khiếu nại, tố cáo",
          ("citizen_receptions", "petitions_received", "complaints_received", "denunciations_received",
           "feedback_received", "petitions_ineligible", "petitions_resolved", "petition_resolution_rate")),
    Theme("staff", SNV, "công tác tổ chức bộ máy, biên chế",
          ("staff_quota_total", "staff_quota_civil_servants", "staff_quota_public_employees", "staff_total",
           "staff_civil_servants", "staff_public_employees", "staff_contracts", "staff_downsizing_rate",
           "staff_rated_excellent", "staff_rated_good", "staff_recruited"), "Y"),
    Theme("finance", SKHCN, "thu, chi tài chính và giải ngân vốn đầu tư công",
          ("investment_plan_vnd", "investment_disbursed_vnd", "service_revenue_vnd", "service_expenditure_vnd",
           "donations_vnd", "fines_vnd")),
    Theme("rank", SKHCN, "chuyển đổi số và cải cách hành chính", ("dti_rank", "par_index_rank"), "Y"),
)  # fmt: skip

# A whole and its parts, for a "Tổng cộng" row (or "Tổng số" column): (theme, total, parts).
TOTALS = (
    ("kntc", "petitions_received", ("complaints_received", "denunciations_received", "feedback_received")),
    ("staff", "staff_total", ("staff_civil_servants", "staff_public_employees", "staff_contracts")),
    ("staff", "staff_quota_total", ("staff_quota_civil_servants", "staff_quota_public_employees")),
    ("cds", "edocs_exchanged", ("edocs_received", "edocs_sent")),
)

PROVINCES = (
    ("tỉnh", "Tây Ninh"), ("tỉnh", "Vĩnh Long"), ("tỉnh", "Quảng Ngãi"), ("tỉnh", "Đồng Nai"),
    ("tỉnh", "Thanh Hóa"), ("thành phố", "Huế"), ("tỉnh", "Lâm Đồng"), ("tỉnh", "Khánh Hòa"),
    ("tỉnh", "Gia Lai"), ("tỉnh", "An Giang"), ("thành phố", "Cần Thơ"), ("tỉnh", "Nghệ An"),
)  # fmt: skip
SIGNERS = ("Nguyễn Văn Minh", "Trần Thị Lan", "Lê Hoàng Phúc", "Phạm Quốc Hùng", "Võ Thị Mai")

# Typical sizes of one quarter's figure (before the catalog's [min, max] clips it), by code then unit.
TYPICAL = {
    "tthc_published": (300, 1800), "dvc_online_total": (120, 900), "dvc_full_online": (60, 600),
    "dvc_province_full_online": (400, 1600), "dvc_province_partial_online": (200, 900),
    "lgsp_services_integrated": (20, 90), "lgsp_services_used": (15, 80), "ioc_indicator_sets": (6, 40),
    "camera_traffic_ai": (20, 300), "camera_security_ai": (20, 300), "staff_contracts": (5, 40),
    "staff_recruited": (3, 40), "hotline1022_in_progress": (20, 300), "tthc_pending": (100, 2500),
}  # fmt: skip
TYPICAL_UNIT = {
    "hồ sơ": (2000, 60000), "phản ánh": (300, 5000), "cuộc gọi": (800, 9000), "văn bản": (50000, 400000),
    "người": (80, 400), "camera": (400, 3500), "trường hợp": (100, 9000), "đơn": (20, 400), "lượt": (50, 900),
    "cuộc": (3, 40), "đơn vị": (10, 160), "quyết định": (3, 60), "thuê bao": (200, 9000), "dịch vụ": (20, 400),
    "thủ tục": (100, 1500), "bộ": (5, 40),
}  # fmt: skip
APP_CODES = ("app_downloads", "app_users", "app_monthly_active_users", "zalo_miniapp_users",
             "zalo_miniapp_monthly_active_users", "app_online_dossiers")  # fmt: skip


# ---------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Layout:
    """One table layout; each is generated once per file type."""

    orientation: str  # rows: measures on rows | cols: measures on columns, periods on rows
    header: str  # h1 | h2m (two rows, group header merged) | h2r (two rows, group text repeated)
    unit: str  # column | label | header | caption
    totals: bool  # parts then a "Tổng cộng" row (a "Tổng số" column when measures are columns)
    continued: str = "none"  # none | repeat | lost: split at a page break, header repeated or not

    @property
    def name(self) -> str:
        parts = [self.orientation, self.header, f"unit-{self.unit}"]
        parts += ["total"] if self.totals else []
        parts += [f"cont-{self.continued}"] if self.continued != "none" else []
        return " ".join(parts)

    @property
    def single_unit(self) -> bool:
        """Whether the table states one unit for all its figures (caption, or the header of period columns)."""
        return self.unit == "caption" or (self.unit == "header" and self.orientation == "rows")


def all_layouts() -> list[Layout]:
    """The matrix: orientation x header x unit x totals, then a few continued across a page."""
    out = []
    for orientation in ("rows", "cols"):
        units = ("column", "label", "header", "caption") if orientation == "rows" else ("column", "label", "caption")
        for header in ("h1", "h2m", "h2r"):
            for unit in units:
                for totals in (False, True):
                    out.append(Layout(orientation, header, unit, totals))
    for orientation in ("rows", "cols"):
        for header in ("h1", "h2m"):
            for continued in ("repeat", "lost"):
                out.append(Layout(orientation, header, "column", False, continued))
    return out


def quick_layouts() -> list[Layout]:
    """A handful for a smoke run."""
    return [Layout("rows", "h1", "column", False), Layout("rows", "h2m", "label", True),
            Layout("rows", "h1", "caption", False), Layout("cols", "h2m", "column", False),
            Layout("cols", "h1", "label", True), Layout("rows", "h1", "column", False, "repeat")]  # fmt: skip


# ---------------------------------------------------------------- the table model


@dataclass
class Cell:
    """A header cell: ``span`` grid columns wide, ``down`` grid rows high."""

    text: str
    span: int = 1
    down: int = 1


Grid = list[list[Cell | None]]  # None: a grid cell covered by a merged cell to its left or above


@dataclass
class Expected:
    indicator: str
    value: float
    unit: str
    start: date | None
    end: date | None
    as_of: date | None
    quote: str


@dataclass
class Report:
    """One generated report: its words, its table and the facts a careful analyst reads from it."""

    stem: str
    layout: Layout
    kind: str  # docx | pdf | unruled | md | html
    province: tuple[str, str]
    agency: str
    number: str
    period: Period
    topic: str
    caption: str
    unit_line: str | None
    header: Grid
    body: list[list[str]]
    split_at: int | None = None  # the body row the next page starts with
    expected: list[Expected] = field(default_factory=list)

    @property
    def doc(self) -> str:
        return f"{self.stem}.{'md' if self.kind in ('md', 'html') else 'pdf' if self.kind in PDF_TYPES else 'docx'}"

    @property
    def agency_full(self) -> str:
        return f"{self.agency} {self.province[0]} {self.province[1]}"

    @property
    def title(self) -> str:
        return f"Kết quả {self.topic} {self.period.title}"

    @property
    def intro(self) -> str:
        return (f"Thực hiện chế độ báo cáo định kỳ, {self.agency_full} báo cáo kết quả {self.topic} "
                f"{self.period.title} như sau:")  # fmt: skip

    def letterhead(self) -> tuple[list[str], list[str]]:
        """The two columns of the letterhead: issuer, and the national motto with place and date."""
        level, name = self.province
        d = self.period.report_date
        issuer = [f"UBND {level.upper()} {name.upper()}", self.agency.upper(), f"Số: {self.number}"]
        motto = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 f"{name}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"]  # fmt: skip
        return issuer, motto

    def closing(self) -> str:
        return f"GIÁM ĐỐC (Đã ký) {SIGNERS[len(self.stem) % len(SIGNERS)]}"


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Shown:
    """A figure as the cell writes it and as the catalog counts it."""

    text: str
    value: float


def fmt_number(amount: Decimal, decimals: int) -> str:
    """Vietnamese digits: dot thousands, comma decimals ("1.250,5")."""
    text = f"{amount:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def scale_of(unit_text: str) -> int:
    return 1_000_000_000 if unit_text.startswith("tỷ") else 1_000_000 if unit_text.startswith("triệu") else 1


def base_amount(rng: random.Random, ind: object, money_unit: str) -> tuple[Decimal, int]:
    """A plausible current-period figure of ``ind`` (an etl.catalog.Indicator) as the cell writes it,
    and its decimals: money in ``money_unit`` (triệu: one decimal, tỷ: two), rates with two."""
    code, unit, kind = ind.code, ind.unit, ind.kind  # type: ignore[attr-defined]
    lo_cat, hi_cat = ind.min_value, ind.max_value  # type: ignore[attr-defined]
    if unit == "%":
        return Decimal(rng.randint(8500, 9990)) / 100, 2
    if kind == "rank":
        return Decimal(rng.randint(int(max(lo_cat, 1)), int(min(hi_cat, 34)))), 0
    if unit == "đồng":
        if scale_of(money_unit) == 1_000_000:
            return Decimal(rng.randint(50, 9000)) / 10, 1
        return Decimal(rng.randint(100, 20000)) / 100, 2
    lo, hi = TYPICAL.get(code, (10_000, 900_000) if code in APP_CODES else TYPICAL_UNIT.get(unit, (10, 900)))
    return Decimal(max(int(lo_cat), min(int(hi_cat), rng.randint(lo, hi)))), 0


def column_amount(rng: random.Random, ind: object, base: Decimal, decimals: int, period: Period,
                  col: Column) -> Decimal:  # fmt: skip
    """The figure of one period column: the current one is ``base``; a cumulative flow is larger by
    the months it adds; the previous year's is near ``base``; rates and ranks are drawn anew."""
    step = Decimal(1).scaleb(-decimals)
    if col == period.columns[0]:
        return base
    if ind.unit == "%" or ind.kind == "rank":  # type: ignore[attr-defined]
        return base_amount(rng, ind, "triệu đồng")[0]
    if col.cumulative:
        more = base * Decimal(_months(col) - _months(period.columns[0])) / _months(period.columns[0])
        return (base + max(step, more * Decimal(rng.uniform(0.8, 1.15)))).quantize(step)
    return max(step, (base * Decimal(rng.uniform(0.75, 1.2))).quantize(step))


def _months(col: Column) -> int:
    return (col.end.year - col.start.year) * 12 + col.end.month - col.start.month + 1


def shown(amount: Decimal, decimals: int, ind: object, money_unit: str) -> Shown:
    """A cell's text and the value in the catalog unit (money times the scale of ``money_unit``)."""
    scale = scale_of(money_unit) if ind.unit == "đồng" else 1  # type: ignore[attr-defined]
    return Shown(fmt_number(amount, decimals), float(amount * scale))


# ---------------------------------------------------------------- choosing what a report holds


@dataclass
class Content:
    """The indicators of one table, its period and its money unit; totals are (total, parts)."""

    theme: Theme
    period: Period
    codes: list[str]
    money_unit: str = "triệu đồng"
    total: str | None = None


def choose_content(layout: Layout, index: int, catalog: object) -> Content:
    """The indicators, period and unit for one generated file; ``index`` rotates the choices."""
    rng = random.Random(index)
    money_unit = ("triệu đồng", "tỷ đồng")[index % 2]  # fines and donations: see _money_unit
    if layout.totals:
        theme_key, total, parts = TOTALS[index % len(TOTALS)]
        theme = next(t for t in THEMES if t.key == theme_key)
        return Content(theme, PERIODS[_period_key(theme, index)], [*parts, total], money_unit, total)
    if layout.single_unit:
        groups = _single_unit_groups(catalog)
        theme, codes = groups[index % len(groups)]
    else:
        theme = THEMES[index % len(THEMES)]
        codes = list(theme.codes)
    period = PERIODS[_period_key(theme, index)]
    codes = [c for c in codes if period.key == "Y" or _fits_part_year(catalog, c)]
    rng.shuffle(codes)
    codes = codes[: 6 if layout.orientation == "rows" else 4]
    return Content(theme, period, codes, _money_unit(codes, money_unit))


def _money_unit(codes: list[str], wanted: str) -> str:
    """Fines and donations are millions, never billions: a table holding one states "triệu đồng"."""
    return "triệu đồng" if {"fines_vnd", "donations_vnd"} & set(codes) else wanted


def _period_key(theme: Theme, index: int) -> str:
    return theme.periods[index % len(theme.periods)]


def _fits_part_year(catalog: object, code: str) -> bool:
    """Ranks and calendar-year figures (a year's capital plan) are only in a year's table."""
    ind = catalog.get(code)  # type: ignore[attr-defined]
    return ind.kind != "rank" and ind.period != "calendar_year"


def _single_unit_groups(catalog: object) -> list[tuple[Theme, list[str]]]:
    """(theme, codes) sharing one unit, at least two of them, for a table that states its unit once."""
    out = []
    for theme in THEMES:
        by_unit: dict[str, list[str]] = defaultdict(list)
        for code in theme.codes:
            by_unit[catalog.get(code).unit].append(code)  # type: ignore[attr-defined]
        out += [(theme, codes) for unit, codes in sorted(by_unit.items()) if len(codes) >= 2 and unit != "%"]
    return out


# ---------------------------------------------------------------- building the grid


def unit_text(ind: object, money_unit: str) -> str:
    return money_unit if ind.unit == "đồng" else ind.unit  # type: ignore[attr-defined]


def figures(content: Content, catalog: object, rng: random.Random) -> dict[str, list[Shown | None]]:
    """Each indicator's cell per period column (None: a stock's cumulative cell, shown "-")."""
    out: dict[str, list[Shown | None]] = {}
    for code in content.codes:
        if code == content.total:
            continue
        ind = catalog.get(code)  # type: ignore[attr-defined]
        base, decimals = base_amount(rng, ind, content.money_unit)
        row: list[Shown | None] = []
        for col in content.period.columns:
            if col.cumulative and ind.kind in ("stock", "rank") and ind.unit != "%":
                row.append(None)
                continue
            amount = column_amount(rng, ind, base, decimals, content.period, col)
            amount = min(amount, Decimal(ind.max_value) / scale_of(unit_text(ind, content.money_unit)))
            row.append(shown(amount, decimals, ind, content.money_unit))
        out[code] = row
    if content.total:
        out[content.total] = [_sum(cells) for cells in zip(*out.values(), strict=True)]
    _keep_wholes(out)
    return out


def _keep_wholes(out: dict[str, list[Shown | None]]) -> None:
    """A whole in a table with some of its parts (received petitions above complaints) is at least their sum."""
    for _theme, total, parts in TOTALS:
        present = [out[p] for p in parts if p in out]
        if total not in out or not present:
            continue
        for n, cell in enumerate(out[total]):
            floor = sum(int(row[n].value) for row in present if row[n] is not None)
            if cell is not None and cell.value < floor:
                whole = floor + int(cell.value) // 4
                out[total][n] = Shown(fmt_number(Decimal(whole), 0), float(whole))


def _sum(cells: tuple[Shown | None, ...]) -> Shown | None:
    if any(c is None for c in cells):
        return None
    total = sum(int(c.value) for c in cells if c)  # totals are counts
    return Shown(fmt_number(Decimal(total), 0), float(total))


def expected_facts(content: Content, catalog: object, cells: dict[str, list[Shown | None]]) -> list[Expected]:
    """One expected fact per figure cell, with the period (flow, rate, rank) or as_of (stock) of its column."""
    out = []
    for code, row in cells.items():
        ind = catalog.get(code)  # type: ignore[attr-defined]
        for col, shown in zip(content.period.columns, row, strict=True):
            if shown is None:
                continue
            if ind.kind == "stock":
                as_of = None if ind.period == "calendar_year" else col.end
                out.append(Expected(code, shown.value, ind.unit, None, None, as_of, shown.text))
            else:
                out.append(Expected(code, shown.value, ind.unit, col.start, col.end, None, shown.text))
    return out


def change_text(cells: list[Shown | None]) -> str:
    """The "Tăng, giảm (%)" cell: current against the previous period's figure (not a fact)."""
    now, before = cells[0], cells[-1]
    if now is None or before is None or not before.value:
        return ""
    pct = (now.value / before.value - 1) * 100
    return ("+" if pct >= 0 else "") + fmt_number(Decimal(f"{pct:.1f}"), 1)


def row_label(layout: Layout, content: Content, catalog: object, code: str) -> str:
    """The indicator's label as a row label or column header: label_vi, "(unit)" when the label carries it."""
    if code == content.total:
        label = "Tổng cộng" if layout.orientation == "rows" else "Tổng số"
    else:
        label = catalog.get(code).label_vi  # type: ignore[attr-defined]
    if layout.unit == "label" or (layout.unit == "header" and layout.orientation == "cols"):
        label += f" ({unit_text(catalog.get(code), content.money_unit)})"  # type: ignore[attr-defined]
    return label


def header_rows(layout: Layout, first: list[str], leaves: list[str], group: str, span: int) -> Grid:
    """One header row, or two with ``group`` over the first ``span`` leaves; ``first`` cells span both rows."""
    if layout.header == "h1":
        return [[Cell(t) for t in first + leaves]]
    merged = layout.header == "h2m"
    top: list[Cell | None] = []
    bottom: list[Cell | None] = []
    for text in first:
        top.append(Cell(text, down=2) if merged else Cell(text))
        bottom.append(None if merged else Cell(text))
    for i, text in enumerate(leaves):
        if i < span:
            top.append((Cell(group, span=span) if i == 0 else None) if merged else Cell(group))
            bottom.append(Cell(text))
        else:
            top.append(Cell(text, down=2) if merged else Cell(text))
            bottom.append(None if merged else Cell(text))
    return [top, bottom]


def rows_table(layout: Layout, content: Content, catalog: object,
               cells: dict[str, list[Shown | None]]) -> tuple[Grid, list[list[str]]]:  # fmt: skip
    """Measures on rows: STT | Chỉ tiêu | [Đơn vị tính] | one column per period | Tăng, giảm (%)."""
    suffix = f" ({_one_unit(content, catalog)})" if layout.unit == "header" else ""
    first = ["STT", "Chỉ tiêu"] + (["Đơn vị tính"] if layout.unit == "column" else [])
    leaves = [c.label + suffix for c in content.period.columns] + ["Tăng, giảm (%)"]
    span = content.period.group_span
    header = header_rows(layout, first, leaves, "Kết quả thực hiện", span)
    body = []
    for n, (code, row) in enumerate(cells.items(), 1):
        ind = catalog.get(code)  # type: ignore[attr-defined]
        line = ["" if code == content.total else str(n), row_label(layout, content, catalog, code)]
        line += [unit_text(ind, content.money_unit)] if layout.unit == "column" else []
        line += [s.text if s else "-" for s in row] + [change_text(row)]
        body.append(line)
    return header, body


def cols_table(layout: Layout, content: Content, catalog: object,
               cells: dict[str, list[Shown | None]]) -> tuple[Grid, list[list[str]]]:  # fmt: skip
    """Measures on columns: STT | Kỳ báo cáo | one column per indicator; a "Đơn vị tính" row when asked."""
    codes = list(cells)
    leaves = [row_label(layout, content, catalog, c) for c in codes]
    header = header_rows(layout, ["STT", "Kỳ báo cáo"], leaves, "Kết quả thực hiện", len(leaves))
    body = []
    if layout.unit == "column":
        body.append(["", "Đơn vị tính"] + [unit_text(catalog.get(c), content.money_unit) for c in codes])  # type: ignore[attr-defined]
    for n, col in enumerate(content.period.columns):
        body.append([str(n + 1), col.label] + [(cells[c][n].text if cells[c][n] else "-") for c in codes])
    body.append(["", "Tăng, giảm so với cùng kỳ (%)"] + [change_text(cells[c]) for c in codes])
    return header, body


def _one_unit(content: Content, catalog: object) -> str:
    units = {unit_text(catalog.get(c), content.money_unit) for c in content.codes}  # type: ignore[attr-defined]
    assert len(units) == 1, units
    return units.pop()


def make_report(layout: Layout, kind: str, index: int, catalog: object, stem: str) -> Report:
    """The report of one layout and file type, its table filled and its expected facts listed;
    ``index`` chooses the content, the same in every file type."""
    content = choose_content(layout, index, catalog)
    rng = random.Random(1000 + index)
    cells = figures(content, catalog, rng)
    build = rows_table if layout.orientation == "rows" else cols_table
    header, body = build(layout, content, catalog, cells)
    province = PROVINCES[index % len(PROVINCES)]
    abbr = {SKHCN: "SKHCN", TTHCC: "TTPVHCC", SNV: "SNV"}[content.theme.agency]
    caption = f"Biểu 01. {content.theme.topic.upper()} {content.period.title.upper()}"
    unit_line = f"ĐVT: {_one_unit(content, catalog)}" if layout.unit == "caption" else None
    split = max(1, len(body) // 2) if layout.continued != "none" else None
    report = Report(stem, layout, kind, province, content.theme.agency, f"{100 + index}/BC-{abbr}", content.period,
                    content.theme.topic, caption, unit_line, header, body, split)  # fmt: skip
    report.expected = expected_facts(content, catalog, cells)
    return report


# ---------------------------------------------------------------- writers, one per file type


def _parts(report: Report) -> list[tuple[Grid, list[list[str]]]]:
    """The table as printed: one part, or two at a page break (the second with or without its header)."""
    if report.split_at is None:
        return [(report.header, report.body)]
    second = report.header if report.layout.continued == "repeat" else []
    return [(report.header, report.body[: report.split_at]), (second, report.body[report.split_at :])]


def _continued_caption(report: Report) -> str:
    return "Biểu 01 (tiếp theo)"


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def write_md_pipe(report: Report, path: Path) -> None:
    """Markdown with pipe tables; a merged header cell is written once, the cells it covers left blank."""
    issuer, motto = report.letterhead()
    lines = [f"**{t}**  " for t in issuer] + [""] + [f"**{t}**  " for t in motto] + [""]
    lines += ["# BÁO CÁO", "", f"**{report.title}**", "", report.intro, "", report.caption, ""]
    lines += [f"*{report.unit_line}*", ""] if report.unit_line else []
    for n, (header, body) in enumerate(_parts(report)):
        if n:
            lines += [_continued_caption(report), ""] if header else []
        rows = [[c.text if c else "" for c in row] for row in header] + body
        width = len(rows[0])
        lines += [_pipe(rows[0]), _pipe(["---"] * width)] + [_pipe(r) for r in rows[1:]] + [""]
    lines += [report.closing(), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_md_html(report: Report, path: Path) -> None:
    """Markdown whose table is an HTML <table>, merged header cells as colspan / rowspan."""
    issuer, motto = report.letterhead()
    lines = [f"**{t}**  " for t in issuer] + [""] + [f"**{t}**  " for t in motto] + [""]
    lines += ["# BÁO CÁO", "", f"**{report.title}**", "", report.intro, "", report.caption, ""]
    lines += [f"*{report.unit_line}*", ""] if report.unit_line else []
    for n, (header, body) in enumerate(_parts(report)):
        if n and header:
            lines += [_continued_caption(report), ""]
        lines.append('<table border="1">')
        if header:
            lines.append("<thead>")
            for row in header:
                ths = "".join(_th(c) for c in row if c is not None)
                lines.append(f"<tr>{ths}</tr>")
            lines.append("</thead>")
        lines.append("<tbody>")
        lines += ["<tr>" + "".join(f"<td>{html.escape(t)}</td>" for t in row) + "</tr>" for row in body]
        lines += ["</tbody>", "</table>", ""]
    lines += [report.closing(), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _th(cell: Cell) -> str:
    attrs = (f' colspan="{cell.span}"' if cell.span > 1 else "") + (f' rowspan="{cell.down}"' if cell.down > 1 else "")
    return f"<th{attrs}>{html.escape(cell.text)}</th>"


def write_docx(report: Report, path: Path, ruled: bool = True) -> None:
    """A Word report: letterhead table, title, the figures table with real merged cells (gridSpan, vMerge);
    ``ruled=False`` draws no table border (Word with borders off), so the PDF has no lines to follow.

    A continued table is two Word tables with a page break between; the page header and footer then
    stand between the two parts in the PDF."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(12)
    _docx_letterhead(doc, report)
    for text, bold in (("BÁO CÁO", True), (report.title, True)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = bold
    doc.add_paragraph(report.intro)
    doc.add_paragraph().add_run(report.caption).bold = True
    if report.unit_line:
        doc.add_paragraph(report.unit_line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if report.split_at is not None:
        _docx_page_furniture(doc, report)
    for n, (header, body) in enumerate(_parts(report)):
        if n:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            if header:
                doc.add_paragraph(_continued_caption(report))
        _docx_table(doc, header, body, repeat=report.layout.continued == "repeat")
    doc.add_paragraph(report.closing())
    if not ruled:
        _unrule(doc)
    doc.save(str(path))


def _docx_letterhead(doc: object, report: Report) -> None:
    """The two-column letterhead, as a borderless table (as Word templates have it)."""
    issuer, motto = report.letterhead()
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    for cell, lines in zip(table.rows[0].cells, (issuer, motto), strict=True):
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)


def _docx_page_furniture(doc: object, report: Report) -> None:
    """A running page header and a footer with the page number, as official reports print them."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    section = doc.sections[0]  # type: ignore[attr-defined]
    section.header.paragraphs[0].text = f"{report.agency_full} - Báo cáo {report.period.title}"
    footer = section.footer.paragraphs[0]
    footer.add_run("Trang ")
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _docx_table(doc: object, header: Grid, body: list[list[str]], repeat: bool) -> None:
    """A ruled Word table; header cells with span/down are merged, header rows repeat on a new page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    width = len(body[0])
    table = doc.add_table(rows=len(header) + len(body), cols=width)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for r, row in enumerate(header):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            target = table.cell(r, c)
            if cell.span > 1 or cell.down > 1:
                target = target.merge(table.cell(r + cell.down - 1, c + cell.span - 1))
            target.text = cell.text
        if repeat:
            tr_pr = table.rows[r]._tr.get_or_add_trPr()
            mark = OxmlElement("w:tblHeader")
            mark.set(qn("w:val"), "true")
            tr_pr.append(mark)
    for r, row in enumerate(body, len(header)):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def _unrule(doc: object) -> None:
    """Every table without borders: its table style and any table or cell borders removed."""
    from docx.oxml.ns import qn

    body = doc.element.body  # type: ignore[attr-defined]
    for tag in ("w:tblStyle", "w:tblBorders", "w:tcBorders"):
        for el in list(body.iter(qn(tag))):
            el.getparent().remove(el)


def convert_pdfs(docx_files: list[Path], out_dir: Path) -> None:
    """All .docx to .pdf in one LibreOffice run (its start-up is most of the time)."""
    if not docx_files:
        return
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(out_dir), *map(str, docx_files)]  # fmt: skip
        subprocess.run(cmd, check=True, capture_output=True, timeout=900)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def write_report(report: Report, folder: Path) -> Path:
    """Write one report in its file type (a PDF's .docx source goes to ``folder/pdf-src``); return the path."""
    if report.kind == "md":
        write_md_pipe(report, folder / report.doc)
    elif report.kind == "html":
        write_md_html(report, folder / report.doc)
    elif report.kind == "docx":
        write_docx(report, folder / report.doc)
    else:
        src = folder / "pdf-src"
        src.mkdir(exist_ok=True)
        write_docx(report, src / f"{report.stem}.docx", ruled=report.kind == "pdf")
    return folder / report.doc


# ---------------------------------------------------------------- scoring


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _year(row: dict) -> int | None:
    for key in ("as_of", "period_end", "period_start"):
        v = str(row.get(key) or "")
        if len(v) >= 4 and v[:4].isdigit():
            return int(v[:4])
    return None


def gold_row(report: Report, e: Expected) -> dict:
    value = int(e.value) if float(e.value).is_integer() else e.value
    return {"doc": report.doc, "indicator": e.indicator, "value": value, "alt_values": "", "unit": e.unit,
            "period_start": _iso(e.start), "period_end": _iso(e.end), "as_of": _iso(e.as_of),
            "qualifier": "exact", "quote": e.quote}  # fmt: skip


@dataclass
class Score:
    expected: int = 0
    predicted: int = 0
    found: int = 0
    period_exact: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.predicted += other.predicted
        self.found += other.found
        self.period_exact += other.period_exact

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 0.0

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else 0.0


def _same_period(fact: dict, gold: dict) -> bool:
    """As the shared scorer: start, end and as_of equal; a gold stock with a blank as_of takes any."""
    for key in ("period_start", "period_end", "as_of"):
        want, got = gold[key], str(fact.get(key) or "")[:10]
        if key == "as_of" and not want and not gold["period_start"]:
            continue
        if want != got:
            return False
    return True


def score_file(gold: list[dict], facts: list[dict]) -> Score:
    """Match one file's facts to its gold rows the way ../shared/tools/score_extraction.py does."""
    seen, uniq = set(), []
    for f in facts:
        key = (f["indicator"], round(float(f["value"]), 6), _year(f))
        if key not in seen:
            seen.add(key)
            uniq.append(f)
    by_code: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gold):
        by_code[g["indicator"]].append(i)
    used: set[int] = set()
    s = Score(expected=len(gold), predicted=len(uniq))
    for f in uniq:
        rows = by_code.get(f["indicator"], [])
        hit = next((i for i in rows if i not in used and abs(float(f["value"]) - float(gold[i]["value"]))
                    <= 1e-6 * max(1.0, abs(float(gold[i]["value"])))
                    and not (len(rows) > 1 and _year(gold[i]) and _year(f) != _year(gold[i]))), None)  # fmt: skip
        if hit is None:
            s.wrong.append(f"{f['indicator']} = {f['value']} «{' '.join(str(f.get('quote', '')).split())[:70]}»")
            continue
        used.add(hit)
        s.found += 1
        s.period_exact += _same_period(f, gold[hit])
    s.misses = [f"{g['indicator']} = {g['value']} «{g['quote']}»" for i, g in enumerate(gold) if i not in used]
    return s


def extract(path: Path) -> tuple[list[dict], dict]:
    """The primary facts and document line ``python -m etl extract --json`` prints for one file."""
    from etl.pipeline import process_file

    try:
        ex = process_file(path)
    except Exception as exc:  # noqa: BLE001 - a file the reader refuses is a layout's miss, not a crash
        return [], {"type": "document", "doc": path.name, "error": str(exc)}
    m = ex.meta
    doc = {"type": "document", "doc": m.doc, "province": m.province, "agency": m.agency,
           "period_start": _iso(m.period_start), "period_end": _iso(m.period_end)}  # fmt: skip
    return [f.as_json() for f in ex.facts if f.role == "primary"], doc


# ---------------------------------------------------------------- the run


def generate(layouts: list[Layout], kinds: tuple[str, ...], folder: Path, variants: int = 2) -> list[Report]:
    """Every layout in every file type, ``variants`` contents each, written to ``folder``; the PDFs
    converted in one batch."""
    from etl.catalog import default_catalog

    catalog = default_catalog()
    reports = []
    for n, layout in enumerate(layouts):
        for variant in range(variants):
            index = n * variants + variant
            for kind in kinds:
                stem = f"L{n:02d}{'abcdefgh'[variant]}_{layout.name.replace(' ', '_')}_{kind}"
                report = make_report(layout, kind, index, catalog, stem)
                write_report(report, folder)
                reports.append(report)
    pdf_src = sorted((folder / "pdf-src").glob("*.docx")) if (folder / "pdf-src").is_dir() else []
    convert_pdfs(pdf_src, folder)
    return reports


def write_gold(reports: list[Report], folder: Path) -> None:
    """gold.csv and docs.csv in the shape of ../shared/dev2, for the shared scorer."""
    with (folder / "gold.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, GOLD_FIELDS)
        w.writeheader()
        for r in reports:
            w.writerows(gold_row(r, e) for e in r.expected)
    with (folder / "docs.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, DOCS_FIELDS)
        w.writeheader()
        for r in reports:
            first = r.period.columns[0]
            w.writerow({"doc": r.doc, "province": r.province[1], "agency": r.agency_full,
                        "report_label": f"{r.layout.name} ({r.kind})", "period_start": _iso(first.start),
                        "period_end": _iso(first.end), "report_date": _iso(r.period.report_date)})  # fmt: skip


def run(reports: list[Report], folder: Path) -> dict[tuple[str, str, str], Score]:
    """Extract every file and score it; also write pred.jsonl beside gold.csv."""
    scores: dict[tuple[str, str, str], Score] = {}
    with (folder / "pred.jsonl").open("w", encoding="utf-8") as pred:
        for r in reports:
            facts, doc = extract(folder / r.doc)
            pred.write(json.dumps(doc, ensure_ascii=False) + "\n")
            pred.writelines(json.dumps(f, ensure_ascii=False) + "\n" for f in facts)
            scores[(r.layout.name, r.kind, r.stem)] = score_file([gold_row(r, e) for e in r.expected], facts)
    return scores


def _row(name: str, files: int, s: Score, per_kind: dict[str, Score] | None, kinds: tuple[str, ...]) -> str:
    pe = s.period_exact / s.found if s.found else 0.0
    text = f"{name:34} {files:>5} {s.expected:>8} {s.found:>6} {s.recall:>7.3f} {s.precision:>9.3f} {pe:>9.3f}"
    if per_kind:
        text += "".join(f" {per_kind[k].recall:>7.2f}" if k in per_kind else f" {'':>7}" for k in kinds)
    return text


def print_table(layouts: list[Layout], kinds: tuple[str, ...], scores: dict[tuple[str, str, str], Score]) -> Score:
    """Per layout (recall by file type at the right), then per file type and per dimension value."""
    cells: dict[tuple[str, str], Score] = defaultdict(Score)
    files: dict[str, int] = defaultdict(int)
    for (name, kind, _stem), one in scores.items():
        cells[(name, kind)].add(one)
        files[name] += 1
    head = f"{'layout':34} {'files':>5} {'expected':>8} {'found':>6} {'recall':>7} {'precision':>9} {'per_exact':>9}"
    print(head + "".join(f" {k:>7}" for k in kinds))
    total = Score()
    for layout in layouts:
        per_kind = {k: cells[(layout.name, k)] for k in kinds if (layout.name, k) in cells}
        s = Score()
        for one in per_kind.values():
            s.add(one)
        total.add(s)
        print(_row(layout.name, files[layout.name], s, per_kind, kinds))
    print("-" * (len(head) + 8 * len(kinds)))
    print(_row("TOTAL", len(scores), total, None, kinds))
    print("\nby file type and by dimension:")
    by_name = {x.name: x for x in layouts}
    for label, key in _dimensions(kinds):
        s, n = Score(), 0
        for (name, kind), one in cells.items():
            if key(by_name[name], kind):
                s.add(one)
                n += files[name] // len(kinds)
        if s.expected:
            print(_row(label, n, s, None, kinds))
    return total


def _dimensions(kinds: tuple[str, ...]) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [(f"type={k}", lambda _l, kind, k=k: kind == k) for k in kinds]
    out += [(f"orientation={v}", lambda lay, _k, v=v: lay.orientation == v) for v in ("rows", "cols")]
    out += [(f"header={v}", lambda lay, _k, v=v: lay.header == v) for v in ("h1", "h2m", "h2r")]
    out += [(f"unit={v}", lambda lay, _k, v=v: lay.unit == v) for v in ("column", "label", "header", "caption")]
    out += [(f"totals={v}", lambda lay, _k, v=v: lay.totals == v) for v in (False, True)]
    out += [(f"continued={v}", lambda lay, _k, v=v: lay.continued == v) for v in ("none", "repeat", "lost")]
    return out


def print_coverage(reports: list[Report]) -> None:
    """How many catalog indicators the matrix fills, and those never read in any layout."""
    from etl.catalog import default_catalog

    codes = {e.indicator for r in reports for e in r.expected}
    print(f"\nindicators in the tables: {len(codes)} of {len(default_catalog().indicators)}")


def cross_check(folder: Path) -> None:
    """The shared scorer's headline on the same predictions, when ../shared is beside the project."""
    if not SCORER.exists():
        return
    out = subprocess.run([sys.executable, str(SCORER), "--gold", str(folder / "gold.csv"), "--docs",
                          str(folder / "docs.csv"), "--pred", str(folder / "pred.jsonl"), "--quiet"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    lines = out.stdout.strip().splitlines()
    print(f"\nshared scorer: {lines[-1] if lines else out.stderr.strip()[-300:]}")


def show_misses(reports: list[Report], scores: dict[tuple[str, str, str], Score], limit: int) -> None:
    """Up to ``limit`` missed and wrong facts of every file."""
    for r in reports:
        s = scores[(r.layout.name, r.kind, r.stem)]
        for line in s.misses[:limit]:
            print(f"MISSED  {r.doc}: {line}")
        for line in s.wrong[:limit]:
            print(f"WRONG   {r.doc}: {line}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", "--smoke", action="store_true", help="a handful of layouts, no PDF (seconds)")
    ap.add_argument("--out", help="keep the generated files, gold.csv, docs.csv and pred.jsonl here")
    ap.add_argument("--show-misses", type=int, default=0, metavar="N", help="print N misses / wrong facts per file")
    ap.add_argument("--kinds", default=",".join(FILE_TYPES), help="file types to generate, comma-separated")
    a = ap.parse_args(argv)
    layouts = quick_layouts() if a.quick else all_layouts()
    kinds = tuple(k for k in FILE_TYPES if k in a.kinds.split(",") and not (a.quick and k in PDF_TYPES))
    if set(kinds) & set(PDF_TYPES) and shutil.which("soffice") is None:
        print("soffice not found (apt-get install libreoffice-writer-nogui): no PDF layouts", file=sys.stderr)
        kinds = tuple(k for k in kinds if k not in PDF_TYPES)
    folder = Path(a.out) if a.out else Path(tempfile.mkdtemp(prefix="table-layouts-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        reports = generate(layouts, kinds, folder)
        t1 = time.perf_counter()
        write_gold(reports, folder)
        scores = run(reports, folder)
        t2 = time.perf_counter()
        if a.show_misses:
            show_misses(reports, scores, a.show_misses)
        print_table(layouts, kinds, scores)
        print_coverage(reports)
        cross_check(folder)
        print(f"\n{len(layouts)} layouts, {len(reports)} files: generated in {t1 - t0:.1f} s, "
              f"extracted and scored in {t2 - t1:.1f} s" + (f"; files in {folder}" if a.out else ""))  # fmt: skip
    finally:
        if not a.out:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
