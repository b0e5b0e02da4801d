"""Submission tracker: which scheduled reports each province's agencies sent, late or not, and which are missing."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from dashboard.formatting import citation, report_type_label, vn_date, vn_sort_key

PERIOD_LABELS = {"H1": "6 tháng đầu năm", "Y": "cả năm", "Q1": "quý I", "Q2": "quý II", "Q3": "quý III", "Q4": "quý IV"}
RECEIVED, LATE, UNDATED, MISSING, EXTRA = (
    "✔ đã nộp",
    "⚠ nộp muộn",
    "✔ đã nhận (không rõ ngày gửi)",
    "✖ chưa nộp",
    "ngoài lịch",
)
_QUARTER = re.compile(r"quý\s+(iv|iii|ii|i|[1-4])", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def period_of(label: str | None, end: object) -> tuple[int, str] | None:
    """(year, 'H1' | 'Y' | 'Qn') a report covers: its label first, else where its period ends."""
    if end is None or pd.isna(end):
        return None
    end = pd.Timestamp(end)
    text = (label or "").lower()
    quarter = _QUARTER.search(text)
    if quarter:
        q = quarter.group(1)
        return end.year, f"Q{_ROMAN.get(q, q)}"
    if "6 tháng đầu" in text or (end.month <= 7 and "năm" not in text.replace("đầu năm", "")):
        return end.year, "H1"
    return end.year, "Y"


def _deadline(day_month: str, year: int) -> date | None:
    try:
        d, m = (int(x) for x in day_month.split("/"))
        return date(year, m, d)
    except (ValueError, AttributeError):
        return None


def tracker(docs: pd.DataFrame, schedule: pd.DataFrame) -> pd.DataFrame:
    """One row per province × agency × scheduled report × period, over the years each has reports."""
    if docs.empty:
        return pd.DataFrame()
    docs = docs.assign(
        key=[period_of(lbl, end) for lbl, end in zip(docs["period_label"], docs["period_end"], strict=True)]
    )
    rows, matched = [], set()
    for (province, agency), mine in docs.groupby(["province", "agency"], dropna=False):
        years = sorted({k[0] for k in mine["key"] if k})
        for year in range(years[0], years[-1] + 1) if years else []:
            for rule in schedule.to_dict("records"):
                hit = mine[(mine["report_type"] == rule["report_type"]) & (mine["key"] == (year, rule["period"]))]
                due = _deadline(rule["deadline"], year)
                row = {"province": province, "agency": agency, "report_type": rule["report_type"], "year": year,
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
            "Loại báo cáo": [report_type_label(t) for t in rows["report_type"]],
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
            "Loại báo cáo": [report_type_label(t) for t in schedule["report_type"]],
            "Tần suất": schedule["frequency"],
            "Kỳ": [PERIOD_LABELS.get(p, p) for p in schedule["period"]],
            "Số liệu từ ngày": schedule["data_from"],
            "Đến ngày": schedule["data_to"],
            "Hạn gửi": schedule["deadline"],
            "Căn cứ": schedule["legal_basis"],
            "Ghi chú": schedule["note"],
        }
    )
