"""The compiled report ("Báo cáo tổng hợp"): which figure stands for each unit, indicator and period.

Takes a read-only warehouse connection and a ``Scope`` (provinces, agencies, indicator groups, a
``Period``); hands a ``CompiledReport`` to ``compiled_docx`` (the Word file) and the figures to
``excel.facts_workbook`` (the annex). Honest by construction: a figure is used for the chosen
period only when its own period starts with it and ends inside it, and it always travels with
its own period, its report, its findings and its correction, so the renderer cannot drop them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
import pandas as pd

from contract import QUARTERS, is_rank
from dashboard import excel, queries
from dashboard.filters import DOCUMENTS, FACTS, Filters
from dashboard.filters import Source as FilterSource
from dashboard.formatting import (
    QUALIFIER_LABELS,
    date_range,
    original_name,
    period_text,
    slug,
    vn_date,
    vn_number,
    vn_sort_key,
    vn_value,
)

NO_PROVINCE, NO_AGENCY = "Không rõ tỉnh", "Không rõ cơ quan"  # a report whose letterhead was not read
_STOCK_SLACK_DAYS = 31  # two stocks compare when their dates are this close, a year apart
_INEXACT = {"at_least", "about", "at_most"}


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting window; ``code`` is how it was asked for (``6T/2024``), ``label`` how it reads."""

    start: date
    end: date
    label: str
    code: str

    def previous_year(self) -> Period:
        """The same period one year earlier ("cùng kỳ")."""
        start, end = shift_year(self.start, -1), shift_year(self.end, -1)
        label = re.sub(r"\d{4}", lambda m: str(int(m.group()) - 1), self.label)
        return Period(start, end, label, self.code)

    @property
    def dates(self) -> str:
        """'01/01–30/06/2024', 'Năm 2024': the project's one date style."""
        return date_range(self.start, self.end)

    @property
    def full(self) -> str:
        """'6 tháng đầu năm 2024 (01/01–30/06/2024)'; 'năm 2024' alone, as its dates say no more."""
        return self.label if self.dates.lower() in self.label.lower() else f"{self.label} ({self.dates})"


