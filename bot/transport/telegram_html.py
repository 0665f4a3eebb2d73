"""Telegram's HTML parse mode, checked the way the Bot API checks it."""

from __future__ import annotations

import functools
import html
from html.parser import HTMLParser

# Tags the Bot API accepts with parse_mode=HTML (https://core.telegram.org/bots/api#html-style).
ALLOWED_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "code", "pre", "blockquote", "tg-emoji",
    }
)  # fmt: skip


class TelegramHTMLError(ValueError):
    """The text would be refused by the Bot API ("can't parse entities")."""


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.plain: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise TelegramHTMLError(f"unsupported start tag {tag!r}")
        if tag == "a" and not any(k == "href" and v for k, v in attrs):
            raise TelegramHTMLError("<a> without href")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise TelegramHTMLError(f"unexpected end tag {tag!r}")
        self.stack.pop()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise TelegramHTMLError(f"self-closing tag {tag!r}")

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            raise TelegramHTMLError("unescaped < or >")
        self.plain.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            raise TelegramHTMLError(f"unsupported entity &{name};")
        self.plain.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.plain.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        raise TelegramHTMLError("comments are not allowed")

    def handle_decl(self, decl: str) -> None:
        raise TelegramHTMLError("declarations are not allowed")

    def unknown_decl(self, data: str) -> None:
        raise TelegramHTMLError("declarations are not allowed")

    def handle_pi(self, data: str) -> None:
        raise TelegramHTMLError("processing instructions are not allowed")


# The fake server sees the same screens again and again; parsing each once keeps simulated
# Telegram's work from weighing on the bot's measured time (errors are never cached).
@functools.lru_cache(maxsize=1024)
def html_to_plain(text: str) -> str:
    """Validate Telegram HTML and return the text a user would see; raises TelegramHTMLError."""
    # A bare "&" that starts no entity is accepted by Telegram; HTMLParser reports it as data.
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        raise TelegramHTMLError(f"unclosed tag {checker.stack[-1]!r}")
    if checker.rawdata:  # something HTMLParser could not make sense of, e.g. "<" at the end
        raise TelegramHTMLError("unescaped < or >")
    return "".join(checker.plain)
