"""Guide pages: a guide rendered once per language, split under Telegram's limit, paged in place."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.content import Guide
from bot.context import KawanContext
from bot.handlers.screens import (
    Button,
    Screen,
    answer_query,
    nav_row,
    rendered_once,
    show,
    stale_button,
)
from bot.ui.commands import CommandRegistry
from bot.ui.i18n import Translator
from bot.ui.render import TEXT_LIMIT, split_html

_CALLBACK = re.compile(r"^g:([a-z0-9-]{1,40}):(\d{1,2})$")
# Room for Telegram's own counting differences (UTF-16 code units) and the page marker.
PAGE_LIMIT = TEXT_LIMIT - 200


def guide_pages(t: Translator, context: KawanContext, guide: Guide) -> list[str]:
    """The guide as HTML pages, rendered once per (language, guide) and kept."""

    def build() -> list[str]:
        html = context.services.renderer.render("guide.html.j2", t, guide=guide)
        return split_html(html, PAGE_LIMIT)

    return rendered_once(context, ("guide", guide.locale, guide.id, t.locale), build)


def guide_screen(t: Translator, context: KawanContext, guide: Guide, page: int) -> Screen:
    """One page of a guide with page buttons, back (to its menu) and home."""
    pages = guide_pages(t, context, guide)
    page = max(0, min(page, len(pages) - 1))
    text = pages[page]
    paging: list[Button] = []
    if len(pages) > 1:
        marker = t("Page %(page)s of %(total)s", page=page + 1, total=len(pages))
        text += f"\n\n<i>{marker}</i>"
        if page > 0:
            paging.append((t("◀️ Previous"), f"g:{guide.id}:{page - 1}"))
        if page < len(pages) - 1:
            paging.append((t("Next ▶️"), f"g:{guide.id}:{page + 1}"))
    back = f"m:{guide.menu}" if guide.menu not in ("none",) else "m:home"
    rows = (tuple(paging), nav_row(t, back)) if paging else (nav_row(t, back),)
    return Screen(text, rows)


async def on_guide_button(update: Update, context: KawanContext) -> None:
    """Buttons g:<guide-id>:<page>."""
    match = _CALLBACK.match(str(update.callback_query.data if update.callback_query else ""))
    guide = context.services.content.guide(context.locale, match.group(1)) if match else None
    if match is None or guide is None:
        await stale_button(update, context)
        return
    await answer_query(update)
    await show(update, context, guide_screen(context.t, context, guide, int(match.group(2))))


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire the guide page buttons."""
    app.add_handler(CallbackQueryHandler(on_guide_button, pattern=r"^g:"))
