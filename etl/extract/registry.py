"""The extractors a build runs, the rules first: each proposes, ``resolve`` decides once.

A second extractor is registered beside the rules (``register``, or ``beside`` for a while);
build processes forked afterwards inherit the registry, and the build's fingerprint names it,
so a change of extractors makes the next build a full one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from etl.catalog import Catalog
from etl.extract.engine import RulesExtractor
from etl.extract.resolve import resolve
from etl.extract.seam import Context, Extractor
from etl.models import DocumentMeta, Fact, Mention, NormalizedText

__all__ = ["RULES", "beside", "extract_document", "extract_facts", "extractors", "register", "unregister"]

RULES: Extractor = RulesExtractor()
_REGISTERED: list[Extractor] = [RULES]


def extractors() -> tuple[Extractor, ...]:
    """The registered extractors, in the order they propose (the rules first)."""
    return tuple(_REGISTERED)


def register(extractor: Extractor) -> None:
    """Run ``extractor`` beside those registered; its name must be new (facts are told apart by it)."""
    if not isinstance(extractor, Extractor) or not str(getattr(extractor, "name", "")).strip():
        raise TypeError(f"{extractor!r} is no extractor: it needs a name and propose(context, vocabulary)")
    if extractor.name in {e.name for e in _REGISTERED}:
        raise ValueError(f"an extractor named {extractor.name!r} is already registered")
    _REGISTERED.append(extractor)


def unregister(name: str) -> None:
    """Stop running the extractor of this name; the rules always stay."""
    if name == RULES.name:
        raise ValueError("the rules extractor cannot be removed")
    _REGISTERED[:] = [e for e in _REGISTERED if e.name != name]


@contextmanager
def beside(extractor: Extractor) -> Iterator[None]:
    """Run ``extractor`` beside the others while inside (tests, trials of a new extractor)."""
    register(extractor)
    try:
        yield
    finally:
        unregister(extractor.name)


def extract_document(
    norm: NormalizedText, meta: DocumentMeta, catalog: Catalog, using: tuple[Extractor, ...] | None = None
) -> tuple[list[Fact], list[Mention]]:
    """Figures with evidence, and the measured numbers no indicator took (kept, with why)."""
    context = Context(norm, meta)
    return resolve(context, catalog, {e.name: e.propose(context, catalog) for e in using or extractors()})


def extract_facts(norm: NormalizedText, meta: DocumentMeta, catalog: Catalog) -> list[Fact]:
    """Every figure the registered extractors find in one document, with its evidence."""
    return extract_document(norm, meta, catalog)[0]
