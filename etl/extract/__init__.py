"""Facts with evidence from normalised text: extractors propose (the rules: prose rules,
quantity mentions, tables), one ``resolve`` decides; hands list[Fact] and the unassigned
list[Mention] to the warehouse."""

from etl.extract.registry import (
    RULES,
    beside,
    extract_document,
    extract_facts,
    extractors,
    register,
    unregister,
)
from etl.extract.resolve import resolve
from etl.extract.seam import Context, Extractor, Proposal, Proposals, Unread, Vocabulary

__all__ = [
    "RULES",
    "Context",
    "Extractor",
    "Proposal",
    "Proposals",
    "Unread",
    "Vocabulary",
    "beside",
    "extract_document",
    "extract_facts",
    "extractors",
    "register",
    "resolve",
    "unregister",
]
