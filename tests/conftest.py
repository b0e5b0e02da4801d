"""Shared fixtures: the project's own code builds every test warehouse."""

from __future__ import annotations

import shutil
import sys
import unicodedata
from pathlib import Path

import duckdb
import pytest

from etl.catalog import Catalog, default_catalog
from etl.pipeline import Extraction, process_bytes

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
REPORTS = Path(__file__).parent / "etl" / "reports"
GOLD = Path(__file__).parent / "etl" / "gold"


@pytest.fixture(autouse=True)
def _keep_main_module():
    """Streamlit's AppTest leaves ``sys.modules['__main__']`` pointing at app.py; processes a later
    test spawns would then re-run the app instead of their own target."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture(scope="session")
def seed_files() -> list[Path]:
    files = sorted(RAW.glob("*.txt"))
    assert len(files) == 5, "data/raw must ship the five sample reports"
    return files


def cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does (as Word wrote it): letters like ơ, â composed, tone marks as
    combining marks — what the readers must recognise and turn back into Unicode."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            tones = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
            letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in tones))
            out += (letter + "".join(tones)).encode("cp1258")
    return bytes(out)


def rows(db: Path, sql: str) -> list[tuple]:
    """Query a warehouse file read-only, as the dashboard does, and close it again."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def make_report(body: str, title: str = "Kết quả công tác năm 2024", name: str = "phrase.txt") -> Extraction:
    """A minimal report around ``body``, run through the whole pipeline."""
    text = f"BÁO CÁO\n{title}\n\n{body}\n"
    return process_bytes(name, text.encode("utf-8"))


@pytest.fixture(scope="session")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped samples plus the test reports in other phrasings, with the reference tables beside."""
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(RAW.parent / "reference", data / "reference")
    raw = data / "raw"
    raw.mkdir()
    for f in sorted(RAW.glob("*.txt")):
        shutil.copy(f, raw / f.name)
    for f in sorted(REPORTS.glob("*.*")):
        if f.suffix in (".txt", ".md"):
            shutil.copy(f, raw / f.name)
    return raw


@pytest.fixture(scope="session")
def warehouse(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from etl.build import build_warehouse

    db = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    report = build_warehouse(raw_dir, db)
    assert not report.errors, report.errors
    return db


def golden_fact_key(doc: str, indicator: str, value: float) -> str:
    """The key a correction names a sample's figure by (indicator@span), read from its golden file so
    tests follow the extraction when a figure's quoted span changes."""
    import json

    path = ROOT / "tests" / "etl" / "golden" / f"{doc}.facts.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        primary = row.get("role") == "primary" and row.get("indicator") == indicator
        if primary and float(row.get("value", "nan")) == value:
            return f"{indicator}@{row['char_start']}-{row['char_end']}"
    raise KeyError(f"{doc}: no primary {indicator} = {value} in its golden file")
