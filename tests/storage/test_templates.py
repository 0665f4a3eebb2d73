"""Saved replies (/templat, /t) and the outbox rows an edited message finds and changes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.db import Database
from bot.storage.models import NewCase, NewOutbox
from bot.storage.repos import Repositories
from bot.storage.templates import NAME, RelayedRows, ReplyTemplate, TemplateRepository

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
ANI, BAYU = 900_001, 900_002
SITI, OFFICERS = 100_001, -1001234567890
LONG = ("Mohon kirim foto paspor <i>&</i> visa 📄 ({ref}) " * 250)[:10_000]


@pytest.fixture
def templates(db: Database) -> TemplateRepository:
    return TemplateRepository(db)


async def test_save_reports_whether_it_replaced_one(templates: TemplateRepository) -> None:
    assert await templates.save("alamat", "Jl. Norodom", ANI, for_info=False, now=T0) is False
    assert await templates.save("alamat", "Jl. Sothearos", BAYU, for_info=True, now=T0) is True
    assert await templates.get("alamat") == ReplyTemplate("alamat", "Jl. Sothearos", True, BAYU)


async def test_names_are_case_insensitive_everywhere(templates: TemplateRepository) -> None:
    await templates.save("Paspor", "Bawa paspor", ANI, for_info=False)
    assert await templates.get("PASPOR") == ReplyTemplate("paspor", "Bawa paspor", False, ANI)
    assert await templates.save("PASpor", "Bawa paspor asli", ANI, for_info=False) is True
    assert [t.name for t in await templates.all()] == ["paspor"]
    assert await templates.delete("pAsPoR") is True
    assert await templates.get("paspor") is None


async def test_all_is_sorted_by_name_and_can_keep_only_info_requests(
    templates: TemplateRepository,
) -> None:
    assert await templates.all() == [] and await templates.all(for_info=True) == []
    await templates.save("visa", "Visa apa?", ANI, for_info=True)
    await templates.save("alamat", "Di mana?", ANI, for_info=True)
    await templates.save("terima", "Terima kasih", BAYU, for_info=False)
    await templates.save("2-foto", "Kirim foto", BAYU, for_info=True)
    assert [t.name for t in await templates.all()] == ["2-foto", "alamat", "terima", "visa"]
    assert [t.name for t in await templates.all(for_info=True)] == ["2-foto", "alamat", "visa"]


async def test_a_long_unicode_body_round_trips_and_fills_every_ref(
    templates: TemplateRepository,
) -> None:
    await templates.save("foto", LONG, ANI, for_info=True)
    saved = await templates.get("foto")
    assert saved is not None and saved.body == LONG and len(saved.body) == 10_000
    filled = saved.filled("KWN-7G4K2P")
    assert "{ref}" not in filled
    assert filled.count("KWN-7G4K2P") == LONG.count("{ref}") > 1
    assert filled == LONG.replace("{ref}", "KWN-7G4K2P")


def test_filled_leaves_other_braces_alone() -> None:
    template = ReplyTemplate("x", "{ref} {REF} {nama} {{ref}}", False, ANI)
    assert template.filled("KWN-1") == "KWN-1 {REF} {nama} {KWN-1}"


async def test_delete_reports_whether_there_was_one(templates: TemplateRepository) -> None:
    assert await templates.delete("tidakada") is False
    await templates.save("ada", "Ada", ANI, for_info=False)
    assert await templates.delete("ada") is True
    assert await templates.delete("ada") is False


@pytest.mark.parametrize("name", ["_awal", "-awal", "a" * 33, ""])
async def test_the_schema_refuses_a_name_the_pattern_refuses(
    templates: TemplateRepository, name: str
) -> None:
    assert not NAME.match(name)
    with pytest.raises(sqlite3.IntegrityError):
        await templates.save(name, "Isi", ANI, for_info=False)
    assert await templates.all() == []


@pytest.mark.parametrize("name", ["a", "0", "ok_2", "info-paspor", "a" * 32])
async def test_names_the_pattern_accepts_are_stored(
    templates: TemplateRepository, name: str
) -> None:
    assert NAME.match(name)
    await templates.save(name, "Isi", ANI, for_info=False)
    assert [t.name for t in await templates.all()] == [name]


async def test_a_failed_replace_keeps_the_old_template(templates: TemplateRepository) -> None:
    await templates.save("alamat", "Jl. Norodom", ANI, for_info=False)
    with pytest.raises(sqlite3.IntegrityError):
        await templates.save("alamat", "", BAYU, for_info=True)  # empty body: refused
    assert await templates.get("alamat") == ReplyTemplate("alamat", "Jl. Norodom", False, ANI)


# -- outbox rows by the message they relayed ----------------------------------------------


async def relay(
    repos: Repositories, case_id: int, key: str, source: tuple[int, int], text: str
) -> int:
    target = SITI if key == "ack" else OFFICERS
    item = NewOutbox("relay", target, {key: list(source), "text": text}, case_id=case_id)
    return (await repos.outbox.enqueue(item, now=T0)).id


async def new_case(repos: Repositories) -> int:
    case = NewCase(
        user_id=SITI, chat_id=SITI, kind="self", category="other", locale="id",
        description="Tolong", consent_text_version="2026-01",
    )  # fmt: skip
    return (await repos.cases.create_case(case, now=T0)).id


async def test_of_finds_the_rows_of_that_message_in_that_case_in_order(
    repos: Repositories, db: Database
) -> None:
    case, other = await new_case(repos), await new_case(repos)
    first = await relay(repos, case, "ack", (OFFICERS, 70), "Halo")
    second = await relay(repos, case, "ack", (OFFICERS, 70), "lanjutan")
    await relay(repos, case, "ack", (OFFICERS, 71), "lain")
    await relay(repos, case, "source", (OFFICERS, 70), "other key")
    await relay(repos, other, "ack", (OFFICERS, 70), "other case")
    await relay(repos, case, "ack", (SITI, 70), "other chat")
    relayed = RelayedRows(db)
    rows = await relayed.of(case, "ack", OFFICERS, 70)
    assert [(r.id, r.payload["text"]) for r in rows] == [(first, "Halo"), (second, "lanjutan")]
    source = await relayed.of(case, "source", OFFICERS, 70)
    assert [r.payload["text"] for r in source] == ["other key"]
    assert await relayed.of(case, "ack", OFFICERS, 72) == []


async def test_a_queued_row_takes_the_edited_payload(repos: Repositories, db: Database) -> None:
    case = await new_case(repos)
    item = await relay(repos, case, "ack", (OFFICERS, 70), "Halo")
    edited: dict[str, object] = {"ack": [OFFICERS, 70], "text": "Halo <b>&</b> lagi 🙏"}
    assert await RelayedRows(db).replace_pending(item, edited) is True
    row = await repos.outbox.get(item)
    assert row is not None and row.payload == edited and row.delivered_at is None


async def test_a_delivered_or_given_up_row_is_not_changed(
    repos: Repositories, db: Database
) -> None:
    case = await new_case(repos)
    relayed = RelayedRows(db)
    sent = await relay(repos, case, "ack", (OFFICERS, 70), "Halo")
    await repos.outbox.mark_delivered(sent, 900, now=T0)
    failed = await relay(repos, case, "ack", (OFFICERS, 71), "Halo")
    await repos.outbox.give_up(failed, "Forbidden", now=T0)
    for item in (sent, failed):
        assert await relayed.replace_pending(item, {"text": "baru"}) is False
        assert await relayed.drop_pending(item, now=T0) is False
        row = await repos.outbox.get(item)
        assert row is not None and row.payload["text"] == "Halo"
    assert await relayed.replace_pending(12345, {"text": "baru"}) is False


async def test_a_dropped_row_is_given_up_for_the_record(repos: Repositories, db: Database) -> None:
    case = await new_case(repos)
    item = await relay(repos, case, "ack", (OFFICERS, 70), "Halo")
    later = T0 + timedelta(minutes=3)
    assert await RelayedRows(db).drop_pending(item, now=later) is True
    row = await repos.outbox.get(item)
    assert row is not None and (row.failed_at, row.last_error) == (later, "replaced by an edit")
    assert row.delivered_at is None and row.payload["text"] == "Halo"
    assert await repos.outbox.pending(now=later) == []
