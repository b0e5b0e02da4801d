"""Spark as the build's executor (etl/spark_executor.py): the same warehouse as the local pool's,
row by row, and a bad file reported by name while the others load.

Needs Java and pyspark (requirements-scale.txt, `make scale`): marked slow, so `make test` never
runs them; skipped with the reason when they are missing, a failure on CI (CI=1). One local[2]
session serves every Spark build of the module. Without pyspark, `--engine spark` says so (fast).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator

import pytest

from contract import SCHEMA_PATH
from etl.build import build_warehouse
from etl.cli import main
from etl.executor import LocalPool
from etl.spark_executor import SparkExecutor, SparkUnavailableError, spark_unavailable
from tests.conftest import RAW, rows
from tests.etl.test_store import _differences, _site

BROKEN = "hong.docx"  # not a zip: a read error
SLOW = "cham.txt"  # seconds of extraction: over a one-second budget


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkExecutor]:
    reason = spark_unavailable()
    if reason:
        if os.environ.get("CI") == "1":
            pytest.fail(f"{reason}: CI must run the Spark test")
        pytest.skip(reason)
    executor = SparkExecutor(cores=2)
    session = executor.session(tmp_path_factory.mktemp("spark"))
    yield executor
    session.stop()


@pytest.mark.slow
def test_spark_builds_the_same_warehouse_as_the_local_pool_row_by_row(spark, tmp_path):
    """The samples and ../shared/dev/docs (when there) built with each engine: every table, every
    row (EXCEPT ALL both ways), all but the build id and the builds row's times, mode and engine."""
    raw, _ = _site(tmp_path)  # without ../shared/dev/docs, the samples alone (a failure on CI)
    local, on_spark = tmp_path / "local.duckdb", tmp_path / "spark.duckdb"
    by_pool = build_warehouse(raw, local, executor=LocalPool(2))
    by_spark = build_warehouse(raw, on_spark, executor=spark)
    assert by_spark.documents == by_pool.documents == len(list(raw.iterdir()))
    assert (by_spark.facts, by_spark.mentions, by_spark.findings) == (by_pool.facts, by_pool.mentions, by_pool.findings)
    differences = _differences(local, on_spark)
    assert {t: d for t, d in differences.items() if d != (0, 0)} == {}
    assert len(differences) == SCHEMA_PATH.read_text(encoding="utf-8").count("CREATE TABLE ")  # every table
    assert rows(on_spark, "SELECT count(*) FROM facts")[0][0] > 0
    assert rows(on_spark, "SELECT engine FROM builds") + rows(local, "SELECT engine FROM builds") == [
        ("spark",), ("local",)]  # fmt: skip
    assert not [p.name for p in tmp_path.iterdir() if ".spool-" in p.name or ".tmp-" in p.name]


def _slow_report() -> bytes:
    """All samples forty times over, years varied (as tests/reliability/test_build_lifecycle.py)."""
    text = "\n\n".join(f.read_text(encoding="utf-8") for f in sorted(RAW.glob("*.txt")))
    return "\n\n".join(text.replace("2024", str(2000 + i % 25)) for i in range(40)).encode("utf-8")


@pytest.mark.slow
def test_a_bad_file_under_spark_is_reported_by_name_and_the_others_load(spark, tmp_path):
    """A file that cannot be read and one over its time budget (the alarm rings in Spark's Python
    worker too): each fails by name with the local pool's very reason; the samples load."""
    data = tmp_path / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    shutil.copytree(RAW, data / "raw")
    (data / "raw" / BROKEN).write_bytes(b"PK\x03\x04 not a Word file")
    (data / "raw" / SLOW).write_bytes(_slow_report())
    by_spark = build_warehouse(data / "raw", data / "spark.duckdb", executor=spark, file_timeout=1.0)
    by_pool = build_warehouse(data / "raw", data / "local.duckdb", workers=1, file_timeout=1.0)
    assert sorted(name for name, _ in by_spark.errors) == [SLOW, BROKEN]
    assert sorted(by_spark.errors) == sorted(by_pool.errors)
    assert dict(by_spark.errors)[SLOW] == "cham.txt: quá thời gian trích xuất (quá 1 giây); bỏ qua tệp này"
    assert dict(by_spark.errors)[BROKEN].startswith(BROKEN)
    samples = len(list(RAW.iterdir()))
    assert by_spark.documents == samples
    failed = "SELECT file_name FROM build_sources WHERE status = 'failed' ORDER BY 1"
    assert rows(data / "spark.duckdb", failed) == [(SLOW,), (BROKEN,)]
    assert rows(data / "spark.duckdb", "SELECT count(*) FROM documents") == [(samples,)]


def test_without_pyspark_the_spark_engine_says_so_in_vietnamese_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # as when requirements-scale.txt is not installed
    db = tmp_path / "warehouse.duckdb"
    assert main(["build", "--engine", "spark", "--raw", str(RAW), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "Chưa cài pyspark" in err and "make scale" in err and "--engine local" in err
    assert not db.exists()
    with pytest.raises(SparkUnavailableError, match="Chưa cài pyspark"):
        SparkExecutor()
