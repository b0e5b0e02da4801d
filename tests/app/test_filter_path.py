"""One filter path: every page query reads a view with the same filter columns through
``Filters.where``, so a filter means the same on every page. The first two tests are the
disagreements issue 16 reproduced (they fail on the code before the filter path)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import duckdb
import pandas as pd
import pytest

from dashboard import queries, tracker
from dashboard.db import connect
from dashboard.filters import Filters


@pytest.fixture(scope="module")
def con(warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(warehouse)
    yield connection
    connection.close()


def test_documents_honour_the_indicator_group_filter(con):
    """Văn bản and Theo dõi list the reports giving a figure of the chosen group, as Tra cứu does."""
    chosen = Filters(groups=("camera",))
    listed = set(queries.documents(con, chosen)["doc_id"])
    assert listed == set(queries.facts(con, chosen)["doc_id"])
    assert listed < set(queries.documents(con, Filters())["doc_id"])


def test_finding_counts_honour_the_year_as_the_heatmap_does(con):
    """On Chất lượng dữ liệu the counts and the heatmap read the same year: a finding shown rests
    on figures the heatmap (coverage) shows."""
    chosen = Filters(year_from=2020, year_to=2020)
    found = queries.findings(con, chosen)
    assert 0 < len(found) < len(queries.findings(con, Filters()))
    heatmap = set(queries.coverage(con, chosen)["doc_id"])
    for doc_ids in found["doc_ids"]:
        assert set(doc_ids) & heatmap


def test_documents_under_todays_units_are_those_of_the_figures(con):
    chosen = Filters(provinces=("Vĩnh Long",), units="current")
    listed = queries.documents(con, chosen)
    assert set(listed["doc_id"]) == set(queries.facts(con, chosen)["doc_id"])
    assert set(listed["province"]) == {"Vĩnh Long"}


# Every query a page runs with the shared filters, and the key a row is known by.
PAGE_QUERIES: dict[str, tuple[Callable[[duckdb.DuckDBPyConnection, Filters], pd.DataFrame], list[str]]] = {
    "facts (Tra cứu, Xu hướng)": (lambda c, f: queries.facts(c, f, include_rejected=True), ["fact_id"]),
    "latest_facts (Tổng quan, So sánh)": (lambda c, f: queries.latest_facts(c, f), ["province", "indicator"]),
    "documents (Văn bản)": (queries.documents, ["doc_id"]),
    "tracker (Theo dõi)": (lambda c, f: tracker.tracker(queries.documents(c, tracker.scope(f)), queries.schedule(c),
                                                      f),
                           ["province", "agency", "report_type", "year", "period", "doc_id"]),  # fmt: skip
    "findings (Chất lượng)": (queries.findings, ["finding_id"]),
    "coverage (Chất lượng)": (queries.coverage, ["indicator", "doc_id"]),
}
FILTERS = {
    "tỉnh": Filters(provinces=("Tây Ninh",)),
    "năm": Filters(year_from=2024, year_to=2024),
    "cơ quan": Filters(agencies=("Sở Nội vụ",)),
    "loại báo cáo": Filters(report_types=("dan_chu_co_so",)),
    "nhóm chỉ tiêu": Filters(groups=("tthc",)),
}
# (query, filter) pairs where the filter cannot narrow, with the reason.
STAYS_EQUAL: dict[tuple[str, str], str] = {
    ("tracker (Theo dõi)", "nhóm chỉ tiêu"): "a report is received or missing whatever figures it gives",
}


def _keys(df: pd.DataFrame, columns: list[str]) -> set[tuple]:
    if df.empty:
        return set()
    return set(df[columns].astype(str).itertuples(index=False, name=None))


@pytest.mark.parametrize("filter_name", list(FILTERS))
@pytest.mark.parametrize("query_name", list(PAGE_QUERIES))
def test_every_page_query_narrows_with_every_filter(con, query_name, filter_name):
    run, key = PAGE_QUERIES[query_name]
    everything, chosen = _keys(run(con, Filters()), key), _keys(run(con, FILTERS[filter_name]), key)
    assert chosen <= everything
    if (query_name, filter_name) in STAYS_EQUAL:
        assert chosen == everything
    else:
        assert chosen < everything, f"{query_name} ignores the filter {filter_name}"


@pytest.mark.parametrize("query_name", [q for q in PAGE_QUERIES if not q.startswith("latest_facts")])
def test_todays_units_rename_but_never_drop_rows(con, query_name):
    """The units switch cannot narrow: it shows the same rows under today's names (the latest
    figure per province is the exception: merged provinces have one latest figure, not two)."""
    run, _key = PAGE_QUERIES[query_name]
    assert len(run(con, Filters(units="current"))) == len(run(con, Filters()))
