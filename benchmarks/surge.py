"""Surge: thousands of help requests at once, the group paced at 20/min, a tenth of calls failing.

The burst runs in real time with the dispatcher's own loop, as in production. Then the
simulated clock (pacer and outbox) jumps over the waits, so paced minutes pass in milliseconds.
Counting is done on what the fake Telegram holds, not on the bot's own bookkeeping.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import re
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.common import (
    OFFICERS_CHAT,
    Latencies,
    SimClock,
    kawan_app,
    officers_api,
    quiet_logging,
)
from benchmarks.faults import FaultPlan
from benchmarks.intake import IntakeTally, StubbornCitizen
from benchmarks.scripts import CITIES, DESCRIPTIONS
from bot.app import running
from bot.context import KawanApplication
from bot.intake.draft import SELF_CATEGORIES, Draft
from bot.queue.cases import new_case
from bot.queue.dispatcher import Dispatcher
from bot.storage.models import NewCase, NewOutbox
from bot.storage.timestamps import parse_utc
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person

REF = re.compile(r"KWN-[0-9A-HJKMNP-TV-Z]{6}")
PRODUCERS = 32  # citizens whose requests commit at the same instant
INTAKE_CITIZENS = 16
MAX_SIMULATED_SECONDS = 6 * 3600


def _request(rng: random.Random, user_id: int) -> NewCase:
    """A confirmed request, turned into a record by the intake's own last step."""
    category = rng.choice(SELF_CATEGORIES)
    draft = Draft(kind="self")
    for answer in (category.value, "yes", rng.choice(CITIES), "any", rng.choice(DESCRIPTIONS)):
        draft.answer(answer)
    return new_case(draft, user_id, user_id, "id")


async def _commit_all(
    app: KawanApplication, requests: list[NewCase], burst_start: float
) -> tuple[list[str], Latencies, Latencies]:
    """Commit every request as `cases.submit` does; time each and its age at commit."""
    repos, dispatcher = app.services.repos, app.services.dispatcher
    assert repos is not None and dispatcher is not None
    queue: asyncio.Queue[NewCase] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    refs: list[str] = []
    service, age = Latencies(), Latencies()
    outbox = [NewOutbox(kind="case_new", target_chat_id=OFFICERS_CHAT)]

    async def producer() -> None:
        while not queue.empty():
            request = queue.get_nowait()
            t0 = time.perf_counter()
            case = await repos.cases.create_case(request, outbox)
            dispatcher.wake()
            done = time.perf_counter()
            service.add(done - t0)
            age.add(done - burst_start)  # all arrived at burst_start: reachable from commit
            refs.append(case.ref)

    await asyncio.gather(*(producer() for _ in range(PRODUCERS)))
    return refs, service, age


async def _intakes(app: KawanApplication, api: OfflineBotAPI, count: int) -> IntakeTally:
    """Full intakes by citizens who press again when Telegram fails them."""
    tally, people = IntakeTally(), iter(range(count))

    async def citizen() -> None:
        for n in people:
            person = Person(id=30_000_000 + n, first_name="Warga", language_code="id")
            await StubbornCitizen(app, api, person, tally).run()

    await asyncio.gather(*(citizen() for _ in range(INTAKE_CITIZENS)))
    return tally


async def _queue_refs(app: KawanApplication) -> set[str]:
    """Every reference an officer can reach by paging through /antrian."""
    repos = app.services.repos
    assert repos is not None
    found: set[str] = set()
    offset = 0
    while page := await repos.cases.open_queue(limit=1000, offset=offset):
        found.update(c.ref for c in page)
        offset += len(page)
    return found


async def _drain(app: KawanApplication, dispatcher: Dispatcher, clock: SimClock) -> dict[str, Any]:
    """Run rounds; when nothing can move, jump the clock to when something can."""
    db = app.services.db
    assert db is not None
    rounds = failed_rounds = jumps = 0
    started = time.perf_counter()
    while clock.monotonic() < MAX_SIMULATED_SECONDS:
        rounds += 1
        try:
            if await dispatcher.run_once():
                continue
        except Exception:  # as the dispatcher's loop does: a failed round is retried
            failed_rounds += 1
        next_due = await db.scalar(
            "SELECT MIN(due_at) FROM outbox "
            "WHERE delivered_at IS NULL AND failed_at IS NULL AND held = 0"
        )
        if next_due is None:
            break
        due_in = (parse_utc(next_due) - clock.now()).total_seconds()
        jump = max(due_in, dispatcher.pacer.wait_time(), 0.0) or dispatcher.idle_seconds
        clock.advance(jump)
        jumps += 1
    return {
        "rounds": rounds,
        "failed_rounds": failed_rounds,
        "clock_jumps": jumps,
        "drain_real_s": round(time.perf_counter() - started, 2),
    }


