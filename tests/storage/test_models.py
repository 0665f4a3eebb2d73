"""Models: frozen dataclasses whose literals and properties agree with the schema and the SQL."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, datetime
from typing import get_args

import pytest

from bot.storage.db import Database
from bot.storage.models import (
    OPEN_STATUSES,
    Actor,
    CaseKind,
    CaseStatus,
    ContactPolicy,
    Direction,
    LinkSide,
    NewCase,
    NewOutbox,
    Relative,
)
from bot.storage.repos import Repositories

T0 = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
OFFICER = 900_001


def new_case(user_id: int = 100_001, kind: CaseKind = "self") -> NewCase:
    return NewCase(
        user_id=user_id,
        chat_id=user_id,
        kind=kind,
        category="other",
        locale="id",
        description="Tolong.",
        consent_text_version="2026-01",
    )


async def check_constraint_values(db: Database, table: str, column: str) -> set[str]:
    """The values a column's `CHECK (column IN (...))` allows, read from the live schema."""
    sql = await db.scalar("SELECT sql FROM sqlite_master WHERE name = ?", (table,))
    marker = f"CHECK ({column} IN ("
    start = str(sql).index(marker) + len(marker)
    listed = str(sql)[start : str(sql).index(")", start)]
    return {part.strip().strip("'") for part in listed.split(",")}


@pytest.mark.parametrize(
    ("literal", "table", "column"),
    [
        (CaseStatus, "cases", "status"),
        (CaseKind, "cases", "kind"),
        (ContactPolicy, "users", "contact_policy"),
        (Actor, "case_events", "actor"),
        (Direction, "chat_messages", "direction"),
        (LinkSide, "relay_links", "side"),
    ],
)
async def test_every_literal_matches_the_schema_check(
    db: Database, literal: object, table: str, column: str
) -> None:
    assert set(get_args(literal)) == await check_constraint_values(db, table, column)


def test_open_statuses_are_every_status_but_closed() -> None:
    assert set(OPEN_STATUSES) == set(get_args(CaseStatus)) - {"selesai"}
    assert len(OPEN_STATUSES) == len(set(OPEN_STATUSES))


@pytest.mark.parametrize("status", [s for s in get_args(CaseStatus) if s != "selesai"])
async def test_is_open_agrees_with_the_queue_sql_for_each_open_status(
    repos: Repositories, status: CaseStatus
) -> None:
    case = await repos.cases.create_case(new_case(), now=T0)
    if status != "baru":
        moved = await repos.cases.set_status(
            case.id, status, actor="officer", actor_id=OFFICER, now=T0
        )
        assert moved is not None
        case = moved
    assert case.status == status and status in OPEN_STATUSES
    assert case.is_open
    assert [c.id for c in await repos.cases.open_queue()] == [case.id]
    assert await repos.cases.count_open() == 1


async def test_a_closed_case_is_not_open_anywhere(repos: Repositories) -> None:
    case = await repos.cases.create_case(new_case(), now=T0)
    closed = await repos.cases.close(case.id, actor="officer", actor_id=OFFICER, now=T0)
    assert closed is not None and closed.status == "selesai" and closed.closed_at == T0
    assert not closed.is_open
    assert await repos.cases.open_queue() == []
    assert await repos.cases.count_open() == 0


async def test_user_blocked_follows_blocked_at_through_block_and_unblock(
    repos: Repositories,
) -> None:
    fresh = await repos.users.touch(100_001, "id", now=T0)
    assert not fresh.blocked and fresh.blocked_at is None
    blocked = await repos.users.block(100_001, OFFICER, now=T0)
    assert blocked is not None and blocked.blocked
    assert (blocked.blocked_at, blocked.blocked_by) == (T0, OFFICER)
    unblocked = await repos.users.unblock(100_001, OFFICER, now=T0)
    assert unblocked is not None and not unblocked.blocked and unblocked.blocked_by is None


async def test_the_bot_being_blocked_is_not_an_officers_block(repos: Repositories) -> None:
    await repos.users.touch(100_001, "id", now=T0)
    user = await repos.users.mark_bot_blocked(100_001, True, now=T0)
    assert user is not None and user.bot_blocked_at == T0
    assert not user.blocked


async def test_models_are_frozen(repos: Repositories) -> None:
    case = await repos.cases.create_case(new_case(), now=T0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.status = "selesai"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Relative(name="Budi").name = "Andi"  # type: ignore[misc]


def test_defaults_of_new_rows() -> None:
    case = new_case()
    assert (case.urgent, case.contact_policy, case.media, case.relative) == (
        False, "any", (), None,
    )  # fmt: skip
    assert Relative() == Relative(None, None, None, None, None)
    first, second = NewOutbox("to_citizen", 1), NewOutbox("to_citizen", 2)
    assert first.payload == {} and first.due_at is None and not first.held
    assert first.payload is not second.payload  # no dict shared between instances


async def test_a_relative_round_trips_with_unicode_and_markup(repos: Repositories) -> None:
    relative = Relative(
        name="Dewi <b>&</b> 李",
        relationship="kakak",
        last_contact="3 hari lalu 😟",
        last_place='Bavet, "Golden" casino',
        passport_no=None,
    )
    created = await repos.cases.create_case(
        dataclasses.replace(new_case(kind="relative"), relative=relative), now=T0
    )
    again = await repos.cases.get_by_id(created.id)
    assert again is not None and again.relative == relative


async def test_a_kind_outside_the_literal_is_refused_by_the_schema(
    repos: Repositories,
) -> None:
    bad = dataclasses.replace(new_case(), kind="stranger")  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        await repos.cases.create_case(bad, now=T0)
