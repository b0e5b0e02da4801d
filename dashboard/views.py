"""Shape query results for the pages: KPI cards, trend points, the comparison table, marked text."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pandas as pd

from dashboard.formatting import (
    SEVERITY_LABELS,
    STATUS_LABELS,
    md_escape,
    period_text,
    report_type_label,
    vn_date,
    vn_sort_key,
    vn_value,
)

KPI_INDICATORS: tuple[str, ...] = (
    "staff_total",
    "tthc_received",
    "tthc_resolved",
    "tthc_ontime_rate",
    "hotline1022_received",
    "hotline1022_resolved",
    "camera_traffic_total",
    "camera_traffic_ai",
    "dti_rank",
)
SHORT_LABELS = {
    "staff_total": "Tổng số CBCCVC và người lao động",
    "tthc_received": "Hồ sơ TTHC tiếp nhận",
    "tthc_resolved": "Hồ sơ TTHC đã giải quyết",
    "tthc_ontime_rate": "Tỷ lệ hồ sơ đúng hạn",
    "hotline1022_received": "Phản ánh qua Tổng đài 1022",
    "hotline1022_resolved": "Phản ánh 1022 đã xử lý",
    "camera_traffic_total": "Camera giao thông",
    "camera_traffic_ai": "Camera AI giao thông",
    "dti_rank": "Xếp hạng DTI của tỉnh",
}
OFFICIAL_INDEX = {"dti_rank": "DTI"}  # indicator -> index in data/reference (same scope: the province)
LOWER_IS_BETTER = {"dti_rank", "par_index_rank", "tthc_pending"}
NOT_REPORTED = "không báo cáo"
_SAME_LENGTH_DAYS = 16
_KPI_HISTORY = 24  # earlier figures searched for a comparable one


@dataclass(frozen=True, slots=True)
class Card:
    province: str
    indicator: str
    label: str
    value: str
    period: str
    delta: str | None
    delta_color: str
    note: str
    fact_id: str
    document: str
    finding: str = ""


def _end(row: pd.Series) -> pd.Timestamp:
    return pd.Timestamp(row["as_of"] if pd.notna(row["as_of"]) else row["period_end"])


def _ends(df: pd.DataFrame) -> pd.Series:
    """The date each figure refers to: its as-of date, else the end of its period."""
    return pd.to_datetime(df["as_of"]).fillna(pd.to_datetime(df["period_end"]))


def _length_days(row: pd.Series | dict) -> int | None:
    if pd.isna(row["period_start"]) or pd.isna(row["period_end"]):
        return None
    return (pd.Timestamp(row["period_end"]) - pd.Timestamp(row["period_start"])).days


def _comparable(latest: pd.Series | dict, earlier: pd.Series | dict) -> bool:
    """Stocks compare with any earlier date; flows and rates only with a period of the same length."""
    if latest["kind"] == "stock" or latest["kind"] == "rank":
        return True
    a, b = _length_days(latest), _length_days(earlier)
    return a is not None and b is not None and abs(a - b) <= _SAME_LENGTH_DAYS


def kpi_cards(df: pd.DataFrame) -> dict[str, list[Card]]:
    """Per province, the latest figure of each KPI with a delta against the previous comparable one."""
    cards: dict[str, list[Card]] = {}
    if df.empty:
        return cards
    df = df[df["indicator"].isin(KPI_INDICATORS)].assign(_end=_ends)
    series: dict[tuple[str, str], list[dict]] = {}
    for row in df.sort_values("_end", ascending=False, kind="stable").to_dict("records"):
        if isinstance(row["province"], str):
            history = series.setdefault((row["province"], row["indicator"]), [])
            if len(history) < _KPI_HISTORY:
                history.append(row)
    for province in sorted({p for p, _ in series}, key=vn_sort_key):
        cards[province] = [_card(province, series[province, c]) for c in KPI_INDICATORS if (province, c) in series]
    return cards


def _card(province: str, series: list[dict]) -> Card:
    """``series``: one province's figures of one KPI, newest first."""
    latest = series[0]
    earlier = [r for r in series if r["_end"] < latest["_end"]]
    delta, note = None, ""
    comparable = [r for r in earlier if _comparable(latest, r)]
    if comparable:
        prev = comparable[0]
        diff = latest["value"] - prev["value"]
        then = (
            vn_date(prev["as_of"])
            if pd.notna(prev["as_of"])
            else period_text(prev["period_start"], prev["period_end"], None)
        )
        change = "không đổi" if diff == 0 else ("+" if diff > 0 else "") + vn_value(diff, latest["unit"])
        delta = f"{change} so với {then}"
    elif earlier:
        note = "Kỳ trước có độ dài khác — không so sánh."
    code = latest["indicator"]
    color = "off" if delta and delta.startswith("không đổi") else ("inverse" if code in LOWER_IS_BETTER else "normal")
    return Card(
        province=province,
        indicator=code,
        label=SHORT_LABELS.get(code, latest["label_vi"]),
        value=vn_value(latest["value"], latest["unit"]),
        period=period_text(latest["period_start"], latest["period_end"], latest["as_of"]),
        delta=delta,
        delta_color=color,
        note=note,
        fact_id=latest["fact_id"],
        document=latest["file_name"],
        finding=finding_mark(latest["finding_severity"]),
    )


