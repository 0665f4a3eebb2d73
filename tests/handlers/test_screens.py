"""bot/handlers/screens.py: a press edits its message in place, groups are paced, spinners stop."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.context import KawanApplication, KawanContext
from bot.handlers.screens import answer_query, column, nav_row, rendered_once
from bot.runtime.ratelimit import KawanRateLimiter
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.ui.limits import CALLBACK_ANSWER
from conftest import OFFICERS_CHAT
from tests.scenes import person, settle, toast, words


def _calls(api: OfflineBotAPI, before: int, *methods: str) -> list[tuple[str, dict[str, Any]]]:
    return [(m, p) for m, p in api.calls[before:] if m in methods]


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_a_press_edits_the_pressed_message_and_every_screen_leads_home(
    app: KawanApplication, api: OfflineBotAPI, locale: str
) -> None:
    reader = ChatDriver(app, api, person(100_800, locale))
    await reader.send("/menu")
    (menu,) = [r for r in reader.replies if r.method == "sendMessage"]
    assert words(app, locale, "Hello, I am Kawan.") in menu.text
    menu_id = max(api.chat(reader.chat_id).messages)
    before = len(api.calls)
    await reader.press("m:rules")
    (edit,) = _calls(api, before, "editMessageText", "sendMessage")
    assert edit[0] == "editMessageText" and int(edit[1]["message_id"]) == menu_id
    home = words(app, locale, "🏠 Home")
    assert (home, "m:home") in reader.buttons
    await reader.press("m:home")
    assert words(app, locale, "Hello, I am Kawan.") in reader.text
    assert len(api.chat(reader.chat_id).messages) == 2  # /menu and its one screen, edited


async def test_an_unchanged_screen_is_neither_an_error_nor_a_new_message(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("/menu")
    before = len(api.calls)
    await citizen.callback("m:home")  # the home screen, asked for on the home screen
    tried = [i for i, (m, _) in enumerate(api.calls[before:], before) if m != "answerCallbackQuery"]
    assert [api.calls[i][0] for i in tried] == ["editMessageText"]
    assert api.results[tried[0]] is None  # Telegram refused it: "message is not modified"
    assert list(app.services.errors) == []


async def test_a_button_on_a_message_gone_from_the_chat_gets_a_fresh_screen(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("/menu")
    menu_id = max(api.chat(citizen.chat_id).messages)
    del api.chat(citizen.chat_id).messages[menu_id]  # deleted (or too old) meanwhile
    before = len(api.calls)
    await citizen.callback("m:rules", message_id=menu_id)
    tried = [i for i, (m, _) in enumerate(api.calls[before:], before) if m != "answerCallbackQuery"]
    assert [api.calls[i][0] for i in tried] == ["editMessageText", "sendMessage"]
    assert api.results[tried[0]] is None and api.results[tried[1]] is not None
    assert (words(app, "id", "🏠 Home"), "m:home") in citizen.buttons
    assert list(app.services.errors) == []


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_an_unknown_or_forged_button_gets_a_toast_and_leaves_the_message_alone(
    app: KawanApplication, api: OfflineBotAPI, locale: str
) -> None:
    reader = ChatDriver(app, api, person(100_801, locale))
    await reader.send("/menu")
    shown = dict(api.chat(reader.chat_id).messages)
    for data in ("zz:gone", "m:", "g:no-such-guide:0", "x" * 64, "&<>"):
        replies = await reader.callback(data)
        expected = words(app, locale, "This button is no longer available. Please use /menu.")
        assert toast(replies) == expected, data
        assert [r.method for r in replies] == ["answerCallbackQuery"], data
    assert api.chat(reader.chat_id).messages == shown


async def test_a_spinner_answer_is_trimmed_and_a_refused_answer_does_not_stop_the_step(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    update = citizen.factory.callback(citizen.person, "m:home", chat_id=citizen.chat_id)
    await answer_query(update, "&<>" * 400)
    method, params = api.calls[-1]
    assert method == "answerCallbackQuery" and api.results[-1] is True  # accepted by Telegram
    assert 0 < len(params["text"]) <= CALLBACK_ANSWER
    calls = len(api.calls)
    await answer_query(Update(update_id=1))  # no button: nothing to stop, nothing sent
    assert len(api.calls) == calls

    await citizen.send("/menu")
    api.fault_policy = lambda method, _: (
        (400, "Bad Request: query is too old", None) if method == "answerCallbackQuery" else None
    )
    await citizen.press("m:rules")  # the spinner cannot be stopped; the screen still changes
    api.fault_policy = None
    assert (words(app, "id", "🏠 Home"), "m:home") in citizen.buttons
    assert any(r.method == "editMessageText" for r in citizen.replies)


def test_nav_rows_and_columns_in_both_languages(app: KawanApplication) -> None:
    for locale in ("id", "en"):
        t = app.services.catalogs.get(locale)
        home = (words(app, locale, "🏠 Home"), "m:home")
        back = words(app, locale, "⬅️ Back")
        assert nav_row(t) == nav_row(t, None) == nav_row(t, "m:home") == (home,)
        assert nav_row(t, "m:rules") == ((back, "m:rules"), home)
    assert column([("a", "1"), ("b", "2")]) == ((("a", "1"),), (("b", "2"),))
    assert column([]) == ()


async def test_a_screen_built_once_per_language_and_run(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    context = KawanContext(app)
    built: list[str] = []

    def build() -> str:
        built.append("built")
        return f"screen {len(built)}"

    assert rendered_once(context, ("test", "id"), build) == "screen 1"
    assert rendered_once(context, ("test", "id"), build) == "screen 1"
    assert rendered_once(context, ("test", "en"), build) == "screen 2"
    assert built == ["built", "built"]
    await citizen.send("/menu")
    cached = app.services.screens[("home", "id")]
    await citizen.send("/menu")
    assert app.services.screens[("home", "id")] is cached  # the same Screen, not rebuilt


async def test_an_answer_in_the_group_goes_now_or_waits_for_the_groups_budget(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver
) -> None:
    await officer.send("/idgrup")  # room in the budget: posted at once
    expected = words(app, "id", "This group's id: <code>%(id)s</code>", id=OFFICERS_CHAT)
    assert officer.text == expected.replace("<code>", "").replace("</code>", "")

    limiter = app.bot.rate_limiter
    assert isinstance(limiter, KawanRateLimiter)
    pacer = limiter.group_pacer(OFFICERS_CHAT)
    clock = [1_000.0]
    pacer.clock = lambda: clock[0]  # the same pacer the dispatcher spends, on a clock we move
    pacer.forget()
    while limiter.try_group_send(OFFICERS_CHAT):
        pass  # a surge of case cards spent the minute's budget
    before = len(api.calls)
    await officer.send("/idgrup")
    assert _calls(api, before, "sendMessage") == []  # not now: the handler did not wait
    assert await app.services.repos.outbox.count_pending("group_reply") == 1
    clock[0] += pacer.window  # the window moves on
    await settle(app)
    (posted,) = _calls(api, before, "sendMessage")
    assert posted[1]["chat_id"] == OFFICERS_CHAT and str(OFFICERS_CHAT) in posted[1]["text"]
    assert await app.services.repos.outbox.count_pending("group_reply") == 0