def shift_year(day: date, years: int) -> date:
    """The same day ``years`` later; a month's last day stays the month's last day (29/02 → 28/02)."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, day.month, last)
    return date(year, day.month, min(day.day, last))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"([69])T/(\d{4})", re.I), "months"),
    (re.compile(r"Q([1-4])/(\d{4})", re.I), "quarter"),
    (re.compile(r"T(1[0-2]|[1-9])/(\d{4})", re.I), "month"),
    (re.compile(r"(\d{1,2}/\d{1,2}/\d{4})\s*[-–]\s*(\d{1,2}/\d{1,2}/\d{4})"), "window"),
]
PERIOD_HELP = "2024 (năm), 6T/2024, 9T/2024, Q3/2024 (quý), T5/2024 (tháng) hoặc 01/01/2024-31/07/2024"


def _vn_day(text: str) -> date:
    day, month, year = (int(p) for p in text.split("/"))
    return date(year, month, day)


def _build_period(kind: str, groups: tuple[str, ...], code: str) -> Period:
    if kind == "year":
        year = int(groups[0])
        return Period(date(year, 1, 1), date(year, 12, 31), f"năm {year}", code)
    if kind == "months":
        months, year = int(groups[0]), int(groups[1])
        label = f"6 tháng đầu năm {year}" if months == 6 else f"9 tháng năm {year}"
        return Period(date(year, 1, 1), _month_end(year, months), label, code)
    if kind == "quarter":
        quarter, year = int(groups[0]), int(groups[1])
        return Period(date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter),
                      f"quý {QUARTERS[quarter - 1]} năm {year}", code)  # fmt: skip
    if kind == "month":
        month, year = int(groups[0]), int(groups[1])
        return Period(date(year, month, 1), _month_end(year, month), f"tháng {month} năm {year}", code)
    start, end = _vn_day(groups[0]), _vn_day(groups[1])
    if end < start:
        raise ValueError(f"Kỳ {code!r}: ngày kết thúc trước ngày bắt đầu")
    return Period(start, end, f"kỳ {date_range(start, end)}", code)


PERIOD_KINDS = {"year": "Năm", "6T": "6 tháng đầu năm", "9T": "9 tháng", "Q": "Quý", "T": "Tháng", "window": "Tùy chọn"}


def period_code(kind: str, year: int, part: int = 1, start: date | None = None, end: date | None = None) -> str:
    """The code ``parse_period`` reads for a choice made on the page: ('Q', 2024, 3) → 'Q3/2024'."""
    if kind == "year":
        return str(year)
    if kind in ("6T", "9T"):
        return f"{kind}/{year}"
    if kind in ("Q", "T"):
        return f"{kind}{part}/{year}"
    return f"{vn_date(start)}-{vn_date(end)}"


def parse_period(text: str) -> Period:
    """'6T/2024' → 01/01–30/06/2024 "6 tháng đầu năm 2024"; ValueError (in Vietnamese) otherwise."""
    code = " ".join(str(text).split())
    for pattern, kind in _PATTERNS:
        match = pattern.fullmatch(code)
        if match:
            try:
                return _build_period(kind, match.groups(), code)
            except ValueError as exc:
                if str(exc).startswith("Kỳ"):
                    raise
                raise ValueError(f"Kỳ {code!r}: ngày không hợp lệ ({exc})") from None
    raise ValueError(f"Không hiểu kỳ báo cáo {code!r}; dùng {PERIOD_HELP}")


@dataclass(frozen=True, slots=True)
class Scope:
    """What to compile: empty tuples mean every province, agency or group the warehouse has."""

    period: Period
    provinces: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    """The report a figure was read from, as a footnote cites it."""

    doc_id: str
    file_name: str
    report_number: str | None
    report_date: date | None
    agency: str | None
    province: str | None
    title: str | None
    kind: str
    period_label: str | None
    period_start: date | None = None  # the report's own period
    period_end: date | None = None

    @property
    def period_text(self) -> str:
        """The report's period in the one date style: its own words ('6 tháng đầu năm 2024', 'Năm
        2024'), or its dates ('01/01–31/07/2024') when the words are dates."""
        label = " ".join(str(self.period_label or "").split())
        if label and not re.search(r"\d{1,2}/\d{1,2}/\d{4}", label):
            return label[:1].upper() + label[1:]
        if self.period_start and self.period_end:
            return date_range(self.period_start, self.period_end)
        return label or "không rõ kỳ"

    @property
    def stated_on(self) -> date | None:
        """The latest day the report speaks from: its date or the end of its period."""
        days = [d for d in (self.report_date, self.period_end) if d]
        return max(days) if days else None

    @property
    def shown_name(self) -> str:
        """The file the report was uploaded as ('' for a stored name that is only a hash)."""
        return original_name(self.file_name)

    def citation(self, with_agency: bool = True) -> str:
        """'Báo cáo số 412/BC-STTTT ngày 12/12/2023 của Sở Thông tin và Truyền thông (Quảng Ninh)';
        a report without number or date says so ('Báo cáo không số, không ghi ngày')."""
        number = f"số {self.report_number}" if self.report_number else "không số,"
        when = f"ngày {vn_date(self.report_date)}" if self.report_date else "không ghi ngày"
        text = f"Báo cáo {number} {when}"
        if not with_agency:
            return text
        where = f" ({self.province})" if self.province else ""
        return f"{text}{',' if not self.report_date else ''} của {self.agency or 'cơ quan không rõ'}{where}"


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure from the warehouse with everything the report must say about it."""

    fact_id: str
    indicator: str
    label: str
    unit: str
    kind: str
    value: float
    qualifier: str
    period_start: date | None
    period_end: date | None
    as_of: date | None
    page: int | None
    quote: str
    status: str
    extracted_value: float
    correction: str | None  # who, when, why, for a corrected figure
    finding_severity: str | None
    finding_label: str | None  # the severity as the warehouse's vocabulary names it ("Lỗi")
    finding_titles: str | None
    source: Source

    @property
    def end(self) -> date | None:
        return self.as_of or self.period_end

    @property
    def own_period(self) -> str:
        """'01/01–31/05/2024' or 'Năm 2023' for a flow, 'tại 31/07/2024' for a stock (one date style)."""
        return period_text(self.period_start, self.period_end, self.as_of)

    @property
    def value_text(self) -> str:
        """'2.813.493', '12,5%', 'hơn 340' — the figure as officials write it (unit in its own column)."""
        words = QUALIFIER_LABELS.get(self.qualifier, "") if self.qualifier in _INEXACT else ""
        return f"{words} {vn_value(self.value, self.unit)}".strip()

    @property
    def is_corrected(self) -> bool:
        return self.status == "corrected"


def match(figure: Figure, period: Period) -> str:
    """'exact' (its period is the chosen one), 'partial' (starts with it, ends earlier inside it;
    a stock dated inside it), or 'outside' (another period: never shown as the chosen one)."""
    if figure.as_of:
        if not period.start <= figure.as_of <= period.end:
            return "outside"
        return "exact" if figure.as_of == period.end else "partial"
    if figure.period_start is None or figure.period_end is None:
        return "outside"
    if figure.period_start == period.start and figure.period_end == period.end:
        return "exact"
    if figure.period_start == period.start and figure.period_end < period.end:
        return "partial"
    return "outside"


def _pick(figures: list[Figure], period: Period) -> Figure | None:
    """The figure that stands for the period: an exact one, else the one covering most of it;
    between reports of the same period, the latest report (it supersedes the earlier)."""
    usable = [f for f in figures if match(f, period) != "outside"]
    if not usable:
        return None
    return max(usable, key=lambda f: (match(f, period) == "exact", f.end or date.min,
                                      f.source.report_date or date.min, f.fact_id))  # fmt: skip


def comparable(current: Figure, previous: Figure) -> bool:
    """Same period a year apart: flows to the day, stocks within a month of the same date."""
    if current.as_of and previous.as_of:
        return abs((shift_year(current.as_of, -1) - previous.as_of).days) <= _STOCK_SLACK_DAYS
    if current.as_of or previous.as_of or not (current.period_start and current.period_end):
        return False
    return (previous.period_start, previous.period_end) == (
        shift_year(current.period_start, -1),
        shift_year(current.period_end, -1),
    )


def _signed_pct(change: float, base: float) -> str:
    pct = change / base * 100
    sign = "+" if pct > 0 else "−" if pct < 0 else ""
    return f"{sign}{vn_number(abs(pct), 1)}%"


def comparison(current: Figure | None, previous: Figure | None) -> str:
    """'giảm 1 hồ sơ (−2,7%)', 'tăng 2 bậc', 'tăng 1,5 điểm %' — or why there is no comparison."""
    if current is None or previous is None:
        return "không có số liệu để so sánh" if current is not None or previous is not None else ""
    if not comparable(current, previous):
        return "không cùng kỳ, không so sánh"
    if current.qualifier in _INEXACT or previous.qualifier in _INEXACT:
        return "số liệu ước tính, không so sánh"
    change = current.value - previous.value
    if change == 0:
        return "bằng cùng kỳ" if not is_rank(current.kind) else "giữ nguyên thứ hạng"
    up = "tăng" if change > 0 else "giảm"
    if is_rank(current.kind):  # a smaller rank is a better one
        return f"{'giảm' if change > 0 else 'tăng'} {vn_value(abs(change))} bậc"
    if current.unit == "%":
        return f"{up} {vn_value(abs(change))} điểm %"
    text = f"{up} {vn_value(abs(change))} {current.unit}"
    return f"{text} ({_signed_pct(change, previous.value)})" if previous.value else text


@dataclass(frozen=True, slots=True)
class Unit:
    """An agency of a province in scope, with the reports it sent for the period."""

    province: str
    agency: str
    reports: tuple[Source, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.agency} ({self.province})"


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a section's table: an indicator of a unit, this period and the same period last year."""

    unit: Unit
    indicator: str
    label: str
    unit_of_measure: str
    sort_order: int
    current: Figure | None
    previous: Figure | None
    current_match: str  # exact | partial | missing
    comparison: str
    kpi_order: int | None = None  # a key figure of Tổng quan (from the warehouse's indicators)

    @property
    def is_key(self) -> bool:
        return self.kpi_order is not None


