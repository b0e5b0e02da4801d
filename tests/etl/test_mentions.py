"""Measured numbers no indicator took: kept in the warehouse (`mentions`), counted in each
document's coverage, and assigned to an indicator by a correction every build replays.

The mentions come from the extractor and, beside them, from tests/mention_stand_in.py, so these
tests hold whichever numbers the extractor itself reports."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
from dataclasses import replace
from datetime import date

import duckdb
import pytest

from contract.messages import Staged, StagedMention, parse_line
from etl.build import build_warehouse, update_warehouse
from etl.cli import main as cli
from etl.corrections import ASSIGN_RULE, Correction, append_corrections, fact_key, load_corrections, mention_key
from etl.export import export_parquet
from etl.models import Mention
from etl.rows import columns, doc_rows
from tests.conftest import RAW, REPORTS, make_report, rows
from tests.mention_stand_in import stand_in_mentions

DOC = "000_542a35844e80859c.txt"  # Tây Ninh, Sở Xây dựng: January–July 2024
BODY = (
    "Sở Y tế tỉnh Cà Mau báo cáo kết quả năm 2024. Trong năm 2024, Sở đã tiếp nhận 1.204 hồ sơ.\n"
    "Đoàn công tác đã đi 17 chuyến khảo sát thực tế tại cơ sở."
)


def site(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    shutil.copytree(RAW, data / "raw")
    return data / "raw", data / "warehouse.duckdb"


def build(raw, db, **kwargs):
    with stand_in_mentions():
        return build_warehouse(raw, db, workers=1, **kwargs)


def a_mention(db, doc_id=DOC) -> dict:
    """The document's first unassigned figure, whichever it is."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        df = con.execute(
            "SELECT m.*, d.sha256 FROM mentions m JOIN documents d USING (doc_id) "
            "WHERE doc_id = ? AND m.value BETWEEN 1 AND 1000 ORDER BY char_start LIMIT 1",
            [doc_id],
        ).df()
    finally:
        con.close()
    assert not df.empty, "the stand-in gives every sample report unassigned figures"
    return df.iloc[0].to_dict()


def assignment(
    m: dict, code: str = "tthc_received", why: str = "Số hồ sơ tiếp nhận, câu văn không nêu rõ"
) -> Correction:
    return Correction(doc_sha256=m["sha256"], field="assign", new_value=code, why=why, who="Nguyễn Văn A",
                      fact_key=m["mention_key"], old_value=f"{m['value']} {m['measure']}")  # fmt: skip


def the_mention_in(ex, needle: str) -> Mention:
    """A mention of ``needle`` in a test report, as the extractor hands mentions over."""
    start = ex.source.text.index(needle)
    end = start + len(needle)
    assert not any(f.char_start < end and start < f.char_end for f in ex.facts), "no indicator takes it"
    s_start = ex.source.text.rindex("\n", 0, start) + 1
    s_end = ex.source.text.index("\n", end)
    return Mention(doc=ex.meta.doc, value=17.0, measure="chuyến", quote=needle, char_start=start, char_end=end,
                   sentence=ex.source.text[s_start:s_end], sentence_start=s_start, sentence_end=s_end,
                   reason="không chỉ tiêu nào nói về chuyến khảo sát")  # fmt: skip


# --- rows: one extraction's mentions, and an assignment replayed ----------------------------------


def test_unassigned_mentions_become_rows_typed_as_the_schema_says():
    ex = make_report(BODY)
    m = the_mention_in(ex, "17 chuyến")
    out = doc_rows("r.txt", replace(ex, mentions=(m,)), [])
    assert columns("mentions")[:3] == ("doc_id", "mention_key", "char_start") and "build_id" in columns("mentions")
    assert len(out.mentions) == 1
    row = dict(zip([c for c in columns("mentions") if c != "build_id"], out.mentions[0], strict=True))
    assert row == {
        "doc_id": "r.txt", "mention_key": mention_key(m), "char_start": m.char_start, "char_end": m.char_end,
        "value": 17.0, "measure": "chuyến", "quote": "17 chuyến", "sentence": m.sentence,
        "sentence_start": m.sentence_start, "sentence_end": m.sentence_end, "page": None, "reason": m.reason,
    }  # fmt: skip
    assert ex.source.text[m.char_start : m.char_end] == row["quote"]


