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
from bot.ui import limits
from bot.ui.fit import split_html
from bot.ui.i18n import Catalogs, Translator

TEXT_LIMIT = limits.TEXT
__all__ = ["TEXT_LIMIT", "Renderer", "markdown_to_html", "render_mapping", "split_html"]

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])_(?=\S)(.+?)(?<=\S)_(?!\w)")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


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
