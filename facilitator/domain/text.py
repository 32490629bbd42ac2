"""Cleaning what people type, with a clear message when it can't be used."""

from __future__ import annotations

import unicodedata


class InvalidText(ValueError):
    """Text that can't be stored as typed; the message says why, for the person."""


_KEPT_FORMAT_CHARACTERS = {"\u200d", "\u200c"} | {chr(c) for c in range(0xE0020, 0xE0080)}
"""Invisible characters that belong to the text: the joiners of emoji and the non-joiner that
Persian and Indic words need, and the tags of regional flags. Kept."""


def _visible(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in ("Cc", "Zl", "Zp"):
        return " "  # newlines, tabs, escapes: none belong in a one-line entry
    if category == "Cs":
        return "\ufffd"  # half of a broken character from the terminal: can't be stored
    if category == "Cf" and ch not in _KEPT_FORMAT_CHARACTERS:
        return ""  # direction overrides, zero-width spaces: they hide or reorder text
    return ch


def strip_hidden(raw: str) -> str:
    if raw.isprintable():  # no Cc, Cf, Cs, Zl, Zp (nor Co, Cn, or Zs but the space): as is
        return raw
    return "".join(_visible(ch) for ch in raw)


def has_hidden_characters(raw: str) -> bool:
    """Whether cleaning removes more than spaces: worth telling the person."""
    return any(
        unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp")
        or (unicodedata.category(ch) == "Cf" and ch not in _KEPT_FORMAT_CHARACTERS)
        for ch in raw
        if ch not in "\t\n\r"
    )


def clean_text(raw: str, *, what: str, max_length: int, required: bool = True) -> str:
    """Strip control characters and extra spaces; refuse empty or overlong text."""
    text = " ".join(unicodedata.normalize("NFC", strip_hidden(raw)).split())
    if required and not text:
        raise InvalidText(f"{what} can't be empty.")
    if len(text) > max_length:
        raise InvalidText(f"{what} is {len(text)} characters; please keep it to {max_length}.")
    return text