def _group_ledger(api: OfflineBotAPI) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Per reference: case cards, digest listings and forum topics the group really holds."""
    cards: Counter[str] = Counter()
    digests: Counter[str] = Counter()
    group = api.chats[OFFICERS_CHAT]
    for message in group.messages.values():
        text = message.get("text") or ""
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        is_card = any(b.get("callback_data", "").startswith("c:claim:") for r in rows for b in r)
        for ref in set(REF.findall(text)):
            (cards if is_card else digests)[ref] += 1
    topics = Counter(ref for name in group.topics.values() for ref in REF.findall(name))
    return cards, digests, topics


async def _posted_times(app: KawanApplication, refs: list[str], start: dt.datetime) -> Latencies:
    """Simulated seconds from the burst to each case's delivery (card or digest)."""
    db = app.services.db
    assert db is not None
    rows = await db.fetchall(
        "SELECT c.ref, o.delivered_at FROM outbox AS o JOIN cases AS c ON c.id = o.case_id "
        "WHERE o.kind = 'case_new' AND o.delivered_at IS NOT NULL"
    )
    wanted, times = set(refs), Latencies()
    for row in rows:
        if row["ref"] in wanted:
            times.add((parse_utc(row["delivered_at"]) - start).total_seconds())
    return times


async def surge(cases: int, intakes: int, seed: int, fault_rate: float = 0.10) -> dict[str, Any]:
    """Run the surge on a fresh database and report losses, duplicates and times."""
    counter = quiet_logging()
    errors_before = counter.counts["ERROR"]
    rng = random.Random(seed)
    random.seed(seed)  # the dispatcher's backoff jitter
    requests = [_request(rng, 40_000_000 + n) for n in range(cases)]
    clock = SimClock()
    with tempfile.TemporaryDirectory(prefix="kawan-surge-") as tmp:
        # The fake Telegram counts its flood limits on the simulated clock, like the pacer.
        api = officers_api(now=lambda: clock.now().timestamp())
        app = kawan_app(Path(tmp) / "kawan.sqlite3", api)
        async with running(app):
            services, dispatcher = app.services, app.services.dispatcher
            assert dispatcher is not None and services.repos is not None
            await dispatcher.stop()  # restarted below, paced and stamping on simulated time
            dispatcher.pacer.clock = clock.monotonic  # the rate limiter's own group pacer
            dispatcher.now = clock.now
            faults = FaultPlan(fault_rate, seed)
            api.fault_policy = faults
            dispatcher.start()
            sim_start, burst_start = clock.now(), time.perf_counter()
            committed, tally = await asyncio.gather(
                _commit_all(app, requests, burst_start), _intakes(app, api, intakes)
            )
            burst_s = time.perf_counter() - burst_start
            refs, service, age = committed
            in_queue = await _queue_refs(app)
            reachable_check_s = time.perf_counter() - burst_start
            drain = await _drain(app, dispatcher, clock)
            await dispatcher.stop()  # nothing is pending now: no round is cut short
            api.fault_policy = None
            every_open = await services.repos.cases.open_queue(limit=10**6)
            all_refs = sorted(set(refs) | {c.ref for c in every_open})
            posted = await _posted_times(app, all_refs, sim_start)
            open_count = await services.repos.cases.count_open()
    cards, digests, topics = _group_ledger(api)
    lost = [r for r in all_refs if not cards[r] and not digests[r]]
    unreachable = [r for r in refs if r not in in_queue]
    last_commit_s = max(age.samples, default=0) / 1000  # all arrived at once: the last is the worst
    return {
        "cases_bulk": cases,
        "cases_total": len(all_refs),
        "lost": len(lost) + len(unreachable),
        "lost_refs": (lost + unreachable)[:20],
        "not_in_queue": len(unreachable),
        "open_in_queue": open_count,
        "duplicates": sum(n - 1 for n in cards.values() if n > 1)
        + sum(n - 1 for n in topics.values() if n > 1),
        "cards_posted": sum(1 for r in all_refs if cards[r]),
        "digested": sum(1 for r in all_refs if digests[r] and not cards[r]),
        "listed_in_more_than_one_digest": sum(1 for r in all_refs if digests[r] > 1),
        "digest_messages": _digest_messages(api),
        "burst_real_s": round(burst_s, 2),
        "commits_per_s": round(len(refs) / last_commit_s, 1) if last_commit_s else 0.0,
        "reachable_all_s": round(last_commit_s, 2),
        "reachable_verified_at_s": round(reachable_check_s, 2),
        "commit_latency": service.summary(),
        "posted_all_sim_s": round(max(posted.samples, default=0) / 1000, 1),
        "posted_p50_sim_s": round(posted.summary()["p50_ms"] / 1000, 1),
        "drain": drain,
        "intakes": {
            "started": tally.started,
            "acknowledged": tally.acknowledged,
            "committed_unacknowledged": tally.committed_unacknowledged,
            "abandoned": tally.abandoned,
            "retries": tally.retries,
            "restarts": tally.restarts,
            "update_latency": tally.latencies.summary(),
        },
        "faults": faults.report(),
        "logged_errors": counter.counts["ERROR"] - errors_before,
    }


def _digest_messages(api: OfflineBotAPI) -> int:
    """Messages in the group that list cases without being a case card."""
    count = 0
    for message in api.chats[OFFICERS_CHAT].messages.values():
        rows = (message.get("reply_markup") or {}).get("inline_keyboard")
        if not rows and len(REF.findall(message.get("text") or "")) > 1:
            count += 1
    return count
