"""So sánh: provinces side by side, each figure with its period, and warnings where periods,
agencies or ways of counting differ; the published ranks of the years chosen."""

from __future__ import annotations

import pandas as pd

from contract import is_rank
from dashboard.figures import NOT_REPORTED, ends, finding_mark
from dashboard.formatting import (
    md_escape,
    period_short,
    period_text,
    rank_text,
    value_with_unit,
    vn_date,
    vn_value,
)

UNEQUAL_PERIODS = "không cùng kỳ"
PER_MONTH_HELP = ("Các kỳ báo cáo dài ngắn khác nhau; bình quân tháng giúp so sánh số liệu phát sinh trong kỳ "
                  "(hồ sơ tiếp nhận, đơn thư, tiền xử phạt…). Chỉ áp dụng cho số liệu phát sinh: xếp hạng, tỷ lệ "
                  "và số liệu tại một ngày (tồn, biên chế, camera…) giữ nguyên như báo cáo.")  # fmt: skip


def _compare_cell(h: dict) -> str:
    suffix = "/tháng" if h["per_month"] else ""
    mark = finding_mark(h["finding_severity"], h.get("finding_label"))
    value = rank_text(h["value"], h.get("denominator")) if is_rank(h["kind"]) else vn_value(h["value"], h["unit"])
    return f"{value}{suffix} ({h['period']})" + (f" {mark}" if mark else "")


def _per_month(latest: pd.DataFrame, per_month: bool) -> pd.DataFrame:
    """With the toggle on, a flow over a known period (the indicator's kind in the warehouse) as
    its monthly average; ratings, ranks, rates and stocks, and a flow without its period, stay as
    reported. ``per_month`` (column): which values were divided, so only they read '/tháng'."""
    days = (pd.to_datetime(latest["period_end"]) - pd.to_datetime(latest["period_start"])).dt.days
    months = (days + 1).clip(lower=1) / (365.25 / 12)
    divided = (latest["kind"] == "flow") & months.notna() if per_month else pd.Series(False, index=latest.index)
    return latest.assign(value=latest["value"].where(~divided, latest["value"] / months), per_month=divided)


def compare_frames(
    df: pd.DataFrame, provinces: list[str], per_month: bool
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, list[str]]]:
    """The side-by-side table (texts), the values for the bars, and warnings about comparability.

    Each province's latest figure per indicator; a province without one shows 'không báo cáo'.
    """
    if df.empty:
        return pd.DataFrame(), pd.DataFrame(), {}
    df = df.assign(_end=ends)
    latest = _per_month(df.sort_values("_end", ascending=False).drop_duplicates(["province", "indicator"]), per_month)
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
            ["province", "indicator", "value", "unit", "kind", "period", "finding_severity", "finding_label", "agency",
             "scope", "period_basis", "denominator", "per_month"]
        ].to_dict("records")
    }  # fmt: skip
    rows: list[dict] = []
    warnings: dict[str, list[str]] = {UNEQUAL_PERIODS: [], "khác cơ quan báo cáo": [], "khác cách tính kỳ": []}
    for code, label, unit in zip(indicators["indicator"], indicators["label_vi"], indicators["unit"], strict=True):
        row = {"Chỉ tiêu": label, "Đơn vị": unit}
        hits = [found.get((province, code)) for province in provinces]
        for province, h in zip(provinces, hits, strict=True):
            row[province] = NOT_REPORTED if h is None else _compare_cell(h)
        present = [h for h in hits if h is not None]
        if len({h["period"] for h in present}) > 1:
            warnings[UNEQUAL_PERIODS].append(label)
        if any(h["scope"] == "agency" for h in present) and len({h["agency"] for h in present}) > 1:
            warnings["khác cơ quan báo cáo"].append(label)
        if len({h["period_basis"] for h in present}) > 1:
            warnings["khác cách tính kỳ"].append(label)
        rows.append(row)
    return pd.DataFrame(rows), _shared_bars(latest, provinces), warnings


