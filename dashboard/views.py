"""What the pages show that takes long to work out — charts, the comparison, the tracker, the
cards — made once per warehouse build and arguments and shared by every session (``data.shared``),
and made for each page's first view before the server answers (``warm``), so no official waits for it.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import pkgutil
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

import dashboard
from dashboard import charts, comparison, data, figures, kpis, queries, tables, tracker, trends
from dashboard.filters import Filters
from dashboard.formatting import vn_sorted

log = logging.getLogger("dashboard")
DEFAULT_TREND = "tthc_received"  # Xu hướng's indicator until one is chosen


@dataclass(frozen=True)
class Comparison:
    table: pd.DataFrame
    warnings: dict[str, list[str]]
    charts: tuple[go.Figure, ...]  # one per indicator group and unit two provinces report


@dataclass(frozen=True)
class Trend:
    points: pd.DataFrame
    chart: go.Figure | None  # None: no figure under the filters
    contradictions: pd.DataFrame
    unit_breaks: bool


@dataclass(frozen=True)
class Overview:
    cards: dict[str, list[kpis.Card]]
    findings: dict[str, str]  # fact_id -> its finding, for the cards that link one
    others: pd.DataFrame  # provinces without key figures: the figures they did report


def default_filters(opts: queries.Options) -> Filters:
    """The sidebar's filters before anyone touches them (every year, everything else open)."""
    low, high = opts.years or (None, None)
    return Filters((), low, high, (), (), (), "reported")


def comparison_view(scope: Filters, per_month: bool) -> Comparison:
    """So sánh for the provinces of ``scope``: the table, its warnings and one chart per group and unit."""
    return data.shared(_comparison, scope, per_month)


def _comparison(scope: Filters, per_month: bool) -> Comparison:
    provinces = list(scope.provinces)
    table, bars, warnings = comparison.compare_frames(data.latest_facts(scope), provinces, per_month)
    made = () if bars.empty else comparison.chart_groups(bars)
    return Comparison(table, warnings, tuple(charts.compare_group(rows, t, unit, provinces) for t, unit, rows in made))


def trend_groups(filters: Filters) -> dict[str, tuple[str, ...]]:
    """With no province chosen in a warehouse of many, the provinces Xu hướng draws a group at a time
    (63 lines are no picture, and 630 series take the server 10 s); empty: draw every one in scope."""
    if filters.provinces:
        return {}
    every = vn_sorted(data.options(filters.units).provinces)
    if len(every) <= kpis.PROVINCES_AT_ONCE:
        return {}
    return {name: tuple(group) for name, group in kpis.province_groups(every).items()}


def trend_view(filters: Filters, code: str, label: str, derived: bool) -> Trend:
    """Xu hướng for one indicator: its points, the chart and the contradictions between cumulative figures."""
    return data.shared(_trend, filters, code, label, derived)


def _trend(filters: Filters, code: str, label: str, derived: bool) -> Trend:
    points = trends.trend_points(data.facts(filters, (code,)))
    if points.empty:
        return Trend(points, None, pd.DataFrame(), False)
    official = trends.official_ranks(data.cached(queries.reference_indices), trends.official_index(points),
                                    set(points["province"]), filters.units)  # fmt: skip
    breaks = trends.unit_breaks(data.cached(queries.unit_changes), points) if filters.units == "current" else []
    inferred, contradictions = trends.split_derived(trends.derived_in_period(points) if derived else None)
    chart = charts.trend_chart(points, label, points["unit"].iloc[0], official, breaks, inferred)
    return Trend(points, chart, contradictions, bool(breaks))


def overview(filters: Filters, provinces: tuple[str, ...]) -> Overview:
    """Tổng quan: the key-figure cards of each province, and what provinces without them reported."""
    return data.shared(_overview, filters, provinces)


def _overview(filters: Filters, provinces: tuple[str, ...]) -> Overview:
    cards = kpis.kpi_cards(data.latest_facts(filters, tuple(data.vocabulary().kpis), per_indicator=24))
    linked = data.fact_findings([c.fact_id for items in cards.values() for c in items if c.finding])
    without = tuple(p for p in provinces if p not in cards)  # none: no query, as () would mean every province
    others = data.latest_facts(dataclasses.replace(filters, provinces=without)) if without else pd.DataFrame()
    return Overview(cards, linked, kpis.other_figures(others))


