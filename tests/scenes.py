"""Helpers shared by the handler tests: catalog words that must exist, and a case to work on."""

from __future__ import annotations

import re
from typing import Any

from bot.context import KawanApplication
from bot.storage.models import Case
from bot.transport.driver import ChatDriver, Reply
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from conftest import OFFICERS_CHAT, finish_request
from tests.translated import said

REF = re.compile(r"KWN-[0-9A-HJKMNP-TV-Z]{6}")
# 10,000 characters where every other one must be escaped in HTML: what a paste can look like.
AWKWARD = ("a&b <c> " * 1250)[:10_000]


def words(app: KawanApplication, locale: str, msgid: str, **params: object) -> str:
    """The catalog's text in `locale`; fails when the catalog lacks the entry, so a test that
    looks for these words also proves the translation exists (no silent English fallback)."""
    t = app.services.catalogs.get(locale)
    assert t.locale == locale, f"no {locale} catalog"
    return said(t, msgid, **params)


async def settle(app: KawanApplication) -> None:
    """Let the outbox dispatcher deliver everything that is due (no sleeping)."""
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()


async def open_case(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, *, safe: str = "yes"
) -> Case:
    """A help request sent the long way (or the short, discreet one) and posted to its topic."""
    await citizen.send("/bantuan")
    await citizen.press("i:category:passport")
    await citizen.press(f"i:safe:{safe}")
    if safe == "yes":
        await citizen.send("Sihanoukville")
        await citizen.press("i:contact:any")
        await citizen.send("Paspor saya ditahan bos")
        await finish_request(citizen)
    else:
        await citizen.send("Paspor ditahan")
        await citizen.press("i:location:-")
        await citizen.press("i:consent:send")
    assert REF.search(citizen.text), citizen.text
    await settle(app)
    (case,) = await app.services.repos.cases.list_for_user(citizen.person.id)
    assert case.thread_id is not None
    return case


def person(user_id: int, locale: str, name: str = "Ani") -> Person:
    return Person(id=user_id, first_name=name, language_code=locale)


def last_from(api: OfflineBotAPI, chat_id: int, who: Person) -> int:
    """The id of the newest message `who` sent in the chat."""
    mine = [m for m in api.chat(chat_id).messages.values() if m["from"]["id"] == who.id]
    return int(mine[-1]["message_id"])


def sent_since(api: OfflineBotAPI, before: int, chat_id: int) -> list[dict[str, Any]]:
    """Messages and copies sent to a chat since call number `before`."""
    return [
        params for method, params in api.calls[before:]
        if method in ("sendMessage", "copyMessage", "sendDocument")
        and int(params.get("chat_id") or 0) == chat_id
    ]  # fmt: skip


def to_officers(api: OfflineBotAPI, before: int) -> list[dict[str, Any]]:
    return sent_since(api, before, OFFICERS_CHAT)


def toast(replies: list[Reply]) -> str:
    """What the answers to button presses said (the small pop-up)."""
    return " ".join(
        str(r.params.get("text") or "") for r in replies if r.method == "answerCallbackQuery"
    )