def _shared_bars(latest: pd.DataFrame, provinces: list[str]) -> pd.DataFrame:
    """The figures to draw: only indicators at least two of the provinces report (a lone bar
    compares nothing), with the value as written and the period for under each bar."""
    mine = latest[latest["province"].isin(provinces)]
    shared = mine.groupby("indicator")["province"].transform("nunique") >= 2
    mine = mine[shared]
    suffix = ["/tháng" if divided else "" for divided in mine["per_month"]]
    return mine.assign(
        value_text=[(value_with_unit(v, u, n, k) if is_rank(k) else vn_value(v, u)) + x for v, u, n, k, x in
                    zip(mine["value"], mine["unit"], mine["denominator"], mine["kind"], suffix,
                        strict=True)],  # fmt: skip
        tick=[period_short(a, b, c) for a, b, c in zip(mine["period_start"], mine["period_end"], mine["as_of"],
                                                       strict=True)],  # fmt: skip
    )[["indicator", "label_vi", "unit", "kind", "group_label", "province", "value", "value_text", "period", "tick",
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


DEFAULT_PAIR = ("Tây Ninh", "Trà Vinh")  # the page's first comparison when the sidebar names fewer than two
_EXPLAIN = {
    UNEQUAL_PERIODS: "số liệu của các kỳ khác nhau (ghi trong ngoặc)",
    "khác cơ quan báo cáo": "số liệu do các cơ quan khác nhau báo cáo",
    "khác cách tính kỳ": "một bên tính lũy kế từ đầu năm, bên kia tính trong kỳ hoặc tại một ngày",
}


def default_provinces(chosen: tuple[str, ...], available: list[str]) -> list[str]:
    """The page's own picker starts from the sidebar's province, then the default pair, at most two."""
    default = list(chosen) + [p for p in DEFAULT_PAIR if p in available]
    return list(dict.fromkeys(default))[:2] or available[:2]


def as_current_units(
    provinces: list[str], changes: pd.DataFrame, kind: str = "province"
) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Provinces (or agencies: ``kind``) named as they reported, as today's units (figures under
    today's units carry only those names): the units, once each, and (old name, unit, since) for
    each name that changed."""
    merged = {
        r["old_name"]: (r["new_name"], vn_date(r["effective_date"]))
        for r in changes[changes["kind"] == kind].to_dict("records")
        if r["old_name"] != r["new_name"]
    }
    moved = [(p, *merged[p]) for p in provinces if p in merged]
    return list(dict.fromkeys(merged.get(p, (p,))[0] for p in provinces)), moved


def unit_notice(moved: list[tuple[str, str, str]]) -> str:
    """'Theo đơn vị hiện nay, Trà Vinh nay thuộc Vĩnh Long (từ 01/07/2025): …' (names escaped)."""
    parts = [f"{md_escape(old)} nay thuộc {md_escape(new)} (từ {since})" for old, new, since in moved]
    return (f"Theo đơn vị hiện nay, {'; '.join(parts)}: bảng và biểu đồ so sánh số liệu của đơn vị hiện nay, "
            "gồm cả số liệu các tỉnh cũ đã sáp nhập vào.")  # fmt: skip


def warning_texts(warnings: dict[str, list[str]]) -> list[str]:
    """One Markdown line per kind of incomparability found (indicator labels escaped)."""
    return [
        f"**{kind.capitalize()}**: {len(labels)} chỉ tiêu có {_EXPLAIN[kind]} — cân nhắc trước khi so sánh trực "
        f"tiếp ({md_escape(', '.join(labels[:4]))}{'…' if len(labels) > 4 else ''})."
        for kind, labels in warnings.items()
        if labels
    ]


def chart_groups(bars: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """(title, unit, rows) of one compact chart per indicator group and unit, in catalog order; a
    chart that puts different periods side by side says so in its title ('… — không cùng kỳ')."""
    groups = bars.sort_values("sort_order").groupby(["group_label", "unit"], sort=False)
    return [(f"{group} ({unit})" + (f" — {UNEQUAL_PERIODS}" if _unequal(rows) else ""), unit, rows)
            for (group, unit), rows in groups]  # fmt: skip


def _unequal(rows: pd.DataFrame) -> bool:
    """Whether some indicator of the chart has bars of different periods."""
    return bool((rows.groupby("indicator")["period"].nunique() > 1).any())
