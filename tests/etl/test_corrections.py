"""Replaying the corrections log on one fact and one document (etl/corrections.py), on hand-made records."""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from etl.corrections import (
    LOCK_FILE,
    Correction,
    append_corrections,
    apply_corrections,
    apply_to_fact,
    build_lock,
    fact_key,
    parse_corrections,
    read_corrections,
)
from etl.models import DocumentMeta, Fact

SHA = "a" * 64


def a_fact(value: float = 31, indicator: str = "tthc_received", start: int = 100) -> Fact:
    return Fact(doc="a.txt", indicator=indicator, value=float(value), unit="hồ sơ", qualifier="exact",
                period_start=date(2024, 1, 1), period_end=date(2024, 6, 30), as_of=None, quote=str(value),
                char_start=start, char_end=start + 2, sentence="", sentence_start=0, sentence_end=0,
                rule="test", confidence=1.0)  # fmt: skip


def fix(target: Fact | None, field: str, new_value: str | None, n: int, sha: str = SHA) -> Correction:
    return Correction(doc_sha256=sha, field=field, new_value=new_value, why="kiểm thử", who="A",
                      fact_key=None if target is None else fact_key(target), correction_id=f"c{n}")  # fmt: skip


def test_a_value_correction_changes_the_value_and_marks_it_corrected():
    fact = a_fact(31)
    effective, status, applied = apply_to_fact(fact, [fix(fact, "value", "35,5", 1)])
    assert (effective.value, status, applied) == (35.5, "corrected", {"c1"})
    assert fact.value == 31.0  # the extraction itself is never changed


def test_a_later_value_correction_does_not_take_back_a_rejection():
    fact = a_fact(31)
    effective, status, applied = apply_to_fact(fact, [fix(fact, "status", "rejected", 1), fix(fact, "value", "40", 2)])
    assert status == "rejected" and effective.value == 40.0 and applied == {"c1", "c2"}
    _, status, _ = apply_to_fact(fact, [fix(fact, "status", "rejected", 1), fix(fact, "period_end", "2024-07-31", 2)])
    assert status == "rejected"


def test_only_a_status_correction_takes_back_a_rejection():
    fact = a_fact(31)
    fixes = [fix(fact, "status", "rejected", 1), fix(fact, "status", "extracted", 2)]
    assert apply_to_fact(fact, fixes)[1] == "extracted"
    assert apply_to_fact(fact, [fix(fact, "value", "40", 1), fix(fact, "status", "rejected", 2)])[1] == "rejected"


def test_corrections_of_another_figure_or_document_are_not_applied():
    fact, other = a_fact(31), a_fact(31, start=200)
    effective, status, applied = apply_to_fact(fact, [fix(other, "value", "99", 1)])
    assert (effective, status, applied) == (fact, "extracted", set())
    meta = DocumentMeta(doc="a.txt", province="Tây Ninh", agency=None, report_type="khac", period_label="",
                        period_start=None, period_end=None, report_date=None, report_number=None, title="")  # fmt: skip
    fixes = [fix(fact, "value", "99", 1, sha="b" * 64), fix(None, "province", "Trà Vinh", 2, sha="b" * 64)]
    same_meta, [(extracted, effective, status)], applied = apply_corrections(meta, (fact,), SHA, fixes)
    assert (same_meta, extracted, effective, status, applied) == (meta, fact, fact, "extracted", set())


# ------------------------------------------------------------------ what a correction may say


def a_correction(**change: object) -> Correction:
    values = {"doc_sha256": SHA, "field": "value", "new_value": "12", "why": "đánh máy sai", "who": "A",
              "fact_key": "tthc_received@100-102"}  # fmt: skip
    return Correction(**{**values, **change})


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"why": "  "}, "Cần ghi lý do sửa"),
        ({"who": ""}, "Cần ghi người sửa"),
        ({"field": "unit"}, "Không sửa được trường 'unit'"),
        ({"field": "province"}, "Không sửa được trường 'province'"),  # a document's field, named on a fact
        ({"field": "status", "new_value": "corrected"}, "Trạng thái chỉ có thể là rejected hoặc extracted"),
        ({"new_value": "mười hai"}, "giá trị 'mười hai' không phải là số"),
        ({"new_value": "inf"}, "giá trị 'inf' không phải là số"),
        ({"field": "as_of", "new_value": "31/12/2024"}, "ngày '31/12/2024' không đúng dạng YYYY-MM-DD"),
        ({"at": "hôm qua"}, "thời điểm sửa 'hôm qua' không đúng dạng ISO"),
        ({"field": "assign", "fact_key": "tthc_received@1-2"}, "Gán chỉ tiêu cần một số liệu chưa gán"),
        ({"fact_key": "mention@1-2"}, "Gán chỉ tiêu cần một số liệu chưa gán"),
        ({"field": "assign", "fact_key": "mention@1-2", "new_value": "khong_co"}, "Không có chỉ tiêu 'khong_co'"),
    ],
)
def test_a_correction_that_cannot_be_replayed_is_refused_with_its_reason(change, reason):
    with pytest.raises(ValueError, match="^" + re.escape(reason)):
        a_correction(**change).validated()


