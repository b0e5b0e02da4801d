"""An editor's correction stays applied when the extractor moves its figure's span (etl/remap.py).

Two extractions of the same document differ only in one figure's span and quote, as a change to
the extractor makes them (a quote widened to the next words, or narrowed to the number): a
correction recorded against the first is applied to the same figure in the second. A correction
that fits no figure, or more than one, is not applied and is reported naming the file."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from etl.corrections import ASSIGN_RULE, Correction, append_corrections, fact_key, mention_key, parse_corrections
from etl.models import Fact
from etl.pipeline import Extraction
from etl.remap import number_starts, stamped
from etl.rows import DocRows, columns, doc_rows
from tests.conftest import make_report

BODY = (
    "Sở Y tế tỉnh Cà Mau báo cáo kết quả năm 2024. Trong năm 2024, Sở đã tiếp nhận 1.204 hồ sơ, "
    "giải quyết đúng hạn 1.150 hồ sơ.\nĐoàn công tác đã đi 17 chuyến khảo sát thực tế tại cơ sở."
)
DOC = "ca_mau_syt_2024.txt"
FACT_COLUMNS = [c for c in columns("facts") if c != "build_id"]


@pytest.fixture(scope="module")
def ex() -> Extraction:
    return make_report(BODY)


def received(ex: Extraction) -> Fact:
    """The document's one figure: 'tiếp nhận 1.204 hồ sơ' (tthc_received)."""
    (f,) = [f for f in ex.facts if f.indicator == "tthc_received"]
    assert f.quote == "tiếp nhận 1.204 hồ sơ" and f.value == 1204
    return f


def moved(ex: Extraction, fact: Fact, start: int | None = None, end: int | None = None) -> Extraction:
    """The same extraction with one figure's span and quote changed, as a change to the extractor makes it."""
    start = fact.char_start if start is None else start
    end = fact.char_end if end is None else end
    new = replace(fact, char_start=start, char_end=end, quote=ex.source.text[start:end])
    return replace(ex, facts=tuple(new if f is fact else f for f in ex.facts))


def widened(ex: Extraction) -> Extraction:
    """The quote now runs on to the next words: 'tiếp nhận 1.204 hồ sơ, giải quyết'."""
    f = received(ex)
    return moved(ex, f, end=ex.source.text.index(", giải quyết", f.char_end) + len(", giải quyết"))


def narrowed(ex: Extraction) -> Extraction:
    """The quote now starts at the number: '1.204 hồ sơ' (read by another mechanism)."""
    f = received(ex)
    return moved(ex, f, start=ex.source.text.index("1.204"))


def correction(ex: Extraction, fact: Fact, field: str, new: str, cid: str, old: str | None = None) -> Correction:
    """A correction as an editor records it today: the figure's number, value and quote with it."""
    c = Correction(doc_sha256=ex.source.sha256, field=field, new_value=new, why="đính chính", who="Nguyễn Văn A",
                   fact_key=fact_key(fact), old_value=old, at="2025-03-01T08:00:00", correction_id=cid)  # fmt: skip
    return stamped(c, ex.facts, ex.mentions, ex.source.text)


def old_line(c: Correction) -> Correction:
    """The same correction as a line written before figures were recorded."""
    return replace(c, num_start=None, num_value=None, quote=None)


def facts_of(rows: DocRows) -> list[dict]:
    return [dict(zip(FACT_COLUMNS, f, strict=True)) for f in rows.facts]


def the_received(rows: DocRows) -> dict:
    (row,) = [f for f in facts_of(rows) if f["indicator"] == "tthc_received" and f["extracted_value"] == 1204]
    return row


CHANGES = {
    "value": ("value", "1250", lambda row: row["value"] == 1250 and row["status"] == "corrected"),
    "rejection": ("status", "rejected", lambda row: row["status"] == "rejected" and row["value"] == 1204),
    "period": ("period_end", "2024-06-30", lambda row: row["period_end"] == date(2024, 6, 30)),
}


