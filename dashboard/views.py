"""Shape query results for the pages: KPI cards, trend points, the comparison table, marked text."""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import pandas as pd

from dashboard.formatting import (
    SEVERITY_LABELS,
    STATUS_LABELS,
    citation,
    md_escape,
    period_short,
    period_text,
    rank_text,
    report_type_label,
    value_with_unit,
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
    trend: tuple[float, ...] = ()  # the recent comparable values, oldest first, for a sparkline
    delta_arrow: str = "auto"


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


def citations(df: pd.DataFrame, width: int | None = 70) -> list[str]:
    """Each row's document named as officials cite it (computed once per document)."""
    if df.empty:
        return []
    columns = [c for c in ("report_number", "report_date", "agency", "province", "title", "period_label",
                           "file_name") if c in df]  # fmt: skip
    docs = df.drop_duplicates("doc_id")[["doc_id", *columns]].to_dict("records")
    names = {row["doc_id"]: citation(row, width) for row in docs}
    return [names[d] for d in df["doc_id"]]


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
    comparable = [r for r in earlier if _comparable(latest, r)]
    delta, note = _delta(latest, comparable[0]) if comparable else (None, "")
    if earlier and not comparable:
        note = "Kỳ trước có độ dài khác — không so sánh."
    code = latest["indicator"]
    rank = latest["unit"] == "hạng"
    color, arrow = ("inverse" if code in LOWER_IS_BETTER else "normal"), "auto"
    if rank and delta:  # 'lên 4 bậc' is good news although the number fell
        up = delta.startswith("lên")
        color, arrow = ("green", "up") if up else ("red", "down")
    return Card(
        province=province,
        indicator=code,
        label=SHORT_LABELS.get(code, latest["label_vi"]),
        value=rank_text(latest["value"], latest.get("denominator")) if rank else vn_value(latest["value"],
                                                                                          latest["unit"]),
        period=period_text(latest["period_start"], latest["period_end"], latest["as_of"]),
        delta=delta,
        delta_color=color,
        delta_arrow=arrow,
        note=note,
        fact_id=latest["fact_id"],
        document=citation(latest, None),
        finding=finding_mark(latest["finding_severity"]),
        trend=tuple(float(r["value"]) for r in reversed([latest, *comparable][:8])) if comparable else (),
    )


def _delta(latest: dict, prev: dict) -> tuple[str | None, str]:
    """The change against an earlier comparable figure; no change is a note, not a delta arrow."""
    diff = latest["value"] - prev["value"]
    then = period_short(prev["period_start"], prev["period_end"], prev["as_of"])
    if diff == 0:
        return None, f"Không đổi so với {then}."
    if latest["unit"] == "hạng":
        return f"{'xuống' if diff > 0 else 'lên'} {vn_value(abs(diff))} bậc so với {then}", ""
    return f"{'+' if diff > 0 else '-'}{vn_value(abs(diff), latest['unit'])} so với {then}", ""


def kpi_slots(cards: dict[str, list[Card]]) -> list[tuple[str, str]]:
    """(indicator, label) of every key figure some province in scope reports, in catalog order:
    the grid's places, the same for every province."""
    labels = {c.indicator: c.label for items in cards.values() for c in items}
    return [(code, labels[code]) for code in KPI_INDICATORS if code in labels]


def sorted_provinces(provinces: list[str] | tuple[str, ...]) -> list[str]:
    return sorted(provinces, key=vn_sort_key)


def trend_points(df: pd.DataFrame) -> pd.DataFrame:
    """One point per fact: x at the end of its period (or its date), with texts for the hover."""
    if df.empty:
        return df.assign(x=pd.Series(dtype="datetime64[ns]"), period=[], value_text=[], tick=[], document=[])
    out = df.assign(
        x=_ends(df),
        period=[
            period_text(a, b, c) for a, b, c in zip(df["period_start"], df["period_end"], df["as_of"], strict=True)
        ],
        tick=[period_short(a, b, c) for a, b, c in zip(df["period_start"], df["period_end"], df["as_of"], strict=True)],
        value_text=[value_with_unit(v, u, df.get("denominator", pd.Series([None] * len(df))).iloc[i])
                    for i, (v, u) in enumerate(zip(df["value"], df["unit"], strict=True))],  # fmt: skip
        document=citations(df, 60),
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
    value = rank_text(h["value"], h.get("denominator")) if h["unit"] == "hạng" else vn_value(h["value"], h["unit"])
    return f"{value}{suffix} ({h['period']})" + (f" {mark}" if mark else "")


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
             "period_basis", "denominator"]
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
    return pd.DataFrame(rows), _shared_bars(latest, provinces, per_month), warnings


def _shared_bars(latest: pd.DataFrame, provinces: list[str], per_month: bool) -> pd.DataFrame:
    """The figures to draw: only indicators at least two of the provinces report (a lone bar
    compares nothing), with the value as written and the period for under each bar."""
    mine = latest[latest["province"].isin(provinces)]
    shared = mine.groupby("indicator")["province"].transform("nunique") >= 2
    mine = mine[shared]
    suffix = ["/tháng" if per_month and k == "flow" else "" for k in mine["kind"]]
    return mine.assign(
        value_text=[(value_with_unit(v, u, n) if u == "hạng" else vn_value(v, u)) + x for v, u, n, x in
                    zip(mine["value"], mine["unit"], mine["denominator"], suffix, strict=True)],  # fmt: skip
        tick=[period_short(a, b, c) for a, b, c in zip(mine["period_start"], mine["period_end"], mine["as_of"],
                                                       strict=True)],  # fmt: skip
    )[["indicator", "label_vi", "unit", "group_label", "province", "value", "value_text", "period", "tick",
       "sort_order"]]  # fmt: skip


def official_in_years(reference: pd.DataFrame, year_from: int | None, year_to: int | None) -> pd.DataFrame:
    """Published ranks of the years the sidebar's year filter keeps."""
    if reference.empty:
        return reference
    keep = pd.Series(True, index=reference.index)
    if year_from is not None:
        keep &= reference["year"] >= year_from
    if year_to is not None:
        keep &= reference["year"] <= year_to
    return reference[keep]


MENTION_MARK = "violet"  # unassigned figures: a colour no assigned figure uses
READER_CSS = """<style>
.van-ban{font-size:1.02rem;line-height:1.75;white-space:pre-line;max-width:62rem}
.van-ban mark{padding:.05em .2em;border-radius:.25em;font-weight:600}
.van-ban mark.chinh{background:#ffd966;color:#1b2631;box-shadow:inset 0 -2px #d68910}
.van-ban mark.phu{background:#e5e8ec;color:#1b2631}
.van-ban mark.chua-gan{background:#e8daef;color:#1b2631}
.van-ban sup.chip{font-size:.68rem;font-weight:600;color:#1f4e79;background:#eaf1f8;border:1px solid #b6cde4;
  border-radius:.7em;padding:0 .45em;margin-left:.15em;white-space:nowrap;line-height:1}
.van-ban sup.chip.chua-gan{color:#6c3483;background:#f4ecf7;border-color:#d2b4de}
</style>"""


def marked_html(text: str, facts: pd.DataFrame, mentions: pd.DataFrame | None = None) -> str:
    """The document as HTML with each extracted figure highlighted, its indicator in a tooltip and
    in a small chip after the figure (the sentence itself stays whole); with ``mentions``, each
    measured number no indicator took is marked in its own colour as 'chưa gán'. Every piece of
    report text is HTML-escaped."""
    marks = []  # (start, rank where two start together, end, css class, label)
    for start, end, label, role in facts[["char_start", "char_end", "label_vi", "role"]].itertuples(index=False):
        primary = role == "primary"
        marks.append((start, 0 if primary else 1, end, "chinh" if primary else "phu", str(label)))
    if mentions is not None:
        for start, end, measure in mentions[["char_start", "char_end", "measure"]].itertuples(index=False):
            marks.append((start, 2, end, "chua-gan", f"chưa gán: {measure}"))
    parts, pos = [], 0
    for start, _, end, css, label in sorted(marks, key=lambda m: m[:2]):
        if start < pos:
            continue
        tip = html.escape(label, quote=True)
        parts.append(_flow(text[pos:start]))
        parts.append(f'<mark class="{css}" title="{tip}">{html.escape(text[start:end])}</mark>'
                     f'<sup class="chip {css}" title="{tip}">{html.escape(_chip(label))}</sup>')  # fmt: skip
        pos = end
    parts.append(_flow(text[pos:]))
    return READER_CSS + '<div class="van-ban">' + "".join(parts) + "</div>"


def _flow(text: str) -> str:
    """Report text as HTML: escaped, and a run of blank lines (left by Word and PDF) one line break."""
    return re.sub(r"[ \t]*\n\s*", "\n", html.escape(text))


def _chip(label: str, width: int = 28) -> str:
    """The indicator's name short enough for a chip (the tooltip holds it whole)."""
    return label if len(label) <= width else label[: width - 1].rsplit(" ", 1)[0] + "…"


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


def findings_table(findings: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per finding; the indicator tells apart two findings of the same check and message,
    and each document is named by its citation (``names``: doc_id -> citation)."""
    names = names or {}
    return pd.DataFrame(
        {
            "Mức độ": [finding_mark(s) for s in findings["severity"]],
            "Chỉ tiêu": findings["labels"].fillna("") if "labels" in findings else "",
            "Kiểm tra": findings["title"],
            "Chi tiết": findings["message"],
            "Tỉnh": findings["province"],
            "Văn bản": ["; ".join(names.get(d, d) for d in docs) for docs in findings["doc_ids"]],
        }
    )


def coverage_matrix(cov: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Indicator × document: 0 not reported, 1 reported, 2 with a warning, 3 with an error.
    A column is 'province · period · citation' (``names``: doc_id -> citation)."""
    if cov.empty:
        return pd.DataFrame()
    names = names or {}
    cov = cov.assign(
        doc=[
            f"{p or '?'} · {lbl or ''} · {names.get(d, d)}"
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
                         "from": a.get("document", a["file_name"]),
                         "to": b.get("document", b["file_name"])})  # fmt: skip
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
    """The explorer's columns in Vietnamese, the ones an official reads first on the left;
    numbers stay numbers, shown the Vietnamese way."""
    table = pd.DataFrame(
        {
            "Chỉ tiêu": rows["label_vi"],
            "Giá trị": rows["value"],
            "Đơn vị": rows["unit"],
            "Kỳ": [
                period_short(a, b, c)
                for a, b, c in zip(rows["period_start"], rows["period_end"], rows["as_of"], strict=True)
            ],
            "Tỉnh": rows["province"],
            "Văn bản": citations(rows, 60),
            "Trích dẫn": [" ".join(str(q).split()) for q in rows["sentence"]],
            "Kiểm tra": [finding_mark(s) for s in rows["finding_severity"]],
            "Trạng thái": [STATUS_LABELS.get(s, s) for s in rows["status"]],
            "Cơ quan": rows["agency"],
            "Nhóm": rows["group_label"],
            "Năm": rows["year"],
        }
    )
    return table.style.format({"Giá trị": lambda v: vn_value(v), "Năm": lambda v: "" if pd.isna(v) else str(int(v))})


def value_width(values: pd.Series) -> int:
    """Pixels the 'Giá trị' column needs for its longest figure, so none is ever cut
    (the grid sizes columns from a sample of rows and clips numbers from the left)."""
    longest = max((len(vn_value(v)) for v in values), default=4)
    return max(8 * longest + 32, 80)


def documents_table(docs: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Văn bản": citations(docs, 80),
            "Tỉnh": docs["province"],
            "Cơ quan": docs["agency"],
            "Loại báo cáo": [report_type_label(t) for t in docs["report_type"]],
            "Kỳ báo cáo": docs["period_label"],
            "Từ ngày": [vn_date(d) for d in docs["period_start"]],
            "Đến ngày": [vn_date(d) for d in docs["period_end"]],
            "Ngày báo cáo": [vn_date(d) for d in docs["report_date"]],
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
    "marked_html",
    "trend_points",
    "vn_date",
]
