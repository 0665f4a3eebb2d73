"""Live surge: 30 updates a second from 300 people while officers work, Telegram's limits on.

The production Application in real time: updates enter through the update queue (inbox,
ordered processing), every send passes the rate limiter, and the fake Telegram answers 429 past
30 sends a second or 20 a minute into the group and refuses callback answers after 15 seconds.
People behave as people do: each waits for the bot's answer before their next step. Measured on
what the fake Telegram saw: how long a pressed button spun, how long a newcomer waited for a
first word, how fast a danger message got the emergency screen, and what was lost.
"""

from __future__ import annotations

import asyncio
import random
import re
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from telegram import Update

from benchmarks.common import (
    OFFICERS_CHAT,
    Latencies,
    features,
    kawan_app,
    lift_telegram_limits,
    officers_api,
    quiet_logging,
)
from benchmarks.scripts import SCRIPTS, MixWorld, Script, officer_work
from benchmarks.surge import _request
from bot.app import running
from bot.context import KawanApplication
from bot.runtime.ordering import OrderedUpdateProcessor
from bot.storage.models import NewOutbox
from bot.storage.timestamps import stamp
from bot.transport.offline import OfflineBotAPI

RATE = 30  # updates a second
PEOPLE = 300
OFFICERS_AT_WORK = 3
SEEDED_CASES = 30
REF = re.compile(r"KWN-[0-9A-HJKMNP-TV-Z]{6}")
DANGER_TEXTS = (
    "tolong saya disekap di kantor, tidak boleh keluar",
    "tolong bos pukul saya, paspor saya ditahan",
    "help me please, they beat me and keep me locked in",
    "sy dikurung dan diancam dijual ke perusahaan lain",
)
REPLY = re.compile(r"^Balasan (\d+)\b")


async def danger(world: MixWorld) -> Script:
    """A danger message, as the first thing a frightened person types."""
    who = world.person()
    yield "danger", world.factory.message(who, world.rng.choice(DANGER_TEXTS))


class Watch:
    """Times of what the fake Telegram did, per chat and per button press."""

    def __init__(self, world: MixWorld) -> None:
        self.world = world
        self.put_at: dict[int, float] = {}  # update id -> when it reached the bot
        self.first_word: dict[int, float] = {}  # chat id -> first send or edit to it
        self.answered: dict[str, float] = {}  # callback query id -> when it was answered
        world.api.on_send.append(self.saw)

    def saw(self, method: str, params: dict[str, Any]) -> None:
        now = time.monotonic()
        if method == "answerCallbackQuery":
            self.answered.setdefault(str(params.get("callback_query_id")), now)
        elif method in ("sendMessage", "editMessageText"):
            chat = int(params.get("chat_id") or 0)
            self.first_word.setdefault(chat, now)


class Person:
    """One person's script; the next step comes only once the bot answered the last."""

    def __init__(self, script: Script) -> None:
        self.script: Script | None = script
        self.busy: asyncio.Future[None] | None = None

    def ready(self) -> bool:
        return self.script is not None and (self.busy is None or self.busy.done())


async def live_surge(seconds: float, seed: int) -> dict[str, Any]:
    """Run the burst, then wait for the bot to drain; report delays and losses."""
    counter = quiet_logging()
    errors_before = counter.counts["ERROR"]
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="kawan-live-") as tmp:
        api = officers_api()
        app = kawan_app(Path(tmp) / "kawan.sqlite3", api)
        async with running(app):
            world = MixWorld(app, api, rng, features(app))
            await _seed_cases(app, api, world, SEEDED_CASES)
            watch = Watch(world)
            result = await _burst(app, world, watch, seconds)
            result["handler_errors"] = counter.counts["ERROR"] - errors_before
            result["telegram_429"] = api.budget.refused
            result["callbacks_expired"] = api.expired_callbacks
            result.update(await _losses(app, world))
    return result


async def _seed_cases(
    app: KawanApplication, api: OfflineBotAPI, world: MixWorld, count: int
) -> None:
    """Open cases already posted in the group (topic and card), for officers to work on."""
    repos, dispatcher = app.services.repos, app.services.dispatcher
    assert repos is not None and dispatcher is not None
    restore = lift_telegram_limits(app, api)  # before the burst: the queue as it stands
    outbox = [NewOutbox(kind="case_new", target_chat_id=OFFICERS_CHAT)]
    for n in range(count):
        case = await repos.cases.create_case(_request(world.rng, 50_000_000 + n), outbox)
        world.cases_for_officers.append(case.id)
    await dispatcher.settle()
    restore()


def _scripts(world: MixWorld) -> AsyncIterator[Script]:
    async def endless() -> AsyncIterator[Script]:
        names = [*SCRIPTS, "danger"]
        weights = [*(w for _, w in SCRIPTS.values()), 8]
        while True:
            name = world.rng.choices(names, weights)[0]
            yield danger(world) if name == "danger" else SCRIPTS[name][0](world)

    return endless()


