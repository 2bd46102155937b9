"""User text on one line of output: file names and messages with line breaks, control characters
and undecodable bytes shown as escapes, so that a name can neither split a line nor drive a terminal.

Text formats (lint's text and concise output, diff's text and Markdown, every ``path:line:col:``
message) pass file names through ``show_path`` and free text through ``one_line``. JSON and XML
formats escape what their syntax needs themselves and use ``replace_surrogates`` for names that
are not UTF-8.
"""

from __future__ import annotations

import re

#: C0 and C1 controls (tab and newline included), DEL, the Unicode line and paragraph separators
#: (editors and some terminals break lines there), and lone surrogates: Python decodes a file name
#: that is not UTF-8 with ``surrogateescape``, so byte 0xff arrives as U+DCFF.
_SPECIAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    r"""``text`` with each special character as an escape: ``\n``, ``\t``, ``\x1b``, ``\u2028``.

    A byte of a file name that is not UTF-8 is shown as the byte (``\xff``).
    """
    if not _SPECIAL.search(text):
        return text
    return _SPECIAL.sub(_escape, text)


def show_path(path: str) -> str:
    """A file name as it is, or, when it holds special characters, quoted with escapes as git does.

    ``maps/new\\nline.yaml`` (with a real newline) is shown as ``"maps/new\\nline.yaml"``; inside
    the quotes, backslashes and double quotes are escaped too, so the name reads back exactly.
    """
    if not _SPECIAL.search(path):
        return path
    return '"' + one_line(path.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def replace_surrogates(text: str) -> str:
    """``text`` with every lone surrogate (a byte of a name that is not UTF-8) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    named = _NAMED.get(character)
    if named is not None:
        return named
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte itself
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"