@dataclass(frozen=True, slots=True)
class Omission:
    """A figure left out of the tables because its period is not the chosen one."""

    unit: Unit
    figure: Figure
    reason: str


@dataclass(frozen=True, slots=True)
class Section:
    group_code: str
    group_label: str
    rows: tuple[Row, ...]
    not_reported: tuple[Unit, ...]  # units expected in this group (they reported it last year) that gave nothing


@dataclass(frozen=True, slots=True)
class CompiledReport:
    scope: Scope
    units: tuple[Unit, ...]
    sections: tuple[Section, ...]
    omissions: tuple[Omission, ...]
    findings: pd.DataFrame  # fact_id, severity, title, message of each open finding on a figure shown
    built_at: datetime | None
    fact_ids: tuple[str, ...] = field(default=())  # every figure shown, in report order

    @property
    def figures(self) -> list[Figure]:
        """Every figure the tables show (this period and last year), in report order."""
        return [f for s in self.sections for r in s.rows for f in (r.current, r.previous) if f is not None]

    @property
    def flagged(self) -> list[tuple[Row, Figure]]:
        """Figures shown with an open data-quality finding."""
        return [(r, f) for s in self.sections for r in s.rows for f in (r.current, r.previous)
                if f is not None and f.finding_severity]  # fmt: skip

    def title(self) -> str:
        """The subject line: scope and period."""
        where = ", ".join(self.scope.provinces) if self.scope.provinces else "các tỉnh, thành phố"
        who = f" của {', '.join(self.scope.agencies)}" if self.scope.agencies else ""
        return f"Tổng hợp số liệu {self.scope.period.label}{who} – {where}"


