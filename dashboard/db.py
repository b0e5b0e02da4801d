"""Read-only access to the warehouse: a DuckDB file the ETL swaps in atomically, or a folder of
Parquet written by ``python -m etl export --parquet`` — chosen by the WAREHOUSE setting.

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
    """A read-only connection to the warehouse (tables unqualified, as in contract/schema.sql)."""
    path = path or warehouse_path()
    con = duckdb.connect(config={"python_enable_replacements": False})
    if path.is_dir():
        _attach_parquet(con, path)
        return con
    target = str(path).replace("'", "''")
    con.execute(f"ATTACH '{target}' AS wh (READ_ONLY)")
    con.execute("USE wh")
    return con


def _attach_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Views named like the warehouse's tables over the Parquet files, then the warehouse's views."""
    con.execute("CREATE SCHEMA wh")
    con.execute("USE wh")
    base = str(folder).replace("'", "''")
    for table in ("facts", "documents", "mentions"):
        files = f"'{base}/{table}/**/*.parquet'"
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet({files}, hive_partitioning = true)")
    for file in sorted(folder.glob("*.parquet")):
        name = file.stem
        if name.isidentifier():
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{base}/{file.name}')")
    con.execute((folder / "views.sql").read_text(encoding="utf-8"))
