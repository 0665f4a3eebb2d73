"""Concurrency with order: different people at once, one person (or one case topic) in order."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.context import KawanApplication
from bot.runtime.ordering import OrderedUpdateProcessor, ordering_key
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person, UpdateFactory
from conftest import OFFICER, OFFICERS_CHAT

ANA, BUDI = Person(id=100_101, first_name="Ana"), Person(id=100_102, first_name="Budi")


class Gate:
    """A handler in front of every other that records what it sees and can hold one update."""

    def __init__(self, held_text: str) -> None:
        self.held_text = held_text
        self.release = asyncio.Event()
        self.events: list[str] = []

    async def __call__(self, update: object, context: object) -> None:
        assert isinstance(update, Update) and update.effective_message is not None
        text = update.effective_message.text or ""
        self.events.append(f"start {text}")
        if text == self.held_text:
            await self.release.wait()
        self.events.append(f"end {text}")
        raise ApplicationHandlerStop  # the rest of the bot is not what is measured here


def processor_of(app: KawanApplication) -> OrderedUpdateProcessor:
    processor = app.update_processor
    assert isinstance(processor, OrderedUpdateProcessor)
    return processor


async def test_people_run_concurrently_and_one_persons_updates_keep_their_order(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    gate = Gate("ana 1")
    app.add_handler(TypeHandler(Update, gate), group=-1000)
    factory = UpdateFactory(api, app.bot)
    ana1, ana2 = factory.message(ANA, "ana 1"), factory.message(ANA, "ana 2")
    budi = factory.message(BUDI, "budi 1")
    processor = processor_of(app)
    done = {u.update_id: processor.handled(u.update_id) for u in (ana1, ana2, budi)}
    for update in (ana1, ana2, budi):
        await app.update_queue.put(update)

    await asyncio.wait_for(done[budi.update_id], 5)  # Budi is not stuck behind Ana
    assert not done[ana1.update_id].done() and not done[ana2.update_id].done()
    assert "start ana 2" not in gate.events  # Ana's second waits for her first

    gate.release.set()
    await asyncio.wait_for(asyncio.gather(*done.values()), 5)
    assert gate.events.index("end ana 1") < gate.events.index("start ana 2")
    assert gate.events.index("end budi 1") < gate.events.index("end ana 1")


async def test_one_case_topic_keeps_its_order_while_another_topic_moves(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    gate = Gate("first in 101")
    app.add_handler(TypeHandler(Update, gate), group=-1000)
    api.chat(OFFICERS_CHAT).topics.update({101: "KWN-AAAAAA", 102: "KWN-BBBBBB"})
    factory = UpdateFactory(api, app.bot)
    first = factory.message(OFFICER, "first in 101", chat_id=OFFICERS_CHAT, thread_id=101)
    second = factory.message(OFFICER, "second in 101", chat_id=OFFICERS_CHAT, thread_id=101)
    other = factory.message(OFFICER, "in 102", chat_id=OFFICERS_CHAT, thread_id=102)
    assert ordering_key(first) == ordering_key(second) != ordering_key(other)
    processor = processor_of(app)
    done = [processor.handled(u.update_id) for u in (first, second, other)]
    for update in (first, second, other):
        await app.update_queue.put(update)

    await asyncio.wait_for(done[2], 5)
    assert "start second in 101" not in gate.events
    gate.release.set()
    await asyncio.wait_for(asyncio.gather(*done), 5)
    assert gate.events.index("end first in 101") < gate.events.index("start second in 101")


async def test_a_flood_from_one_person_holds_no_slot_from_others(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    gate = Gate("flood 0")
    app.add_handler(TypeHandler(Update, gate), group=-1000)
    factory = UpdateFactory(api, app.bot)
    flood = [factory.message(ANA, f"flood {n}") for n in range(300)]  # more than the slots
    budi = factory.message(BUDI, "budi")
    processor = processor_of(app)
    waiting = [processor.handled(u.update_id) for u in [*flood, budi]]
    for update in [*flood, budi]:
        await app.update_queue.put(update)
    await asyncio.wait_for(waiting[-1], 5)
    assert not waiting[0].done()
    gate.release.set()
    await asyncio.wait_for(asyncio.gather(*waiting), 10)
    starts = [e for e in gate.events if e.startswith("start flood")]
    assert starts == [f"start flood {n}" for n in range(300)]