_CANDIDATES_SQL = """
    SELECT f.fact_id, f.indicator, f.label_vi, f.unit, f.kind, f.value, f.qualifier,
           f.period_start, f.period_end, f.as_of, f.page, f.quote, f.status, f.extracted_value,
           f.finding_severity, f.finding_titles, f.group_code, f.group_label, f.sort_order,
           f.doc_id, f.file_name, coalesce(f.province, '{no_province}') AS province,
           coalesce(f.agency, '{no_agency}') AS agency, f.period_label, f.report_date,
           f.report_period_start, f.report_period_end,
           d.report_number, d.title, d.kind AS doc_kind,
           c.correction, i.kpi_order, s.label AS finding_label
    FROM (SELECT * FROM fact_view WHERE {where}) f
    JOIN documents d USING (doc_id)
    JOIN indicators i ON i.code = f.indicator
    LEFT JOIN severities s ON s.code = f.finding_severity
    LEFT JOIN (
        SELECT doc_sha256, coalesce(applied_key, fact_key) AS fact_key,
               arg_max('giá trị trích xuất ' || coalesce(old_value, '?') || ', sửa thành ' || coalesce(new_value, '?')
                       || ' ngày ' || strftime(made_at, '%d/%m/%Y') || ' (' || who || '): ' || why, made_at)
                   AS correction
        FROM corrections WHERE applied AND fact_key IS NOT NULL AND field <> 'assign'
        GROUP BY ALL
    ) c ON c.doc_sha256 = d.sha256 AND c.fact_key = f.fact_key
    WHERE f.role = 'primary' AND f.kept
      AND coalesce(f.as_of, f.period_end) >= ? AND coalesce(f.as_of, f.period_start) <= ?
"""

_DOCUMENTS_SQL = """
    SELECT doc_id, file_name, report_number, report_date, coalesce(agency, '{no_agency}') AS agency,
           coalesce(province, '{no_province}') AS province, title, kind, period_label,
           period_start AS report_period_start, period_end AS report_period_end
    FROM document_view
    WHERE {where} AND period_end >= ? AND period_start <= ?
"""


def _none(value: object) -> object:
    return None if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)) else value


def _day(value: object) -> date | None:
    value = _none(value)
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    return pd.Timestamp(value).date()


def _source(row: dict) -> Source:
    return Source(
        doc_id=row["doc_id"], file_name=row["file_name"], report_number=_none(row["report_number"]),
        report_date=_day(row["report_date"]), agency=_none(row["agency"]), province=_none(row["province"]),
        title=_none(row["title"]), kind=row.get("doc_kind") or row.get("kind") or "",
        period_label=_none(row["period_label"]), period_start=_day(row["report_period_start"]),
        period_end=_day(row["report_period_end"]),
    )  # fmt: skip


def _figure(row: dict) -> Figure:
    """A figure as its report states it: a stock dated after the report was written (a year's plan
    dated 31/12 in a report of August) is dated the day the report speaks from."""
    page = _none(row["page"])
    source = _source(row)
    as_of = _day(row["as_of"])
    if as_of and source.stated_on and as_of > source.stated_on:
        as_of = source.stated_on
    return Figure(
        fact_id=row["fact_id"], indicator=row["indicator"], label=row["label_vi"], unit=row["unit"], kind=row["kind"],
        value=float(row["value"]), qualifier=row["qualifier"], period_start=_day(row["period_start"]),
        period_end=_day(row["period_end"]), as_of=as_of, page=None if page is None else int(page),
        quote=" ".join(str(row["quote"]).split()), status=row["status"], extracted_value=float(row["extracted_value"]),
        correction=_none(row["correction"]), finding_severity=_none(row["finding_severity"]),
        finding_label=_none(row["finding_label"]) or _none(row["finding_severity"]),
        finding_titles=_none(row["finding_titles"]), source=source,
    )  # fmt: skip


