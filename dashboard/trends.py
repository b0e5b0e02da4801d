"""Xu hướng: each figure as a point at its period, what two year-to-date figures imply in
between, where units merged, and the published ranks beside a report's claimed one."""

from __future__ import annotations

import html

import pandas as pd

from dashboard.figures import citations, ends, finding_mark, labels_of
from dashboard.formatting import (
    mid_sentence,
    period_short,
    period_text,
    value_with_unit,
    vn_date,
    vn_value,
)

CONTRADICTION = "hai số lũy kế mâu thuẫn"


def trend_points(df: pd.DataFrame) -> pd.DataFrame:
    """One point per fact: x at the end of its period (or its date), with texts for the hover."""
    if df.empty:
        return df.assign(x=pd.Series(dtype="datetime64[ns]"), period=[], value_text=[], tick=[], document=[])
    denominators = df["denominator"] if "denominator" in df else pd.Series([None] * len(df), index=df.index)
    kinds = df["kind"] if "kind" in df else pd.Series([None] * len(df), index=df.index)
    out = df.assign(
        x=ends(df),
        period=[
            period_text(a, b, c) for a, b, c in zip(df["period_start"], df["period_end"], df["as_of"], strict=True)
        ],
        tick=[period_short(a, b, c) for a, b, c in zip(df["period_start"], df["period_end"], df["as_of"], strict=True)],
        value_text=[
            value_with_unit(v, u, d, k) for v, u, d, k in zip(df["value"], df["unit"], denominators, kinds, strict=True)
        ],  # the columns looked up once: a Series made per row cost 20 s at a million facts
        document=citations(df, None),  # whole: the chart's hover wraps it
        mark=[
            f"<br>{finding_mark(s, lbl)}: {html.escape(str(t), quote=False)}" if finding_mark(s) else ""  # plotly: HTML
            for s, lbl, t in zip(df["finding_severity"], labels_of(df), df["finding_titles"], strict=True)
        ],
    )
    return out.sort_values(["province", "x"])


def derived_in_period(points: pd.DataFrame) -> pd.DataFrame:
    """Between two figures counted from 1 January of one year, what happened in between (suy ra).

    Each row keeps both ends (values, dates, fact ids) and their finding marks: a difference is
    only as good as the pair it comes from."""
    rows = []
    cumulative = (
        points[points.get("period_basis", pd.Series(dtype=str)) == "cumulative"] if not points.empty else points
    )
    for (province, _start), group in cumulative.groupby(["province", "period_start"]) if not cumulative.empty else []:
        ordered = group.sort_values("x").to_dict("records")
        rows += [_derived_row(province, a, b) for a, b in zip(ordered, ordered[1:], strict=False) if b["x"] > a["x"]]
    return pd.DataFrame(rows, columns=_DERIVED_COLUMNS)


_DERIVED_COLUMNS = ["province", "x", "value", "period", "unit", "from", "to", "mark", "flagged", "fact_ids",
                    "from_text", "to_text", "from_date", "to_date", "start"]  # fmt: skip


def _derived_row(province: str, a: dict, b: dict) -> dict:
    """One difference b − a, flagged when either end carries a finding (the pair the checks flag)."""
    start = pd.Timestamp(a["x"]) + pd.Timedelta(days=1)
    marks = list(dict.fromkeys(m for m in (a.get("mark", ""), b.get("mark", "")) if m))
    return {"province": province, "x": b["x"], "value": b["value"] - a["value"],
            "period": period_short(start, b["x"]), "unit": b["unit"],
            "from": a.get("document", a.get("file_name")), "to": b.get("document", b.get("file_name")),
            "mark": "".join(marks), "flagged": bool(marks), "fact_ids": (a.get("fact_id"), b.get("fact_id")),
            "from_text": a.get("value_text", vn_value(a["value"])),
            "to_text": b.get("value_text", vn_value(b["value"])),
            "from_date": a["x"], "to_date": b["x"], "start": a["period_start"]}  # fmt: skip


def split_derived(derived: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(figures to draw, contradictions): a negative flow cannot have happened, so it is never a
    point on a chart but a finding that the two year-to-date figures disagree."""
    if derived is None:
        derived = pd.DataFrame(columns=_DERIVED_COLUMNS)
    negative = derived["value"] < 0 if not derived.empty else pd.Series(dtype=bool)
    return derived[~negative], derived[negative]


def contradiction_text(row: dict) -> str:
    """'Tây Ninh: hai số lũy kế mâu thuẫn — 36 đến 31/05/2024 nhưng 31 đến 31/07/2024 …' (plain text)."""
    return (f"{row['province']}: {CONTRADICTION} — {row['from_text']} đến {vn_date(row['from_date'])} nhưng "
            f"{row['to_text']} đến {vn_date(row['to_date'])} (cùng tính từ {vn_date(row['start'])}); "
            f"không suy ra được số phát sinh {mid_sentence(row['period'])}.")  # fmt: skip


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


def official_index(points: pd.DataFrame) -> str:
    """The published index the points' indicator is ranked in (indicators.official_index), '' if none."""
    known = points["official_index"].dropna() if "official_index" in points else pd.Series(dtype=str)
    return str(known.iloc[0]) if not known.empty else ""


def official_ranks(reference: pd.DataFrame, index_code: str, provinces: set[str], units: str) -> pd.DataFrame:
    """Published ranks of one index for the provinces on a chart, placed at the end of their year."""
    if reference.empty:
        return reference
    column = "current_province" if units == "current" else "province"
    rows = reference[(reference["index_code"] == index_code) & reference[column].isin(provinces)]
    return rows.assign(x=[pd.Timestamp(year=int(y), month=12, day=31) for y in rows["year"]], series=rows[column])


def point_label(points: pd.DataFrame, fact_id: str) -> str:
    """'Tây Ninh · 31/07/2024 · 31' for the point picker under a chart."""
    row = points[points["fact_id"] == fact_id].iloc[0]
    return f"{row['province']} · {row['period']} · {row['value_text']}"


def picked_points(selection: object) -> list[str]:
    """The fact ids of the trend points clicked on a chart (plotly's selection; the official
    ranks and derived values carry no fact id)."""
    points = getattr(selection, "points", None) or []
    return [p["customdata"][0] for p in points
            if isinstance(p.get("customdata", [None])[0], str) and len(p["customdata"]) == 5]  # fmt: skip
