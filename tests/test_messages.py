"""The import page's protocol with the ETL (contract/messages.py): every message survives a trip
through its JSON line, and a message off the protocol is refused saying which field and why."""

from __future__ import annotations

import json
from datetime import date

import pytest

from contract import messages
from contract.messages import (
    PROTOCOL_VERSION,
    REPLIES,
    REQUESTS,
    BuildWarning,
    Corrected,
    CorrectionBatch,
    CorrectionRequest,
    DocumentFields,
    Duplicate,
    Failed,
    Manifest,
    ManifestEntry,
    Message,
    MessageError,
    Published,
    Staged,
    StagedFact,
    StagedMention,
    parse,
    parse_line,
)

META = DocumentFields("imports/ab__bc.txt", "Long An", "Sở Xây dựng", "quy", "quý I năm 2025",
                      date(2025, 1, 1), date(2025, 3, 31), date(2025, 4, 2), "12/BC-SXD", "Báo cáo quý I")  # fmt: skip
FACT = StagedFact("tthc_received@10-22", "tthc_received", 420.0, "hồ sơ", "exact", date(2025, 1, 1),
                  date(2025, 3, 31), None, "420 hồ sơ", 10, 22, "Sở đã tiếp nhận 420 hồ sơ.",
                  "tthc_received.mention", 0.75, "primary", "rules")  # fmt: skip
MENTION = StagedMention("mention@40-49", 17.0, "chuyến", "17 chuyến", 40, 49, "Đoàn đã đi 17 chuyến.", "không rõ")
EXAMPLES: tuple[Message, ...] = (
    Staged("bc.txt", "ab" * 32, META, (FACT, FACT), (MENTION,)),
    Staged("trong.txt", "cd" * 32, META, (), ()),
    Duplicate("bc.txt", "imports/ab__bc.txt"),
    Failed("x.exe", "x.exe: chỉ nhận tệp .txt, .md, .docx, .pdf"),
    BuildWarning("corrections.jsonl", "corrections.jsonl dòng 3: thiếu lý do sửa"),
    BuildWarning("corrections.jsonl", "Sửa đổi «loại bỏ» cho số liệu «55 người» không còn áp dụng được: …",
                 doc_id="imports/ab__bc.txt"),  # fmt: skip
    Published(("imports/ab__bc.txt",), 2, "b-20250401", 6),
    Corrected(1, "b-20250402"),
    Manifest((ManifestEntry("Báo cáo quý I.docx", "/tmp/upload-x/000.bin"), ManifestEntry("b.pdf", "/tmp/001.bin"))),
    CorrectionBatch(
        (
            CorrectionRequest("value", doc_sha256="ab" * 32, fact_key=FACT.fact_key, old_value="420.0",
                              new_value="40", why="Sở đính chính"),  # fmt: skip
            CorrectionRequest("assign", file="bc.txt", mention_key=MENTION.mention_key, new_value="inspections_total",
                              why="chuyến khảo sát", who="Trần B"),  # fmt: skip
            CorrectionRequest("period_end", doc_sha256="ef" * 32, new_value=None, why="không rõ kỳ"),
            CorrectionRequest("value", doc_sha256="ef" * 32, fact_key="x@1-2", new_value=40, why="số nguyên"),
            CorrectionRequest("status", doc_sha256="ab" * 32, fact_key=FACT.fact_key, new_value="rejected",
                              why="trùng", num_start=10, num_value="420", quote="420 hồ sơ"),  # fmt: skip
        )
    ),
)


def test_the_examples_cover_every_message_of_the_protocol():
    found = vars(messages).values()
    declared = {c for c in found if isinstance(c, type) and issubclass(c, Message) and c is not Message}
    assert {type(m) for m in EXAMPLES} == declared == set(REPLIES) | set(REQUESTS)
    assert len({c.TYPE for c in declared}) == len(declared), "one wire type per message"


@pytest.mark.parametrize("message", EXAMPLES, ids=lambda m: f"{m.TYPE}-{id(m) % 997}")
def test_every_message_round_trips_through_its_json_line(message):
    line = message.to_line()
    data = json.loads(line)
    assert (data["type"], data["version"]) == (message.TYPE, PROTOCOL_VERSION)
    assert type(message).from_json(data) == message
    assert parse_line(line, REPLIES + REQUESTS) == message