def _where(scope: Scope, source: FilterSource) -> tuple[str, list[object]]:
    """The scope through the dashboard's one filter path (figures: provinces, agencies, groups;
    reports: provinces and agencies — a report is listed whatever groups it gives figures of)."""
    groups = scope.groups if source is FACTS else ()
    return Filters(provinces=scope.provinces, agencies=scope.agencies, groups=groups).where(source)


def _units(con: duckdb.DuckDBPyConnection, scope: Scope, previous: Period) -> list[Unit]:
    """Agencies in scope: those that reported in the period or the same period last year, and
    every agency asked for by name (with no report, it is listed as "không báo cáo"). A unit's
    reports for the period are those whose own period lies within it: a full-year report is not
    one sent for the first six months."""
    where, params = _where(scope, DOCUMENTS)
    sql = _DOCUMENTS_SQL.format(no_province=NO_PROVINCE, no_agency=NO_AGENCY, where=where)
    rows = con.execute(sql, [*params, previous.start, scope.period.end]).df()
    reports: dict[tuple[str, str], list[Source]] = {}
    for row in rows.to_dict("records"):
        key = (row["province"], row["agency"])
        reports.setdefault(key, [])
        source = _source(row)
        start, end = source.period_start, source.period_end
        if start and end and scope.period.start <= start and end <= scope.period.end:
            reports[key].append(source)
    for province in scope.provinces:
        for agency in scope.agencies:
            reports.setdefault((province, agency), [])
    units = [Unit(p, a, tuple(sorted(r, key=lambda s: (s.report_date or date.min, s.doc_id))))
             for (p, a), r in reports.items()]  # fmt: skip
    return sorted(units, key=lambda u: (vn_sort_key(u.province), vn_sort_key(u.agency)))


def _row(unit: Unit, facts: list[Figure], meta: dict, period: Period) -> Row:
    current = _pick(facts, period)
    previous_period = period.previous_year()
    previous = _pick(facts, previous_period)
    if current is not None and previous is not None and not comparable(current, previous):
        # prefer last year's figure that is the same period as this year's, when there is one
        same = [f for f in facts if comparable(current, f)]
        previous = max(same, key=lambda f: (f.source.report_date or date.min, f.fact_id)) if same else previous
    return Row(
        unit=unit, indicator=meta["indicator"], label=meta["label_vi"], unit_of_measure=meta["unit"],
        sort_order=int(meta["sort_order"]), current=current, previous=previous,
        current_match=match(current, period) if current else "missing", comparison=comparison(current, previous),
        kpi_order=_none(meta["kpi_order"]),
    )  # fmt: skip


def _omission(unit: Unit, facts: list[Figure], period: Period) -> Omission | None:
    """For an indicator with no usable figure: the one figure touching the period that was left out."""
    touching = [f for f in facts if f.end and f.end >= period.start and (f.period_start or f.end) <= period.end]
    if not touching:
        return None
    figure = max(touching, key=lambda f: (f.end, f.fact_id))
    return Omission(unit, figure, f"kỳ của số liệu ({figure.own_period}) không khớp kỳ báo cáo ({period.dates})")


@dataclass(slots=True)
class _Groups:
    labels: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    expected: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    omissions: list[Omission] = field(default_factory=list)


def _collect(candidates: list[dict], units: dict[tuple[str, str], Unit], period: Period) -> _Groups:
    out = _Groups()
    grouped: dict[tuple[str, str, str], list[dict]] = {}
    for record in candidates:
        grouped.setdefault((record["province"], record["agency"], record["indicator"]), []).append(record)
    for (province, agency, _), records in grouped.items():
        unit = units.get((province, agency))
        if unit is None:
            continue
        meta = records[0]
        facts = [_figure(r) for r in records]
        row = _row(unit, facts, meta, period)
        out.labels[meta["group_code"]] = meta["group_label"]
        if row.current is None:
            omitted = _omission(unit, facts, period)
            if omitted is not None:
                out.omissions.append(omitted)
        if row.current is not None or row.previous is not None:
            out.rows.setdefault(meta["group_code"], []).append(row)
        if row.previous is not None:
            out.expected.setdefault(meta["group_code"], set()).add((province, agency))
    return out


