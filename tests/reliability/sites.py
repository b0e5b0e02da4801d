"""A data folder like the product's (reference tables, raw reports) for the reliability tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import RAW


def make_site(folder: Path, copies: int = 0) -> tuple[Path, Path]:
    """The samples (and ``copies`` more of each) in ``folder/data/raw``; the warehouse path beside."""
    data = folder / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    raw = data / "raw"
    raw.mkdir(parents=True)
    for f in sorted(RAW.glob("*.txt")):
        shutil.copy(f, raw / f.name)
        for i in range(copies):
            shutil.copy(f, raw / f"{i:03d}_{f.name}")
    return raw, data / "w.duckdb"
