"""Reference tables beside the reports (data/reference/): official index ranks, the 2025
province merger, the agency lineage and the expected reporting schedule.

Adding a published rank or a reporting regime is a row in a CSV and a rebuild. A build reads
each file once and fingerprints the very bytes it loaded, so a hand edit during a build is
either in the build and its fingerprint or in neither (and then makes the next build full).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["REFERENCE_FILES", "ReferenceSnapshot", "load_reference", "read_reference"]

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


@dataclass(frozen=True)
class ReferenceSnapshot:
    """The reference tables as one build read them: the bytes of each file (None: missing), the
    tables parsed from exactly those bytes, and their fingerprint."""

    data: dict[str, bytes | None]
    tables: dict[str, pd.DataFrame]

    @property
    def sha256(self) -> str:
        h = hashlib.sha256()
        for name, (file, _) in REFERENCE_FILES.items():
            h.update(file.encode())
            h.update(self.data[name] or b"")
        return h.hexdigest()


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _parse(name: str, data: bytes | None, columns: list[str]) -> pd.DataFrame:
    if data is None:
        return pd.DataFrame(columns=columns)
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: thiếu cột {', '.join(missing)}")
    return frame[columns].replace({"": None})


def read_reference(folder: Path) -> ReferenceSnapshot:
    """Read each reference file once; a missing file gives an empty table, a malformed one an error."""
    data = {name: _bytes(folder / file) for name, (file, _) in REFERENCE_FILES.items()}
    tables = {name: _parse(file, data[name], cols) for name, (file, cols) in REFERENCE_FILES.items()}
    ref = tables["reference_indices"].rename(columns={"index": "index_code"})
    ref["year"] = pd.to_numeric(ref["year"]).astype("Int64")
    ref["rank"] = pd.to_numeric(ref["rank"]).astype("Int64")
    ref["of_n"] = pd.to_numeric(ref["of_n"]).astype("Int64")
    ref["score"] = pd.to_numeric(ref["score"])
    ref["is_derived"] = ref["is_derived"].str.lower().eq("true")
    tables["reference_indices"] = ref
    for name in ("admin_units", "agency_lineage"):
        tables[name]["effective_date"] = pd.to_datetime(tables[name]["effective_date"]).dt.date
    return ReferenceSnapshot(data, tables)


def load_reference(folder: Path) -> dict[str, pd.DataFrame]:
    """The reference tables, typed (one read of each file)."""
    return read_reference(folder).tables
