"""Tổng quan's key-figure cards: the latest figure of each key figure (indicators.kpi_order),
its change against the last comparable period, and its recent trend."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from contract import is_rank
from dashboard.figures import ends, finding_mark, is_true, length_days
from dashboard.formatting import (
    citation,
    md_escape,
    mid_sentence,
    period_short,
    period_text,
    rank_text,
    value_with_unit,
    vn_sort_key,
    vn_value,
)

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
    order: int = 0  # the key figure's place among the cards (indicators.kpi_order)
    full_label: str = ""  # the indicator's whole name (the card shows its short label, cut when narrow)


def _comparable(latest: pd.Series | dict, earlier: pd.Series | dict) -> bool:
    """Stocks compare with any earlier date; flows and rates only with a period of the same length."""
    if latest["kind"] == "stock" or is_rank(latest["kind"]):
        return True
    a, b = length_days(latest), length_days(earlier)
    return a is not None and b is not None and abs(a - b) <= _SAME_LENGTH_DAYS


_CARD_COLUMNS = ("province", "indicator", "kind", "unit", "value", "denominator", "period_start", "period_end",
                 "as_of", "fact_id", "lower_is_better", "short_label", "label_vi", "kpi_order", "finding_severity",
                 "finding_label", "report_number", "report_date", "agency", "title", "period_label", "file_name",
                 "_end")  # fmt: skip
_SPARKLINE = 8  # figures on a card's line, the latest among them


def kpi_cards(df: pd.DataFrame) -> dict[str, list[Card]]:
    """Per province, the latest figure of each key figure (``kpi_order`` set) with a delta against
    the previous comparable one, in the cards' order."""
    cards: dict[str, list[Card]] = {}
    if df.empty:
        return cards
    series: dict[tuple[str, str], list[dict]] = {}
    for row in _card_rows(df).to_dict("records"):
        series.setdefault((row["province"], row["indicator"]), []).append(row)
    for province in sorted({p for p, _ in series}, key=vn_sort_key):
        mine = [_card(province, history) for (p, _code), history in series.items() if p == province]
        cards[province] = sorted(mine, key=lambda card: card.order)
    return cards