def test_a_recorded_correction_names_where_its_number_starts_its_value_and_its_quote(ex):
    c = correction(ex, received(ex), "status", "rejected", "r1")
    assert (c.num_start, c.num_value, c.quote) == (ex.source.text.index("1.204"), "1204", "tiếp nhận 1.204 hồ sơ")
    assert ex.source.text[c.num_start : c.num_start + 5] == "1.204"


@pytest.mark.parametrize("span", [widened, narrowed], ids=["widened", "narrowed"])
@pytest.mark.parametrize("line", ["recorded", "old line"])
@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_a_correction_follows_its_figure_when_the_span_changes(ex, kind, line, span):
    field, new, holds = CHANGES[kind]
    c = correction(ex, received(ex), field, new, "c1", old="1204.0" if field == "value" else None)
    c = c if line == "recorded" else old_line(c)
    before, after = doc_rows(DOC, ex, [c]), doc_rows(DOC, span(ex), [c])
    assert holds(the_received(before)) and holds(the_received(after))
    row = the_received(after)
    assert row["fact_key"] != c.fact_key and row["quote"] != c.quote  # the span did change
    assert "c1" in after.applied and after.orphans == ()
    assert after.remapped == (("c1", row["fact_key"]),) and before.remapped == ()


def test_the_three_corrections_of_one_figure_all_follow_it(ex):
    f = received(ex)
    fixes = [correction(ex, f, field, new, f"c{n}") for n, (field, new, _) in enumerate(CHANGES.values())]
    row = the_received(doc_rows(DOC, widened(ex), fixes))
    assert (row["value"], row["status"], row["period_end"]) == (1250, "rejected", date(2024, 6, 30))


def two_figures(ex: Extraction) -> tuple[Extraction, str]:
    """An old key whose span held both numbers of the sentence, and a new extraction reading each
    as a figure of the same indicator (the second as another value the document gives)."""
    f, text = received(ex), ex.source.text
    other_start = text.index("1.150")
    other = replace(f, value=1150.0, char_start=other_start, char_end=other_start + len("1.150 hồ sơ"),
                    quote="1.150 hồ sơ", num_start=other_start, role="alternative")  # fmt: skip
    old_key = f"tthc_received@{f.char_start}-{other.char_end}"  # 'tiếp nhận 1.204 hồ sơ, … 1.150 hồ sơ'
    return replace(ex, facts=(*ex.facts, other)), old_key


def test_an_ambiguous_remap_is_not_applied_and_is_reported_naming_the_figure(ex):
    """The document's rows carry the message; the build names the file beside it (tests/reliability)."""
    new, old_key = two_figures(ex)
    c = old_line(replace(correction(ex, received(ex), "status", "rejected", "amb1"), fact_key=old_key))
    out = doc_rows(DOC, new, [c])
    assert "amb1" not in out.applied and out.remapped == ()
    assert {f["status"] for f in facts_of(out)} == {"extracted"}
    (message,) = out.orphans
    assert message.startswith("Sửa đổi «loại bỏ» cho số liệu «tiếp nhận 1.204 hồ sơ, giải quyết")
    assert "có 2 số liệu của chỉ tiêu đó trùng vị trí cũ («tiếp nhận 1.204 hồ sơ»; «1.150 hồ sơ»)" in message
    assert "không còn áp dụng được" in message and "amb1" in message


def test_a_recorded_value_tells_two_overlapping_figures_apart(ex):
    new, old_key = two_figures(ex)
    c = old_line(replace(correction(ex, received(ex), "value", "1250", "v1", old="1204.0"), fact_key=old_key))
    out = doc_rows(DOC, new, [c])
    assert the_received(out)["value"] == 1250 and out.orphans == ()
    assert {f["value"] for f in facts_of(out) if f["extracted_value"] == 1150} == {1150}


