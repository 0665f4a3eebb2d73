"""Officers' storage: first names as they act, and the /antrian views with their totals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.db import Database
from bot.storage.models import NewCase
from bot.storage.officers import OfficerRepository, QueueView
from bot.storage.repos import Repositories
from bot.storage.timestamps import stamp

T0 = datetime(2026, 5, 4, 7, 30, tzinfo=UTC)
ANI, BAYU, CITRA = 900_001, 900_002, 900_003
SITI = 100_001


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def new_case(urgent: bool = False) -> NewCase:
    return NewCase(
        user_id=SITI, chat_id=SITI, kind="self", category="other", locale="id",
        description="Tolong", consent_text_version="2026-01", urgent=urgent,
    )  # fmt: skip


async def seen_at(db: Database, user_id: int) -> str | None:
    value = await db.scalar("SELECT seen_at FROM officer_names WHERE user_id = ?", (user_id,))
    return None if value is None else str(value)


async def test_a_name_is_kept_trimmed_and_updated_when_it_changes(db: Database) -> None:
    officers = OfficerRepository(db)
    await officers.remember(ANI, "  Ani  ", now=at(0))
    await officers.remember(BAYU, "Bãyu 🇮🇩 <b>&</b>", now=at(0))
    assert await officers.names([ANI, BAYU]) == {ANI: "Ani", BAYU: "Bãyu 🇮🇩 <b>&</b>"}
    await officers.remember(ANI, "Ani Rahma", now=at(5))
    assert await officers.names([ANI]) == {ANI: "Ani Rahma"}
    assert await seen_at(db, ANI) == stamp(at(5))


async def test_the_same_name_again_writes_nothing(db: Database) -> None:
    officers = OfficerRepository(db)
    await officers.remember(ANI, "Ani", now=at(0))
    await officers.remember(ANI, "Ani", now=at(9))  # every button press: no write
    assert await seen_at(db, ANI) == stamp(at(0))
    restarted = OfficerRepository(db)  # a new process does not know what is stored
    await restarted.remember(ANI, "Ani", now=at(9))
    assert await seen_at(db, ANI) == stamp(at(9))
    assert await db.scalar("SELECT COUNT(*) FROM officer_names") == 1


@pytest.mark.parametrize("blank", [None, "", "   ", "\n\t"])
async def test_a_missing_name_neither_stores_nor_erases_one(
    db: Database, blank: str | None
) -> None:
    officers = OfficerRepository(db)
    await officers.remember(BAYU, blank, now=at(0))
    assert await officers.names([BAYU]) == {}
    await officers.remember(ANI, "Ani", now=at(0))
    await officers.remember(ANI, blank, now=at(1))
    assert await officers.names([ANI]) == {ANI: "Ani"}


async def test_names_ignores_none_unknown_ids_and_duplicates(db: Database) -> None:
    officers = OfficerRepository(db)
    assert await officers.names([]) == {}
    assert await officers.names([None, None]) == {}
    await officers.remember(ANI, "Ani", now=at(0))
    assert await officers.names([ANI, ANI, None, CITRA]) == {ANI: "Ani"}


@pytest.fixture
async def queue(repos: Repositories) -> dict[str, int]:
    """Six cases: old, new, urgent, claimed by Ani, claimed by Bayu (urgent), closed."""
    cases = repos.cases
    ids = {
        "old": (await cases.create_case(new_case(), now=at(0))).id,
        "ani": (await cases.create_case(new_case(), now=at(1))).id,
        "bayu_urgent": (await cases.create_case(new_case(urgent=True), now=at(2))).id,
        "new": (await cases.create_case(new_case(), now=at(3))).id,
        "urgent": (await cases.create_case(new_case(urgent=True), now=at(4))).id,
        "closed": (await cases.create_case(new_case(urgent=True), now=at(0))).id,
    }
    await repos.officers.remember(ANI, "Ani", now=at(5))
    await cases.claim(ids["ani"], ANI, now=at(6))
    await cases.claim(ids["bayu_urgent"], BAYU, now=at(7))  # Bayu has never been named
    await cases.record_reply(ids["ani"], ANI, "Kami bantu", now=at(8))
    await cases.close(ids["closed"], actor="officer", actor_id=ANI, now=at(9))
    return ids


@pytest.mark.parametrize(
    ("view", "officer", "expected"),
    [
        ("all", ANI, ["bayu_urgent", "urgent", "old", "ani", "new"]),
        ("new", ANI, ["urgent", "old", "new"]),
        ("mine", ANI, ["ani"]),
        ("mine", BAYU, ["bayu_urgent"]),
        ("mine", CITRA, []),
        ("urgent", CITRA, ["bayu_urgent", "urgent"]),
    ],
)
async def test_each_view_lists_its_open_cases_urgent_first_then_oldest(
    repos: Repositories, queue: dict[str, int], view: QueueView, officer: int, expected: list[str]
) -> None:
    entries, total = await repos.officers.queue(view, officer, limit=20, offset=0)
    assert [e.case.id for e in entries] == [queue[name] for name in expected]
    assert total == len(expected)


async def test_a_page_keeps_the_total_of_the_whole_view(
    repos: Repositories, queue: dict[str, int]
) -> None:
    first, total = await repos.officers.queue("all", ANI, limit=2, offset=0)
    second, again = await repos.officers.queue("all", ANI, limit=2, offset=2)
    past, still = await repos.officers.queue("all", ANI, limit=2, offset=6)
    assert total == again == still == 5
    assert [e.case.id for e in first + second] == [
        queue["bayu_urgent"], queue["urgent"], queue["old"], queue["ani"],
    ]  # fmt: skip
    assert past == []


async def test_entries_carry_the_last_activity_and_the_claimers_name(
    repos: Repositories, queue: dict[str, int]
) -> None:
    entries, _ = await repos.officers.queue("all", ANI, limit=20, offset=0)
    by_id = {e.case.id: e for e in entries}
    ani, bayu, new = by_id[queue["ani"]], by_id[queue["bayu_urgent"]], by_id[queue["new"]]
    assert (ani.claimer, ani.last_activity) == ("Ani", at(8))  # the reply, not the claim
    assert (bayu.claimer, bayu.last_activity) == (None, at(7))  # claimed, name not known
    assert (new.claimer, new.last_activity) == (None, at(3))  # only 'created' so far
    assert ani.case.claimed_by == ANI and ani.case.first_reply_at == at(8)


async def test_an_empty_queue(repos: Repositories) -> None:
    views: tuple[QueueView, ...] = ("all", "new", "mine", "urgent")
    for view in views:
        assert await repos.officers.queue(view, ANI, limit=20, offset=0) == ([], 0)