def test_a_valid_correction_is_stamped_once():
    fixed = a_correction(new_value="12,5").validated()
    assert fixed.correction_id and len(fixed.correction_id) == 16
    assert datetime.fromisoformat(fixed.at) and fixed.problem() is None
    assert fixed.validated() == fixed  # its time and id are kept
    for ok in (a_correction(field="status", new_value="extracted"), a_correction(field="status", new_value="rejected"),
               a_correction(field="period_end", new_value=None),
               a_correction(fact_key=None, field="province", new_value="Trà Vinh"),
               a_correction(field="assign", fact_key="mention@1-2", new_value="tthc_received")):  # fmt: skip
        assert ok.validated().correction_id


def test_document_corrections_change_its_metadata_latest_last():
    meta = DocumentMeta(doc="a.txt", province="Tây Ninh", agency=None, report_type="khac", period_label="",
                        period_start=None, period_end=None, report_date=None, report_number=None, title="")  # fmt: skip
    fact = a_fact()
    fixes = [fix(None, "province", "Trà Vinh", 1), fix(None, "period_end", "2024-06-30", 2),
             fix(None, "period_start", "2024-01-01", 5),
             fix(fact, "value", "5", 3), fix(None, "province", "Vĩnh Long", 4)]  # fmt: skip
    fixed, [(_, effective, status)], applied = apply_corrections(meta, (fact,), SHA, fixes)
    assert (fixed.province, fixed.period_end, fixed.agency) == ("Vĩnh Long", date(2024, 6, 30), None)
    assert fixed.period_start == date(2024, 1, 1)
    assert (effective.value, status, applied) == (5.0, "corrected", {"c1", "c2", "c3", "c4", "c5"})


def test_a_fact_correction_changes_its_dates_or_its_indicator():
    fact = a_fact()
    effective, status, _ = apply_to_fact(fact, [fix(fact, "as_of", "2024-07-31", 1), fix(fact, "period_end", "", 2),
                                                fix(fact, "indicator", "tthc_resolved", 3)])  # fmt: skip
    assert (effective.as_of, effective.period_end, effective.indicator, status) == (
        date(2024, 7, 31), None, "tthc_resolved", "corrected")  # fmt: skip


# ------------------------------------------------------------------ the log


def line(**item: object) -> bytes:
    values = {"doc_sha256": SHA, "field": "value", "new_value": "7", "why": "x", "who": "A", "fact_key": "k@1-2"}
    return json.dumps({**values, **item}, ensure_ascii=False).encode()


def test_the_log_reads_numbers_as_text_and_gives_an_old_line_an_id_and_a_time():
    data = b"\n".join([line(new_value=7, old_value=6.5), b"", line(correction_id="x1", at="2025-01-02T03:04:05")])
    [old, new], problems = parse_corrections(data)
    assert problems == []
    assert (old.new_value, old.old_value, old.at) == ("7", "6.5", "1970-01-01T00:00:00")
    assert len(old.correction_id) == 16 and old.correction_id != "x1"
    assert (new.correction_id, new.at) == ("x1", "2025-01-02T03:04:05")


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (b"[1, 2]", "không phải một đối tượng JSON"),
        (line(who=True), "trường 'who' phải là chuỗi"),
        (line(new_value=True), "trường 'new_value' phải là chuỗi"),
        (line(new_value=[7]), "trường 'new_value' phải là chuỗi"),
        (b'{"doc_sha256": "\xff"}', "không phải văn bản UTF-8"),
        (line(x=1)[:-1] + b', "y": 2}', "trường lạ 'x', 'y'"),
    ],
)
def test_a_bad_line_is_named_by_its_number(bad, reason):
    found, problems = parse_corrections(line() + b"\n" + bad + b"\n", "log.jsonl")
    assert len(found) == 1 and problems == [f"log.jsonl dòng 2: {reason}; bỏ qua dòng này"]


