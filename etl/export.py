"""The warehouse as Parquet, partitioned hive-style, for engines past one machine.

facts/province_key=…/year=…/*.parquet, documents/province_key=…/*.parquet and
mentions/province_key=…/*.parquet (a table without rows: one empty file); the small tables as one
file each. The partition key is an ASCII slug of the province ('bac_ninh'): a folder name other
engines decode as it is (Spark reads a percent-encoded 'Bắc Ninh' byte by byte); the Vietnamese
name is an ordinary column of each file. views.sql re-creates the warehouse's views in DuckDB,
views.spark.sql in Spark SQL; the dashboard reads the folder with WAREHOUSE=<folder>.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import duckdb

from contract import SCHEMA_PATH

__all__ = ["SPARK_NAMES", "export_parquet", "province_key", "view_statements"]

_KEYS = "SELECT province, province_key FROM province_keys"
_PARTITIONED = {
    "facts": (
        f"SELECT f.*, d.province, k.province_key FROM facts f JOIN documents d USING (doc_id) "
        f"LEFT JOIN ({_KEYS}) k ON k.province = d.province",
        "province_key, year",
    ),
    "documents": (f"SELECT d.*, k.province_key FROM documents d LEFT JOIN ({_KEYS}) k USING (province)",
                  "province_key"),
    "mentions": (
        f"SELECT m.*, d.province, k.province_key FROM mentions m JOIN documents d USING (doc_id) "
        f"LEFT JOIN ({_KEYS}) k ON k.province = d.province",
        "province_key",
    ),
}
# The only functions schema.sql's views call by a DuckDB name Spark spells otherwise.
SPARK_NAMES = {"unnest": "explode", "array_to_string": "array_join", "array_extract": "element_at",
               "list_value": "array"}


def province_key(province: str) -> str:
    """'Bắc Ninh' -> 'bac_ninh': the ASCII folder name of a province's partition."""
    bare = unicodedata.normalize("NFD", province.replace("Đ", "D").replace("đ", "d"))
    ascii_only = "".join(c for c in bare if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_only.lower()).strip("_")


def view_statements(dialect: str = "duckdb") -> list[str]:
    """schema.sql's CREATE VIEW statements in order, for DuckDB or (as temporary views) for Spark."""
    sql = "\n".join(line.split("--", 1)[0] for line in SCHEMA_PATH.read_text(encoding="utf-8").splitlines())
    views = [s.strip() for s in sql.split(";") if s.strip().upper().startswith("CREATE VIEW")]
    if dialect == "duckdb":
        return views
    # the serving tables' views are the dashboard's (DuckDB's own SQL); Spark asks the facts
    views = [s for s in views if not s.upper().startswith("CREATE VIEW SERVING_")]
    if dialect != "spark":
        raise ValueError(f"unknown dialect {dialect!r}")
    renamed = re.compile(r"\b(" + "|".join(SPARK_NAMES) + r")\(")
    spark = [renamed.sub(lambda m: SPARK_NAMES[m.group(1)] + "(", s) for s in views]
    return [s.replace("CREATE VIEW", "CREATE OR REPLACE TEMPORARY VIEW", 1) for s in spark]


def _province_keys(con: duckdb.DuckDBPyConnection) -> None:
    """A temporary table province -> key; two provinces with one key would share a folder."""
    names = [p for (p,) in con.execute("SELECT DISTINCT province FROM documents WHERE province IS NOT NULL").fetchall()]
    keys = {p: province_key(p) for p in names}
    clash = sorted(p for p in names if list(keys.values()).count(keys[p]) > 1 or not keys[p])
    if clash:
        raise ValueError(f"provinces without a distinct ASCII key: {clash}")
    con.execute("CREATE TEMP TABLE province_keys (province VARCHAR, province_key VARCHAR)")
    if keys:
        con.executemany("INSERT INTO province_keys VALUES (?, ?)", list(keys.items()))


def _write(con: duckdb.DuckDBPyConnection, tmp: Path) -> dict[str, int]:
    """Every table under ``tmp``: the large ones partitioned, the others one file each."""
    counts: dict[str, int] = {}
    for table, (select, partition) in _PARTITIONED.items():
        target = str(tmp / table).replace("'", "''")
        counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if counts[table] == 0:  # no partition to write: one empty file keeps the columns readable
            (tmp / table).mkdir()
            con.execute(f"COPY ({select} LIMIT 0) TO '{target}/empty.parquet' (FORMAT parquet)")
            continue
        con.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet, PARTITION_BY ({partition}), COMPRESSION zstd)")
    listed = con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1").fetchall()
    small = [t for (t,) in listed]
    for table in (t for t in small if t not in _PARTITIONED):
        target = str(tmp / f"{table}.parquet").replace("'", "''")
        con.execute(f"COPY {table} TO '{target}' (FORMAT parquet)")
        counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return counts


def export_parquet(db_path: Path, out_dir: Path) -> dict[str, int]:
    """Write the warehouse under ``out_dir`` (replacing it whole); returns rows per table."""
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        _province_keys(con)
        counts = _write(con, tmp)
    finally:
        con.close()
    (tmp / "views.sql").write_text(";\n\n".join(view_statements("duckdb")) + ";\n", encoding="utf-8")
    (tmp / "views.spark.sql").write_text(_SPARK_HEAD + ";\n\n".join(view_statements("spark")) + ";\n",
                                         encoding="utf-8")
    old = out_dir.with_name(out_dir.name + ".old")
    if out_dir.exists():
        out_dir.replace(old)
    tmp.replace(out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return counts


_SPARK_HEAD = """-- The warehouse's views in Spark SQL. First register each table of this folder as a view of its
-- name: spark.read.parquet('<folder>/facts').createOrReplaceTempView('facts'), the same for
-- documents and mentions, and for each <table>.parquet; then run these statements one by one.

"""
