"""The Parquet export reads back with DuckDB to the same aggregates, and the app reads it too."""

from __future__ import annotations

import duckdb
from streamlit.testing.v1 import AppTest

from dashboard import queries
from dashboard.db import connect
from dashboard.filters import Filters
from etl.export import export_parquet, province_key, view_statements
from tests.conftest import ROOT

AGGREGATE = """
    SELECT d.province, f.year, f.indicator, count(*) AS n, sum(f.value) AS total
    FROM facts f JOIN documents d USING (doc_id) GROUP BY ALL ORDER BY ALL
"""


def test_parquet_export_has_the_same_aggregates(warehouse, tmp_path):
    out = tmp_path / "parquet"
    counts = export_parquet(warehouse, out)
    assert counts["facts"] > 100 and counts["documents"] == 10
    assert any(p.name.startswith("province_key=") for p in (out / "facts").iterdir())
    assert any(p.name.startswith("year=") for p in next((out / "facts").iterdir()).iterdir())
    plain = duckdb.connect()
    from_parquet = plain.execute(
        f"""SELECT province, year, indicator, count(*), sum(value)
            FROM read_parquet('{out}/facts/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    original = duckdb.connect(str(warehouse), read_only=True)
    assert from_parquet == original.execute(AGGREGATE).fetchall()
    original.close()
    via_app = connect(out)
    direct = connect(warehouse)
    for filters in (
        Filters(),
        Filters(provinces=("Tây Ninh",), year_from=2024, year_to=2024),
        Filters(units="current"),
    ):
        a = queries.facts(via_app, filters)
        b = queries.facts(direct, filters)
        assert len(a) == len(b) and a["value"].sum() == b["value"].sum()
    assert len(queries.findings(via_app, Filters())) == len(queries.findings(direct, Filters()))


def test_the_app_reads_a_parquet_folder(warehouse, tmp_path, monkeypatch):
    out = tmp_path / "parquet"
    export_parquet(warehouse, out)
    monkeypatch.setenv("WAREHOUSE", str(out))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/tra_cuu.py")
    at.run()
    assert not at.exception
    assert len(at.dataframe[0].value) > 100


def test_partition_folders_are_ascii_and_the_name_is_a_column(warehouse, tmp_path):
    """Other engines decode a folder name as it is: a percent-encoded 'Bắc Ninh' comes back byte by
    byte in Spark. The folders carry an ASCII key; each file holds the province's own name."""
    out = tmp_path / "parquet"
    export_parquet(warehouse, out)
    folders = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()]
    assert folders and all(f.isascii() and "%" not in f for f in folders), folders
    con = duckdb.connect()
    for table in ("facts", "documents", "mentions"):
        files = f"read_parquet('{out}/{table}/**/*.parquet', hive_partitioning = false)"
        names = {r[0] for r in con.execute(f"SELECT DISTINCT province FROM {files}").fetchall()}
        assert {"Tây Ninh", "Trà Vinh"} <= names, table
    keys = {p.name for p in (out / "documents").iterdir()}
    assert {"province_key=tay_ninh", "province_key=tra_vinh"} <= keys


def test_province_keys_are_ascii_slugs():
    assert province_key("Bắc Ninh") == "bac_ninh"
    assert province_key("Đồng Tháp") == "dong_thap"
    assert province_key("Thừa Thiên Huế") == "thua_thien_hue"
    assert province_key("Bà Rịa - Vũng Tàu") == "ba_ria_vung_tau"


def test_spark_views_use_no_duckdb_only_syntax():
    """What Spark's parser rejects: * EXCLUDE/REPLACE, list literals, DuckDB's function names."""
    spark = "\n".join(view_statements("spark"))
    for duckdb_only in ("EXCLUDE", "REPLACE (", "[]", "[1]", "unnest(", "list(", "string_agg(", "list_value("):
        assert duckdb_only not in spark, duckdb_only
    exported = [v for v in view_statements("duckdb") if not v.upper().startswith("CREATE VIEW SERVING_")]
    assert len(view_statements("spark")) == len(exported) >= 10  # the serving tables' views stay DuckDB's


def test_current_views_keep_their_base_views_columns(warehouse):
    """The *_current views name their columns (no * REPLACE): the same names in the same order."""
    con = duckdb.connect(str(warehouse), read_only=True)
    for base in ("fact_view", "document_view", "finding_view"):
        names = [r[0] for r in con.execute(f"DESCRIBE {base}").fetchall()]
        assert names == [r[0] for r in con.execute(f"DESCRIBE {base}_current").fetchall()], base
    con.close()