def test_a_figure_that_is_gone_leaves_its_correction_reported_not_dropped(ex):
    c = correction(ex, received(ex), "value", "1250", "g1", old="1204.0")
    gone = replace(ex, facts=tuple(f for f in ex.facts if f.indicator != "tthc_received"))
    out = doc_rows(DOC, gone, [c])
    assert "g1" not in out.applied
    (message,) = out.orphans
    assert message.startswith("Sửa đổi «sửa giá trị thành 1250» cho số liệu «tiếp nhận 1.204 hồ sơ»")
    assert "không còn số liệu nào của chỉ tiêu đó ở vị trí ấy" in message


def test_a_figure_read_as_another_value_is_not_taken_for_the_one_corrected(ex):
    c = correction(ex, received(ex), "status", "rejected", "w1")
    f = received(ex)
    misread = replace(widened(ex), facts=tuple(replace(x, value=1.204) if x.indicator == f.indicator else x
                                               for x in widened(ex).facts))  # fmt: skip
    out = doc_rows(DOC, misread, [c])
    assert "w1" not in out.applied and {r["status"] for r in facts_of(out)} == {"extracted"}
    (message,) = out.orphans
    assert "số liệu ở vị trí đó nay đọc là 1,204 (lúc sửa: 1.204)" in message


def test_a_recorded_figure_is_not_followed_into_a_text_read_differently(ex):
    """Same file, but the reader now turns it into other text: offsets mean other words, so no remap."""
    c = correction(ex, received(ex), "status", "rejected", "t1")
    text = ex.source.text.replace("Trong năm 2024", "Trong cả năm 2024")  # everything after moves by 3
    reread = replace(widened(ex), source=replace(ex.source, text=text))
    shifted = tuple(replace(f, char_start=f.char_start + 3, char_end=f.char_end + 3, num_start=f.num_start + 3)
                    if f.indicator == "tthc_received" else f for f in reread.facts)  # fmt: skip
    out = doc_rows(DOC, replace(reread, facts=shifted), [c])
    assert "t1" not in out.applied and {r["status"] for r in facts_of(out)} == {"extracted"}
    (message,) = out.orphans
    assert "chữ của văn bản ở vị trí cũ đã khác lúc sửa" in message


def test_a_correction_of_another_indicator_never_follows_a_figure_at_the_same_place(ex):
    f = received(ex)
    c = replace(correction(ex, f, "status", "rejected", "o1"), fact_key=f"tthc_on_time@{f.char_start}-{f.char_end}")
    out = doc_rows(DOC, widened(ex), [c])
    assert "o1" not in out.applied and len(out.orphans) == 1


def test_an_exact_key_still_wins_for_an_old_line(ex):
    """A line written before figures were recorded reads as before and applies on its exact key."""
    sha, f = ex.source.sha256, received(ex)
    line = json.dumps({"doc_sha256": sha, "field": "value", "new_value": "1300", "why": "đính chính", "who": "A",
                       "fact_key": fact_key(f), "old_value": "1204.0"}, ensure_ascii=False)  # fmt: skip
    (c,), problems = parse_corrections(line.encode())
    assert problems == [] and (c.num_start, c.num_value, c.quote) == (None, None, None)
    out = doc_rows(DOC, ex, [c])
    assert the_received(out)["value"] == 1300 and out.remapped == () and out.orphans == ()


def test_new_lines_carry_the_figure_and_read_back(ex, tmp_path):
    log = tmp_path / "corrections.jsonl"
    fix = replace(correction(ex, received(ex), "value", "1250", "", old="1204.0"), at="")
    meta = Correction(doc_sha256=ex.source.sha256, field="province", new_value="Cà Mau", why="x", who="A")
    append_corrections(log, [fix, meta])
    first, second = (json.loads(x) for x in log.read_text(encoding="utf-8").splitlines())
    assert (first["num_start"], first["num_value"], first["quote"]) == (fix.num_start, "1204", "tiếp nhận 1.204 hồ sơ")
    assert not {"num_start", "num_value", "quote"} & set(second)  # a metadata line reads as before
    read, problems = parse_corrections(log.read_bytes())
    assert problems == [] and read[0].num_start == fix.num_start and read[1].num_start is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"num_start": "12"}, "phải là số nguyên"),
        ({"num_start": -1}, "không hợp lệ"),
        ({"num_value": "x"}, "không phải là số"),
    ],
)
def test_a_hand_written_figure_that_cannot_be_used_is_reported(ex, change, message):
    item = {"doc_sha256": ex.source.sha256, "field": "status", "new_value": "rejected", "why": "x", "who": "A",
            "fact_key": fact_key(received(ex)), **change}  # fmt: skip
    read, problems = parse_corrections(json.dumps(item).encode())
    assert read == [] and len(problems) == 1 and message in problems[0]


