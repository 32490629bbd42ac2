"""Large type for a screen shared on a video call: the clock's digits at any height, and
short words in block letters.

Digits come from a 5x7 bitmap, scaled to the height asked for and drawn with full and half
blocks (every terminal draws them one cell wide), so the clock can fill a large window.
Words use a FIGlet font (pyfiglet, loaded only when a window is large enough to use it);
text the font can't draw (most non-Latin names) is left to the caller to show plainly.
"""

from __future__ import annotations

from functools import lru_cache

_FONT = {  # '#' = pixel on; 7 rows of 5 columns
    "0": [" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "],
    "1": ["  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "],
    "2": [" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"],
    "3": ["#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "],
    "4": ["   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "],
    "5": ["#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "],
    "6": ["  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "],
    "7": ["#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "],
    "8": [" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "],
    "9": [" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "],
    ":": [" ", " ", "#", " ", "#", " ", " "],
    "+": ["     ", "  #  ", "  #  ", "#####", "  #  ", "  #  ", "     "],
    " ": ["  ", "  ", "  ", "  ", "  ", "  ", "  "],
}
_ROWS = 7


def _bitmap(text: str) -> list[str]:
    rows = [""] * _ROWS
    for index, char in enumerate(text):
        glyph = _FONT.get(char, _FONT[" "])
        for row in range(_ROWS):
            rows[row] += (" " if index else "") + glyph[row]
    return rows


CRISP_HEIGHTS = (21, 14, 7)
"""Heights at which each font pixel is a whole number of half-cells: no uneven strokes."""


def digits_width(text: str, height: int) -> int:
    """Columns `big_digits(text, height)` takes."""
    return max(1, round(len(_bitmap(text)[0]) * 2 * height / _ROWS))


@lru_cache(maxsize=256)
def big_digits(text: str, height: int) -> tuple[str, ...]:
    """`text` (digits, ':' and '+') as `height` rows of blocks."""
    source = _bitmap(text)
    scale = 2 * height / _ROWS  # half-cells per font pixel: pixels come out about square
    width = digits_width(text, height)
    columns = len(source[0])

    def on(y: int, x: int) -> bool:
        return source[min(_ROWS - 1, int(y / scale))][min(columns - 1, int(x / scale))] == "#"

    rows = []
    for row in range(height):
        cells = []
        for x in range(width):
            top, bottom = on(2 * row, x), on(2 * row + 1, x)
            cells.append("█" if top and bottom else "▀" if top else "▄" if bottom else " ")
        rows.append("".join(cells))
    return tuple(rows)


_WORD_CHARACTERS = set(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 !#$%&()*,-./:;<>?@[]^_"
)
"""What the font draws; anything else (an apostrophe, an accent) leaves the text as text."""


@lru_cache(maxsize=64)
def big_words(text: str, width: int) -> tuple[str, ...] | None:
    """`text` in block letters (5 rows), or None if it doesn't fit in `width` or has
    characters the font lacks."""
    if not text.strip() or any(ch not in _WORD_CHARACTERS for ch in text):
        return None
    from pyfiglet import Figlet

    rendered = Figlet(font="ansi_regular", width=10_000).renderText(text)
    rows = [row.rstrip() for row in rendered.splitlines()]
    rows = [row for row in rows if row.strip()] or []
    if not rows or max(len(row) for row in rows) > width:
        return None
    longest = max(len(row) for row in rows)
    return tuple(row.ljust(longest) for row in rows)
