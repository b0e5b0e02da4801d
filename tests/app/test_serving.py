"""Serving tables (etl/serving.py) answer each page's question as the facts do: on the samples, on a
generated warehouse, after corrections and rejections, and after an incremental build — and the
comparison notices a serving table that is wrong."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from bench.synthetic import extractions
from dashboard import kpis, queries
from dashboard.db import connect
from dashboard.filters import Filters
from dashboard.formatting import md_escape, vn_sort_key
from etl import store as etl_store
from etl.build import BuildInputs, build_from_extractions, build_warehouse, update_warehouse
from etl.catalog import default_catalog
from etl.corrections import Correction, append_corrections
from etl.importer import publish
from etl.province_scope import ProvinceScope
from tests.conftest import RAW, REPORTS, ROOT


def _filters(con: duckdb.DuckDBPyConnection) -> list[Filters]:
    """Every kind of filter a page sends, with values the warehouse holds."""
    pick = con.execute(
        "SELECT any_value(province), any_value(agency), any_value(report_type), max(year), any_value(group_code) "
        "FROM fact_view WHERE role = 'primary' AND province IS NOT NULL AND agency IS NOT NULL"
    ).fetchone()
    province, agency, report_type, year, group = pick
    named = "SELECT DISTINCT province FROM documents WHERE province IS NOT NULL ORDER BY 1 LIMIT 2"
    provinces = tuple(r[0] for r in con.execute(named).fetchall())
    merged = con.execute("SELECT any_value(new_province) FROM admin_units").fetchone()[0] or province
    low, high = con.execute("SELECT min(year), max(year) FROM facts").fetchone()
    return [
        Filters(year_from=low, year_to=high),  # every year: the figures with one
        Filters(provinces=provinces, year_from=low - 1, year_to=high + 1, groups=(group,)),
        Filters(),
        Filters(provinces=(province,), year_from=year, year_to=year),
        Filters(provinces=provinces, year_from=year - 1, year_to=year),
        Filters(agencies=(agency,)),
        Filters(report_types=(report_type,), groups=(group,)),
        Filters(provinces=(province,), agencies=(agency,), year_from=year - 3),
        Filters(units="current", provinces=(merged,)),
        Filters(units="current", year_from=year, year_to=year, groups=(group,)),
    ]


def _same(served: pd.DataFrame, asked: pd.DataFrame, key: list[str]) -> bool:
    if served.empty and asked.empty:
        return list(served.columns) == list(asked.columns)
    a, b = (f.sort_values(key).reset_index(drop=True) for f in (served, asked))
    try:
        pd.testing.assert_frame_equal(a, b)
    except AssertionError:
        return False
    return True


def mismatches(con: duckdb.DuckDBPyConnection, first: bool = False) -> list[str]:
    """Each page question whose answer from the serving tables differs from the facts' answer
    (``first``: stop at the first)."""
    assert queries.served(con)
    key_figures = tuple(queries.vocabulary(con).kpis)
    found = []
    for f in _filters(con):
        asks = {
            "Tổng quan (key figures)": (lambda k, f=f: queries.latest_facts(con, f, key_figures, 24, **k), "fact_id"),
            "So sánh (latest)": (lambda k, f=f: queries.latest_facts(con, f, **k), "fact_id"),
            "Xu hướng (series)": (lambda k, f=f: queries.facts(con, f, (key_figures[0],), **k), "fact_id"),
            "Tra cứu": (lambda k, f=f: queries.facts(con, f, (), "", None, True, **k), "fact_id"),
            "Văn bản": (lambda k, f=f: queries.documents(con, f, **k), "doc_id"),
        }
        for name, (ask, key) in asks.items():
            if not _same(ask({}), ask({"from_facts": True}), [key]):
                found.append(f"{name} under {f}")
                if first:
                    return found
    for table, view in (("serving_facts", "serving_fact_rows"), ("serving_documents", "serving_document_rows")):
        extra = con.execute(f"SELECT count(*) FROM (FROM {table} EXCEPT ALL FROM {view})").fetchone()[0]  # noqa: S608
        missing = con.execute(f"SELECT count(*) FROM (FROM {view} EXCEPT ALL FROM {table})").fetchone()[0]  # noqa: S608
        if extra or missing:
            found.append(f"{table}: {extra} rows not in the facts' answer, {missing} missing")
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated warehouse through the build's own writers (nine provinces with a key figure),
    with today's units beside it."""
    data = tmp_path_factory.mktemp("generated") / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    db = data / "warehouse.duckdb"
    build_from_extractions(BuildInputs.in_folder(data), db, extractions(18_000, default_catalog(), n_docs=1_800))
    return db


