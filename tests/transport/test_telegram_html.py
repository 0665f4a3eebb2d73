"""Telegram's HTML parse mode as the Bot API checks it: what it shows, what it refuses."""

from __future__ import annotations

import pytest

from bot.transport.telegram_html import TelegramHTMLError, html_to_plain


def test_the_plain_text_is_what_a_person_sees() -> None:
    text = '<b>Paspor</b> &amp; <a href="https://kemlu.go.id">visa</a> &lt;3 &#8364; a & b'
    assert html_to_plain(text) == "Paspor & visa <3 € a & b"
    assert html_to_plain("<blockquote><i>kutipan</i></blockquote>") == "kutipan"


@pytest.mark.parametrize(
    "text",
    [
        "<div>x</div>",  # a tag Telegram does not know
        "<b>x</i>",  # crossed tags
        "<b>x",  # left open
        "x</b>",  # closed but never opened
        "<a>x</a>",  # a link without href
        "<br/>",  # self-closing
        "a < b",  # an unescaped bracket
        "ends with <",
        "&nbsp;",  # an entity Telegram does not accept
        "<!-- note -->",
    ],
)
def test_what_the_bot_api_refuses_is_refused(text: str) -> None:
    with pytest.raises(TelegramHTMLError):
        html_to_plain(text)


def test_a_refused_text_is_refused_every_time() -> None:
    """Results are cached for speed; errors never are."""
    for _ in range(2):
        with pytest.raises(TelegramHTMLError, match="unclosed"):
            html_to_plain("<b>open")
