"""Submission tracker: which scheduled reports each province's agencies sent, late or not, and which are missing."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd

from dashboard import figures
from dashboard.filters import Filters
from dashboard.formatting import citation, vn_date, vn_sort_key

PERIOD_LABELS = {"H1": "6 tháng đầu năm", "Y": "cả năm", "Q1": "quý I", "Q2": "quý II", "Q3": "quý III", "Q4": "quý IV"}
RECEIVED, LATE, UNDATED, MISSING, EXTRA = (
    "✔ đã nộp",
    "⚠ nộp muộn",
    "✔ đã nhận (không rõ ngày gửi)",
    "✖ chưa nộp",
    "ngoài lịch",
)


def scope(filters: Filters) -> Filters:
    """The filters as they apply to submissions: a report is received or missing whatever
    figures it gives, so the indicator group does not apply."""
    return dataclasses.replace(filters, groups=())


def _period_key(code: object, end: object) -> tuple[int, str] | None:
    """(year, 'H1' | 'Y' | 'Qn') a report covers: the warehouse's period code of the year its period ends."""
    if code is None or end is None or pd.isna(code) or pd.isna(end):
        return None
    return pd.Timestamp(end).year, str(code)


def _deadline(day_month: str, year: int) -> date | None:
    try:
        d, m = (int(x) for x in day_month.split("/"))
        return date(year, m, d)
    except (ValueError, AttributeError):
        return None


def expected_years(filters: Filters, docs: pd.DataFrame) -> tuple[int, ...]:
    """The years the filter spans; without a year filter, every year from the first report in
    scope to the last, so a year a province sent nothing in is still expected of it."""
    if filters.year_from is not None and filters.year_to is not None:
        return tuple(range(filters.year_from, filters.year_to + 1))
    ends = pd.to_datetime(docs["period_end"]).dropna() if not docs.empty else pd.Series(dtype="datetime64[ns]")
    return tuple(range(ends.min().year, ends.max().year + 1)) if not ends.empty else ()


def sent_months(months: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """doc_id -> (year, month) of reports dated by month only (queries.report_months)."""
    return {d: (int(y), int(m)) for d, y, m in zip(months["doc_id"], months["year"], months["month"], strict=True)}


def tracker(
    docs: pd.DataFrame,
    schedule: pd.DataFrame,
    filters: Filters = Filters(),  # noqa: B008 - frozen
    provinces: tuple[str, ...] = (),
    months: dict[str, tuple[int, int]] | None = None,
) -> pd.DataFrame:
    """One row per province × agency × scheduled report × year expected: the schedule (its report
    types the filter chooses) × its provinces (else ``provinces``, else those of the reports) × the years of the
    filter (``expected_years``), so a province that sent nothing in a year shows it as missing.

    ``months``: reports dated by month only, judged late when the whole month is past the deadline."""
    if filters.report_types:
        schedule = schedule[schedule["report_type"].isin(filters.report_types)]
    docs = docs.assign(key=[_period_key(c, e) for c, e in zip(docs["period_code"], docs["period_end"], strict=True)])
    rules = schedule.to_dict("records")
    rows = []
    for province in filters.provinces or provinces or tuple(docs["province"].dropna().unique()):
        for agency, mine in _by_agency(docs[docs["province"] == province], filters.agencies):
            for year in expected_years(filters, docs):
                rows += [row for rule in rules for row in _expected(province, agency, year, rule, mine, months or {})]
    matched = {r["doc_id"] for r in rows if r["doc_id"] is not None}
    rows += [_extra(doc) for doc in docs[~docs["doc_id"].isin(matched)].to_dict("records")]
    return _ordered(pd.DataFrame(rows))


def _by_agency(mine: pd.DataFrame, agencies: tuple[str, ...]) -> list[tuple[object, pd.DataFrame]]:
    """A province's reports per agency; a province without any is expected of the agencies the
    filter chooses, else once with its agency unknown."""
    if mine.empty:
        return [(a, mine) for a in agencies] or [(None, mine)]
    return list(mine.groupby(mine["agency"].fillna(""), sort=False))


def _expected(province: str, agency: object, year: int, rule: dict, mine: pd.DataFrame,
              months: dict[str, tuple[int, int]]) -> list[dict]:  # fmt: skip
    """The rows of one expected report: each report received for it, else one 'chưa nộp'."""
    wanted = (year, rule["period"])
    hit = mine[(mine["report_type"] == rule["report_type"]) & mine["key"].map(lambda k: k == wanted).astype(bool)]
    due = _deadline(rule["deadline"], year)
    row = {"province": province, "agency": agency or None, "report_type": rule["report_type"], "year": year,
           "report_type_label": rule.get("report_type_label") or rule["report_type"],
           "period": rule["period"], "deadline": due}  # fmt: skip
    if hit.empty:
        return [{**row, "status": MISSING, "doc_id": None, "report_number": None, "report_date": None}]
    return [{**row, "status": _status(doc["report_date"], due, months.get(doc["doc_id"])), "doc_id": doc["doc_id"],
             "document": citation(doc, None), "report_number": doc["report_number"], "report_date": doc["report_date"],
             "sent_month": months.get(doc["doc_id"])}
            for doc in hit.to_dict("records")]  # fmt: skip


def _status(sent: object, due: date | None, month: tuple[int, int] | None) -> str:
    """Received or late by the report's date; by its month when only that is written (late when
    the month begins after the deadline, on time when it ends by it)."""
    if sent is not None and not pd.isna(sent):
        return LATE if due is not None and pd.Timestamp(sent).date() > due else RECEIVED
    if month is None or due is None:
        return UNDATED
    first = date(month[0], month[1], 1)
    last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
    return LATE if first > due else RECEIVED if last <= due else UNDATED


def _extra(doc: dict) -> dict:
    """A report the schedule does not ask for (or of a province or year not in scope)."""
    year, period = doc["key"] or (None, None)
    return {"province": doc["province"], "agency": doc["agency"], "report_type": doc["report_type"],
            "report_type_label": doc.get("report_type_label") or doc["report_type"],
            "year": year, "period": period, "deadline": None, "status": EXTRA, "doc_id": doc["doc_id"],
            "document": citation(doc, None), "report_number": doc["report_number"],
            "report_date": doc["report_date"]}  # fmt: skip


def _ordered(out: pd.DataFrame) -> pd.DataFrame:
    """By province (Vietnamese order), agency, year, report type and period."""
    if out.empty:
        return out
    records = out.to_dict("records")

    def order(i: int) -> tuple:
        r = records[i]
        agency = "" if figures.absent(r["agency"]) else str(r["agency"])
        return vn_sort_key(r["province"] or ""), agency, r["year"] or 0, r["report_type"], str(r["period"])

    return out.iloc[sorted(range(len(out)), key=order)].reset_index(drop=True)


def tracker_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Tỉnh": rows["province"],
            "Cơ quan": rows["agency"].fillna("—"),
            "Loại báo cáo": rows["report_type_label"],
            "Kỳ": [_period_cell(p, y) for p, y in zip(rows["period"], rows["year"], strict=True)],
            "Hạn gửi": [vn_date(d) for d in rows["deadline"]],
            "Trạng thái": rows["status"],
            "Văn bản": rows["document"].fillna("") if "document" in rows else "",
            "Số hiệu": rows["report_number"].fillna(""),
            "Ngày báo cáo": [_sent_text(d, m) for d, m in zip(rows["report_date"], _column(rows, "sent_month"),
                                                               strict=True)],  # fmt: skip
        }
    )


