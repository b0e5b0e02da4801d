"""The warehouse as Parquet, partitioned hive-style, for engines past one machine.

facts/province=…/year=…/*.parquet, documents/province=…/*.parquet and
mentions/province=…/*.parquet (a table without rows: one empty file); the small tables as one
file each; views.sql re-creates the warehouse's views over them. DuckDB, Spark, Trino or a
cloud warehouse read the folder as it is; the dashboard reads it with WAREHOUSE=<folder>.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

__all__ = ["export_parquet"]

_PARTITIONED = {
    "facts": ("SELECT f.*, d.province FROM facts f JOIN documents d USING (doc_id)", "province, year"),
    "documents": ("SELECT * FROM documents", "province"),
    "mentions": ("SELECT m.*, d.province FROM mentions m JOIN documents d USING (doc_id)", "province"),
}
_VIEW_ORDER = ("finding_facts", "fact_view", "fact_view_current", "document_coverage")  # each after what it reads


def _views_sql(con: duckdb.DuckDBPyConnection) -> str:
    """The warehouse's CREATE VIEW statements, as DuckDB stored them, in dependency order."""
    rows = dict(con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal").fetchall())
    names = [n for n in _VIEW_ORDER if n in rows] + sorted(set(rows) - set(_VIEW_ORDER))
    return "\n\n".join(rows[n].rstrip(";") + ";" for n in names)


def export_parquet(db_path: Path, out_dir: Path) -> dict[str, int]:
    """Write the warehouse under ``out_dir`` (replacing it whole); returns rows per table."""
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    counts: dict[str, int] = {}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for table, (select, partition) in _PARTITIONED.items():
            target = str(tmp / table).replace("'", "''")
            counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if counts[table] == 0:  # no partition to write: one empty file keeps the columns readable
                (tmp / table).mkdir()
                con.execute(f"COPY ({select} LIMIT 0) TO '{target}/empty.parquet' (FORMAT parquet)")
                continue
            con.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet, PARTITION_BY ({partition}), COMPRESSION zstd)")
        small = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        for table in (t for t in small if t not in _PARTITIONED):  # every other table: one file each
            target = str(tmp / f"{table}.parquet").replace("'", "''")
            con.execute(f"COPY {table} TO '{target}' (FORMAT parquet)")
            counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        (tmp / "views.sql").write_text(_views_sql(con), encoding="utf-8")
    finally:
        con.close()
    old = out_dir.with_name(out_dir.name + ".old")
    if out_dir.exists():
        out_dir.replace(old)
    tmp.replace(out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return counts
