"""SQL over the warehouse schema (etl/schema.sql); every function returns a DataFrame."""

from __future__ import annotations

import duckdb
import pandas as pd


def documents(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per loaded report, newest period first."""
    return con.execute(
        """
        SELECT d.doc_id, d.file_name, d.province, d.agency, d.report_type, d.period_label,
               d.period_start, d.period_end, d.report_date, d.report_number,
               count(f.fact_id) FILTER (WHERE f.role = 'primary') AS facts
        FROM documents d LEFT JOIN facts f USING (doc_id)
        GROUP BY ALL
        ORDER BY d.period_end DESC NULLS LAST, d.doc_id
        """
    ).df()


def latest_build(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM builds ORDER BY finished_at DESC LIMIT 1").df()
