"""etl.serving writes under a lowered memory limit, never a raised one, then DuckDB's default again."""

import duckdb
import pytest

from etl import serving


def _limit(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_the_limit_is_lowered_inside_and_the_default_after() -> None:
    con = duckdb.connect()
    default = _limit(con)
    with serving._memory_limit(con, "1 GiB"):
        assert _limit(con) == "1.0 GiB"
    assert _limit(con) == default


def test_a_lower_limit_is_left_as_it_is() -> None:
    con = duckdb.connect()
    con.execute("SET memory_limit = '500MB'")
    with serving._memory_limit(con, "1 GiB"):
        assert _limit(con) == "476.8 MiB"
    assert _limit(con) == "476.8 MiB"


def test_the_default_comes_back_when_the_write_fails() -> None:
    con = duckdb.connect()
    default = _limit(con)
    with pytest.raises(duckdb.CatalogException), serving._memory_limit(con, "1 GiB"):
        con.execute("SELECT * FROM no_such_table")
    assert _limit(con) == default