def tracker_rows(filters: Filters) -> pd.DataFrame:
    """Theo dõi: every expected report of the schedule, received, late or missing."""
    return data.shared(_tracker_rows, filters)


def _tracker_rows(filters: Filters) -> pd.DataFrame:
    provinces = tuple(data.options(filters.units).provinces)  # expected of every province, not only senders
    months = tracker.sent_months(data.cached(queries.report_months))
    docs = data.cached(queries.documents, tracker.scope(filters))
    return tracker.tracker(docs, data.cached(queries.schedule), filters, provinces, months)


def document_names(width: int | None) -> dict[str, str]:
    """doc_id -> the report's citation cut to ``width`` (None: whole), for every loaded report."""
    return data.shared(_document_names, width)


def _document_names(width: int | None) -> dict[str, str]:
    docs = data.cached(queries.documents, Filters())
    return dict(zip(docs["doc_id"], figures.citations(docs, width), strict=True))


@dataclass(frozen=True, slots=True)
class Coverage:
    chart: go.Figure | None  # indicator × report; None when nothing is in scope
    shown: int  # reports drawn: the newest COVERAGE_DOCUMENTS at most
    total: int  # reports in scope


COVERAGE_DOCUMENTS = 150  # columns a heatmap can show readably (a national warehouse holds tens of thousands)


def coverage_view(filters: Filters) -> Coverage:
    """Chất lượng's heatmap of the newest reports in scope, and how many it leaves out."""
    return data.shared(_coverage_view, filters)


def _coverage_view(filters: Filters) -> Coverage:
    cov = data.cached(queries.coverage, filters, COVERAGE_DOCUMENTS)
    shown = cov["doc_id"].nunique() if not cov.empty else 0
    total = shown if shown < COVERAGE_DOCUMENTS else data.cached(queries.covered_documents, filters)
    names = document_names(60)
    matrix = tables.coverage_matrix(cov, {d: names.get(d, d) for d in cov["doc_id"].unique()} if shown else {})
    return Coverage(None if matrix.empty else charts.coverage_heatmap(matrix), shown, total)


def warm() -> None:
    """Each page's first view made before anyone asks: the modules imported, the shared connection
    open, the default queries answered and the default charts drawn."""
    warm_first()
    warm_rest()


def warm_first() -> None:
    """What the first page an official opens needs (Tổng quan): made before the server answers."""
    for module in pkgutil.iter_modules(dashboard.__path__):
        if module.name != "serve":
            importlib.import_module(f"dashboard.{module.name}")
    if not data.has_warehouse():
        return
    opts = data.options()
    data.latest_build()
    overview(default_filters(opts), tuple(kpis.sorted_provinces(opts.provinces)))


def warm_rest() -> None:
    """The other pages' first views: made while the first official reads Tổng quan (a national
    warehouse takes seconds more, which the first page need not wait for)."""
    if not data.has_warehouse():
        return
    opts = data.options()
    filters = default_filters(opts)
    provinces = tuple(vn_sorted(opts.provinces))
    labels = dict(zip(opts.indicators["code"], opts.indicators["label_vi"], strict=True))
    if DEFAULT_TREND in labels:
        groups = trend_groups(filters)
        scope = dataclasses.replace(filters, provinces=next(iter(groups.values()))) if groups else filters
        trend_view(scope, DEFAULT_TREND, labels[DEFAULT_TREND], False)
    chosen = tuple(comparison.default_provinces((), list(provinces)))
    comparison_view(dataclasses.replace(filters, provinces=chosen), False)
    data.cached(queries.reference_indices, chosen)
    data.fact_page(filters, (), "", include_rejected=True)
    data.cached(queries.documents, filters)
    data.cached(queries.findings, filters)
    data.cached(queries.findings, Filters())
    coverage_view(filters)
    tracker_rows(filters)
    data.cached(queries.schedule)