def test_an_assignment_makes_the_mention_a_fact_with_the_documents_period():
    ex = make_report(BODY)
    m = the_mention_in(ex, "17 chuyến")
    ex = replace(ex, mentions=(m,))
    c = Correction(doc_sha256=ex.source.sha256, field="assign", new_value="tthc_received", why="đúng chỉ tiêu",
                   who="A", fact_key=mention_key(m)).validated()  # fmt: skip
    out = doc_rows("r.txt", ex, [c])
    assert out.mentions == () and c.correction_id in out.applied
    names = [x for x in columns("facts") if x != "build_id"]
    facts = [dict(zip(names, f, strict=True)) for f in out.facts]
    made = next(f for f in facts if f["rule"] == ASSIGN_RULE)
    assert (made["indicator"], made["value"], made["unit"], made["status"]) == (
        "tthc_received",
        17.0,
        "hồ sơ",
        "corrected",
    )
    assert (made["quote"], made["char_start"], made["char_end"]) == ("17 chuyến", m.char_start, m.char_end)
    assert (made["sentence"], made["sentence_start"], made["sentence_end"]) == (
        m.sentence,
        m.sentence_start,
        m.sentence_end,
    )
    assert (made["period_start"], made["period_end"], made["as_of"]) == (date(2024, 1, 1), date(2024, 12, 31), None)
    assert (made["fact_key"], made["extracted_value"], made["extracted_indicator"]) == (
        f"tthc_received@{m.char_start}-{m.char_end}",
        17.0,
        "",
    )
    assert made["year"] == 2024 and made["period_basis"] == "cumulative" and made["role"] == "primary"
    assert made["extractor"] == "manual" and {f["extractor"] for f in facts if f is not made} == {"rules"}
    assert len(facts) == len(ex.facts) + 1  # the extracted facts are untouched


def test_a_stock_is_dated_at_the_period_end_and_later_corrections_name_the_new_fact():
    ex = make_report(BODY)
    m = the_mention_in(ex, "17 chuyến")
    ex = replace(ex, mentions=(m,))
    assign = Correction(doc_sha256=ex.source.sha256, field="assign", new_value="staff_total", why="số người",
                        who="A", fact_key=mention_key(m), at="2025-01-01T00:00:00", correction_id="a")  # fmt: skip
    key = f"staff_total@{m.char_start}-{m.char_end}"
    fix = Correction(doc_sha256=ex.source.sha256, field="value", new_value="18", why="đính chính", who="B",
                     fact_key=key, at="2025-01-02T00:00:00", correction_id="b")  # fmt: skip
    out = doc_rows("r.txt", ex, [assign, fix])
    names = [x for x in columns("facts") if x != "build_id"]
    made = next(dict(zip(names, f, strict=True)) for f in out.facts if f[names.index("rule")] == ASSIGN_RULE)
    assert (made["period_start"], made["period_end"], made["as_of"]) == (None, None, date(2024, 12, 31))
    assert (made["value"], made["extracted_value"], made["status"], made["period_basis"]) == (
        18.0,
        17.0,
        "corrected",
        "stock",
    )
    assert out.applied == {"a", "b"}
    reject = replace(fix, field="status", new_value="rejected", correction_id="c")
    out = doc_rows("r.txt", ex, [assign, reject])
    assert any(f[names.index("status")] == "rejected" and f[names.index("fact_key")] == key for f in out.facts)


def test_an_assignment_whose_mention_is_gone_is_not_applied():
    ex = make_report(BODY)
    m = the_mention_in(ex, "17 chuyến")
    c = Correction(doc_sha256=ex.source.sha256, field="assign", new_value="tthc_received", why="x", who="A",
                   fact_key="mention@1-3", correction_id="z")  # fmt: skip
    out = doc_rows("r.txt", replace(ex, mentions=(m,)), [c])
    assert len(out.mentions) == 1 and "z" not in out.applied
    assert not any(ASSIGN_RULE in f for f in out.facts)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"why": "  "}, "Cần ghi lý do"),
        ({"new_value": "khong_co_chi_tieu"}, "Không có chỉ tiêu"),
        ({"fact_key": "tthc_received@10-20"}, "mention@"),
        ({"field": "value"}, "assign"),
        ({"fact_key": None}, "mention@"),
    ],
)
def test_a_bad_assignment_is_refused(change, message):
    good = Correction(doc_sha256="x", field="assign", new_value="tthc_received", why="lý do", who="A",
                      fact_key="mention@10-20")  # fmt: skip
    assert good.validated().correction_id
    with pytest.raises(ValueError, match=message):
        replace(good, **change).validated()


# --- the warehouse: full and incremental builds, coverage, export ---------------------------------


