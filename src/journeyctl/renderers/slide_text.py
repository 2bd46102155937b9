"""Text measured as the slide image draws it: advance widths of DejaVu Sans, wrapping and ellipsis.

The slide image (``renderers/slide.py``) asks for DejaVu Sans, the font the
project installs and that Cairo (PNG, PDF) and browsers (SVG) find. A box's
text must never overflow it, so each line is measured before it is drawn: the
sum of the advance widths of its characters, taken from the ``hmtx`` table of
DejaVu Sans and DejaVu Sans Bold 2.37 (tests/renderers/test_slide_text.py
checks the tables against the installed fonts). Kerning only narrows a line,
so the sum is an upper bound. A character outside the tables counts as an
accented letter's base letter, or else as a wide 1.2 em, so that a guess never
overflows. Lines wrap at spaces, a word wider than the box is broken, and
what does not fit the allowed lines ends in an ellipsis.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: DejaVu Sans first (Cairo takes only the first family); Bitstream Vera Sans has the same widths;
#: a viewer's sans-serif fallback (Arial, Helvetica, Liberation Sans) is narrower, so text stays inside.
FONT_FAMILY = "DejaVu Sans, Bitstream Vera Sans, sans-serif"
ELLIPSIS = "\u2026"

#: Units per em of DejaVu Sans: the tables below are in these units.
_UNITS_PER_EM = 2048
#: The characters of the tables: printable ASCII, Latin-1, and the punctuation and marks the slide draws.
_CHARACTERS = (
    "".join(chr(code) for code in range(0x20, 0x7F))
    + "".join(chr(code) for code in range(0xA0, 0x100))
    + "\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022\u00b7\u2192\u21b3\u2605\u2713"
    + "\u25b2\u25c6\u25cf\u25cb\u2212\u00b1\u20ac\ufffd"
)
_REGULAR = """
651 821 942 1716 1303 1946 1597 563 799 799 1024 1716 651 739 651 690 1303 1303 1303 1303 1303 1303
1303 1303 1303 1303 690 690 1716 1716 1716 1087 2048 1401 1405 1430 1577 1294 1178 1587 1540 604 604
1343 1141 1767 1532 1612 1235 1612 1423 1300 1251 1499 1401 2025 1403 1251 1403 799 690 799 1716
1024 1024 1255 1300 1126 1300 1260 721 1300 1298 569 569 1186 569 1995 1298 1253 1300 1300 842 1067
803 1298 1212 1675 1212 1212 1075 1303 690 1303 1716 651 821 1303 1303 1303 1303 690 1024 1024 2048
965 1253 1716 739 2048 1024 1024 1716 821 821 1024 1303 1303 651 1024 821 965 1253 1985 1985 1985
1087 1401 1401 1401 1401 1401 1401 1995 1430 1294 1294 1294 1294 604 604 604 604 1587 1532 1612 1612
1612 1612 1612 1716 1612 1499 1499 1499 1499 1251 1239 1290 1255 1255 1255 1255 1255 1255 2011 1126
1260 1260 1260 1260 569 569 569 569 1253 1298 1253 1253 1253 1253 1253 1716 1253 1298 1298 1298 1298
1212 1300 1212 1024 2048 651 651 1061 1061 2048 1208 651 1716 1716 1836 1716 1575 1575 1787 1787
1716 1716 1303 2100
"""
_BOLD = """
713 934 1067 1716 1425 2052 1786 627 936 936 1071 1716 778 850 778 748 1425 1425 1425 1425 1425 1425
1425 1425 1425 1425 819 819 1716 1716 1716 1188 2048 1585 1561 1503 1700 1399 1399 1681 1714 762 762
1587 1305 2038 1714 1741 1501 1741 1577 1475 1397 1663 1585 2259 1579 1483 1485 936 748 936 1716
1024 1024 1382 1466 1214 1466 1389 891 1466 1458 702 702 1362 702 2134 1458 1407 1466 1466 1010 1219
979 1458 1335 1892 1321 1335 1192 1458 748 1458 1716 713 934 1425 1425 1303 1425 748 1024 1024 2048
1155 1323 1716 850 2048 1024 1024 1716 897 897 1024 1507 1303 778 1024 897 1155 1323 2120 2120 2120
1188 1585 1585 1585 1585 1585 1585 2222 1503 1399 1399 1399 1399 762 762 762 762 1716 1714 1741 1741
1741 1741 1741 1716 1741 1663 1663 1663 1663 1483 1511 1473 1382 1382 1382 1382 1382 1382 2146 1214
1389 1389 1389 1389 702 702 702 702 1407 1458 1407 1407 1407 1407 1407 1716 1407 1458 1458 1458 1458
1335 1466 1335 1024 2048 778 778 1346 1346 2048 1309 778 1716 1716 1836 1716 1575 1575 1787 1787
1716 1716 1425 2280
"""
_WIDE = 1.2

_WIDTHS = {
    False: dict(zip(_CHARACTERS, (int(w) / _UNITS_PER_EM for w in _REGULAR.split()), strict=True)),
    True: dict(zip(_CHARACTERS, (int(w) / _UNITS_PER_EM for w in _BOLD.split()), strict=True)),
}


@lru_cache(maxsize=4096)
def _char_width(char: str, bold: bool) -> float:
    table = _WIDTHS[bold]
    width = table.get(char)
    if width is not None:
        return width
    base = unicodedata.normalize("NFKD", char)[:1]
    return table.get(base, _WIDE) if base.isascii() and base.isalpha() else _WIDE


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in px of ``text`` in DejaVu Sans (Bold) at ``size`` px."""
    return sum(_char_width(char, bold) for char in text) * size


