"""Read-only access to the warehouse file the ETL swaps in atomically.

A connection is an in-memory DuckDB with the warehouse ATTACHed read-only: unlike
``duckdb.connect(path, read_only=True)``, it sees the new file after a swap once it is
reopened (duckdb issue 15912). Callers reopen when ``warehouse_version`` changes.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

DEFAULT_WAREHOUSE = Path(__file__).resolve().parents[1] / "data" / "warehouse.duckdb"


def warehouse_path() -> Path:
    """The warehouse to read: $WAREHOUSE, else data/warehouse.duckdb."""
    return Path(os.environ.get("WAREHOUSE", DEFAULT_WAREHOUSE))


def warehouse_version(path: Path | None = None) -> tuple[int, int] | None:
    """(inode, mtime) of the warehouse file; changes whenever a build swaps a new one in."""
    try:
        st = (path or warehouse_path()).stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse (tables unqualified, as in etl/schema.sql)."""
    target = str(path or warehouse_path()).replace("'", "''")
    con = duckdb.connect(config={"python_enable_replacements": False})
    con.execute(f"ATTACH '{target}' AS wh (READ_ONLY)")
    con.execute("USE wh")
    return con