def test_appending_creates_the_log_closes_a_cut_line_and_writes_nothing_for_nothing(tmp_path):
    log = tmp_path / "data" / "corrections.jsonl"
    assert append_corrections(log, []) == [] and not log.exists()
    [first] = append_corrections(log, [a_correction()])
    assert log.read_bytes().count(b"\n") == 1 and read_corrections(log).corrections == [first]
    with log.open("ab") as out:
        out.write(b'{"doc_sha256": "cut')  # a writer died mid-line
    [second] = append_corrections(log, [a_correction(new_value="13")])
    lines = log.read_bytes().split(b"\n")
    assert lines[1] == b'{"doc_sha256": "cut' and json.loads(lines[2])["correction_id"] == second.correction_id
    with pytest.raises(ValueError, match="Cần ghi lý do"):
        append_corrections(log, [a_correction(new_value="14"), a_correction(why="")])
    assert [c.new_value for c in read_corrections(log).corrections] == ["12", "13"]  # all or nothing
    append_corrections(log, [a_correction(new_value="15")])
    assert b"\n\n" not in log.read_bytes() and log.read_bytes().endswith(b"\n")  # a whole last line: no blank line
    one_byte = tmp_path / "one" / "corrections.jsonl"
    one_byte.parent.mkdir()
    one_byte.write_bytes(b"x")
    append_corrections(one_byte, [a_correction()])
    assert one_byte.read_bytes().split(b"\n")[0] == b"x"


@pytest.mark.parametrize(
    "cut",
    [
        "}",  # one character left of the line before
        '{"why": "{"',  # a '{"' that starts no object
        'ab{"x": 1} ',  # a whole object that does not end the line
    ],
)
def test_a_correction_appended_onto_a_cut_line_is_read_from_the_lines_end(cut):
    [found], [problem] = parse_corrections(cut.encode() + line(new_value="42"), "log.jsonl")
    assert found.new_value == "42"
    assert problem == "log.jsonl dòng 1: phần đầu dòng bị cắt; đã đọc sửa đổi ghi nối ở cuối dòng"


def _free(lock: Path) -> bool:
    """Whether another holder (another open file: as another process would) could take the lock now."""
    with lock.open("a") as other:
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(other, fcntl.LOCK_UN)
        return True


def test_the_build_lock_is_reentrant_in_one_process_and_given_back_whole(tmp_path):
    folder = tmp_path / "new" / "data"  # made when missing
    lock = folder / LOCK_FILE
    with build_lock(folder):
        with build_lock(folder):
            assert not _free(lock)
        assert not _free(lock)  # the outer hold goes on
    assert _free(lock)
    with build_lock(folder):  # taken again
        assert not _free(lock)
    assert _free(lock)


_HOLD = """
import fcntl, sys
from pathlib import Path
with open(sys.argv[1], "a") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX)
    Path(sys.argv[2]).write_text("held")
    print("held", flush=True)
    sys.stdin.readline()
    Path(sys.argv[2]).write_text("given back")
"""
_WAIT = """
import signal, sys
from pathlib import Path
from etl.corrections import build_lock
signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C interrupts, even if our parent ignored it
with build_lock(Path(sys.argv[1])):
    print(Path(sys.argv[2]).read_text(), flush=True)
"""