def sorted_provinces(provinces: list[str] | tuple[str, ...]) -> list[str]:
    return sorted(provinces, key=vn_sort_key)


def trend_points(df: pd.DataFrame) -> pd.DataFrame:
    """One point per fact: x at the end of its period (or its date), with texts for the hover."""
    if df.empty:
        return df.assign(x=pd.Series(dtype="datetime64[ns]"), period=[], value_text=[])
    out = df.assign(
        x=_ends(df),
        period=[
            period_text(a, b, c) for a, b, c in zip(df["period_start"], df["period_end"], df["as_of"], strict=True)
        ],
        value_text=[vn_value(v, u) for v, u in zip(df["value"], df["unit"], strict=True)],
        mark=[
            f"<br>{finding_mark(s)}: {html.escape(str(t), quote=False)}" if finding_mark(s) else ""  # plotly reads HTML
            for s, t in zip(df["finding_severity"], df["finding_titles"], strict=True)
        ],
    )
    return out.sort_values(["province", "x"])


def months(row: pd.Series) -> float | None:
    days = _length_days(row)
    return None if days is None else max(days + 1, 1) / (365.25 / 12)


def _compare_cell(h: dict, per_month: bool) -> str:
    suffix = "/tháng" if per_month and h["kind"] == "flow" else ""
    mark = finding_mark(h["finding_severity"])
    return f"{vn_value(h['value'], h['unit'])}{suffix} ({h['period']})" + (f" {mark}" if mark else "")


