"""Reference tables beside the reports (data/reference/): official index ranks, the 2025
province merger, the agency lineage and the expected reporting schedule.

Adding a published rank or a reporting regime is a row in a CSV and a rebuild.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["REFERENCE_FILES", "load_reference"]

# table -> (file, columns it must have)
REFERENCE_FILES: dict[str, tuple[str, list[str]]] = {
    "reference_indices": (
        "reference_index.csv",
        ["province", "index", "year", "rank", "of_n", "score", "is_derived", "source_url"],
    ),
    "admin_units": ("admin_units_2025.csv", ["old_province", "new_province", "effective_date", "note"]),
    "agency_lineage": ("agency_lineage_2025.csv", ["old_agency", "new_agency", "effective_date", "note"]),
    "report_schedule": (
        "report_schedule.csv",
        ["report_type", "frequency", "period", "data_from", "data_to", "deadline", "legal_basis", "note"],
    ),
}


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame(columns=columns)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{path.name}: thiếu cột {', '.join(missing)}")
    return frame[columns].replace({"": None})


def load_reference(folder: Path) -> dict[str, pd.DataFrame]:
    """The reference tables, typed; a missing file gives an empty table, a malformed one an error."""
    tables = {name: _read(folder / file, cols) for name, (file, cols) in REFERENCE_FILES.items()}
    ref = tables["reference_indices"].rename(columns={"index": "index_code"})
    ref["year"] = pd.to_numeric(ref["year"]).astype("Int64")
    ref["rank"] = pd.to_numeric(ref["rank"]).astype("Int64")
    ref["of_n"] = pd.to_numeric(ref["of_n"]).astype("Int64")
    ref["score"] = pd.to_numeric(ref["score"])
    ref["is_derived"] = ref["is_derived"].str.lower().eq("true")
    tables["reference_indices"] = ref
    for name in ("admin_units", "agency_lineage"):
        tables[name]["effective_date"] = pd.to_datetime(tables[name]["effective_date"]).dt.date
    return tables
