"""A correction in the words an official reads — "Giá trị 30.000 → 31.000", "Trạng thái: đã
trích xuất → đã loại", the indicator by its name — for the pending list and the history.

The log keeps the ETL's field names and raw values; only this module turns them into words.
"""

from __future__ import annotations

from contract import STATUS_LABELS
from dashboard.formatting import vn_date, vn_value

FIELD_LABELS = {
    "value": "Giá trị",
    "indicator": "Chỉ tiêu",
    "status": "Trạng thái",
    "period_start": "Từ ngày",
    "period_end": "Đến ngày",
    "as_of": "Tại ngày",
    "assign": "Gán chỉ tiêu",
    "province": "Tỉnh, thành phố",
    "agency": "Cơ quan",
    "report_type": "Loại báo cáo",
    "period_label": "Kỳ báo cáo",
}
_DATES = ("period_start", "period_end", "as_of")
_EMPTY = "(trống)"


def _number(text: object, unit: str) -> str:
    """'30000.5' -> '30.000,5': a logged value as officials write it (text that is no number stays)."""
    try:
        return vn_value(float(str(text).replace(",", ".")), unit)
    except ValueError:
        return str(text)


def _date(text: object) -> str:
    """'2024-05-31' -> '31/05/2024'; text that is no date stays as it is."""
    try:
        return vn_date(str(text))
    except ValueError:
        return str(text)


def _words(field: str, value: object, labels: dict[str, str], report_types: dict[str, str], unit: str) -> str:
    """One side of a change (the old or the new value) in words."""
    if value is None or value == "" or value != value:  # None, empty or NaN: nothing there
        return _EMPTY
    if field == "value":
        return _number(value, unit)
    if field in _DATES:
        return _date(value)
    if field == "status":
        return STATUS_LABELS.get(str(value), str(value))
    if field in ("indicator", "assign"):
        return labels.get(str(value), str(value))
    if field == "report_type":
        return report_types.get(str(value), str(value))
    return str(value)


def change_text(
    field: str,
    old: object,
    new: object,
    labels: dict[str, str],
    report_types: dict[str, str] | None = None,
    unit: str = "",
) -> str:
    """'Giá trị 30.000 → 31.000', 'Trạng thái: đã trích xuất → đã loại', 'Gán chỉ tiêu: 17 chuyến → …'."""
    before, after = (_words(field, v, labels, report_types or {}, unit) for v in (old, new))
    if field == "assign":
        before = str(old) if old else _EMPTY  # the unassigned figure as its words ("17 chuyến")
    name = FIELD_LABELS.get(field, field)
    return f"{name} {before} → {after}" if field == "value" else f"{name}: {before} → {after}"


def target_text(fact_key: object, labels: dict[str, str]) -> str:
    """What a correction concerns: the figure's indicator by name, a not-yet-assigned figure, or
    the report's own details."""
    if not isinstance(fact_key, str) or not fact_key:
        return "Thông tin văn bản"
    if fact_key.startswith("mention@"):
        return "Số liệu chưa gán chỉ tiêu"
    code = fact_key.split("@", 1)[0]
    return labels.get(code, code)
