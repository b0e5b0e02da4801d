"""Chất lượng dữ liệu: the findings an official narrows by severity and check, their counts,
and the finding a link or a click opens."""

from __future__ import annotations

import pandas as pd


def narrow(found: pd.DataFrame, severities: list[str], checks: list[str]) -> pd.DataFrame:
    """The findings of the chosen severities and checks (none chosen: all)."""
    rows = found
    if severities:
        rows = rows[rows["severity"].isin(severities)]
    if checks:
        rows = rows[rows["title"].isin(checks)]
    return rows


def severity_counts(found: pd.DataFrame, severities: dict[str, str]) -> dict[str, int]:
    """How many findings of each severity (code -> count, every severity of the vocabulary)."""
    return {s: int((found["severity"] == s).sum()) if not found.empty else 0 for s in severities}


def check_titles(found: pd.DataFrame) -> list[str]:
    return sorted(found["title"].unique()) if not found.empty else []


def opened(rows: pd.DataFrame, clicked: list[int], asked: str | None) -> pd.Series | None:
    """The finding to open: the row clicked, else the one a link names (``?phat_hien=<id>``)."""
    if clicked:
        return rows.iloc[clicked[0]]
    ids = list(rows["finding_id"])
    return rows.iloc[ids.index(asked)] if asked in ids else None


def link_notice(asked: str | None, shown: pd.DataFrame, every: pd.DataFrame) -> str | None:
    """What to say when a link's ``?phat_hien=`` opens nothing: the finding is outside the filters,
    or no finding has that id (an old link after a rebuild, or a mistyped one). Plain text."""
    if not asked or asked in set(shown["finding_id"]):
        return None
    if asked in set(every["finding_id"]):
        return "Phát hiện trong đường dẫn không thuộc bộ lọc đang chọn: bỏ bớt bộ lọc để xem."
    return ("Không có phát hiện nào mang mã trong đường dẫn (đường dẫn cũ hoặc gõ sai); "
            "các phát hiện hiện có ở bảng dưới.")
