"""Corrections survive a change to the extractor, in real builds of the sample reports.

Editors correct figures through `python -m etl correct` (and one old line is in the log); then the
extractor changes — every quote runs on to the next word, and one rule is retired, so one
corrected figure is no longer read. The next full build applies each correction to its figure's
new span and reports the one whose figure is gone, naming the file (build warnings, findings,
`python -m etl check`). An incremental build that reads a copy of a corrected report applies and
reports exactly what a full build of the same folder does."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from contract.messages import BuildWarning, parse_line
from etl import transform
from etl.build import build_warehouse, update_warehouse
from etl.cli import _warn as warn
from etl.cli import main as cli
from etl.corrections import fact_key, read_corrections
from etl.pipeline import Extraction
from tests.conftest import rows
from tests.reliability.sites import make_site

LOG = "corrections.jsonl"
_NEXT_WORD = re.compile(r"[ \t]*[^\s]+")


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A site whose editors corrected four figures of four reports under today's extractor."""
    folder = tmp_path_factory.mktemp("remap")
    raw, db = make_site(folder)
    build_warehouse(raw, db)
    found = rows(db, """
        SELECT f.doc_id, d.sha256, f.fact_key, f.value FROM facts f JOIN documents d USING (doc_id)
        WHERE f.role = 'primary' AND f.status = 'extracted'
        QUALIFY row_number() OVER (PARTITION BY f.doc_id ORDER BY f.char_start) = 1
        ORDER BY f.doc_id LIMIT 4""")  # fmt: skip
    assert len(found) == 4
    names = ("value", "rejected", "period", "retired")
    columns = ("doc_id", "sha", "key", "value")
    figures = {n: dict(zip(columns, f, strict=True)) for n, f in zip(names, found, strict=True)}
    value = figures["value"]["value"]
    fixes = [
        {"doc_sha256": figures["value"]["sha"], "fact_key": figures["value"]["key"], "field": "value",
         "new_value": str(value + 7), "old_value": str(value), "why": "đính chính"},
        {"doc_sha256": figures["rejected"]["sha"], "fact_key": figures["rejected"]["key"], "field": "status",
         "new_value": "rejected", "old_value": "extracted", "why": "đếm trùng"},
        {"doc_sha256": figures["retired"]["sha"], "fact_key": figures["retired"]["key"], "field": "status",
         "new_value": "rejected", "old_value": "extracted", "why": "đếm trùng"},
    ]  # fmt: skip
    (folder / "sua.json").write_text(json.dumps(fixes, ensure_ascii=False), encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli(["correct", "--file", str(folder / "sua.json"), "--raw", str(raw), "--db", str(db)]) == 0
    old = {
        "doc_sha256": figures["period"]["sha"],
        "field": "period_end",
        "new_value": "2025-06-30",
        "why": "kỳ sai",
        "who": "Kiểm thử",
        "fact_key": figures["period"]["key"],
        "old_value": None,
    }  # a line of an older writer
    with (raw.parent / LOG).open("a", encoding="utf-8") as log:
        log.write(json.dumps(old, ensure_ascii=False) + "\n")
    return folder, figures


def changed(ex: Extraction, retired: tuple[str, str]) -> Extraction:
    """The extraction a changed extractor makes: every quote runs on to the next word, and the
    figure of ``retired`` (sha256, key) is no longer read (its rule was retired)."""
    text, facts = ex.source.text, []
    for f in ex.facts:
        if (ex.source.sha256, fact_key(f)) == retired:
            continue
        word = _NEXT_WORD.match(text, f.char_end)
        end = word.end() if word else f.char_end
        facts.append(replace(f, char_end=end, quote=text[f.char_start : end]))
    return replace(ex, facts=tuple(facts))


@contextmanager
def new_extractor(figures: dict) -> Iterator[None]:
    """Builds in this process (one worker, few files) read the reports with the changed extractor."""
    real = transform.process_file
    retired = (figures["retired"]["sha"], figures["retired"]["key"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transform, "process_file", lambda *a, **k: changed(real(*a, **k), retired))
        yield


def _copy(folder: Path, tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(folder / "data", tmp_path / "data")
    return tmp_path / "data" / "raw", tmp_path / "data" / "w.duckdb"


def figure(db: Path, doc_id: str, key: str) -> tuple:
    """(fact key now, value, status, period end) of the figure whose key was ``key`` (same start, same indicator)."""
    indicator, span = key.split("@")
    start = int(span.split("-")[0])
    found = rows(db, f"""SELECT fact_key, value, status, period_end FROM facts
                         WHERE doc_id = '{doc_id}' AND extracted_indicator = '{indicator}' AND char_start = {start}
                         AND role = 'primary'""")  # fmt: skip
    assert len(found) == 1, found
    return found[0]


def test_editors_corrections_record_their_figure(corrected):
    folder, figures = corrected
    log = read_corrections(folder / "data" / LOG)
    assert log.problems == [] and len(log.corrections) == 4
    recorded = [c for c in log.corrections if c.num_start is not None]
    assert len(recorded) == 3 and all(c.quote and c.num_value for c in recorded)
    (old,) = [c for c in log.corrections if c.num_start is None]
    assert old.field == "period_end" and old.fact_key == figures["period"]["key"]


def test_corrections_follow_their_figures_through_a_change_of_extractor(corrected, tmp_path):
    folder, figures = corrected
    raw, db = _copy(folder, tmp_path)
    with new_extractor(figures):
        report = build_warehouse(raw, db)
    now = {n: figure(db, figures[n]["doc_id"], figures[n]["key"]) for n in ("value", "rejected", "period")}
    value, rejected, period = now["value"], now["rejected"], now["period"]
    assert value[0] != figures["value"]["key"], "the span moved"
    assert (value[1], value[2]) == (figures["value"]["value"] + 7, "corrected")
    assert rejected[2] == "rejected" and rejected[0] != figures["rejected"]["key"]
    assert period[3] == date(2025, 6, 30) and period[2] == "corrected"
    applied = dict(rows(db, "SELECT fact_key, applied_key FROM corrections WHERE applied"))
    assert applied == {figures[n]["key"]: key for n, (key, *_) in now.items()}
    retired = figures["retired"]
    (warning,) = report.warnings
    assert warning.startswith(f"{retired['doc_id']}: Sửa đổi «loại bỏ» cho số liệu «")
    assert "không còn áp dụng được" in warning and report.orphans == [(retired["doc_id"], warning.split(": ", 1)[1])]
    message = report.orphans[0][1]
    assert rows(db, "SELECT doc_ids, message FROM findings WHERE check_id = 'corrections_orphan'") == [
        ([retired["doc_id"]], message)
    ]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli(["check", "--db", str(db)])
    assert f"corrections_orphan: Sửa đổi không còn áp dụng được — {message} ({retired['doc_id']})" in out.getvalue()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        warn(argparse.Namespace(json=True), report)  # what the import page reads after a publish
    assert [parse_line(x) for x in out.getvalue().splitlines()] == [
        BuildWarning(file=LOG, message=message, doc_id=retired["doc_id"])
    ]


def _state(db: Path) -> dict[str, object]:
    """What a build made of the corrections: every figure's value, status and period, the
    corrections applied and where, the orphans reported."""
    return {
        "facts": sorted(rows(db, "SELECT doc_id, fact_key, value, status, period_end FROM facts")),
        "corrections": sorted(rows(db, "SELECT correction_id, applied, applied_key FROM corrections")),
        "orphans": sorted(rows(db, "SELECT doc_ids, message FROM findings WHERE check_id = 'corrections_orphan'")),
    }


def test_an_incremental_build_applies_and_reports_what_a_full_build_does(corrected, tmp_path):
    folder, figures = corrected
    raw, db = _copy(folder, tmp_path)
    rejected = figures["rejected"]["doc_id"]
    aside = tmp_path / rejected
    (raw / rejected).rename(aside)  # not there at the first build: its correction not applied yet
    with new_extractor(figures):
        build_warehouse(raw, db)
        assert rows(db, "SELECT count(*) FROM corrections WHERE NOT applied") == [(2,)]
        aside.rename(raw / rejected)
        for name in ("value", "retired"):  # the same reports again under other names: read by the incremental build
            shutil.copy(raw / figures[name]["doc_id"], raw / f"ban_sao_{figures[name]['doc_id']}")
        incremental = update_warehouse(raw, db)
        full_db = db.with_name("full.duckdb")
        full = build_warehouse(raw, full_db)
    assert incremental is not None and incremental.mode == "incremental" and incremental.changed == 3
    assert _state(db) == _state(full_db)
    assert rows(db, "SELECT count(*) FROM corrections WHERE NOT applied") == [(1,)]  # the retired figure's
    assert sorted(incremental.warnings) == sorted(full.warnings) and len(full.warnings) == 2
    assert any(w.startswith(f"ban_sao_{figures['retired']['doc_id']}: Sửa đổi «loại bỏ»") for w in full.warnings)
    copy = figure(db, f"ban_sao_{figures['value']['doc_id']}", figures["value"]["key"])
    assert (copy[1], copy[2]) == (figures["value"]["value"] + 7, "corrected")
    assert figure(db, rejected, figures["rejected"]["key"])[2] == "rejected"


def test_a_report_removed_takes_its_orphan_and_its_remapped_correction_with_it(corrected, tmp_path):
    """The store drops a removed report's orphan findings with its rows and keeps those of the
    reports it did not read again; a correction that followed its figure stays applied, with its
    key, while a copy of its report is left: every table as a full build of the same folder."""
    from tests.etl.test_store import _differences

    folder, figures = corrected
    raw, db = _copy(folder, tmp_path)
    for name in ("value", "retired"):
        shutil.copy(raw / figures[name]["doc_id"], raw / f"ban_sao_{figures[name]['doc_id']}")
    with new_extractor(figures):
        build_warehouse(raw, db)
        assert rows(db, "SELECT count(*) FROM findings WHERE check_id = 'corrections_orphan'") == [(2,)]
        for name in ("value", "retired"):
            (raw / figures[name]["doc_id"]).unlink()
        incremental = update_warehouse(raw, db)
        full_db = db.with_name("full.duckdb")
        full = build_warehouse(raw, full_db)
    assert incremental is not None and incremental.mode == "incremental" and incremental.changed == 2
    assert {t: d for t, d in _differences(db, full_db).items() if d != (0, 0)} == {}
    retired = f"ban_sao_{figures['retired']['doc_id']}"
    assert incremental.orphans == full.orphans and [d for d, _ in full.orphans] == [retired]
    moved = rows(db, f"SELECT applied, applied_key FROM corrections WHERE fact_key = '{figures['value']['key']}'")  # noqa: S608
    assert moved == [(True, figure(db, f"ban_sao_{figures['value']['doc_id']}", figures["value"]["key"])[0])]
