"""Measured numbers no indicator took, made up for tests beside the extractor's own.

The tests of the ``mentions`` table, of assignments and of the pages that show them must not
depend on which numbers the extractor reports as mentions. Inside ``stand_in_mentions()`` every
file a build reads in this process (``workers=1``) gets, besides the extractor's own mentions,
one for every "<number> <word>" of its text that no fact and no mention covers yet — made the
way the extractor hands them over (``Extraction.mentions``). Everything after extraction —
corrections, rows, Arrow, DuckDB, the pages — is the product's own code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest

from etl import transform
from etl.models import Mention
from etl.pipeline import Extraction

REASON = "thử nghiệm: không chỉ tiêu nào nhận số này"
_NUMBER = re.compile(r"(?<![\w.,/])(\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?[ \t]+([^\W\d_]+(?:[ \t][^\W\d_]+)?)")
_SENTENCE_END = re.compile(r"[.;:!?\n]")


def _value(text: str) -> float:
    whole, _, fraction = text.partition(",")
    return float(whole.replace(".", "") + ("." + fraction if fraction else ""))


def with_stand_ins(ex: Extraction) -> Extraction:
    """The extraction with a mention for each '<number> <word>' nothing covers yet."""
    text = ex.source.text
    taken = [(f.char_start, f.char_end) for f in ex.facts] + [(m.char_start, m.char_end) for m in ex.mentions]
    extra = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if any(a < end and start < b for a, b in taken):
            continue
        before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
        s_start = before[-1] if before else 0
        after = _SENTENCE_END.search(text, end)
        s_end = after.end() if after else len(text)
        number = text[match.start(1) : match.end(0) - len(match.group(2))].strip()
        extra.append(
            Mention(
                doc=ex.meta.doc,
                value=_value(number),
                measure=match.group(2),
                quote=text[start:end],
                char_start=start,
                char_end=end,
                sentence=text[s_start:s_end],
                sentence_start=s_start,
                sentence_end=s_end,
                reason=REASON,
            )  # fmt: skip
        )
        taken.append((start, end))
    return replace(ex, mentions=ex.mentions + tuple(extra))


@contextmanager
def stand_in_mentions() -> Iterator[None]:
    """Builds run in this process (``workers=1``) while inside see the stand-in mentions."""
    real = transform.process_file

    def process_file(*args: object, **kwargs: object) -> Extraction:
        return with_stand_ins(real(*args, **kwargs))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transform, "process_file", process_file)
        yield