def _open(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(db)
    yield con
    con.close()


def _newest_key_figures(db: Path, n: int) -> list[tuple[str, str, str, float]]:
    """(document sha256, fact key, fact id, value) of the newest key figures, one per province and key figure."""
    con = connect(db)
    try:
        return con.execute(
            "SELECT d.sha256, s.fact_key, s.fact_id, s.value FROM serving_latest s "
            "JOIN (SELECT doc_id, sha256 FROM documents) d USING (doc_id) "
            "WHERE level = 'year' AND kpi_order IS NOT NULL AND province IS NOT NULL "
            "QUALIFY row_number() OVER (PARTITION BY province, indicator ORDER BY end_date DESC, fact_id) = 1 "
            "ORDER BY province, indicator LIMIT ?",
            [n],
        ).fetchall()
    finally:
        con.close()


def _fixes(targets: list[tuple[str, str, str, float]]) -> list[Correction]:
    """Reject the first figure, correct the value of the others."""
    return [
        Correction(doc_sha256=sha, field="status", new_value="rejected", why="đếm trùng", who="test", fact_key=key)
        if i == 0 else
        Correction(doc_sha256=sha, field="value", new_value=str(value + 7), why="đính chính", who="test",
                   fact_key=key)
        for i, (sha, key, _, value) in enumerate(targets)
    ]  # fmt: skip


def _latest_values(db: Path) -> dict[str, float]:
    con = connect(db)
    try:
        return dict(con.execute("SELECT fact_id, value FROM serving_latest").fetchall())
    finally:
        con.close()


def test_the_samples_serving_tables_answer_as_the_facts(warehouse):
    for con in _open(warehouse):
        assert mismatches(con) == []
        assert con.execute("SELECT count(*) FROM serving_latest").fetchone()[0] > 0


def test_a_generated_warehouses_serving_tables_answer_as_the_facts(generated):
    for con in _open(generated):
        assert mismatches(con) == []
        levels = dict(con.execute("SELECT level, count(*) FROM serving_latest GROUP BY 1").fetchall())
        assert set(levels) == {"key", "year", "all"} and levels["year"] < con.execute(
            "SELECT count(*) FROM serving_facts").fetchone()[0]  # fmt: skip


def test_after_corrections_and_a_rejection_the_serving_tables_follow(generated, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(generated.parent / "reference", data / "reference")
    db = data / "warehouse.duckdb"
    targets = _newest_key_figures(generated, 3)
    append_corrections(data / "corrections.jsonl", _fixes(targets))
    build_from_extractions(BuildInputs.in_folder(data), db, extractions(18_000, default_catalog(), n_docs=1_800))
    latest = _latest_values(db)
    rejected, *corrected = targets
    assert rejected[2] not in latest
    assert all(latest[fact_id] == value + 7 for _, _, fact_id, value in corrected)
    for con in _open(db):
        assert mismatches(con) == []


def test_after_a_rejection_on_the_samples_the_serving_tables_follow(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    shutil.copytree(RAW, data / "raw")
    db = data / "warehouse.duckdb"
    build_warehouse(data / "raw", db)
    targets = _newest_key_figures(db, 2)
    publish([], BuildInputs.in_folder(data), db, _fixes(targets))
    latest = _latest_values(db)
    assert targets[0][2] not in latest and latest[targets[1][2]] == targets[1][3] + 7
    for con in _open(db):
        assert mismatches(con) == []


def test_an_incremental_build_rewrites_the_touched_provinces_rows(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    shutil.copytree(RAW, data / "raw")
    raw, db = data / "raw", data / "warehouse.duckdb"
    build_warehouse(raw, db)
    rewritten: list[list] = []
    write = etl_store.write_serving

    def spy(con: duckdb.DuckDBPyConnection, scope: ProvinceScope | None = None) -> None:
        named = [] if scope is None else con.execute(f"SELECT province FROM {scope.relation}").fetchall()  # noqa: S608
        rewritten.append(None if scope is None else sorted(r[0] for r in named))
        assert scope is None or sorted(scope.named) == rewritten[-1]
        write(con, scope)

    monkeypatch.setattr(etl_store, "write_serving", spy)
    shutil.copy(REPORTS / "binh_duong_snv_cai_cach_hanh_chinh_6t_2024.txt", raw)
    (raw / "003_f5a7d10bcc5b6b47.txt").unlink()
    assert update_warehouse(raw, db) is not None
    full = tmp_path / "full.duckdb"
    build_warehouse(raw, full)
    touched = rewritten[0]
    assert touched and len(touched) < len(queries.options(connect(db)).provinces) + 1
    for table in ("serving_facts", "serving_latest", "serving_documents"):
        sql = f"SELECT * FROM {table} ORDER BY ALL"  # noqa: S608
        a, b = duckdb.connect(str(db), read_only=True), duckdb.connect(str(full), read_only=True)
        try:
            assert a.execute(sql).fetchall() == b.execute(sql).fetchall(), table
        finally:
            a.close()
            b.close()
    for con in _open(db):
        assert mismatches(con) == []


@pytest.mark.parametrize("damage", [
    "UPDATE serving_latest SET value = value + 1 WHERE fact_id = (SELECT min(fact_id) FROM serving_latest "
    "WHERE level = 'year' AND kpi_order IS NOT NULL)",
    "DELETE FROM serving_latest WHERE fact_id = (SELECT max(fact_id) FROM serving_latest WHERE level = 'key')",
    "UPDATE serving_facts SET status = 'rejected' WHERE fact_id = (SELECT min(fact_id) FROM serving_facts)",
    "UPDATE serving_documents SET facts = facts + 1 WHERE doc_id = (SELECT min(doc_id) FROM serving_documents)",
])  # fmt: skip
def test_a_wrong_serving_table_is_noticed(warehouse, tmp_path, damage):
    db = tmp_path / "damaged.duckdb"
    shutil.copy(warehouse, db)
    con = duckdb.connect(str(db))
    con.execute(damage)
    con.close()
    for con in _open(db):
        assert mismatches(con, first=True)


def test_the_national_view_draws_a_group_of_provinces_at_a_time(generated, monkeypatch):
    """Tổng quan without a province draws PROVINCES_AT_ONCE provinces' cards, the others a click away."""
    monkeypatch.setenv("WAREHOUSE", str(generated))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    for con in _open(generated):
        provinces = [md_escape(p) for p in kpis.sorted_provinces(queries.options(con).provinces)]
    drawn = [s.value for s in at.subheader]
    assert len(provinces) > kpis.PROVINCES_AT_ONCE and drawn == provinces[: kpis.PROVINCES_AT_ONCE]
    [groups] = at.button_group
    at = groups.set_value(groups.options[1]).run()
    assert [s.value for s in at.subheader] == provinces[kpis.PROVINCES_AT_ONCE : 2 * kpis.PROVINCES_AT_ONCE]


def test_xu_huong_draws_a_group_of_provinces_at_a_time_when_none_is_chosen(generated, monkeypatch):
    """630 series of 63 provinces took the server 10 s and are no picture: a group at a time."""
    monkeypatch.setenv("WAREHOUSE", str(generated))
    for con in _open(generated):  # an indicator every province reports
        [(code,)] = con.execute("SELECT indicator FROM serving_facts GROUP BY indicator "
                                "ORDER BY count(DISTINCT province) DESC, count(*) DESC LIMIT 1").fetchall()  # fmt: skip
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/xu_huong.py")
    at = at.run().multiselect(key="chi_tieu").set_value([code]).run()
    assert not at.exception
    [groups] = at.button_group
    [chart] = at.get("plotly_chart")
    drawn = {t["name"] for t in json.loads(chart.proto.spec)["data"]}
    assert 0 < len(drawn) <= kpis.PROVINCES_AT_ONCE
    assert groups.options[0].startswith(min(drawn, key=vn_sort_key))  # the first group: the first provinces
    at = groups.set_value(groups.options[-1]).run()
    [chart] = at.get("plotly_chart")
    later = {t["name"] for t in json.loads(chart.proto.spec)["data"]}
    assert later and not later & drawn


def test_tra_cuu_shows_the_first_rows_and_says_how_many_there_are(generated, monkeypatch):
    from dashboard import data

    monkeypatch.setenv("WAREHOUSE", str(generated))
    monkeypatch.setattr(data, "SHOWN", 50)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/tra_cuu.py")
    at = at.run()
    assert not at.exception
    for con in _open(generated):
        total = queries.fact_count(con, Filters(), include_rejected=True)
    assert total > 50
    [table] = at.dataframe
    assert len(table.value) == 50
    assert f"{total:,}".replace(",", ".") + " số liệu; hiện 50 số đầu" in "\n".join(c.value for c in at.caption)


def test_the_coverage_heatmap_draws_the_newest_reports_and_says_how_many_it_leaves(generated, monkeypatch):
    from dashboard import data, views

    monkeypatch.setenv("WAREHOUSE", str(generated))
    monkeypatch.setattr(views, "COVERAGE_DOCUMENTS", 40)
    data._view.clear()
    for con in _open(generated):
        newest = set(queries.coverage(con, Filters(), 40)["doc_id"])
        every = queries.coverage(con, Filters())
        total = queries.covered_documents(con, Filters())
    ends = every.groupby("doc_id")["doc_end"].max().sort_values(ascending=False)
    assert len(newest) == 40 and total == every["doc_id"].nunique() > 40
    assert min(ends[list(newest)]) >= ends.iloc[40]  # none older than a report left out
    cover = views.coverage_view(Filters())
    assert (cover.shown, cover.total) == (40, total)
    data._view.clear()
