"""The ETL's end of the import page's protocol (contract/messages.py): the page's requests read
into uploads and corrections, and what the ETL did written as the replies the page reads."""

from __future__ import annotations

import json
from pathlib import Path

from contract.messages import (
    PROTOCOL_VERSION,
    CorrectionBatch,
    CorrectionRequest,
    DocumentFields,
    Duplicate,
    Failed,
    Manifest,
    ManifestEntry,
    MessageError,
    Staged,
    StagedFact,
    StagedMention,
)
from etl.corrections import Correction, fact_key, mention_key
from etl.importer import Staged as StagedUpload
from etl.models import DocumentMeta, Fact, Mention

__all__ = ["corrections_of", "document_fields", "read_corrections_file", "read_manifest", "staged_reply"]


def document_fields(meta: DocumentMeta) -> DocumentFields:
    """A report's metadata as the protocol (and ``extract --json``'s document line) states it."""
    return DocumentFields(
        doc=meta.doc, province=meta.province, agency=meta.agency, report_type=meta.report_type,
        period_label=meta.period_label, period_start=meta.period_start, period_end=meta.period_end,
        report_date=meta.report_date, report_number=meta.report_number, title=meta.title,
    )  # fmt: skip


def _fact(f: Fact) -> StagedFact:
    return StagedFact(
        fact_key=fact_key(f), indicator=f.indicator, value=f.value, unit=f.unit, qualifier=f.qualifier,
        period_start=f.period_start, period_end=f.period_end, as_of=f.as_of, quote=f.quote,
        char_start=f.char_start, char_end=f.char_end, sentence=f.sentence, rule=f.rule,
        confidence=f.confidence, role=f.role, extractor=f.extractor,
    )  # fmt: skip


def _mention(m: Mention) -> StagedMention:
    return StagedMention(
        mention_key=mention_key(m), value=m.value, measure=m.measure, quote=m.quote,
        char_start=m.char_start, char_end=m.char_end, sentence=m.sentence, reason=m.reason,
    )  # fmt: skip


def staged_reply(item: StagedUpload) -> Staged | Duplicate | Failed:
    """What the page is told of one upload: refused (why), already there (where), or read."""
    if item.error:
        return Failed(file=item.name, error=item.error)
    if item.duplicate_of:
        return Duplicate(file=item.name, duplicate_of=item.duplicate_of)
    ex = item.extraction
    assert ex is not None  # a staged upload without an error was extracted
    return Staged(
        file=item.name,
        sha256=item.sha256,
        meta=document_fields(ex.meta),
        facts=tuple(_fact(f) for f in ex.facts),
        mentions=tuple(_mention(m) for m in ex.mentions),
    )


def _load(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MessageError(f"không đọc được {path.name} ({exc})") from None


def read_manifest(path: Path) -> tuple[ManifestEntry, ...]:
    """The uploads a manifest names; MessageError when it is not one."""
    return Manifest.from_json(_load(path)).uploads


def read_corrections_file(path: Path) -> tuple[CorrectionRequest, ...]:
    """The corrections a file asks for: the page's batch, or a bare JSON list of them (written by
    hand, as the README shows)."""
    data = _load(path)
    if isinstance(data, list):
        data = {"type": CorrectionBatch.TYPE, "version": PROTOCOL_VERSION, "items": data}
    return CorrectionBatch.from_json(data).items


def corrections_of(requests: tuple[CorrectionRequest, ...], who: str, by_name: dict[str, str]) -> list[Correction]:
    """The corrections to log; a request may name its document by the uploaded file's name, and
    its figure (number's start, value, quote) so builds can follow it (etl/remap.py)."""
    out = []
    for r in requests:
        sha = r.doc_sha256 or by_name.get(r.file or "")
        if not sha:
            raise MessageError(f"sửa đổi không rõ văn bản: {r.to_json()}")
        out.append(
            Correction(
                doc_sha256=sha, field=r.field, new_value=r.new_value, why=r.why, who=r.who or who,  # type: ignore[arg-type]
                fact_key=r.fact_key or r.mention_key, old_value=r.old_value,  # type: ignore[arg-type]
                num_start=r.num_start, num_value=None if r.num_value is None else str(r.num_value), quote=r.quote,
            )  # fmt: skip
        )
    return out
