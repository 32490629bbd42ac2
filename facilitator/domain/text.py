"""Cleaning what people type, with a clear message when it can't be used."""

from __future__ import annotations

import unicodedata


class InvalidText(ValueError):
    """Text that can't be stored as typed; the message says why, for the person."""


def clean_text(raw: str, *, what: str, max_length: int, required: bool = True) -> str:
    """Strip control characters and extra spaces; refuse empty or overlong text."""
    # Pasted text can carry newlines, tabs and terminal escapes; none belong in a one-line entry.
    visible = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in raw)
    text = " ".join(unicodedata.normalize("NFC", visible).split())
    if required and not text:
        raise InvalidText(f"{what} can't be empty.")
    if len(text) > max_length:
        raise InvalidText(f"{what} is {len(text)} characters; please keep it to {max_length}.")
    return text