# --- assignments: an unassigned number given an indicator -------------------------------------------


def test_an_assignment_and_a_later_correction_follow_the_number_when_its_span_takes_the_measure_word(ex):
    (m,) = [m for m in ex.mentions if m.quote.startswith("17 chuyến")]
    assign = stamped(Correction(doc_sha256=ex.source.sha256, field="assign", new_value="tthc_received", why="x",
                                who="A", fact_key=mention_key(m), old_value="17 chuyến", correction_id="a1",
                                at="2025-01-01T00:00:00"), ex.facts, ex.mentions, ex.source.text)  # fmt: skip
    made_key = f"tthc_received@{m.char_start}-{m.char_end}"
    fix = Correction(doc_sha256=ex.source.sha256, field="value", new_value="18", why="y", who="B", fact_key=made_key,
                     correction_id="a2", at="2025-01-02T00:00:00")  # fmt: skip
    shorter = replace(m, char_end=m.char_start + len("17 chuyến"), quote="17 chuyến")
    new = replace(ex, mentions=tuple(shorter if x is m else x for x in ex.mentions))
    out = doc_rows(DOC, new, [old_line(assign), fix])
    (made,) = [f for f in facts_of(out) if f["rule"] == ASSIGN_RULE]
    assert (made["quote"], made["value"], made["extracted_value"]) == ("17 chuyến", 18, 17)
    assert out.applied >= {"a1", "a2"} and out.orphans == ()
    assert dict(out.remapped) == {"a1": mention_key(shorter), "a2": made["fact_key"]}


def test_an_assignment_the_extractor_now_makes_itself_is_satisfied_and_one_made_otherwise_is_reported(ex):
    (m,) = [m for m in ex.mentions if m.quote.startswith("1.150")]
    read = replace(received(ex), indicator="tthc_on_time", value=1150.0, char_start=m.char_start,
                   char_end=m.char_end + 1, quote=ex.source.text[m.char_start : m.char_end + 1],
                   num_start=m.num_start)  # fmt: skip
    new = replace(ex, facts=(*ex.facts, read), mentions=tuple(x for x in ex.mentions if x is not m))

    def assign(code: str, cid: str) -> Correction:
        c = Correction(doc_sha256=ex.source.sha256, field="assign", new_value=code, why="x", who="A",
                       fact_key=mention_key(m), correction_id=cid, at="2025-01-01T00:00:00")  # fmt: skip
        return stamped(c, ex.facts, ex.mentions, ex.source.text)

    out = doc_rows(DOC, new, [assign("tthc_on_time", "s1"), assign("tthc_received", "s2")])
    assert "s1" in out.applied and "s2" not in out.applied
    (message,) = out.orphans
    assert "gán chỉ tiêu" in message and "số này nay đã được trích xuất thành chỉ tiêu tthc_on_time" in message


def test_numbers_in_a_span_are_found_where_they_start_and_a_value_picks_one():
    text = "Quý 3/2025 tiếp nhận 1.204 hồ sơ, 9.280 triệu đồng"
    assert number_starts(text, 0, len(text)) == {4, 6, 21, 34}
    assert number_starts(text, 0, len(text), 1204.0) == {21}
    assert number_starts(text, 0, len(text), 9.28e9) == {34}
    assert number_starts(text, 0, len(text), 77.0) == {4, 6, 21, 34}  # no number states it: all of them
    assert number_starts(text, 5, 400) == frozenset()  # a span the text does not have
