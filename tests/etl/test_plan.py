"""The plan (etl/plan.py): every file for a full build; only new and changed files, and the
documents gone, for an incremental one, against the previous build's build_sources rows."""

from __future__ import annotations

import hashlib
import os

from etl.plan import full_plan, incremental_plan


def _row(path, name, status="loaded", error=None, sha=None):
    st = path.stat()
    return {"file_name": name, "sha256": sha or hashlib.sha256(path.read_bytes()).hexdigest(),
            "size_bytes": st.st_size, "mtime_ns": st.st_mtime_ns, "status": status, "error": error}  # fmt: skip


def _folder(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    for name, text in (("a.txt", "một"), ("b.txt", "hai"), ("sub/c.txt", "ba")):
        (raw / name).write_text(text, encoding="utf-8")
    return raw


def test_a_full_plan_reads_every_file_by_its_path_under_the_folder(tmp_path):
    raw = _folder(tmp_path)
    plan = full_plan(raw)
    assert plan.mode == "full" and [d for d, _ in plan.files] == ["a.txt", "b.txt", "sub/c.txt"]
    assert plan.removed == [] and plan.kept == [] and not plan.unchanged


def test_no_previous_build_of_the_same_inputs_means_no_incremental_plan(tmp_path):
    assert incremental_plan(_folder(tmp_path), None) is None


def test_an_incremental_plan_reads_only_what_changed(tmp_path):
    raw = _folder(tmp_path)
    previous = {n: _row(raw / n, n) for n in ("a.txt", "b.txt", "sub/c.txt")}
    previous["gone.txt"] = {**previous["a.txt"], "file_name": "gone.txt"}
    assert incremental_plan(raw, {k: v for k, v in previous.items() if k != "gone.txt"}).unchanged
    (raw / "b.txt").write_text("hai mươi", encoding="utf-8")  # changed
    st = (raw / "a.txt").stat()
    os.utime(raw / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # touched: same bytes
    (raw / "d.txt").write_text("bốn", encoding="utf-8")  # new
    plan = incremental_plan(raw, previous)
    assert plan.mode == "incremental" and not plan.unchanged
    assert [d for d, _ in plan.files] == ["b.txt", "d.txt"] and plan.removed == ["gone.txt"] and plan.changed == 3
    kept = {r["file_name"]: r for r in plan.kept}
    assert sorted(kept) == ["a.txt", "sub/c.txt"]
    assert kept["a.txt"]["mtime_ns"] == (raw / "a.txt").stat().st_mtime_ns  # the new time, not read again


def test_a_failed_file_of_the_same_bytes_is_read_again_once_it_changes_time(tmp_path):
    """A file that failed keeps its row while untouched; touched, it is tried again."""
    raw = _folder(tmp_path)
    previous = {n: _row(raw / n, n) for n in ("a.txt", "sub/c.txt")}
    previous["b.txt"] = _row(raw / "b.txt", "b.txt", status="failed", error="b.txt: hỏng")
    assert incremental_plan(raw, previous).files == []
    st = (raw / "b.txt").stat()
    os.utime(raw / "b.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert [d for d, _ in incremental_plan(raw, previous).files] == ["b.txt"]
