"""A screen is HTML text plus rows of (label, callback_data) buttons, as PTB markup."""

from __future__ import annotations

import dataclasses

import pytest
from telegram import InlineKeyboardMarkup

from bot.transport.chatlog import check_markup
from bot.ui.screen import Screen


def test_a_screen_without_buttons_has_no_markup() -> None:
    assert Screen("<b>Halo</b>").markup is None
    assert Screen("Halo", rows=()).markup is None


def test_rows_become_an_inline_keyboard_in_order() -> None:
    screen = Screen("Menu", rows=((("Ya", "i:yes"), ("Tidak", "i:no")), (("Kembali", "m:home"),)))
    markup = screen.markup
    assert isinstance(markup, InlineKeyboardMarkup)
    shown = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert shown == [[("Ya", "i:yes"), ("Tidak", "i:no")], [("Kembali", "m:home")]]
    # What the bot would post is accepted by the fake Telegram's button checks.
    assert check_markup({"reply_markup": markup.to_dict()}) == markup.to_dict()


def test_equal_rows_share_one_keyboard_and_different_rows_do_not() -> None:
    rows = ((("A", "a:1"),),)
    assert Screen("one", rows).markup is Screen("two", rows).markup
    assert Screen("one", rows).markup != Screen("one", ((("A", "a:2"),),)).markup


def test_a_screen_is_immutable_and_compares_by_value() -> None:
    screen = Screen("x", ((("A", "a"),),))
    assert screen == Screen("x", ((("A", "a"),),))
    assert hash(screen) == hash(Screen("x", screen.rows))
    with pytest.raises(dataclasses.FrozenInstanceError):
        screen.text = "y"  # type: ignore[misc]
