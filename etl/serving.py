"""The serving tables (etl/schema.sql): each page's question answered once per build, in the same
file and atomic swap as the facts, so a page reads tens of rows instead of aggregating millions.

A build rewrites only the touched provinces' rows (every row belongs to the province its report
names, as the findings do): a full build touches every province of an empty store.
"""

from __future__ import annotations

import duckdb

from etl.province_scope import ProvinceScope

__all__ = ["KPI_DEPTH", "TABLES", "write_depth", "write_serving"]

KPI_DEPTH = 24  # a key figure's newest figures kept per key: its card's latest, delta and sparkline
TABLES = ("serving_facts", "serving_latest", "serving_documents")
_LEVELS = {  # serving_latest's levels: the filter key each holds the newest per, and of which figures
    "key": ("province, agency, report_type, year", "TRUE"),
    "year": ("province, year", "TRUE"),
    "all": ("province", "year IS NOT NULL"),  # any year range holding every year keeps these
}


def write_depth(con: duckdb.DuckDBPyConnection) -> None:
    """How many newest figures serving_latest keeps of each indicator (from ``indicators``)."""
    con.execute("DELETE FROM serving_depth")
    con.execute(
        "INSERT INTO serving_depth SELECT code, CASE WHEN kpi_order IS NULL THEN 1 ELSE ? END FROM indicators",
        [KPI_DEPTH],
    )


def write_serving(con: duckdb.DuckDBPyConnection, scope: ProvinceScope | None = None) -> None:
    """Fill the serving tables from the facts, documents and findings as they now stand;
    ``scope``: the provinces (the reported ones) whose rows are rewritten, None for all (the
    depths too)."""
    where = scope.where if scope is not None else "TRUE"
    if scope is None:
        write_depth(con)
    for table in TABLES:
        con.execute(f"DELETE FROM {table} WHERE {where}")  # noqa: S608 - our own names and clause
    con.execute(
        f"INSERT INTO serving_facts SELECT * FROM serving_fact_rows WHERE {where} "  # noqa: S608
        "ORDER BY current_province, province, indicator, year"
    )
    for level, (key, dated) in _LEVELS.items():
        con.execute(
            f"""
            INSERT INTO serving_latest
            SELECT ? AS level, s.* FROM serving_facts s SEMI JOIN (
                SELECT fact_id FROM serving_facts JOIN serving_depth USING (indicator)
                WHERE kept AND {dated} AND {where}
                QUALIFY row_number() OVER (PARTITION BY {key}, indicator ORDER BY end_date DESC, fact_id) <= depth
            ) newest USING (fact_id)
            ORDER BY current_province, province, year, indicator
            """,  # noqa: S608 - our own names and clause; the window over the keys only, not whole rows
            [level],
        )
    con.execute(
        f"INSERT INTO serving_documents SELECT * FROM serving_document_rows WHERE {where} "  # noqa: S608
        "ORDER BY current_province, province, year"
    )
