"""Read-only connections to the warehouse file the ETL swaps in atomically."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

DEFAULT_WAREHOUSE = Path(__file__).resolve().parents[1] / "data" / "warehouse.duckdb"


def warehouse_path() -> Path:
    """The warehouse to read: $WAREHOUSE, else data/warehouse.duckdb."""
    return Path(os.environ.get("WAREHOUSE", DEFAULT_WAREHOUSE))


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh read-only connection: each query sees the newest complete build."""
    return duckdb.connect(str(path or warehouse_path()), read_only=True)
