"""Hostile and odd input: injections come out inert, fuzzed updates never crash the bot."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_application, running
from bot.config import Settings
from bot.context import KawanApplication
from bot.storage.models import NewCase, NewOutbox
from bot.transport.chatlog import CAPTION_LIMIT, TEXT_LIMIT, ApiError, checked_text
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import MEDIA_KINDS, Person, UpdateFactory
from conftest import OFFICER, OFFICERS_CHAT

SENTINEL = "<i>zz9</i>"
INJECTIONS = (
    '<a href="javascript:alert(1)">klik</a>',
    "</b></i><b>bold?",
    "&amp; &lt;script&gt; &#60; & <",
    "'); DROP TABLE cases; --",
    '" OR 1=1 --',
    "<tg-spoiler>rahasia</tg-spoiler> **tebal** _miring_ `kode`",
    "\u202eRTL override\u202c \u0000 \x07 bell",
    SENTINEL,
)


def _outgoing_texts(api: OfflineBotAPI) -> list[str]:
    return [str(p.get("text") or p.get("caption") or "") for _, p in api.calls]


async def test_injection_corpus_comes_out_inert_everywhere(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    payload = " | ".join(INJECTIONS)
    await citizen.send("/keluarga")
    await citizen.send(payload[:100])
    await citizen.send(payload[:60])
    await citizen.send(payload[:200])
    await citizen.send(payload[:200])
    await citizen.send("A123")
    await citizen.press("i:category:missing")
    await citizen.press("i:contact:any")
    await citizen.send(payload)
    await citizen.press("i:attach:done")
    await citizen.press("i:consent:yes")
    await citizen.press("i:confirm:yes")
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    thread = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["message_thread_id"]
    await officer.send(payload, thread_id=thread)
    await citizen.send(payload)
    await citizen.send(payload)  # a question, too
    await app.services.dispatcher.settle()
    assert not app.services.errors, list(app.services.errors)
    assert all(SENTINEL not in text for text in _outgoing_texts(api))
    shown = " ".join(api.visible_texts(OFFICERS_CHAT) + api.visible_texts(citizen.chat_id))
    assert "DROP TABLE cases" in shown and "<i>zz9</i>" in shown  # shown as text, not markup
    assert app.services.repos is not None and await app.services.repos.cases.count_open() == 1


HTML_HEAVY = "<>&\"'/*_`[]()#!\n\u202e\u200f😀🇮🇩 ab. "
_long_texts = st.builds(  # up to 10,000 characters, cheap to draw: a pattern repeated
    lambda pattern, times: (pattern * times)[:10_000],
    st.text(alphabet=st.sampled_from(HTML_HEAVY), min_size=1, max_size=40),
    st.integers(min_value=50, max_value=600),
)
_texts = st.one_of(
    st.text(max_size=300),
    _long_texts,
    st.sampled_from(INJECTIONS),
    st.text(
        alphabet=st.sampled_from("<>&\"'/*_`[]()#!\n\u202e\u200f😀🇮🇩 abcKWN-0123"), max_size=120
    ),
    st.sampled_from(["tolong saya disekap", "brp denda overstay", "gaji 15jt kamboja", "halo"]),
)
_callbacks = st.one_of(
    st.text(min_size=1, max_size=64).filter(lambda s: len(s.encode()) <= 64),
    st.builds(lambda p, s: p + s, st.sampled_from([f"{c}:" for c in "mglichopae"]),
              st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789:-_", max_size=30)),
)  # fmt: skip
_commands = st.builds(
    lambda c, a: f"/{c} {a}".strip(),
    st.sampled_from(["start", "menu", "darurat", "bantuan", "keluarga", "cek", "status", "hapus",
                     "datasaya", "hapusdata", "bahasa", "batal", "antrian", "kasus", "catatan",
                     "statistik", "ekspor", "blokir", "buka", "idgrup", "nope"]),
    st.text(max_size=40),
)  # fmt: skip
_updates = st.one_of(
    st.tuples(st.just("text"), st.integers(1, 6), _texts),
    st.tuples(st.just("command"), st.integers(1, 6), _commands),
    st.tuples(st.just("callback"), st.integers(1, 6), _callbacks),
    st.tuples(st.just("media"), st.integers(1, 6), st.sampled_from(MEDIA_KINDS)),
    st.tuples(st.just("edit"), st.integers(1, 6), _texts),
    st.tuples(st.just("forward"), st.integers(1, 6), _texts),
    st.tuples(st.just("group"), st.integers(0, 6), st.one_of(_texts, _commands)),
    st.tuples(st.just("reply"), st.integers(1, 3), _texts),  # an officer answers in a topic
)


async def _push(
    app: KawanApplication, api: OfflineBotAPI, factory: UpdateFactory, spec: tuple[str, int, str]
) -> None:
    kind, who, value = spec
    person = (
        OFFICER
        if who == 0 or kind == "reply"
        else Person(
            id=200_000 + who, first_name=f"U{who}", language_code=("id", "en", None)[who % 3]
        )
    )
    if kind in ("text", "command"):
        update = factory.message(person, value or ".")
    elif kind == "callback":
        update = factory.callback(person, value)
    elif kind == "media":
        update = factory.message(person, kind=value, caption=None)
    elif kind == "edit":
        last = max(api.chat(person.id).messages, default=None)
        update = factory.edited(person, last or 1, value or ".")
    elif kind == "forward":
        update = factory.message(person, value or ".", forwarded=True)
    elif kind == "reply":
        thread = sorted(api.chat(OFFICERS_CHAT).topics)[who - 1]  # the case of person `who`
        update = factory.message(person, value or ".", chat_id=OFFICERS_CHAT, thread_id=thread)
    else:
        update = factory.message(person, value or ".", chat_id=OFFICERS_CHAT, thread_id=None)
    await app.process_update(update)


@pytest.mark.heavy
def test_a_thousand_fuzzed_updates_cause_no_unhandled_exception(tmp_path: Path) -> None:
    async def scenario() -> None:
        api = OfflineBotAPI()
        api.chat(OFFICERS_CHAT, type="supergroup", title="piket", is_forum=True).members[
            OFFICER.id
        ] = "administrator"
        app = build_application(
            Settings(database_path=tmp_path / "fuzz.sqlite3", officers_chat_id=OFFICERS_CHAT),
            api=api,
        )
        async with running(app):
            factory = UpdateFactory(api, app.bot)
            await _open_cases(app, people=(1, 2, 3))  # follow-ups and replies have a case
            loop = asyncio.get_running_loop()
            done = 0

            @settings(
                max_examples=1000,  # about 20 s; 2,500 took 50 s of the suite's 3 minutes
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
                derandomize=True,  # the same 1,000 updates on every run: CI stays reproducible
            )
            @given(_updates)
            def run(spec: Any) -> None:
                nonlocal done
                # Hypothesis is synchronous; each example runs on this loop in a worker thread.
                asyncio.run_coroutine_threadsafe(_push(app, api, factory, spec), loop).result(30)
                done += 1

            await loop.run_in_executor(None, run)
            assert app.services.dispatcher is not None
            await app.services.dispatcher.settle()
            assert done >= 1000
            assert not app.services.errors, list(app.services.errors)
            assert all(SENTINEL not in text for text in _outgoing_texts(api))
            assert any("(2/" in text for text in _outgoing_texts(api)), "long texts were split"
            refused = _refused_by_telegram(api)
            assert not refused, refused[:3]
            assert app.services.repos is not None
            assert not await _failed_rows_nobody_was_told_about(app), "told the officers"

    asyncio.run(scenario())


async def _open_cases(app: KawanApplication, people: tuple[int, ...]) -> None:
    repos, dispatcher = app.services.repos, app.services.dispatcher
    assert repos is not None and dispatcher is not None
    for who in people:
        await repos.cases.create_case(
            NewCase(user_id=200_000 + who, chat_id=200_000 + who, kind="self", category="visa",
                    locale="id", description="tolong", consent_text_version="test"),
            [NewOutbox(kind="case_new", target_chat_id=OFFICERS_CHAT)],
        )  # fmt: skip
    await dispatcher.settle()


def _refused_by_telegram(api: OfflineBotAPI) -> list[str]:
    """Every text and caption sent, through the offline transport's Telegram checks."""
    refused = []
    for method, params in api.calls:
        for key, limit in (("text", TEXT_LIMIT), ("caption", CAPTION_LIMIT)):
            if params.get(key) is None or method == "answerCallbackQuery":
                continue
            try:
                checked_text(params, key, limit)
            except ApiError as exc:
                refused.append(f"{method}: {exc.description}")
    return refused


async def _failed_rows_nobody_was_told_about(app: KawanApplication) -> list[int]:
    repos = app.services.repos
    assert repos is not None
    rows = await repos.db.fetchall("SELECT id, case_id FROM outbox WHERE failed_at IS NOT NULL")
    untold = []
    for row in rows:
        kinds = (
            {e.kind for e in await repos.cases.events(row["case_id"])} if row["case_id"] else set()
        )
        if "undelivered" not in kinds:
            untold.append(row["id"])
    return untold


async def test_logs_of_a_whole_conversation_carry_no_message_text(
    app: KawanApplication,
    citizen: ChatDriver,
    caplog,  # type: ignore[no-untyped-def]
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Rahasia Sekali Namaku Wati di Poipet"
    await citizen.send(secret)
    await citizen.send("/bantuan")
    await citizen.press("i:category:other")
    await citizen.press("i:safe:yes")
    await citizen.send(secret)
    assert secret not in caplog.text and "Wati" not in caplog.text
