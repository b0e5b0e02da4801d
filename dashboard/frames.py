"""A query's rows as the DataFrame DuckDB's ``.df()`` makes, through Arrow: ``.df()`` turns every
text cell into a Python object and back (10,000 rows of 50 columns: ~100 ms), Arrow keeps the
texts in its buffers (~35 ms), the same frame either way (tests/app/test_frames.py)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

_NULLABLE = {  # what .df() makes of an Arrow column holding a NULL
    pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype(),
    pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(), pa.uint32(): pd.UInt32Dtype(),
    pa.uint64(): pd.UInt64Dtype(), pa.bool_(): pd.BooleanDtype(),
}  # fmt: skip


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> pd.DataFrame:
    """``con.execute(sql, params).df()``, made faster for wide rows of text; columns of a type
    the Arrow path does not mirror (lists, structs, times) fall back to ``.df()`` whole."""
    con.complete()  # a relation waits for the result an execute() left (a count read by fetchone)
    table = con.sql(sql, params=params or None).to_arrow_table()
    if not all(_mirrored(f.type) for f in table.schema):
        return con.execute(sql, params or []).df()
    dates = [i for i, f in enumerate(table.schema) if pa.types.is_date32(f.type)]
    for i in dates:  # as .df(): datetime64[us], not datetime.date objects
        table = table.set_column(i, table.schema.field(i).name, table.column(i).cast(pa.timestamp("us")))
    df = table.to_pandas()  # one call: a column at a time costs ~5 ms more on 50 columns
    for name in table.column_names:
        column = table.column(name)
        nullable = column.null_count > 0 and column.type in _NULLABLE
        if nullable or (_text(column.type) and column.null_count == len(column)):
            df[name] = _column(column)
    return df


def _mirrored(kind: pa.DataType) -> bool:
    return _text(kind) or pa.types.is_floating(kind) or pa.types.is_date32(kind) or kind in _NULLABLE


def _text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _column(column: pa.ChunkedArray) -> object:
    """A column holding a NULL as ``.df()`` makes it: an integer or boolean one as pandas' nullable
    type, a text one of NULLs only (or of no rows) as objects (None)."""
    kind = column.type
    if kind in _NULLABLE and column.null_count:
        return column.to_pandas(types_mapper={kind: _NULLABLE[kind]}.get)
    if _text(kind) and column.null_count == len(column):
        return pd.Series([None] * len(column), dtype=object)
    return column.to_pandas()
