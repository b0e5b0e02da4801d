"""One document through every stage: file -> text -> normalised text -> metadata -> facts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from etl.catalog import Catalog, default_catalog
from etl.extract import extract_document
from etl.metadata import detect_metadata
from etl.models import DocumentMeta, Fact, Mention, SourceText
from etl.normalize import normalize
from etl.readers import DEFAULT_MAX_BYTES, read_bytes, read_document

__all__ = ["Extraction", "process_bytes", "process_file", "process_source"]


@dataclass(frozen=True, slots=True)
class Extraction:
    source: SourceText
    meta: DocumentMeta
    facts: tuple[Fact, ...]
    content_sha256: str  # of the normalised text on one line: the same report in any format or wrapping
    mentions: tuple[Mention, ...] = ()  # measured numbers no indicator took


def process_source(source: SourceText, catalog: Catalog | None = None) -> Extraction:
    catalog = catalog or default_catalog()
    norm = normalize(source.text)
    meta = detect_metadata(norm, source.name)
    content = hashlib.sha256(norm.text.replace("\n", " ").encode()).hexdigest()
    facts, mentions = extract_document(norm, meta, catalog)
    return Extraction(source, meta, tuple(facts), content, tuple(mentions))


def process_file(path: Path, catalog: Catalog | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Extraction:
    """Read and extract one file; raises ReadError naming the file when it cannot be read."""
    return process_source(read_document(path, max_bytes), catalog)


def process_bytes(name: str, data: bytes, catalog: Catalog | None = None) -> Extraction:
    return process_source(read_bytes(name, data), catalog)
