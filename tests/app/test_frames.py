"""dashboard.frames.frame makes the frame DuckDB's .df() makes, on the facts' column types."""

import duckdb
import pandas as pd
import pytest

from dashboard.frames import frame

_ROWS = """
    SELECT * FROM (VALUES
        (1::INTEGER, 1::INTEGER, TRUE, NULL::BOOLEAN, FALSE, 1.5::DOUBLE, NULL::VARCHAR, 'hồ sơ', NULL::DATE,
         DATE '2024-06-30', 5::BIGINT, NULL::BIGINT, 'a'),
        (2, NULL, NULL, NULL, TRUE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'b')
    ) t(whole, holed, flag, no_flag, full_flag, value, no_text, text, no_date, day, big, no_big, code)
"""


@pytest.mark.parametrize("where", ["TRUE", "code = 'a'", "FALSE"])
def test_frame_equals_df(where: str) -> None:
    con = duckdb.connect()
    sql = f"SELECT * FROM ({_ROWS}) WHERE {where}"
    made = frame(con, sql)
    pd.testing.assert_frame_equal(made, con.execute(sql).df())
    assert list(made.columns) == ["whole", "holed", "flag", "no_flag", "full_flag", "value", "no_text", "text",
                                  "no_date", "day", "big", "no_big", "code"]  # fmt: skip


def test_frame_binds_parameters_and_falls_back_on_lists() -> None:
    con = duckdb.connect()
    assert frame(con, "SELECT ?::VARCHAR AS name", ["Tây Ninh"])["name"].tolist() == ["Tây Ninh"]
    listed = frame(con, "SELECT [1, 2] AS codes, 'x' AS name")
    pd.testing.assert_frame_equal(listed, con.execute("SELECT [1, 2] AS codes, 'x' AS name").df())


def test_frame_after_a_result_read_in_part() -> None:
    con = duckdb.connect()
    assert con.execute("SELECT 1 UNION ALL SELECT 2").fetchone() == (1,)
    assert frame(con, "SELECT 3 AS n")["n"].tolist() == [3]