def _card_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Each province's key figures, newest first, cut to what its card reads — the latest, the
    comparable ones before it on the sparkline, and one earlier when none compares (the card
    says so) — and to the columns it reads: thousands of rows of a national view become a few
    hundred dicts (pandas' per-cell conversion is the cost)."""
    df = df[df["kpi_order"].notna() & df["province"].notna()].assign(_end=ends)
    df = df.sort_values("_end", ascending=False, kind="stable")
    df = df[df.groupby(["province", "indicator"], sort=False).cumcount() < _KPI_HISTORY]
    keys = [df["province"], df["indicator"]]
    first = df.groupby(keys, sort=False).cumcount() == 0

    def latest(column: pd.Series) -> pd.Series:  # the group's latest row's value (NaN stays NaN)
        return column.where(first).groupby(keys, sort=False).transform("max")

    days = (pd.to_datetime(df["period_end"]) - pd.to_datetime(df["period_start"])).dt.days
    earlier = df["_end"] < latest(df["_end"])
    same_length = (days - latest(days)).abs() <= _SAME_LENGTH_DAYS  # False when either length is unknown
    comparable = earlier & (df["kind"].isin(["stock", "rank"]) | same_length)
    order = comparable.astype(int).groupby(keys, sort=False).cumsum()
    none_comparable = order.groupby(keys, sort=False).transform("max") == 0
    first_earlier = earlier & (earlier.astype(int).groupby(keys, sort=False).cumsum() == 1)
    keep = first | comparable & (order < _SPARKLINE) | none_comparable & first_earlier
    return df.loc[keep, [c for c in _CARD_COLUMNS if c in df.columns]]


def _card(province: str, series: list[dict]) -> Card:
    """``series``: one province's figures of one KPI, newest first."""
    latest = series[0]
    earlier = [r for r in series if r["_end"] < latest["_end"]]
    comparable = [r for r in earlier if _comparable(latest, r)]
    delta, note = _delta(latest, comparable[0]) if comparable else (None, "")
    if earlier and not comparable:
        note = "Kỳ trước có độ dài khác — không so sánh."
    code = latest["indicator"]
    rank = is_rank(latest["kind"])
    color, arrow = ("inverse" if is_true(latest.get("lower_is_better")) else "normal"), "auto"
    if rank and delta:  # 'lên 4 bậc' is good news although the number fell
        up = delta.startswith("lên")
        color, arrow = ("green", "up") if up else ("red", "down")
    return Card(
        province=province,
        indicator=code,
        label=latest.get("short_label") or latest["label_vi"],
        value=rank_text(latest["value"], latest.get("denominator"))
        if rank
        else vn_value(latest["value"], latest["unit"]),
        period=period_text(latest["period_start"], latest["period_end"], latest["as_of"]),
        delta=delta,
        delta_color=color,
        delta_arrow=arrow,
        note=note,
        fact_id=latest["fact_id"],
        document=citation(latest, None),
        finding=finding_mark(latest["finding_severity"], latest.get("finding_label")),
        order=int(latest["kpi_order"]),
        full_label=latest["label_vi"],
        trend=_sparkline([latest, *comparable][:8]) if comparable else (),
    )


def _sparkline(newest_first: list[dict]) -> tuple[float, ...]:
    """The card's line, oldest first; a rank is drawn negated (the axis reversed, as on Xu hướng),
    so 44 → 40 rises: the sparkline has no axis and its hover is hidden (chrome.CSS)."""
    sign = -1.0 if is_rank(newest_first[0]["kind"]) else 1.0
    return tuple(sign * float(r["value"]) for r in reversed(newest_first))


def _delta(latest: dict, prev: dict) -> tuple[str | None, str]:
    """The change against an earlier comparable figure; no change is a note, not a delta arrow."""
    diff = latest["value"] - prev["value"]
    then = mid_sentence(period_short(prev["period_start"], prev["period_end"], prev["as_of"]))
    if diff == 0:
        return None, f"Không đổi so với {then}."
    if is_rank(latest["kind"]):
        return f"{'xuống' if diff > 0 else 'lên'} {vn_value(abs(diff))} bậc so với {then}", ""
    return f"{'+' if diff > 0 else '-'}{vn_value(abs(diff), latest['unit'])} so với {then}", ""


def card_help(label: str, full_label: str, document: str = "") -> str:
    """A card's tooltip: its label whole (a narrow card cuts it, 'Tổng số CBCCVC và người la…'),
    the indicator's full name when that differs, and the report the figure comes from (Markdown)."""
    name = f"**{md_escape(label)}**"
    if full_label and full_label != label:
        name += f" — {md_escape(full_label)}"
    return name + (f"\n\nNguồn: {md_escape(document)}" if document else "")


def kpi_slots(cards: dict[str, list[Card]]) -> list[tuple[str, str]]:
    """(indicator, label) of every key figure some province in scope reports, in catalog order:
    the grid's places, the same for every province."""
    slots = {c.indicator: (c.order, c.label) for items in cards.values() for c in items}
    return [(code, label) for code, (_order, label) in sorted(slots.items(), key=lambda s: s[1][0])]


def sorted_provinces(provinces: list[str] | tuple[str, ...]) -> list[str]:
    return sorted(provinces, key=vn_sort_key)


PROVINCES_AT_ONCE = 4  # card grids drawn at once: 63 provinces' 567 cards took the browser 30 s, 8 provinces' 5 s


def province_groups(provinces: list[str]) -> dict[str, list[str]]:
    """The provinces in groups of PROVINCES_AT_ONCE, in their order, each named by its first and
    last ('An Giang – Bình Phước')."""
    parts = [provinces[i : i + PROVINCES_AT_ONCE] for i in range(0, len(provinces), PROVINCES_AT_ONCE)]
    return {(p[0] if len(p) == 1 else f"{p[0]} – {p[-1]}"): p for p in parts}


OTHER_COLUMNS = ["Tỉnh", "Nhóm chỉ tiêu", "Chỉ tiêu", "Giá trị", "Kỳ", "Văn bản"]


def other_figures(df: pd.DataFrame) -> pd.DataFrame:
    """The newest figure of each indicator group of each province: what a province without key
    figures did report, so Tổng quan never shows it as having nothing."""
    if df.empty:
        return pd.DataFrame(columns=OTHER_COLUMNS)
    newest = df.assign(_end=ends).sort_values(["_end", "sort_order"], ascending=[False, True], kind="stable")
    newest = newest.drop_duplicates(["province", "group_code"]).to_dict("records")
    rows = sorted(newest, key=lambda r: (vn_sort_key(r["province"]), r["sort_order"]))
    return pd.DataFrame(
        {
            "Tỉnh": [r["province"] for r in rows],
            "Nhóm chỉ tiêu": [r["group_label"] for r in rows],
            "Chỉ tiêu": [r["label_vi"] for r in rows],
            "Giá trị": [value_with_unit(r["value"], r["unit"], r.get("denominator"), r.get("kind")) for r in rows],
            "Kỳ": [period_text(r["period_start"], r["period_end"], r["as_of"]) for r in rows],
            "Văn bản": [citation(r, None) for r in rows],
        },
        columns=OTHER_COLUMNS,
    )


def split_reporting(provinces: list[str], others: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The provinces without key figures that reported other figures, and those that reported none."""
    listed = set(others["Tỉnh"])
    return [p for p in provinces if p in listed], [p for p in provinces if p not in listed]


def unreported_text(provinces: list[str], key_figures: list[str]) -> str:
    """'Trà Vinh không báo cáo chỉ tiêu chính nào trong phạm vi lọc (A, B, …)' — which key figures
    the cards would have shown (plain text: the page escapes it)."""
    names = ", ".join(provinces[:8]) + ("…" if len(provinces) > 8 else "")
    return (f"{names} không báo cáo chỉ tiêu chính nào trong phạm vi lọc ({', '.join(key_figures)}). "
            "Dưới đây là số liệu đã báo cáo — mới nhất của mỗi nhóm chỉ tiêu; xem đủ ở trang Tra cứu.")  # fmt: skip
