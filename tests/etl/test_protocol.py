"""The ETL's end of the import page's protocol (etl/protocol.py, etl/cli.py): uploads and
corrections read from the page's typed requests, replies written as the page reads them."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from contract.messages import (
    CorrectionBatch,
    CorrectionRequest,
    Duplicate,
    Failed,
    Manifest,
    ManifestEntry,
    MessageError,
    Staged,
    parse_line,
)
from etl.cli import main as cli
from etl.importer import stage
from etl.protocol import corrections_of, document_fields, read_corrections_file, read_manifest, staged_reply

REPORT = (
    "BÁO CÁO\nKết quả công tác cải cách hành chính quý I năm 2025\n\n"
    "Sở Xây dựng tỉnh Long An báo cáo kết quả quý I năm 2025 như sau:\n"
    "Trong quý I/2025, Sở đã tiếp nhận 420 hồ sơ, đã giải quyết 415 hồ sơ.\n"
).encode()


def test_an_upload_is_told_as_staged_duplicate_or_failed(tmp_path):
    read = staged_reply(stage("long_an.txt", REPORT, tmp_path, known={}))
    assert isinstance(read, Staged) and read.file == "long_an.txt" and read.meta.province == "Long An"
    assert {(f.indicator, f.value, f.extractor) for f in read.facts} >= {("tthc_received", 420.0, "rules")}
    assert parse_line(read.to_line()) == read
    again = staged_reply(stage("lan_2.txt", REPORT, tmp_path, known={read.sha256: "imports/x__long_an.txt"}))
    assert again == Duplicate(file="lan_2.txt", duplicate_of="imports/x__long_an.txt")
    refused = staged_reply(stage("virus.exe", b"MZ", tmp_path, known={}))
    assert isinstance(refused, Failed) and "chỉ nhận tệp" in refused.error


def test_the_document_fields_are_extract_jsons_document_line(tmp_path):
    ex = stage("long_an.txt", REPORT, tmp_path, known={}).extraction
    out = io.StringIO()
    path = tmp_path / "long_an.txt"
    path.write_bytes(REPORT)
    with contextlib.redirect_stdout(out):
        cli(["extract", "--json", str(path)])
    line = json.loads(out.getvalue().splitlines()[0])
    assert line == {"type": "document", **document_fields(ex.meta).to_json()}
    assert list(line)[:3] == ["type", "doc", "province"]


def test_corrections_are_read_from_the_pages_batch_or_a_hand_written_list(tmp_path):
    items = (
        CorrectionRequest("value", doc_sha256="ab" * 32, fact_key="x@1-2", new_value="40", why="đính chính"),
        CorrectionRequest("assign", file="bc.txt", mention_key="mention@3-9", new_value="staff_total", why="gán"),
    )
    batch, bare = tmp_path / "batch.json", tmp_path / "bare.json"
    batch.write_text(CorrectionBatch(items).to_line(), encoding="utf-8")
    bare.write_text(json.dumps([i.to_json() for i in items]), encoding="utf-8")
    assert read_corrections_file(batch) == read_corrections_file(bare) == items
    made = corrections_of(items, "Nguyễn A", {"bc.txt": "cd" * 32})
    assert [(c.doc_sha256, c.fact_key, c.who) for c in made] == [
        ("ab" * 32, "x@1-2", "Nguyễn A"),
        ("cd" * 32, "mention@3-9", "Nguyễn A"),
    ]
    with pytest.raises(MessageError, match="sửa đổi không rõ văn bản"):
        corrections_of((CorrectionRequest("value", file="khong_co.txt"),), "A", {})


def test_a_request_naming_its_figure_is_logged_with_it():
    """num_start, num_value and quote travel in the typed request onto the correction (a value
    stated as a number is kept as text, as the log keeps it); a request without them has none."""
    named = CorrectionRequest("value", doc_sha256="ab" * 32, fact_key="x@1-12", old_value="1204.0", new_value="1250",
                              why="đính chính", num_start=4, num_value=1204, quote="tiếp nhận 1.204")  # fmt: skip
    plain = CorrectionRequest("status", doc_sha256="ab" * 32, fact_key="x@1-12", new_value="rejected", why="trùng")
    made = corrections_of((named, plain), "Nguyễn A", {})
    assert [(c.num_start, c.num_value, c.quote) for c in made] == [(4, "1204", "tiếp nhận 1.204"), (None, None, None)]


def test_a_manifest_names_its_uploads_and_nothing_else(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(Manifest((ManifestEntry("Báo cáo.docx", "/tmp/000.bin"),)).to_line(), encoding="utf-8")
    assert read_manifest(path) == (ManifestEntry("Báo cáo.docx", "/tmp/000.bin"),)
    path.write_text(json.dumps([{"name": "a.txt", "path": "/tmp/a"}]), encoding="utf-8")  # the old, untyped list
    with pytest.raises(MessageError, match="cần một đối tượng JSON, nhận list"):
        read_manifest(path)


def test_the_command_line_refuses_corrections_off_the_protocol_naming_the_field(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    wrong = tmp_path / "sua.json"
    wrong.write_text(json.dumps([{"doc_sha256": "ab" * 32, "field": "value", "new_value": "4", "ly_do": "?"}]))
    with pytest.raises(SystemExit, match=r"sua\.json: .*corrections\.items\[0\]: trường lạ 'ly_do'"):
        cli(["correct", "--file", str(wrong), "--raw", str(raw), "--db", str(tmp_path / "w.duckdb")])
    assert not (tmp_path / "corrections.jsonl").exists(), "nothing logged"