def test_a_writer_meeting_the_lock_says_it_waits_then_takes_it_when_given_back(tmp_path):
    """Two processes, each step awaited as an event (a line printed), never as a moment."""
    root = Path(__file__).resolve().parents[2]
    marker = tmp_path / "marker"  # what the holder last did, as the waiter reads it once it has the lock
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(tmp_path / LOCK_FILE), str(marker)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    waiter = None
    try:
        assert holder.stdout.readline() == "held\n"
        waiter = subprocess.Popen([sys.executable, "-c", _WAIT, str(tmp_path), str(marker)], cwd=root,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        said = waiter.stderr.readline()
        assert said == f"{tmp_path / LOCK_FILE}: đang có bản dựng hoặc sửa đổi khác chạy, chờ nó xong…\n"
        assert waiter.poll() is None  # still waiting
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert waiter.stdout.readline() == "given back\n"  # it had the lock only after the holder let go
        assert waiter.wait(60) == 0
    finally:
        for proc in (holder, waiter):
            if proc is not None and proc.poll() is None:
                proc.kill()
            if proc is not None:
                proc.wait()


def test_a_forked_child_holds_none_of_its_parents_locks(tmp_path):
    from etl import corrections

    with build_lock(tmp_path):
        pid = os.fork()
        if pid == 0:  # the child: forgets the lock, and taking it would wait for the parent
            os._exit(0 if corrections._held == {} and not _free(tmp_path / LOCK_FILE) else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert not _free(tmp_path / LOCK_FILE)  # the child's exit did not give the parent's lock back
    assert _free(tmp_path / LOCK_FILE)


def test_an_assigned_figure_takes_its_indicators_period_and_full_confidence():
    from etl.catalog import default_catalog
    from etl.corrections import ASSIGN_RULE, assign_mentions, mention_key
    from etl.models import Mention

    mention = Mention(doc="a.txt", value=5e9, measure="đồng", quote="5 tỷ đồng", char_start=40, char_end=49,
                      sentence="", sentence_start=0, sentence_end=0, reason="")  # fmt: skip
    meta = DocumentMeta(doc="a.txt", province="Tây Ninh", agency=None, report_type="khac", period_label="",
                        period_start=date(2024, 1, 1), period_end=date(2024, 6, 30), report_date=date(2024, 7, 10),
                        report_number=None, title="")  # fmt: skip

    def assigned(code: str, meta: DocumentMeta = meta) -> Fact:
        c = Correction(doc_sha256=SHA, field="assign", new_value=code, why="x", who="A",
                       fact_key=mention_key(mention), correction_id="a")  # fmt: skip
        [(made, _, status)], left, applied = assign_mentions(meta, (mention,), (), SHA, [c], default_catalog())
        assert (status, left, applied, made.rule, made.confidence) == ("corrected", [], {"a"}, ASSIGN_RULE, 1.0)
        return made

    plan = assigned("investment_plan_vnd")  # a year's plan: a stock of the calendar year, at the report's date
    assert (plan.period_start, plan.period_end, plan.as_of) == (None, None, date(2024, 7, 10))
    flow = assigned("tthc_received")
    assert (flow.period_start, flow.period_end, flow.as_of) == (date(2024, 1, 1), date(2024, 6, 30), None)
    early = assigned("investment_plan_vnd", replace(meta, report_date=date(2025, 1, 5)))
    assert early.as_of == date(2024, 12, 31)  # the calendar year's end: not a day the plan was not known yet


def _until_blocked_on_a_lock(pid: int) -> None:
    """Wait for the event 'process ``pid`` sleeps in the kernel's file-lock wait' (Linux's wchan)."""
    wchan = Path(f"/proc/{pid}/wchan")
    for _ in range(30_000):  # a failure's limit only: about 5 minutes
        if "lock" in wchan.read_text():
            return
        time.sleep(0.01)
    pytest.fail(f"process {pid} never waited on the lock")


def test_a_writer_interrupted_while_it_waits_for_the_lock_does_not_go_on_without_it(tmp_path):
    root = Path(__file__).resolve().parents[2]
    marker = tmp_path / "marker"
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(tmp_path / LOCK_FILE), str(marker)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    waiter = None
    try:
        assert holder.stdout.readline() == "held\n"
        waiter = subprocess.Popen([sys.executable, "-c", _WAIT, str(tmp_path), str(marker)], cwd=root,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        assert "chờ nó xong" in waiter.stderr.readline()  # it says it waits …
        _until_blocked_on_a_lock(waiter.pid)  # … and is inside the kernel's wait for the lock
        waiter.send_signal(signal.SIGINT)  # Ctrl-C while it waits
        out, err = waiter.communicate(timeout=60)
        assert waiter.returncode != 0 and out == "" and "KeyboardInterrupt" in err  # it stopped, holding nothing
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(60)
        if waiter is not None and waiter.poll() is None:
            waiter.kill()
            waiter.wait()