#: The narrowest character of the tables, in em: a word longer than width / this is too wide, unmeasured.
_NARROWEST = min(min(table.values()) for table in _WIDTHS.values())


def _too_wide(word: str, width: float, size: float, bold: bool) -> bool:
    # A 10 MB word is never measured whole: past this many characters it cannot fit.
    if len(word) * _NARROWEST * size > width:
        return True
    return text_width(word, size, bold=bold) > width


def _split_word(word: str, width: float, size: float, bold: bool) -> tuple[str, str]:
    """The longest start of ``word`` that fits ``width`` (at least one character), and the rest."""
    used = 0.0
    for index, char in enumerate(word):
        used += _char_width(char, bold) * size
        if used > width:
            cut = max(index, 1)
            return word[:cut], word[cut:]
    return word, ""


def _shorten(line: str, width: float, size: float, bold: bool) -> str:
    """``line`` cut so that it and an ellipsis fit ``width`` (at a space where one is near)."""
    room = width - text_width(ELLIPSIS, size, bold=bold)
    cut = line
    while cut and text_width(cut, size, bold=bold) > room:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space > len(cut) * 2 // 3:  # end on a whole word unless that throws away a third
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + ELLIPSIS


def wrap(text: str, width: float, size: float, *, bold: bool = False, lines: int = 2) -> list[str]:
    """``text`` on at most ``lines`` lines no wider than ``width`` px; the last ends in … if cut.

    Whitespace runs (newlines included) become single spaces; an empty text gives no line.
    """
    words = text.split()
    out: list[str] = []
    current = ""
    space = text_width(" ", size, bold=bold)
    current_width = 0.0
    queue = list(reversed(words))
    while queue:
        word = queue.pop()
        if _too_wide(word, width, size, bold):
            head, rest = _split_word(word, width, size, bold)
            if rest:
                queue.append(rest)
            queue.append(head)
            if len(head) == 1 and text_width(head, size, bold=bold) > width:
                queue.pop()  # not even one character fits: draw it anyway rather than loop
                word = head
            else:
                continue
        word_width = text_width(word, size, bold=bold)
        if current and current_width + space + word_width <= width:
            current += " " + word
            current_width += space + word_width
            continue
        if current:
            out.append(current)
        current, current_width = word, word_width
        if len(out) == lines:
            break
    else:
        if current:
            out.append(current)
        return out
    # More text than lines: the last line kept ends in an ellipsis.
    last = out[lines - 1]
    out = out[:lines]
    out[-1] = (
        last + ELLIPSIS
        if text_width(last + ELLIPSIS, size, bold=bold) <= width
        else _shorten(last, width, size, bold)
    )
    return out


def fit_line(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """``text`` on one line no wider than ``width`` px, ending in … when cut."""
    fitted = wrap(text, width, size, bold=bold, lines=1)
    return fitted[0] if fitted else ""