def compare_frames(
    df: pd.DataFrame, provinces: list[str], per_month: bool
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, list[str]]]:
    """The side-by-side table (texts), the values for the bars, and warnings about comparability.

    Each province's latest figure per indicator; a province without one shows 'không báo cáo'.
    """
    if df.empty:
        return pd.DataFrame(), pd.DataFrame(), {}
    df = df.assign(_end=_ends)
    latest = df.sort_values("_end", ascending=False).drop_duplicates(["province", "indicator"])
    if per_month:
        days = (pd.to_datetime(latest["period_end"]) - pd.to_datetime(latest["period_start"])).dt.days
        m = (days + 1).clip(lower=1) / (365.25 / 12)
        flows = latest["kind"] == "flow"
        latest = latest.assign(value=latest["value"].where(~flows | m.isna(), latest["value"] / m))
    latest = latest.assign(
        period=[
            period_text(a, b, c)
            for a, b, c in zip(latest["period_start"], latest["period_end"], latest["as_of"], strict=True)
        ]
    )
    indicators = latest.drop_duplicates("indicator").sort_values("sort_order")
    found = {
        (r["province"], r["indicator"]): r
        for r in latest[
            ["province", "indicator", "value", "unit", "kind", "period", "finding_severity", "agency", "scope",
             "period_basis"]
        ].to_dict("records")
    }  # fmt: skip
    rows: list[dict] = []
    warnings: dict[str, list[str]] = {"không cùng kỳ": [], "khác cơ quan báo cáo": [], "khác cách tính kỳ": []}
    for code, label, unit in zip(indicators["indicator"], indicators["label_vi"], indicators["unit"], strict=True):
        row = {"Chỉ tiêu": label, "Đơn vị": unit}
        hits = [found.get((province, code)) for province in provinces]
        for province, h in zip(provinces, hits, strict=True):
            row[province] = NOT_REPORTED if h is None else _compare_cell(h, per_month)
        present = [h for h in hits if h is not None]
        if len({h["period"] for h in present}) > 1:
            warnings["không cùng kỳ"].append(label)
        if any(h["scope"] == "agency" for h in present) and len({h["agency"] for h in present}) > 1:
            warnings["khác cơ quan báo cáo"].append(label)
        if len({h["period_basis"] for h in present}) > 1:
            warnings["khác cách tính kỳ"].append(label)
        rows.append(row)
    bars = latest[latest["province"].isin(provinces)][
        ["indicator", "label_vi", "unit", "province", "value", "period", "sort_order"]
    ]
    return pd.DataFrame(rows), bars, warnings


MENTION_MARK = "violet"  # unassigned figures: a colour no assigned figure uses


def marked_text(text: str, facts: pd.DataFrame, mentions: pd.DataFrame | None = None) -> str:
    """The document as Markdown text with each extracted figure highlighted and labelled; with
    ``mentions``, each measured number no indicator took is marked too, in its own colour and
    labelled 'chưa gán'."""
    marks = []  # (start, rank where two start together, end, colour, label)
    for start, end, label, role in facts[["char_start", "char_end", "label_vi", "role"]].itertuples(index=False):
        primary = role == "primary"
        marks.append(
            (start, 0 if primary else 1, end, "orange" if primary else "gray", f":blue[〔{md_escape(label)}〕]")
        )
    if mentions is not None:
        for start, end, measure in mentions[["char_start", "char_end", "measure"]].itertuples(index=False):
            marks.append((start, 2, end, MENTION_MARK, f":{MENTION_MARK}[〔chưa gán: {md_escape(measure)}〕]"))
    parts, pos = [], 0
    for start, _, end, color, label in sorted(marks, key=lambda m: m[:2]):
        if start < pos:
            continue
        parts.append(md_escape(text[pos:start]))
        quote = md_escape(text[start:end]).replace("  \n", " ")
        parts.append(f":{color}-background[{quote}] {label}")
        pos = end
    parts.append(md_escape(text[pos:]))
    return "".join(parts)


def coverage_text(coverage: object) -> str:
    """'85%' of a share (rounded down, so 100% means every figure), '—' without measured figures."""
    if coverage is None or pd.isna(coverage):
        return "—"
    return f"{math.floor(float(coverage) * 100 + 1e-9)}%"


def coverage_caption(meta: dict) -> str:
    """The document's coverage as its metadata block says it."""
    if meta.get("coverage") is None or pd.isna(meta.get("coverage")):
        return "Độ phủ: văn bản không có số liệu đo đếm"
    return f"Độ phủ: {coverage_text(meta['coverage'])} số liệu đã gán chỉ tiêu"


def mentions_table(mentions: pd.DataFrame) -> pd.DataFrame:
    """The document's unassigned figures: value, measure word, why no indicator took it, quote."""
    return pd.DataFrame(
        {
            "Giá trị": [vn_value(v) for v in mentions["value"]],
            "Đơn vị đo": mentions["measure"],
            "Lý do chưa gán": mentions["reason"],
            "Trích dẫn": [" ".join(str(q).split()) for q in mentions["quote"]],
            "Vị trí": [f"ký tự {a}–{b}" for a, b in zip(mentions["char_start"], mentions["char_end"], strict=True)],
        }
    )


