"""The provinces a recheck rewrites, as one typed value: its own relation, its clause, its removal."""

from __future__ import annotations

import duckdb
import pytest

from etl.province_scope import ProvinceScope


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE documents AS SELECT * FROM (VALUES ('a', 'Tây Ninh'), ('b', 'Bắc Ninh'), "
                "('c', NULL), ('d', 'Vĩnh Long')) t(doc_id, province)")  # fmt: skip
    return con


def _ids(con: duckdb.DuckDBPyConnection, scope: ProvinceScope) -> list[str]:
    return [r[0] for r in con.execute(f"SELECT doc_id FROM documents WHERE {scope.where} ORDER BY 1").fetchall()]  # noqa: S608


def test_the_clause_holds_the_named_provinces_and_a_report_naming_none_only_when_asked(con):
    with ProvinceScope(con, ["Tây Ninh", None]) as scope:
        assert _ids(con, scope) == ["a", "c"]
    with ProvinceScope(con, ["Tây Ninh", "Vĩnh Long"]) as scope:
        assert _ids(con, scope) == ["a", "d"]
        assert scope.named == ["Tây Ninh", "Vĩnh Long"]


def test_two_scopes_each_read_their_own_relation_and_leave_none_behind(con):
    with ProvinceScope(con, ["Tây Ninh"]) as outer, ProvinceScope(con, ["Bắc Ninh"]) as inner:
        assert outer.relation != inner.relation
        assert (_ids(con, outer), _ids(con, inner)) == (["a"], ["b"])
    with pytest.raises(duckdb.CatalogException):
        con.execute(f"SELECT * FROM {outer.relation}")  # noqa: S608
    with pytest.raises(duckdb.CatalogException):
        _ids(con, outer)  # its clause read after the step: loudly, never another relation


def test_the_relation_goes_even_when_the_step_fails(con):
    with pytest.raises(ValueError, match="boom"), ProvinceScope(con, ["Tây Ninh"]) as scope:
        raise ValueError("boom")
    with pytest.raises(duckdb.CatalogException):
        con.execute(f"SELECT * FROM {scope.relation}")  # noqa: S608