async def _burst(
    app: KawanApplication, world: MixWorld, watch: Watch, seconds: float
) -> dict[str, Any]:
    processor = app.update_processor
    assert isinstance(processor, OrderedUpdateProcessor)
    scripts = _scripts(world)
    people = [Person(await anext(scripts)) for _ in range(PEOPLE)]
    officers = [Person(officer_work(world)) for _ in range(OFFICERS_AT_WORK)]
    firsts: dict[int, tuple[int, float]] = {}  # chat -> (update id, when) for newcomers
    presses: dict[str, float] = {}
    dangers: dict[int, float] = {}
    pending: list[asyncio.Future[None]] = []
    total = int(seconds * RATE)
    started = time.monotonic()
    for n in range(total):
        await asyncio.sleep(max(0.0, started + n / RATE - time.monotonic()))
        # Officers take about one update in ten: claims, replies, notes, look-ups.
        crowd = officers if n % 10 == 0 else people
        ready = [p for p in crowd if p.ready()]
        if not ready:
            continue
        person = world.rng.choice(ready)
        assert person.script is not None
        try:
            kind, update = await anext(person.script)
        except StopAsyncIteration:
            person.script = officer_work(world) if crowd is officers else await anext(scripts)
            continue
        now = time.monotonic()
        _note(update, kind, now, firsts, presses, dangers, watch)
        person.busy = processor.handled(update.update_id)
        pending.append(person.busy)
        await app.update_queue.put(update)
    burst_end = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*pending), 600)
    dispatcher = app.services.dispatcher
    assert dispatcher is not None
    # Replies and notices still owed to citizens: a count in the database, not an event.
    while await _citizen_rows_waiting(app):  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    drained = time.monotonic() - burst_end
    callback, first, danger_delay = Latencies(), Latencies(), Latencies()
    for query_id, at in presses.items():
        if query_id in watch.answered:
            callback.add(watch.answered[query_id] - at)
    for chat, (_, at) in firsts.items():
        if chat in watch.first_word:
            first.add(watch.first_word[chat] - at)
    for chat, at in dangers.items():
        if chat in watch.first_word:
            danger_delay.add(watch.first_word[chat] - at)
    return {
        "seconds": seconds,
        "updates": len(pending),
        "people": PEOPLE,
        "offered_rate": round(len(pending) / max(burst_end - started, 1e-9), 1),
        "callback": callback.summary(),
        "callbacks_unanswered": len(presses) - callback.summary()["n"],
        "first_reply": first.summary(),
        "danger_screen": danger_delay.summary(),
        "drain_s": round(drained, 2),
    }


def _note(
    update: Update,
    kind: str,
    now: float,
    firsts: dict[int, tuple[int, float]],
    presses: dict[str, float],
    dangers: dict[int, float],
    watch: Watch,
) -> None:
    """Remember when each measured thing was asked for."""
    chat = update.effective_chat
    if chat is None:
        return
    if update.callback_query is not None:
        presses[update.callback_query.id] = now
    if chat.type == "private" and chat.id not in firsts and chat.id not in watch.first_word:
        firsts[chat.id] = (update.update_id, now)
    if kind == "danger":
        dangers[chat.id] = now


async def _citizen_rows_waiting(app: KawanApplication) -> int:
    db = app.services.db
    assert db is not None
    waiting = await db.scalar(
        "SELECT COUNT(*) FROM outbox WHERE target_chat_id > 0 AND delivered_at IS NULL "
        "AND failed_at IS NULL AND held = 0 AND due_at <= ?",
        (stamp(),),
    )
    return int(waiting or 0)


async def _losses(app: KawanApplication, world: MixWorld) -> dict[str, Any]:
    """Cases a citizen holds a reference for but officers cannot find; replies not delivered."""
    repos = app.services.repos
    assert repos is not None
    told: set[str] = set()
    for chat_id, log in world.api.chats.items():
        if chat_id > 0:
            for message in log.messages.values():
                if message.get("from", {}).get("is_bot"):
                    told.update(REF.findall(message.get("text") or ""))
    found: set[str] = set()
    offset = 0
    while page := await repos.cases.open_queue(limit=1000, offset=offset):
        found.update(c.ref for c in page)
        offset += len(page)
    # A reference the bot named that is neither open nor stored at all is a lost case; the
    # examples in guides and help texts are no cases.
    examples = {"KWN-XXXXXX"}
    for path in app.services.content.root.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".yaml", ".j2"):
            examples.update(REF.findall(path.read_text(encoding="utf-8")))
    closed = {r for r in told - found if await repos.cases.get_by_ref(r) is not None}
    closed |= examples
    db = app.services.db
    assert db is not None
    replies = await db.fetchall(
        "SELECT delivered_at IS NOT NULL AS delivered, held, failed_at IS NOT NULL AS failed "
        "FROM outbox WHERE kind = 'to_citizen'"
    )
    return {
        "cases_told": len(told),
        "cases_lost": len(told - found - closed),
        "officer_replies": len(replies),
        "officer_replies_delivered": sum(r["delivered"] for r in replies),
        "officer_replies_waiting_for_contact_rules": sum(
            1 for r in replies if not r["delivered"] and not r["failed"]
        ),
        "officer_replies_lost": sum(r["failed"] for r in replies),
    }
