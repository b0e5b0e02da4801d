"""What every view of a figure needs: the date it refers to, its period's length, its
finding's mark, and its report's citation."""

from __future__ import annotations

import pandas as pd

from dashboard.formatting import (
    citation,
)

NOT_REPORTED = "không báo cáo"

SEVERITY_ICONS = {"loi": "✖", "canh_bao": "⚠", "thong_tin": "ℹ"}


def absent(value: object) -> bool:
    """None, NaN or pandas' NA: a warehouse NULL as pandas hands it over."""
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def is_true(value: object) -> bool:
    """A warehouse BOOLEAN as pandas hands it over (numpy's True is not ``True``)."""
    return not absent(value) and bool(value)


def labels_of(df: pd.DataFrame, column: str = "finding_label") -> list[object]:
    """The rows' severity labels (None where a frame has no such column)."""
    return list(df[column]) if column in df else [None] * len(df)


def ends(df: pd.DataFrame) -> pd.Series:
    """The date each figure refers to: its as-of date, else the end of its period."""
    return pd.to_datetime(df["as_of"]).fillna(pd.to_datetime(df["period_end"]))


def length_days(row: pd.Series | dict) -> int | None:
    if pd.isna(row["period_start"]) or pd.isna(row["period_end"]):
        return None
    return (pd.Timestamp(row["period_end"]) - pd.Timestamp(row["period_start"])).days


def citations(df: pd.DataFrame, width: int | None = 70) -> list[str]:
    """Each row's document named as officials cite it (computed once per document)."""
    if df.empty:
        return []
    columns = [c for c in ("report_number", "report_date", "agency", "province", "title", "period_label",
                           "file_name") if c in df]  # fmt: skip
    docs = df.drop_duplicates("doc_id")[["doc_id", *columns]].to_dict("records")
    names = {row["doc_id"]: citation(row, width) for row in docs}
    return [names[d] for d in df["doc_id"]]


def finding_mark(severity: object, label: object = None) -> str:
    """'✖ Lỗi' for a figure with an open finding (``label``: the warehouse's word for the
    severity), '' otherwise."""
    if absent(severity):
        return ""
    return f"{SEVERITY_ICONS.get(str(severity), '')} {str(severity) if absent(label) else str(label)}"