def _period_cell(period: object, year: object) -> str:
    """'6 tháng đầu năm 2024', 'Q3 2024'; '' for a report of no known period (a column holding one
    reads its years as floats: never '2024.0' nor 'nan')."""
    label = "" if figures.absent(period) else PERIOD_LABELS.get(str(period), str(period))
    return f"{label} {'' if figures.absent(year) else int(year)}".strip()


def _column(rows: pd.DataFrame, name: str) -> list[object]:
    return list(rows[name]) if name in rows else [None] * len(rows)


def _sent_text(sent: object, month: object) -> str:
    """'28/10/2024', or 'tháng 8/2024' for a report dated by month only."""
    if isinstance(month, tuple) and (sent is None or pd.isna(sent)):
        return f"tháng {month[1]}/{month[0]}"
    return vn_date(sent)


def schedule_table(schedule: pd.DataFrame) -> pd.DataFrame:
    """The reporting schedule with Vietnamese headings and labels."""
    return pd.DataFrame(
        {
            "Loại báo cáo": schedule["report_type_label"],
            "Tần suất": schedule["frequency"],
            "Kỳ": [PERIOD_LABELS.get(p, p) for p in schedule["period"]],
            "Số liệu từ ngày": schedule["data_from"],
            "Đến ngày": schedule["data_to"],
            "Hạn gửi": schedule["deadline"],
            "Căn cứ": schedule["legal_basis"],
            "Ghi chú": schedule["note"],
        }
    )


def status_counts(rows: pd.DataFrame) -> dict[str, int]:
    """Received (with or without a sending date), late, missing and unscheduled reports."""
    count = {s: int((rows["status"] == s).sum()) for s in (RECEIVED, LATE, MISSING, EXTRA, UNDATED)}
    return {RECEIVED: count[RECEIVED] + count[UNDATED], LATE: count[LATE], MISSING: count[MISSING],
            EXTRA: count[EXTRA]}  # fmt: skip


def missing_or_late(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["status"].isin([MISSING, LATE])]