def _sections(groups: _Groups, units: list[Unit], order: dict[str, int], scope: Scope) -> list[Section]:
    sections = []
    position = {unit: k for k, unit in enumerate(units)}
    for code in sorted(groups.rows, key=lambda c: order.get(c, 999)):
        rows = sorted(groups.rows[code], key=lambda r: (position[r.unit], r.sort_order))
        reporting = {(r.unit.province, r.unit.agency) for r in rows if r.current is not None}
        asked = {(u.province, u.agency) for u in units if u.agency in scope.agencies}
        silent = [u for u in units
                  if (u.province, u.agency) in (groups.expected.get(code, set()) | asked) - reporting]  # fmt: skip
        sections.append(Section(code, groups.labels[code], tuple(rows), tuple(silent)))
    return sections


_FINDINGS_SQL = """
    SELECT ff.fact_id, f.severity, coalesce(s.label, f.severity) AS severity_label, f.title, f.message
    FROM finding_facts ff JOIN findings f USING (finding_id) LEFT JOIN severities s ON s.code = f.severity
    WHERE list_contains(?::VARCHAR[], ff.fact_id)
    ORDER BY s.sort_order, f.finding_id
"""


def _findings(con: duckdb.DuckDBPyConnection, fact_ids: list[str]) -> pd.DataFrame:
    """The open findings on the figures shown, the most serious first (severities.sort_order)."""
    return con.execute(_FINDINGS_SQL, [fact_ids]).df()


def compile_report(con: duckdb.DuckDBPyConnection, scope: Scope) -> CompiledReport:
    """Select, for every unit and indicator in scope, the figure of the period and of the same
    period last year; what does not fit the period goes to the omissions, never into the tables."""
    previous = scope.period.previous_year()
    units = _units(con, scope, previous)
    where, params = _where(scope, FACTS)
    sql = _CANDIDATES_SQL.format(no_province=NO_PROVINCE, no_agency=NO_AGENCY, where=where)
    cursor = con.execute(sql + " ORDER BY f.sort_order, f.fact_id", [*params, previous.start, scope.period.end])
    names = [d[0] for d in cursor.description]
    candidates = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    groups = _collect(candidates, {(u.province, u.agency): u for u in units}, scope.period)
    order = dict(con.execute("SELECT group_code, min(sort_order) FROM indicators GROUP BY 1").fetchall())
    sections = _sections(groups, units, order, scope)
    fact_ids = [f.fact_id for s in sections for r in s.rows for f in (r.current, r.previous) if f is not None]
    fact_ids += [o.figure.fact_id for o in groups.omissions]
    build = queries.latest_build(con)
    return CompiledReport(
        scope=scope, units=tuple(units), sections=tuple(sections),
        omissions=tuple(sorted(groups.omissions, key=lambda o: (vn_sort_key(o.unit.province),
                                                                vn_sort_key(o.unit.agency), o.figure.label))),
        findings=_findings(con, fact_ids), built_at=build["finished_at"] if build else None,
        fact_ids=tuple(fact_ids),
    )  # fmt: skip


def annex_filters(scope: Scope) -> Filters:
    """The scope as the shared filters, for the Excel annex's 'Thông tin' sheet."""
    return Filters(provinces=scope.provinces, year_from=scope.period.start.year - 1, year_to=scope.period.end.year,
                   agencies=scope.agencies, groups=scope.groups)  # fmt: skip


def annex_workbook(con: duckdb.DuckDBPyConnection, report: CompiledReport, now: datetime | None = None) -> bytes:
    """The figures of the report (this period, last year, and those left out) through the existing
    Excel export: sheets 'Số liệu', 'Nguồn' and 'Thông tin', one row per figure in report order."""
    ids = list(dict.fromkeys(report.fact_ids))
    provinces = list(report.scope.provinces)
    rows = queries.facts_by_id(con, ids, tuple(provinces))
    if not rows.empty:
        rank = {fact_id: k for k, fact_id in enumerate(ids)}
        rows = rows.sort_values("fact_id", key=lambda s: s.map(rank)).reset_index(drop=True)
    return excel.facts_workbook(rows, annex_filters(report.scope), report.built_at, now)


def file_stem(scope: Scope, today: date | None = None) -> str:
    """'bao-cao-tong-hop_tay-ninh_6t-2024_2026-12-01': what, where, which period, when."""
    parts = ["bao-cao-tong-hop"]
    if scope.provinces:
        parts.append("-".join(slug(p) for p in scope.provinces[:3]))
    parts += [slug(scope.period.code) or "ky", (today or date.today()).isoformat()]
    return "_".join(parts)


__all__ = ["CompiledReport", "Period", "Scope", "annex_workbook", "compile_report", "parse_period"]