def evidence_markdown(sentence: str, quote: str) -> str:
    """The source sentence with the figure highlighted, as escaped Markdown."""
    flat = " ".join(sentence.split())
    q = " ".join(quote.split())
    at = flat.find(q)
    if at < 0:
        return md_escape(flat)
    return md_escape(flat[:at]) + f":orange-background[**{md_escape(q)}**]" + md_escape(flat[at + len(q) :])


SEVERITY_ICONS = {"loi": "✖", "canh_bao": "⚠", "thong_tin": "ℹ"}


def finding_mark(severity: object) -> str:
    """'✖ Lỗi' for a figure with an open finding, '' otherwise."""
    if severity is None or (isinstance(severity, float) and pd.isna(severity)) or severity is pd.NA:
        return ""
    return f"{SEVERITY_ICONS.get(str(severity), '')} {SEVERITY_LABELS.get(str(severity), str(severity))}"


def findings_table(findings: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Mức độ": [finding_mark(s) for s in findings["severity"]],
            "Kiểm tra": findings["title"],
            "Chi tiết": findings["message"],
            "Tỉnh": findings["province"],
            "Văn bản": [", ".join(d) for d in findings["doc_ids"]],
        }
    )


def coverage_matrix(cov: pd.DataFrame) -> pd.DataFrame:
    """Indicator × document: 0 not reported, 1 reported, 2 with a warning, 3 with an error."""
    if cov.empty:
        return pd.DataFrame()
    cov = cov.assign(
        doc=[
            f"{p or '?'} · {lbl or ''} · {d}"
            for p, lbl, d in zip(cov["province"], cov["period_label"], cov["doc_id"], strict=True)
        ],
        level=[1 if pd.isna(w) or w == 2 else (3 if w == 0 else 2) for w in cov["worst"]],
    )
    order = cov.sort_values(["province", "doc_end"])["doc"].drop_duplicates().tolist()
    rows = cov.sort_values("sort_order")["label_vi"].drop_duplicates().tolist()
    return (
        cov.pivot_table(index="label_vi", columns="doc", values="level", aggfunc="max")
        .reindex(index=rows, columns=order)
        .fillna(0)
    )


def derived_in_period(points: pd.DataFrame) -> pd.DataFrame:
    """Between two figures counted from 1 January of one year, what happened in between (suy ra).

    36 received by 31/05 and 31 by 31/07 give -5 for 01/06–31/07: a negative value shows the
    two reports cannot both be right."""
    rows = []
    cumulative = (
        points[points.get("period_basis", pd.Series(dtype=str)) == "cumulative"] if not points.empty else points
    )
    for (province, _start), group in cumulative.groupby(["province", "period_start"]) if not cumulative.empty else []:
        ordered = group.sort_values("x").to_dict("records")
        for a, b in zip(ordered, ordered[1:], strict=False):
            if b["x"] <= a["x"]:
                continue
            start = pd.Timestamp(a["x"]) + pd.Timedelta(days=1)
            rows.append({"province": province, "x": b["x"], "value": b["value"] - a["value"],
                         "period": f"{vn_date(start)} – {vn_date(b['x'])}", "unit": b["unit"],
                         "from": a["file_name"], "to": b["file_name"]})  # fmt: skip
    return pd.DataFrame(rows)


