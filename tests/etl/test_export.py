"""The Parquet export reads back with DuckDB to the same aggregates, and the app reads it too."""

from __future__ import annotations

import duckdb
from streamlit.testing.v1 import AppTest

from dashboard import queries
from dashboard.db import connect
from dashboard.filters import Filters
from etl.export import export_parquet
from tests.conftest import ROOT

AGGREGATE = """
    SELECT d.province, f.year, f.indicator, count(*) AS n, sum(f.value) AS total
    FROM facts f JOIN documents d USING (doc_id) GROUP BY ALL ORDER BY ALL
"""


def test_parquet_export_has_the_same_aggregates(warehouse, tmp_path):
    out = tmp_path / "parquet"
    counts = export_parquet(warehouse, out)
    assert counts["facts"] > 100 and counts["documents"] == 10
    assert any(p.name.startswith("province=") for p in (out / "facts").iterdir())
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
