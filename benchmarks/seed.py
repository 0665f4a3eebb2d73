"""A year of cases, fast: the rows a worked case leaves behind, written with executemany.

Shape: created over the last 365 days; recent cases often still open, old ones closed, and
those closed more than RETENTION_DAYS ago erased as the daily purge leaves them. Each worked
case has its events (created, claimed, reply, citizen message, closed), delivered outbox rows
and relay links, so bytes per case are those of real use, not of bare case rows.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass

from benchmarks.scripts import CITIES, DESCRIPTIONS
from bot.intake.draft import SELF_CATEGORIES
from bot.storage.db import Database
from bot.storage.refs import CROCKFORD_ALPHABET, REF_LENGTH, REF_PREFIX
from bot.storage.timestamps import format_utc

OFFICER_ID = 900_000
GROUP = -1_009_990_000_001
RETENTION_DAYS = 180
CATEGORIES = tuple(c.value for c in SELF_CATEGORIES)
OPEN_STATUSES = ("baru", "diambil", "diambil", "menunggu", "dirujuk")


@dataclass(frozen=True, slots=True)
class SeedCase:
    """One case's facts, from which every table's rows follow."""

    id: int
    ref: str
    user_id: int
    created: dt.datetime
    status: str
    claimed: dt.datetime | None
    replied: dt.datetime | None
    closed: dt.datetime | None
    erased: bool
    urgent: bool
    relative: bool
    category: str


def plan(count: int, seed: int, now: dt.datetime) -> list[SeedCase]:
    """The cases to write, oldest first (ids grow with time, as in the bot)."""
    rng = random.Random(seed)
    refs: set[str] = set()
    ages = sorted((rng.uniform(0, 365 * 86400) for _ in range(count)), reverse=True)
    users = max(1, int(count * 0.85))  # some people ask more than once
    cases = []
    for n, age in enumerate(ages, start=1):
        while (ref := REF_PREFIX + "".join(rng.choices(CROCKFORD_ALPHABET, k=REF_LENGTH))) in refs:
            pass
        refs.add(ref)
        created = now - dt.timedelta(seconds=age)
        recent = age < 14 * 86400
        is_open = rng.random() < (0.6 if recent else 0.03)
        status = rng.choice(OPEN_STATUSES) if is_open else "selesai"
        claimed = replied = closed = None
        if status != "baru":
            claimed = created + dt.timedelta(minutes=rng.uniform(5, 360))
            replied = claimed + dt.timedelta(minutes=rng.uniform(1, 120))
        if status == "selesai" and replied is not None:
            closed = min(replied + dt.timedelta(hours=rng.uniform(1, 240)), now)
        erased = closed is not None and now - closed > dt.timedelta(days=RETENTION_DAYS)
        cases.append(
            SeedCase(
                id=n, ref=ref, user_id=50_000_000 + rng.randrange(users), created=created,
                status=status, claimed=claimed, replied=replied, closed=closed, erased=erased,
                urgent=rng.random() < 0.15, relative=rng.random() < 0.2,
                category=rng.choice(CATEGORIES),
            )
        )  # fmt: skip
    return cases


def _t(moment: dt.datetime | None) -> str | None:
    return None if moment is None else format_utc(moment)


def _case_rows(cases: list[SeedCase]) -> Iterator[tuple[object, ...]]:
    for n, c in enumerate(cases):
        relative = None
        if c.relative and not c.erased:
            relative = json.dumps({"name": "Rina", "relationship": "sibling",
                                   "last_contact": "5 hari lalu", "last_place": "Poipet",
                                   "passport_no": None})  # fmt: skip
        personal = not c.erased
        yield (
            c.id, c.ref, c.user_id if personal else None, c.user_id if personal else None,
            "relative" if c.relative else "self", c.category, int(c.urgent), c.status, "id",
            1 if personal else None, CITIES[n % len(CITIES)] if personal else None,
            "any" if personal else None, DESCRIPTIONS[n % len(DESCRIPTIONS)] if personal else None,
            relative, "2026-11-28", _t(c.created), _t(c.created),
            OFFICER_ID if c.claimed else None, _t(c.claimed), _t(c.replied), _t(c.closed),
            100 + c.id, 1_000_000 + c.id,
            _t(c.closed + dt.timedelta(days=RETENTION_DAYS)) if c.erased and c.closed else None,
        )  # fmt: skip


def _event_rows(cases: list[SeedCase]) -> Iterator[tuple[object, ...]]:
    for c in cases:
        body = None if c.erased else "Baik, kami sedang memeriksa."
        citizen = None if c.erased else c.user_id
        yield c.id, _t(c.created), "citizen", citizen, "created", None, None
        if c.claimed is not None:
            yield c.id, _t(c.claimed), "officer", OFFICER_ID, "claimed", "diambil", None
            yield c.id, _t(c.replied), "officer", OFFICER_ID, "reply", None, body
            yield c.id, _t(c.replied), "citizen", citizen, "citizen_message", None, body
        if c.closed is not None:
            yield c.id, _t(c.closed), "officer", OFFICER_ID, "closed", "selesai", body
        if c.erased and c.closed is not None:
            erased = c.closed + dt.timedelta(days=RETENTION_DAYS)
            yield c.id, _t(erased), "system", None, "erased", "retention", None


def _outbox_rows(cases: list[SeedCase]) -> Iterator[tuple[object, ...]]:
    text = json.dumps({"text": "🇮🇩 <b>KBRI</b>\nBaik, kami sedang memeriksa."}, ensure_ascii=False)
    for c in cases:
        if c.erased:  # the purge deleted them
            continue
        yield "case_new", c.id, GROUP, "{}", _t(c.created), _t(c.created), _t(c.created)
        for moment, kind, target in (
            (c.claimed, "to_citizen", c.user_id),
            (c.replied, "to_citizen", c.user_id),
            (c.replied, "case_update", GROUP),
            (c.closed, "to_citizen", c.user_id),
        ):
            if moment is not None:
                yield kind, c.id, target, text, _t(moment), _t(moment), _t(moment)


def _link_rows(cases: list[SeedCase]) -> Iterator[tuple[object, ...]]:
    for c in cases:
        yield GROUP, 1_000_000 + c.id, c.id, "officers", _t(c.created)
        if c.replied is not None and not c.erased:
            yield c.user_id, 2_000_000 + c.id, c.id, "citizen", _t(c.replied)


def _user_rows(cases: list[SeedCase], now: dt.datetime) -> Iterator[tuple[object, ...]]:
    first: dict[int, dt.datetime] = {}
    for c in cases:
        first.setdefault(c.user_id, c.created)
    for user_id, created in first.items():
        yield user_id, "id", _t(created), _t(now)


async def seed(db: Database, count: int, seed: int = 1) -> dict[str, int]:
    """Write `count` cases with their events, outbox rows, links and users in one transaction."""
    now = dt.datetime.now(dt.UTC)
    cases = plan(count, seed, now)
    tally = {"cases": len(cases), "open": sum(c.status != "selesai" for c in cases)}
    tally["erased"] = sum(c.erased for c in cases)
    async with db.transaction():
        await db.executemany(
            "INSERT OR IGNORE INTO users (user_id, locale, created_at, last_seen_at) "
            "VALUES (?, ?, ?, ?)",
            _user_rows(cases, now),
        )
        await db.executemany(
            "INSERT INTO cases (id, ref, user_id, chat_id, kind, category, urgent, status, "
            "locale, safe_to_talk, location_text, contact_policy, description, relative_json, "
            "consent_text_version, consent_at, created_at, claimed_by, claimed_at, "
            "first_reply_at, closed_at, thread_id, card_message_id, erased_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _case_rows(cases),
        )
        await db.executemany(
            "INSERT INTO case_events (case_id, at, actor, actor_id, kind, detail, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            _event_rows(cases),
        )
        await db.executemany(
            "INSERT INTO outbox (kind, case_id, target_chat_id, payload, created_at, due_at, "
            "delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            _outbox_rows(cases),
        )
        await db.executemany(
            "INSERT INTO relay_links (chat_id, message_id, case_id, side, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            _link_rows(cases),
        )
    for table in ("users", "case_events", "outbox", "relay_links"):
        tally[table] = int(await db.scalar(f"SELECT COUNT(*) FROM {table}"))
    return tally
