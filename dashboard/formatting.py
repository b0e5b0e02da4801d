"""Vietnamese display: 1.234.567; 12,5%; dd/mm/yyyy, whatever the browser's locale."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd


def vn_number(value: float | int | None, decimals: int = 0) -> str:
    """1234567 -> '1.234.567'; 12.5 with decimals=1 -> '12,5'; None -> ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def vn_value(value: float | None, unit: str = "") -> str:
    """A figure as officials write it: whole numbers without decimals, rates with a comma."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    decimals = 0 if float(value).is_integer() else (1 if abs(value) >= 10 or unit == "%" else 2)
    text = vn_number(value, decimals)
    return f"{text}%" if unit == "%" else text


def vn_date(value: date | datetime | pd.Timestamp | None) -> str:
    """2024-07-31 -> '31/07/2024'."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    return pd.Timestamp(value).strftime("%d/%m/%Y")
