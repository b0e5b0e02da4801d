"""The import page's way to the ETL (dashboard/importing.py): typed requests out, typed replies
back — through the real command line, and a reply off the protocol read as a system error."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from contract.messages import (
    Corrected,
    CorrectionBatch,
    CorrectionRequest,
    Failed,
    Manifest,
    Staged,
)
from dashboard import importing

REPORT = (
    "BÁO CÁO\nKết quả công tác cải cách hành chính quý I năm 2025\n\n"
    "Sở Xây dựng tỉnh Long An báo cáo kết quả quý I năm 2025 như sau:\n"
    "Trong quý I/2025, Sở đã tiếp nhận 420 hồ sơ, đã giải quyết 415 hồ sơ.\n"
).encode()


def test_a_preview_through_the_etls_command_line_comes_back_typed(tmp_path, monkeypatch):
    monkeypatch.setenv("RAW_DIR", str(tmp_path / "raw"))
    (tmp_path / "raw").mkdir()
    replies = importing.preview(
        [importing.Upload("long_an.txt", REPORT), importing.Upload("x.exe", b"MZ")], tmp_path / "w.duckdb"
    )
    assert [type(r) for r in replies] == [Staged, Failed]
    staged = replies[0]
    assert staged.file == "long_an.txt" and staged.meta.agency == "Sở Xây dựng"
    assert ("tthc_received", 420.0) in {(f.indicator, f.value) for f in staged.facts}


def test_the_requests_the_etl_is_handed_are_the_protocols(tmp_path, monkeypatch):
    handed: dict[str, object] = {}

    def fake_run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        for arg in cmd:
            for option in ("--manifest=", "--corrections=", "--file="):
                if arg.startswith(option):
                    handed[option] = json.loads(Path(arg.removeprefix(option)).read_text(encoding="utf-8"))
        out = Corrected(corrections=1, build_id="b1").to_line() + "\n"
        return subprocess.CompletedProcess(cmd, 0, stdout=out, stderr="")

    monkeypatch.setattr(importing.subprocess, "run", fake_run)
    ask = CorrectionRequest("value", doc_sha256="ab" * 32, fact_key="x@1-2", old_value="4.0", new_value="5", why="sai")
    assert importing.publish([importing.Upload("a.txt", b"x")], [ask], "A", tmp_path / "w.duckdb") == [
        Corrected(corrections=1, build_id="b1")
    ]
    assert Manifest.from_json(handed["--manifest="]).uploads[0].name == "a.txt"
    assert CorrectionBatch.from_json(handed["--corrections="]).items == (ask,)
    importing.correct([ask], "A", tmp_path / "w.duckdb")
    assert CorrectionBatch.from_json(handed["--file="]).items == (ask,)


def test_a_reply_off_the_protocol_is_logged_and_read_as_a_system_error(caplog):
    good = Corrected(corrections=2, build_id="b2").to_line()
    off = json.dumps({"type": "corrected", "version": 1, "corrections": 2})  # no build_id
    replies = importing._replies("\n".join(["tiến trình: 3/3", good, off]))
    assert replies[0] == Corrected(corrections=2, build_id="b2")
    assert isinstance(replies[1], Failed) and "lỗi hệ thống" in replies[1].error
    assert "thiếu trường 'build_id'" in caplog.text
