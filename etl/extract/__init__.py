"""Facts with evidence from normalised text; hands list[Fact] to the warehouse."""

from etl.extract.engine import extract_facts

__all__ = ["extract_facts"]
