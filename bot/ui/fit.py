"""Bound texts to Telegram's limits, measured as Telegram measures them (after entity parsing).

- `trim(field, n)`: a field a person typed, shortened *before* rendering, with a visible "…".
- `split_html(html, limit)`: Telegram HTML in parts of at most `limit` visible characters, cut at
  a paragraph, line, sentence or word boundary, never inside a tag or an entity; tags open at
  a cut are closed at the end of one part and reopened at the start of the next.
- `fit_html(html, limit)`: one part only (a card with buttons), ending in "…" when cut.
- `to_plain(html)`: the text a reader sees, for a retry without parse_mode.
"""

from __future__ import annotations

import html
import re
from collections import deque

from bot.ui import limits

ELLIPSIS = "…"
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\s+|[^<&\s]+|[<&]")
_TAG_NAME = re.compile(r"</?([a-z][a-z-]*)")
_WORD_CHUNK = 64  # a word longer than this may be cut anywhere (URLs, runs of symbols)
_SENTENCE_END = (".", "!", "?", "…", ":", ";")


def units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_plain(text: str) -> str:
    """The visible text of Telegram HTML (tags dropped, entities decoded); lenient."""
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def visible_length(text: str) -> int:
    """Length of the text after entity parsing, in Telegram's units."""
    return units(to_plain(text))


def trim(value: str | None, limit: int) -> str:
    """A person's text cut to `limit` characters (plain text, before escaping), ending in "…"."""
    value = value or ""
    if units(value) <= limit:
        return value
    cut = value[: max(1, limit - 1)]
    while units(cut) > limit - 1:
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS


def _visible(token: str) -> int:
    if token.startswith("<") and len(token) > 1:
        return 0
    if token.startswith("&") and token.endswith(";"):
        return units(html.unescape(token))
    return units(token)


def _tokens(text: str) -> deque[str]:
    out: deque[str] = deque()
    for token in _TOKEN.findall(text):
        if token[0] not in "<&" and not token.isspace() and len(token) > _WORD_CHUNK:
            out.extend(token[i : i + _WORD_CHUNK] for i in range(0, len(token), _WORD_CHUNK))
        else:
            out.append(token)
    return out


def _strength(token: str, previous: str) -> int:
    if "\n\n" in token:
        return 3
    if "\n" in token:
        return 2
    return 1 if html.unescape(previous).endswith(_SENTENCE_END) else 0  # "&amp;" ends in "&"


def split_html(text: str, limit: int = limits.TEXT, first_limit: int | None = None) -> list[str]:
    """Telegram HTML in as many parts as needed, each within `limit` visible characters."""
    text = text.strip()
    if visible_length(text) <= (first_limit or limit):
        return [text] if text else []
    parts: list[str] = []
    tokens = _tokens(text)
    stack: list[tuple[str, str]] = []  # (name, opening tag) open at this point
    current: list[str] = []
    size = 0
    breaks: list[tuple[int, list[tuple[str, str]], int, int]] = []  # index, stack, strength, size

    def emit(tokens_: list[str], open_tags: list[tuple[str, str]]) -> None:
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        part = ("".join(tokens_) + closing).strip()
        if to_plain(part).strip():
            parts.append(part)

    while tokens:
        token = tokens.popleft()
        budget = first_limit if first_limit is not None and not parts else limit
        width = _visible(token)
        if size + width > budget and size > 0:
            late = [b for b in breaks if b[3] >= size // 2]
            if late:
                cut, cut_stack, _, _ = max(late, key=lambda b: (b[2], b[0]))
                emit(current[:cut], cut_stack)
                rest = current[cut + 1 :]  # the whitespace at the cut is dropped
            else:
                cut_stack = list(stack)
                emit(current, cut_stack)
                rest = []
            tokens.appendleft(token)
            tokens.extendleft(reversed(rest))
            current = [opening for _, opening in cut_stack]
            stack, size, breaks = list(cut_stack), 0, []
            continue
        if token.startswith("</"):
            if stack:
                stack.pop()
        elif token.startswith("<") and len(token) > 1:
            name = _TAG_NAME.match(token)
            stack.append((name.group(1) if name else "span", token))
        elif token.isspace() and current:
            breaks.append((len(current), list(stack), _strength(token, current[-1]), size))
        current.append(token)
        size += width
    emit(current, stack)
    return parts


def fit_html(text: str, limit: int = limits.TEXT) -> str:
    """The first part of `text` within `limit`, with "…" when something was cut."""
    parts = split_html(text, limit - 1)
    if len(parts) <= 1:
        return parts[0] if parts else text
    first = parts[0]
    closing = re.search(r"(</[a-z-]+>)*$", first)
    tail = closing.group(0) if closing else ""
    return first[: len(first) - len(tail)] + ELLIPSIS + tail


def split_plain(text: str, limit: int = limits.TEXT) -> list[str]:
    """Plain text (no parse_mode) in parts within `limit`, cut like split_html."""
    return [to_plain(p) for p in split_html(html.escape(text, quote=False), limit)]