def test_types_survive_the_trip_dates_as_dates_numbers_as_numbers():
    back = parse_line(EXAMPLES[0].to_line())
    assert isinstance(back, Staged) and back.meta.period_end == date(2025, 3, 31) and back.facts[0].as_of is None
    assert json.loads(EXAMPLES[0].to_line())["meta"]["period_start"] == "2025-01-01"
    batch = CorrectionBatch.from_json(json.loads(EXAMPLES[-1].to_line()))
    assert [r.new_value for r in batch.items] == ["40", "inspections_total", None, 40, "rejected"]
    assert (batch.items[-1].num_start, batch.items[-1].num_value, batch.items[-1].quote) == (10, "420", "420 hồ sơ")
    assert isinstance(back.facts[0].value, float) and back.facts[0].char_start == 10


def _staged() -> dict:
    return json.loads(EXAMPLES[0].to_line())


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda d: d.update(colour="đỏ"), r"^staged: trường lạ 'colour' \(chỉ có file, sha256, meta, facts, mentions"),
        (lambda d: d.pop("sha256"), r"^staged: thiếu trường 'sha256'$"),
        (lambda d: d["facts"][1].pop("fact_key"), r"^staged\.facts\[1\]: thiếu trường 'fact_key'$"),
        (lambda d: d["meta"].update(tinh="Long An"), r"^staged\.meta: trường lạ 'tinh'"),
        (lambda d: d["facts"][0].update(value="420"), r"^staged\.facts\[0\]\.value: cần float, nhận '420'$"),
        (lambda d: d["facts"][0].update(char_start=True), r"^staged\.facts\[0\]\.char_start: cần int, nhận True$"),
        (lambda d: d["meta"].update(period_end="31/03/2025"), r"^staged\.meta\.period_end: cần một ngày YYYY-MM-DD"),
        (lambda d: d.update(file=None), r"^staged\.file: cần str, nhận None$"),
        (lambda d: d["facts"][0].update(unit=None), r"^staged\.facts\[0\]\.unit: cần str, nhận None$"),
        (lambda d: d.update(mentions={}), r"^staged\.mentions: cần một danh sách, nhận dict$"),
        (lambda d: d.update(version=2), r"phiên bản giao thức 2, bên này chỉ đọc phiên bản 1"),
        (lambda d: d.pop("version"), r"thiếu trường 'version'"),
        (lambda d: d.update(type="staged_v2"), r"^thông điệp loại 'staged_v2' không có trong giao thức"),
    ],
)
def test_a_message_off_the_protocol_is_refused_saying_where_and_why(change, said):
    data = _staged()
    change(data)
    with pytest.raises(MessageError, match=said):
        parse(data)


def test_a_request_is_not_a_reply_and_a_line_must_be_json():
    with pytest.raises(MessageError, match="'manifest' không có trong giao thức"):
        parse_line(next(m for m in EXAMPLES if isinstance(m, Manifest)).to_line())  # not a reply the page reads
    with pytest.raises(MessageError, match="dòng không phải JSON"):
        parse_line("{không phải json")
    with pytest.raises(MessageError, match=r"corrections\.items\[0\]: thiếu trường 'field'"):
        CorrectionBatch.from_json({"type": "corrections", "version": 1, "items": [{"why": "thiếu trường"}]})


def test_a_field_added_within_the_version_is_optional_and_written_only_when_set():
    """An orphaned correction's warning names its report (doc_id); a request may name its figure
    (num_start, num_value, quote). A message without them, as written before, still reads; one
    that does not set them is written as before."""
    old = {"type": "warning", "version": 1, "file": "corrections.jsonl", "message": "dòng 3: thiếu lý do sửa"}
    assert parse(old) == BuildWarning("corrections.jsonl", "dòng 3: thiếu lý do sửa", doc_id=None)
    assert BuildWarning.from_json(old).to_json() == old
    orphan = BuildWarning("corrections.jsonl", "không còn áp dụng được", doc_id="imports/ab__bc.txt")
    assert json.loads(orphan.to_line())["doc_id"] == "imports/ab__bc.txt"
    request = {"field": "value", "doc_sha256": "ab" * 32, "fact_key": "x@1-2", "new_value": "4", "why": "đính chính"}
    read = CorrectionBatch.from_json({"type": "corrections", "version": 1, "items": [request]}).items[0]
    assert (read.num_start, read.num_value, read.quote) == (None, None, None)
    assert not {"num_start", "num_value", "quote"} & set(read.to_json())
    with pytest.raises(MessageError, match=r"corrections\.items\[0\]\.num_start: cần int, nhận '10'"):
        CorrectionBatch.from_json({"type": "corrections", "version": 1, "items": [{**request, "num_start": "10"}]})
    with pytest.raises(MessageError, match=r"warning\.doc_id: cần str, nhận 7"):
        parse({**old, "doc_id": 7})
