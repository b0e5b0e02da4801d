"""Plotly figures with Vietnamese number and date formats, whatever the browser's locale."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from contract import is_rank
from dashboard.formatting import vn_sort_key

PALETTE = ["#1f4e79", "#c0392b", "#2e8b57", "#d68910", "#6c3483", "#117a65", "#7b7d7d"]
FONT = "Be Vietnam Pro, Segoe UI, Roboto, Arial, sans-serif"
# plotly's toolbar speaks English ("Download plot as a PNG"): charts are shown without it
CONFIG = {"displayModeBar": False, "displaylogo": False}
HOVER_WIDTH = 60  # characters per line of a hover text: a long name or citation wraps, never cut


def _plain(values: object) -> object:
    """Text from reports as plotly text: plotly reads <a href>, <b>, <br> in hover texts, legends
    and axis labels, so a file or province name could otherwise carry a link."""
    if isinstance(values, pd.Series | pd.Index):
        return values.map(lambda v: html.escape(v, quote=False) if isinstance(v, str) else v)
    if isinstance(values, list):
        return [html.escape(v, quote=False) if isinstance(v, str) else v for v in values]
    return html.escape(values, quote=False) if isinstance(values, str) else values


def _layout(unit: str, title: str = "", rank: bool = False, **changes: object) -> dict:
    """The layout every chart shares as one dict, ``changes`` merged into it (an axis's keys into the axis):
    plotly checks a figure built from whole dicts in one pass, an update per property costs ten times that."""
    layout = {
        "title": {"text": title, "font": {"size": 15}},
        "separators": ",.",  # decimal comma, thousands dot
        "font": {"family": FONT, "size": 13},
        "legend": {"orientation": "h", "y": -0.2, "title": None},
        "margin": {"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        "hoverlabel": {"font": {"family": FONT}},
        "plot_bgcolor": "white",
        "yaxis": {
            "tickformat": ",.1f" if unit == "%" else ",.0f",
            "ticksuffix": "%" if unit == "%" else "",
            "gridcolor": "#e5e8ec",
            "rangemode": "normal" if rank else "tozero",
            "autorange": "reversed" if rank else True,  # a smaller place is better
            "title": {"text": unit},
        },
        "xaxis": {"tickformat": "%d/%m/%Y", "gridcolor": "#f0f2f5"},
    }
    for key, value in changes.items():
        layout[key] = {**layout[key], **value} if key in ("xaxis", "yaxis") else value  # type: ignore[dict-item]
    return layout


def trend_chart(
    points: pd.DataFrame,
    label: str,
    unit: str,
    official: pd.DataFrame | None = None,
    breaks: list[tuple[pd.Timestamp, str]] = (),  # type: ignore[assignment]
    derived: pd.DataFrame | None = None,
) -> go.Figure:
    """One series per province; the hover names the indicator, value, period and source document,
    each whole over lines of at most HOVER_WIDTH characters.

    Flows are counted from the start of each year, so a line joins the points of one year only.
    """
    fig = go.Figure()
    named = "<b>%{fullData.name}</b><br>" + _wrap([_plain(label)], HOVER_WIDTH)[0]
    cumulative = points["kind"].iloc[0] in ("flow", "rate")
    single = points.groupby("province")["x"].nunique().max() == 1  # one point per series: a labelled value
    for i, province in enumerate(sorted(points["province"].unique(), key=vn_sort_key)):
        rows = points[points["province"] == province]
        segments = rows.groupby(rows["x"].dt.year) if cumulative else [(None, rows)]
        for k, (_, seg) in enumerate(segments):
            fig.add_trace(
                go.Scatter(
                    x=seg["x"],
                    y=seg["value"],
                    mode="markers+text" if single else "lines+markers",
                    text=seg["value_text"] if single else None,
                    textposition="top center",
                    name=_plain(province),
                    legendgroup=province,
                    showlegend=k == 0,
                    line={"color": PALETTE[i % len(PALETTE)], "width": 2},
                    marker={"size": 11},
                    customdata=seg[["fact_id", "period", "document", "value_text", "mark"]]
                    .assign(document=_wrap(list(_plain(seg["document"])), HOVER_WIDTH))
                    .to_numpy(),
                    hovertemplate=(
                        named + "<br>%{customdata[3]}"
                        "<br>Kỳ: %{customdata[1]}<br>Nguồn: %{customdata[2]}%{customdata[4]}<extra></extra>"
                    ),
                )
            )
    provinces = sorted(points["province"].unique(), key=vn_sort_key)
    if official is not None and not official.empty:
        for province, rows in official.groupby("series"):
            color = PALETTE[provinces.index(province) % len(PALETTE)] if province in provinces else "#555"
            fig.add_trace(
                go.Scatter(
                    x=rows["x"], y=rows["rank"], mode="markers", name=f"{_plain(province)} — công bố chính thức",
                    marker={"symbol": "diamond-open", "size": 14, "color": color, "line": {"width": 2}},
                    customdata=rows[["year", "of_n", "source_url"]].assign(source_url=_plain(rows["source_url"]))
                    .to_numpy(),
                    hovertemplate="<b>Công bố chính thức</b><br>Năm %{customdata[0]}: hạng %{y}/%{customdata[1]}"
                    "<br>%{customdata[2]}<extra></extra>",
                )
            )  # fmt: skip
    if derived is not None and not derived.empty:
        _add_derived(fig, derived)
    for k, (when, text) in enumerate(breaks):
        fig.add_vline(x=when.timestamp() * 1000, line={"dash": "dot", "color": "#c0392b", "width": 1.5})
        fig.add_annotation(x=when, y=1 - 0.09 * k, yref="paper", text=text, showarrow=False, xanchor="right",
                           yanchor="top", font={"size": 11, "color": "#c0392b"},
                           bgcolor="rgba(255,255,255,0.85)")  # fmt: skip
    xs = list(points["x"]) + [w for w, _ in breaks]
    pad = pd.Timedelta(days=120 if single else 45)
    span = max(xs) - min(xs) + 2 * pad
    axis = {"range": [min(xs) - pad, max(xs) + pad], **_period_ticks(points, official, span)}
    # a long name over two lines, never cut
    title = _wrap([_plain(label)], 90)[0]
    fig.update_layout(_layout(unit, title, is_rank(points["kind"].iloc[0]), showlegend=True, xaxis=axis))
    return fig


def _add_derived(fig: go.Figure, derived: pd.DataFrame) -> None:
    """Derived in-period values as grey crosses; one from a pair the checks flag is red and its
    hover carries the finding's mark."""
    for province, rows in derived.groupby("province"):
        fig.add_trace(
            go.Scatter(
                x=rows["x"], y=rows["value"], mode="markers",
                name=f"{_plain(province)} — phát sinh giữa hai kỳ (suy ra)",
                marker={"symbol": "x", "size": 11,
                        "color": ["#c0392b" if f else "#7b7d7d" for f in rows["flagged"]]},
                customdata=rows[["period", "from", "to", "mark"]]
                .assign(**{k: _wrap(list(_plain(rows[k])), HOVER_WIDTH) for k in ("from", "to")}).to_numpy(),
                hovertemplate="<b>Suy ra</b> %{y:,.0f}<br>Kỳ: %{customdata[0]}<br>Từ %{customdata[1]} và "
                "%{customdata[2]}%{customdata[3]}<extra></extra>",
            )
        )  # fmt: skip


def _period_ticks(points: pd.DataFrame, official: pd.DataFrame | None, span: pd.Timedelta | None = None) -> dict:
    """Ticks only where figures are, named by their period ('Năm 2023', '6T/2024',
    '01/01–31/07/2024'); an official rank's tick is its assessed year. A label close to the one
    before it goes one line lower, so the two never overlap."""
    ticks = dict(zip(points["x"], points["tick"], strict=True))
    if official is not None and not official.empty:
        for x, year in zip(official["x"], official["year"], strict=True):
            ticks.setdefault(x, f"Năm {int(year)}")
    ordered = sorted(ticks)
    texts, lowered = [], False
    for before, x in zip([None, *ordered], ordered, strict=False):
        close = before is not None and span is not None and (x - before) < span * 0.15
        lowered = close and not lowered
        texts.append(("<br>" if lowered else "") + _plain(ticks[x]))
    return {"tickmode": "array", "tickvals": ordered, "ticktext": texts, "tickangle": 0}


def compare_group(bars: pd.DataFrame, title: str, unit: str, provinces: list[str]) -> go.Figure:
    """One compact chart for one indicator group and unit: a bar per province and indicator,
    its value written on it, province and period under it, the indicator under those."""
    traces = []
    order = bars.sort_values("sort_order")["label_vi"].drop_duplicates().tolist()
    for i, province in enumerate(provinces):
        rows = bars[bars["province"] == province].set_index("label_vi").reindex(order).dropna(subset=["value"])
        if rows.empty:
            continue
        traces.append({
            "type": "bar",
            "x": [_wrap(_plain(list(rows.index))), [f"{_plain(province)}<br>{_plain(t)}" for t in rows["tick"]]],
            "y": rows["value"],
            "name": _plain(province),
            "marker": {"color": PALETTE[i % len(PALETTE)]},
            "text": list(rows["value_text"]),
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": rows[["period"]].to_numpy(),
            "hovertemplate": "<b>" + _plain(province) + "</b><br>%{text}<br>Kỳ: %{customdata[0]}<extra></extra>",
        })  # fmt: skip
    # each (indicator, province · period) category holds one bar: overlay leaves no empty slots
    rank = bool(len(bars)) and is_rank(bars["kind"].iloc[0])
    layout = _layout(unit, title, rank, barmode="overlay", height=360, showlegend=False, bargap=0.3,
                     margin={"l": 10, "r": 10, "t": 50, "b": 10}, xaxis={"type": "multicategory"},
                     yaxis={"showticklabels": False, "title": None, "autorange": True,
                            "rangemode": "tozero"})  # fmt: skip
    del layout["xaxis"]["tickformat"]  # categories, not dates
    return go.Figure(data=traces, layout=layout)


def _wrap(labels: list[str], width: int = 22) -> list[str]:
    """Long texts over several lines (plotly's <br>): names under the bars, hover texts."""
    out = []
    for label in labels:
        if not isinstance(label, str):
            out.append("")
            continue
        lines, line = [], ""
        for word in str(label).split():
            if line and len(line) + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        out.append("<br>".join([*lines, line]))
    return out


COVERAGE_LEGEND = {"không báo cáo": "#f2f5f9", "có số liệu": "#6c9bd2", "có cảnh báo": "#f0b429", "có lỗi": "#c0392b"}


def coverage_heatmap(matrix: pd.DataFrame) -> go.Figure:
    """Which document reports which indicator; coloured where a check found a problem."""
    colors = [[0.0, "#f2f5f9"], [0.249, "#f2f5f9"], [0.25, "#6c9bd2"], [0.499, "#6c9bd2"],
              [0.5, "#f0b429"], [0.749, "#f0b429"], [0.75, "#c0392b"], [1.0, "#c0392b"]]  # fmt: skip
    labels = dict(enumerate(COVERAGE_LEGEND))
    text = [[labels[int(v)] for v in row] for row in matrix.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=_plain([c.split(" · ")[0] + " · " + c.split(" · ")[1] for c in matrix.columns]),
            y=_plain(list(matrix.index)),
            zmin=0,
            zmax=3,
            colorscale=colors,
            showscale=False,
            xgap=2,
            ygap=2,
            customdata=[_plain(list(matrix.columns)) for _ in matrix.index],
            text=text,
            hovertemplate="%{y}<br>%{customdata}<br><b>%{text}</b><extra></extra>",
        )
    )
    for label, color in COVERAGE_LEGEND.items():  # the legend: one square per colour, no data
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=label, hoverinfo="skip",
                                 marker={"symbol": "square", "size": 14, "color": color,
                                         "line": {"width": 1, "color": "#b0b7c0"}}))  # fmt: skip
    fig.update_layout(
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top", "title": None},
        height=max(300, 22 * len(matrix.index) + 160),
        font={"family": FONT, "size": 12},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"side": "top", "tickangle": -30},
        yaxis={"autorange": "reversed"},
        plot_bgcolor="white",
    )
    return fig
