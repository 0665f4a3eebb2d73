"""A screen is a text plus buttons: what handlers show and the officers' case card is."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

Button = tuple[str, str]  # (label, callback_data)


@dataclass(frozen=True)
class Screen:
    text: str  # Telegram HTML, already under the length limit
    rows: tuple[tuple[Button, ...], ...] = ()

    @property
    def markup(self) -> InlineKeyboardMarkup | None:
        return _keyboard(self.rows) if self.rows else None


@functools.lru_cache(maxsize=2048)
def _keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    """Most keyboards repeat (menus, steps, case buttons); telegram objects are immutable."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )
