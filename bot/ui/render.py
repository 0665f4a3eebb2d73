"""Jinja2 templates and guide Markdown rendered to Telegram HTML, split under Telegram's limits."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from bot.config import LOCALES
from bot.ui.i18n import Catalogs, Translator

TEXT_LIMIT = 4096

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])_(?=\S)(.+?)(?<=\S)_(?!\w)")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\n\n+|\s+|[^<&\s]{1,400}|[<&]")
_TAG_NAME = re.compile(r"</?([a-z-]+)")


def markdown_to_html(text: str) -> str:
    """The small Markdown subset guides use (paragraphs, ##, **, _, links, lists) → HTML."""
    out: list[str] = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            out.append(f"<b>{_inline(stripped.lstrip('#').strip())}</b>")
        elif stripped.startswith(("- ", "* ")):
            out.append(f"• {_inline(stripped[2:].strip())}")
        elif re.match(r"^\d+[.)] ", stripped):
            number, _, rest = stripped.partition(" ")
            out.append(f"{html.escape(number)} {_inline(rest)}")
        else:
            out.append(_inline(stripped))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


def _inline(text: str) -> str:
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        label, url = html.escape(match.group(1)), html.escape(match.group(2), quote=True)
        links.append(f'<a href="{url}">{label}</a>')
        return f"\x00{len(links) - 1}\x00"

    text = _LINK.sub(keep_link, text.replace("\x00", ""))
    text = html.escape(text, quote=False)
    text = _BOLD.sub(r"<b>\1</b>", text)
    text = _ITALIC.sub(r"<i>\1</i>", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: links[int(m.group(1))], text)


def split_html(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split Telegram HTML into parts ≤ limit, preferring paragraph breaks, never breaking tags."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    tokens = _TOKEN.findall(text)
    stack: list[tuple[str, str]] = []  # (name, opening tag) of tags open at this point
    current: list[str] = []
    size = 0
    breaks: list[tuple[int, list[tuple[str, str]], int]] = []  # (index, stack, strength)

    def closers(open_tags: list[tuple[str, str]]) -> str:
        return "".join(f"</{name}>" for name, _ in reversed(open_tags))

    i = 0
    while i < len(tokens):
        token = tokens[i]
        if size + len(token) + len(closers(stack)) > limit and current:
            # Cut at the strongest recent break: paragraph, then line, then word.
            late = [b for b in breaks if b[0] >= len(current) // 3]
            best = max(late, key=lambda b: (b[2], b[0]), default=(len(current), list(stack), -1))
            cut, cut_stack, strength = best
            parts.append(("".join(current[:cut]) + closers(cut_stack)).strip())
            leftover = current[cut + 1 :] if strength >= 0 else current[cut:]
            tokens[i:i] = leftover
            current = [opening for _, opening in cut_stack]
            stack = list(cut_stack)
            size = sum(len(t) for t in current)
            breaks = []
            continue
        if token.startswith("</"):
            if stack:
                stack.pop()
        elif token.startswith("<") and len(token) > 1:
            name = _TAG_NAME.match(token)
            stack.append((name.group(1) if name else "span", token))
        elif not token.strip():
            strength = 2 if "\n\n" in token else 1 if "\n" in token else 0
            breaks.append((len(current), list(stack), strength))
        current.append(token)
        size += len(token)
        i += 1
    if current:
        parts.append("".join(current).strip())
    return [p for p in parts if p]


class Renderer:
    """Renders templates in content/templates for one locale at a time (autoescape on)."""

    def __init__(self, templates_dir: Path, catalogs: Catalogs) -> None:
        self._envs: dict[str, jinja2.Environment] = {}
        for locale in LOCALES:
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(templates_dir),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                extensions=["jinja2.ext.i18n"],
                trim_blocks=True,
                lstrip_blocks=True,
            )
            translator = catalogs.get(locale)
            env.install_gettext_translations(translator.translations, newstyle=True)  # type: ignore[attr-defined]
            env.filters["md"] = lambda value: markupsafe.Markup(markdown_to_html(value))
            env.filters["date"] = translator.date
            env.filters["datetime"] = translator.datetime
            env.globals["money"] = translator.money
            self._envs[locale] = env

    def render(self, name: str, t: Translator, **values: Any) -> str:
        """Render one template to a single HTML string (may exceed Telegram's limit)."""
        template = self._envs[t.locale].get_template(name)
        return re.sub(r"\n{3,}", "\n\n", template.render(locale=t.locale, **values)).strip()


def render_mapping(mapping: Mapping[str, str], locale: str) -> str:
    """Pick the reader's language from an {id, en} mapping."""
    return mapping.get(locale) or mapping.get("id") or next(iter(mapping.values()), "")
