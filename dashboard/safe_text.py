"""Text made safe once for every file the read side writes (Excel workbooks, the .docx report).

A report's sentence may hold control characters or terminal escapes (``\\x01``, ``\\x1b[31m``):
a workbook cannot hold them (openpyxl refused them with IllegalCharacterError) and lxml refuses
what XML 1.0 cannot hold, so one bad report would take an export away from everyone.
Spreadsheets also read text starting with ``= + - @`` as a formula; ``formula_like`` says which
texts the Excel writer must keep as text.
"""

from __future__ import annotations

import re

__all__ = ["formula_like", "safe_text"]

# Terminal escapes (CSI such as '\x1b[31m', OSC ending in BEL or ESC \): removed whole, parameters too.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
# C0 controls but tab, line feed and carriage return; DEL; C1 controls: a space in their place.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+")
# What XML 1.0 cannot hold besides controls: lone surrogates, U+FFFE, U+FFFF: dropped.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_FORMULA_STARTS = ("=", "+", "-", "@")


def safe_text(text: str) -> str:
    """``text`` with escapes and controls gone (a space where they parted words) and characters
    XML cannot hold dropped; tab and line breaks stay (each writer decides on whitespace)."""
    if _UNSAFE.search(text) is None:  # nearly every text: one scan, no copy
        return text
    return _NOT_XML.sub("", _CONTROLS.sub(" ", _ESCAPES.sub("", text)))


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (leading whitespace aside)."""
    return text.lstrip(" \t\r\n").startswith(_FORMULA_STARTS)