def test_every_mention_is_kept_with_its_span_and_counted_in_coverage(tmp_path):
    raw, db = site(tmp_path)
    report = build(raw, db)
    assert report.mentions == rows(db, "SELECT count(*) FROM mentions")[0][0] > 0
    assert rows(db, "SELECT DISTINCT build_id FROM mentions") == [(report.build_id,)]
    bad = rows(db, "SELECT m.mention_key FROM mentions m JOIN documents d USING (doc_id) "
                   "WHERE substr(d.text, m.char_start + 1, m.char_end - m.char_start) <> m.quote "
                   "OR m.mention_key <> 'mention@' || m.char_start || '-' || m.char_end")  # fmt: skip
    assert bad == []
    coverage = rows(db, """
        SELECT c.doc_id, c.assigned, c.unassigned, c.coverage,
               (SELECT count(DISTINCT (char_start, char_end)) FROM facts f
                WHERE f.doc_id = c.doc_id AND status <> 'rejected'),
               (SELECT count(*) FROM mentions m WHERE m.doc_id = c.doc_id)
        FROM document_coverage c ORDER BY 1""")  # fmt: skip
    assert len(coverage) == 5
    for _, assigned, unassigned, share, n_facts, n_mentions in coverage:
        assert (assigned, unassigned) == (n_facts, n_mentions)
        assert share == pytest.approx(assigned / (assigned + unassigned))
    from dashboard import queries  # the documents list counts coverage as the view defines it
    from dashboard.db import connect
    from dashboard.filters import Filters

    listed = queries.documents(connect(db), Filters())
    by_view = {doc: (share, unassigned) for doc, _, unassigned, share, _, _ in coverage}
    assert (
        dict(zip(listed["doc_id"], zip(listed["coverage"], listed["unassigned"], strict=True), strict=True)) == by_view
    )


def test_a_document_without_measured_figures_has_no_coverage(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "trong.txt").write_text("BÁO CÁO\nVề việc tổ chức hội nghị\n\nKính gửi các đơn vị.\n")
    build_warehouse(tmp_path / "raw", tmp_path / "w.duckdb")
    assert rows(tmp_path / "w.duckdb", "SELECT assigned, unassigned, coverage FROM document_coverage") == [(0, 0, None)]


@pytest.mark.slow
def test_an_assignment_survives_every_rebuild_and_leaves_the_mentions(tmp_path):
    raw, db = site(tmp_path)
    build(raw, db)
    m = a_mention(db)
    (before,) = rows(db, f"SELECT assigned, unassigned FROM document_coverage WHERE doc_id = '{DOC}'")
    (period,) = rows(db, f"SELECT period_start, period_end FROM documents WHERE doc_id = '{DOC}'")
    append_corrections(raw.parent / "corrections.jsonl", [assignment(m)])
    assert update_warehouse(raw, db) is None  # a new correction: a full build is due
    for _ in range(2):  # the rebuild, and any later rebuild from originals + the log
        build(raw, db)
        fact = rows(
            db,
            f"""
            SELECT indicator, value, status, rule, quote, sentence, period_start, period_end, as_of, extracted_indicator
            FROM facts WHERE doc_id = '{DOC}' AND char_start = {m["char_start"]} AND char_end = {m["char_end"]}""",
        )  # noqa: S608
        assert fact == [("tthc_received", m["value"], "corrected", ASSIGN_RULE, m["quote"], m["sentence"],
                         *period, None, "")]  # fmt: skip
        assert rows(
            db, f"SELECT count(*) FROM mentions WHERE mention_key = '{m['mention_key']}' AND doc_id = '{DOC}'"
        ) == [(0,)]
        assert rows(db, "SELECT field, fact_key, applied FROM corrections") == [("assign", m["mention_key"], True)]
        assert rows(db, f"SELECT assigned, unassigned FROM document_coverage WHERE doc_id = '{DOC}'") == [
            (before[0] + 1, before[1] - 1)
        ]
        shown = rows(db, f"SELECT label_vi, status FROM fact_view WHERE doc_id = '{DOC}' AND rule = '{ASSIGN_RULE}'")
        assert shown == [("Hồ sơ thủ tục hành chính tiếp nhận", "corrected")]


