"""Words every match of a rule must contain, read from the rule's own regex.

The engine scans a rule only over paragraphs holding one of them, so a rule costs little
where its words are absent; a regex engine would otherwise try it at every character.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the parse tree of the standard library's own regex parser
from re import _parser as sre_parse

__all__ = ["required_words"]

_SHORTEST = 2  # a one-letter word would pick nearly every paragraph


def required_words(pattern: re.Pattern[str]) -> frozenset[str]:
    """Strings of which any match of ``pattern`` contains at least one; empty when none is sure."""
    return _best(_required(sre_parse.parse(pattern.pattern, pattern.flags))) or frozenset()


def _required(items: object) -> list[frozenset[str]]:
    """Sets of strings, each: every match of this sequence contains one of its strings."""
    found: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            found.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:  # type: ignore[attr-defined]
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        close_run()
        if op is sre.SUBPATTERN:
            inner = _best(_required(av[-1]))
        elif op is sre.BRANCH:
            branches = [_best(_required(b)) for b in av[1]]
            inner = frozenset().union(*branches) if all(branches) else None
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            inner = _best(_required(av[2]))
        else:  # character classes, anchors, look-arounds, optional parts: nothing sure
            inner = None
        if inner:
            found.append(inner)
    close_run()
    return found


def _best(sets: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective set: longest shortest string, then fewest strings."""
    usable = [s for s in sets if s and min(map(len, s)) >= _SHORTEST]
    return max(usable, key=lambda s: (min(map(len, s)), -len(s))) if usable else None