def unit_breaks(changes: pd.DataFrame, points: pd.DataFrame) -> list[tuple[pd.Timestamp, str]]:
    """Dates where a series shown under today's units joins units that were separate before."""
    if changes.empty or points.empty:
        return []
    out = []
    provinces = set(points["province"])
    merged = changes[changes["kind"] == "province"].groupby("new_name")["old_name"].agg(list)
    for new, olds in merged.items():
        if new in provinces and (len(olds) > 1 or olds[0] != new):
            date = changes[(changes["kind"] == "province") & (changes["new_name"] == new)]["effective_date"].iloc[0]
            out.append((pd.Timestamp(date), f"Sáp nhập tỉnh {vn_date(date)}"))
    agencies = set(points.get("agency", pd.Series(dtype=str)))
    for row in changes[changes["kind"] == "agency"].to_dict("records"):
        if row["new_name"] in agencies:
            out.append((pd.Timestamp(row["effective_date"]), f"Hợp nhất Sở {vn_date(row['effective_date'])}"))
    return sorted(set(out))


def official_ranks(reference: pd.DataFrame, index_code: str, provinces: set[str], units: str) -> pd.DataFrame:
    """Published ranks of one index for the provinces on a chart, placed at the end of their year."""
    if reference.empty:
        return reference
    column = "current_province" if units == "current" else "province"
    rows = reference[(reference["index_code"] == index_code) & reference[column].isin(provinces)]
    return rows.assign(x=[pd.Timestamp(year=int(y), month=12, day=31) for y in rows["year"]], series=rows[column])


def official_table(reference: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Tỉnh": reference["province"],
            "Chỉ số": reference["index_code"].str.replace("_", " "),
            "Năm": reference["year"].astype(str),
            "Xếp hạng": [f"{r}/{n}" for r, n in zip(reference["rank"], reference["of_n"], strict=True)],
            "Điểm": [vn_value(v) if pd.notna(v) else "" for v in reference["score"]],
            "Nguồn công bố": reference["source_url"],
        }
    )


def point_label(points: pd.DataFrame, fact_id: str) -> str:
    """'Tây Ninh · 31/07/2024 · 31' for the point picker under a chart."""
    row = points[points["fact_id"] == fact_id].iloc[0]
    return f"{row['province']} · {row['period']} · {row['value_text']}"


def explorer_table(rows: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The explorer's columns in Vietnamese; numbers stay numbers, shown the Vietnamese way."""
    table = pd.DataFrame(
        {
            "Tỉnh": rows["province"],
            "Cơ quan": rows["agency"],
            "Nhóm": rows["group_label"],
            "Chỉ tiêu": rows["label_vi"],
            "Giá trị": rows["value"],
            "Đơn vị": rows["unit"],
            "Kỳ": [
                period_text(a, b, c)
                for a, b, c in zip(rows["period_start"], rows["period_end"], rows["as_of"], strict=True)
            ],
            "Năm": rows["year"],
            "Văn bản": rows["file_name"],
            "Trích dẫn": [" ".join(str(q).split()) for q in rows["quote"]],
            "Kiểm tra": [finding_mark(s) for s in rows["finding_severity"]],
            "Trạng thái": [STATUS_LABELS.get(s, s) for s in rows["status"]],
        }
    )
    return table.style.format({"Giá trị": lambda v: vn_value(v), "Năm": lambda v: "" if pd.isna(v) else str(int(v))})


def documents_table(docs: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Tỉnh": docs["province"],
            "Cơ quan": docs["agency"],
            "Loại báo cáo": [report_type_label(t) for t in docs["report_type"]],
            "Kỳ báo cáo": docs["period_label"],
            "Từ ngày": [vn_date(d) for d in docs["period_start"]],
            "Đến ngày": [vn_date(d) for d in docs["period_end"]],
            "Ngày báo cáo": [vn_date(d) for d in docs["report_date"]],
            "Số hiệu": docs["report_number"].fillna(""),
            "Số liệu": docs["facts"],
            "Độ phủ": [coverage_text(c) for c in docs["coverage"]],
            "Tệp": docs["file_name"],
        }
    )


__all__ = [
    "KPI_INDICATORS",
    "NOT_REPORTED",
    "Card",
    "compare_frames",
    "md_escape",
    "evidence_markdown",
    "kpi_cards",
    "marked_text",
    "trend_points",
    "vn_date",
]