def test_cli_correct_accepts_an_assignment(tmp_path, capsys):
    raw, db = site(tmp_path)
    build(raw, db)
    m = a_mention(db)
    (end, signed) = rows(db, f"SELECT period_end, report_date FROM documents WHERE doc_id = '{DOC}'")[0]
    file = tmp_path / "gan.json"
    item = {"doc_sha256": m["sha256"], "mention_key": m["mention_key"], "field": "assign",
            "new_value": "staff_total", "why": "Tổng số người của Sở"}  # fmt: skip
    file.write_text(json.dumps([item]), encoding="utf-8")
    with stand_in_mentions():  # the command's rebuild runs in this process: it sees the stand-ins too
        code = cli(["correct", "--file", str(file), "--raw", str(raw), "--db", str(db), "--who", "Trần B", "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["type"] == "corrected"
    (logged,) = load_corrections(raw.parent / "corrections.jsonl")
    assert (logged.field, logged.fact_key, logged.new_value, logged.who) == (
        "assign",
        m["mention_key"],
        "staff_total",
        "Trần B",
    )
    assert rows(
        db, f"SELECT indicator, as_of, status FROM facts WHERE doc_id = '{DOC}' AND rule = '{ASSIGN_RULE}'"
    ) == [("staff_total", min(end, signed or end), "corrected")]
    assert rows(db, f"SELECT count(*) FROM mentions WHERE mention_key = '{m['mention_key']}' AND doc_id = '{DOC}'") == [
        (0,)
    ]


def test_incremental_builds_keep_and_replace_mentions_like_facts(tmp_path):
    raw, db = site(tmp_path)
    build(raw, db)
    shutil.copy(REPORTS / "binh_duong_snv_cai_cach_hanh_chinh_6t_2024.txt", raw)
    target = raw / DOC
    target.write_text(target.read_text(encoding="utf-8").replace("tiếp nhận \n\n36 hồ sơ", "tiếp nhận 40 hồ sơ"))
    (raw / "003_f5a7d10bcc5b6b47.txt").unlink()
    with stand_in_mentions():
        report = update_warehouse(raw, db, workers=1)
    assert report is not None and report.changed == 3
    full = tmp_path / "full.duckdb"
    build(raw, full)
    query = "SELECT * EXCLUDE (build_id) FROM mentions ORDER BY doc_id, char_start"
    assert rows(db, query) == rows(full, query)
    assert rows(db, "SELECT count(*) FROM mentions WHERE doc_id = '003_f5a7d10bcc5b6b47.txt'") == [(0,)]
    assert rows(db, "SELECT * FROM document_coverage ORDER BY 1") == rows(
        full, "SELECT * FROM document_coverage ORDER BY 1"
    )


def test_the_parquet_export_carries_mentions_and_coverage(tmp_path):
    from dashboard import queries
    from dashboard.db import connect
    from dashboard.filters import Filters

    raw, db = site(tmp_path)
    build(raw, db)
    out = tmp_path / "parquet"
    counts = export_parquet(db, out)
    assert counts["mentions"] == rows(db, "SELECT count(*) FROM mentions")[0][0] > 0
    assert any(p.name.startswith("province_key=") for p in (out / "mentions").iterdir())
    via_parquet, direct = connect(out), connect(db)
    a, b = queries.mentions(via_parquet, DOC), queries.mentions(direct, DOC)
    assert len(a) > 0 and a.equals(b)
    docs_a, docs_b = queries.documents(via_parquet, Filters()), queries.documents(direct, Filters())
    assert list(docs_a["coverage"]) == list(docs_b["coverage"])


def test_a_warehouse_without_mentions_exports_and_reads_back(tmp_path):
    (tmp_path / "raw").mkdir()
    db = tmp_path / "w.duckdb"
    build_warehouse(tmp_path / "raw", db)
    out = tmp_path / "parquet"
    counts = export_parquet(db, out)
    assert counts["mentions"] == counts["facts"] == 0

    from dashboard import queries
    from dashboard.db import connect

    assert queries.mentions(connect(out), DOC).empty


def test_the_review_preview_lists_an_uploads_mentions(tmp_path):
    """`etl import --dry-run --json` (the review page's preview) lists mentions with their keys."""
    from etl.cli import _report_staged
    from etl.importer import stage

    staged = stage("bao_cao.txt", f"BÁO CÁO\nKết quả công tác năm 2024\n\n{BODY}\n".encode(), tmp_path, known={})
    m = the_mention_in(staged.extraction, "17 chuyến")
    staged = replace(staged, extraction=replace(staged.extraction, mentions=(m,)))
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        _report_staged(argparse.Namespace(json=True), staged)
    reply = parse_line(buffer.getvalue())
    assert isinstance(reply, Staged) and reply.file == "bao_cao.txt"
    assert reply.mentions == (
        StagedMention(mention_key(m), 17.0, "chuyến", m.quote, m.char_start, m.char_end, m.sentence, m.reason),
    )
    assert fact_key(staged.extraction.facts[0]) in {f.fact_key for f in reply.facts}
    assert {f.extractor for f in reply.facts} == {"rules"}
