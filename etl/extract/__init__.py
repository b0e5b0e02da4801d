"""Facts with evidence from normalised text (prose rules, quantity mentions, tables); hands
list[Fact] and the unassigned list[Mention] to the warehouse."""

from etl.extract.engine import extract_document, extract_facts

__all__ = ["extract_document", "extract_facts"]
