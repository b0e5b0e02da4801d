"""The serving tables (etl/schema.sql): each page's question answered once per build, in the same
file and atomic swap as the facts, so a page reads tens of rows instead of aggregating millions.

A build rewrites only the touched provinces' rows (every row belongs to the province its report
names, as the findings do): a full build touches every province of an empty store.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb

from etl.province_scope import ProvinceScope

__all__ = ["KPI_DEPTH", "MEMORY_LIMIT", "TABLES", "write_depth", "write_serving"]

KPI_DEPTH = 24  # a key figure's newest figures kept per key: its card's latest, delta and sparkline
TABLES = ("serving_facts", "serving_latest", "serving_documents")
# DuckDB's memory while it writes them (never raised): its sorts of every figure spill to disk past
# this, where its default, 80 % of the RAM, let 10M facts take 10.5 GB (the rest of a build ~2 GB)
MEMORY_LIMIT = "2 GiB"
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
    with _memory_limit(con, MEMORY_LIMIT):
        _write(con, where)


@contextlib.contextmanager
def _memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory limit lowered to ``limit`` ('2 GiB') while inside, then DuckDB's default again
    (the build sets none, and DuckDB prints a limit rounded: one set before could not be read back)."""
    if _bytes(con.execute("SELECT current_setting('memory_limit')").fetchone()[0]) <= _bytes(limit):
        yield  # as low already: never raised
        return
    con.execute(f"SET memory_limit = '{limit}'")  # noqa: S608 - our own constant
    try:
        yield
    finally:
        con.execute("RESET memory_limit")


def _bytes(setting: str) -> float:
    """'18.8 GiB' -> bytes, as DuckDB prints a memory setting."""
    number, unit = setting.split()
    return float(number) * 1024 ** ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB").index(unit)


def _write(con: duckdb.DuckDBPyConnection, where: str) -> None:
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
            SELECT ? AS level, s.* EXCLUDE (quote, sentence) FROM serving_facts s SEMI JOIN (
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
