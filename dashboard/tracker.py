"""Submission tracker: which scheduled reports each province's agencies sent, late or not, and which are missing."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd

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


def tracker(docs: pd.DataFrame, schedule: pd.DataFrame, report_types: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per province × agency × scheduled report × period, over the years each has reports
    (only the schedule's ``report_types`` when some are chosen)."""
    if docs.empty:
        return pd.DataFrame()
    if report_types:
        schedule = schedule[schedule["report_type"].isin(report_types)]
    docs = docs.assign(key=[_period_key(c, e) for c, e in zip(docs["period_code"], docs["period_end"], strict=True)])
    rows, matched = [], set()
    for (province, agency), mine in docs.groupby(["province", "agency"], dropna=False):
        years = sorted({k[0] for k in mine["key"] if k})
        for year in range(years[0], years[-1] + 1) if years else []:
            for rule in schedule.to_dict("records"):
                hit = mine[(mine["report_type"] == rule["report_type"]) & (mine["key"] == (year, rule["period"]))]
                due = _deadline(rule["deadline"], year)
                row = {"province": province, "agency": agency, "report_type": rule["report_type"], "year": year,
                       "report_type_label": rule.get("report_type_label") or rule["report_type"],
                       "period": rule["period"], "deadline": due}  # fmt: skip
                if hit.empty:
                    rows.append({**row, "status": MISSING, "doc_id": None, "report_number": None, "report_date": None})
                    continue
                for doc in hit.to_dict("records"):
                    matched.add(doc["doc_id"])
                    sent = doc["report_date"]
                    late = (
                        due is not None and sent is not None and not pd.isna(sent) and pd.Timestamp(sent).date() > due
                    )
                    status = UNDATED if sent is None or pd.isna(sent) else (LATE if late else RECEIVED)
                    rows.append({**row, "status": status, "doc_id": doc["doc_id"], "document": citation(doc, 60),
                                 "report_number": doc["report_number"], "report_date": sent})  # fmt: skip
    for doc in docs[~docs["doc_id"].isin(matched)].to_dict("records"):
        year, period = doc["key"] or (None, None)
        rows.append({"province": doc["province"], "agency": doc["agency"], "report_type": doc["report_type"],
                     "report_type_label": doc.get("report_type_label") or doc["report_type"],
                     "year": year, "period": period, "deadline": None, "status": EXTRA, "doc_id": doc["doc_id"],
                     "document": citation(doc, 60),
                     "report_number": doc["report_number"], "report_date": doc["report_date"]})  # fmt: skip
    out = pd.DataFrame(rows)
    records = out.to_dict("records")

    def order(i: int) -> tuple:
        r = records[i]
        return vn_sort_key(r["province"] or ""), str(r["agency"]), r["year"] or 0, r["report_type"], str(r["period"])

    return out.iloc[sorted(range(len(out)), key=order)].reset_index(drop=True)


def tracker_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Tỉnh": rows["province"],
            "Cơ quan": rows["agency"],
            "Loại báo cáo": rows["report_type_label"],
            "Kỳ": [
                f"{PERIOD_LABELS.get(p, p or '')} {y if y else ''}".strip()
                for p, y in zip(rows["period"], rows["year"], strict=True)
            ],
            "Hạn gửi": [vn_date(d) for d in rows["deadline"]],
            "Trạng thái": rows["status"],
            "Văn bản": rows["document"].fillna("") if "document" in rows else "",
            "Số hiệu": rows["report_number"].fillna(""),
            "Ngày báo cáo": [vn_date(d) for d in rows["report_date"]],
        }
    )


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
