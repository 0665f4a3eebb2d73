"""Data rights: /hapusdata leaves no personal string anywhere, retention purge, /datasaya."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.storage.db import Database
from bot.storage.models import NewCase, NewMedia, NewOutbox, Relative
from bot.storage.repos import Repositories

T0 = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
USER = 7_700_001
OTHER = 7_700_002
OFFICERS = -1001234567890
OFFICER = 900_001

# Strings only this user gave us; none may survive erasure, in any table or in the file.
SECRETS = {
    "description": "Dipaksa kerja di kompleks Golden Fortune, paspor ditahan bos Wang",
    "location": "Sihanoukville dekat Kasino Jin Bei",
    "relative_name": "Budi Santoso Rahardjo",
    "relative_place": "PT Sinar Mekar Abadi",
    "passport": "C9876543",
    "phone": "+62 812 5555 0142",
    "file_id": "AgACAgUAAxkBAAIBsecretfileid",
    "caption": "foto kontrak kerja saya",
    "citizen_message": "Saya takut, bos memeriksa HP setiap malam",
    "officer_reply": "Kami akan menghubungi polisi setempat untuk Anda",
    "note": "catatan internal: korban di gedung B lantai 4",
    "referral": "IOM Phnom Penh, kontak Ibu Rina",
    "outbox_text": "Balasan KBRI untuk pelapor Budi",
    "draft": "draf yang belum dikirim tentang Mess Lantai 3",
    "lat": "10.627543",
    "lon": "103.522123",
}
OTHER_SECRET = "Laporan orang lain yang harus tetap ada"


def new_case(user_id: int, description: str, **extra: object) -> NewCase:
    return NewCase(
        user_id=user_id,
        chat_id=user_id,
        kind="self",
        category="held_against_will",
        locale="id",
        description=description,
        consent_text_version="2026-01",
        **extra,  # type: ignore[arg-type]
    )


async def fill_everything(repos: Repositories, db: Database) -> list[int]:
    """Give USER data in every table, and OTHER some data that must survive."""
    s = SECRETS
    await repos.users.touch(USER, "id", now=T0)
    await repos.users.set_contact_policy(USER, "never_first")
    case = await repos.cases.create_case(
        new_case(
            USER,
            f"{s['description']} {s['phone']}",
            urgent=True,
            safe_to_talk=False,
            location_text=s["location"],
            exact_lat=float(s["lat"]),
            exact_lon=float(s["lon"]),
            contact_policy="safe_hours",
            safe_hours_from=20,
            safe_hours_to=22,
            relative=Relative(
                s["relative_name"], "adik", "kemarin", s["relative_place"], s["passport"]
            ),
            media=(NewMedia("photo", s["file_id"], s["caption"]),),
        ),
        [NewOutbox("case_new", OFFICERS, {"preview": s["description"]})],
        now=T0,
    )  # fmt: skip
    await repos.cases.claim(case.id, OFFICER, now=T0)
    await repos.cases.add_event(
        case.id, actor="citizen", actor_id=USER, kind="citizen_message", body=s["citizen_message"]
    )
    await repos.cases.record_reply(
        case.id, OFFICER, s["officer_reply"],
        notify=[NewOutbox("to_citizen", USER, {"text": s["outbox_text"]}, held=True)],
    )  # fmt: skip
    await repos.cases.add_event(
        case.id, actor="officer", actor_id=OFFICER, kind="note", body=s["note"]
    )
    await repos.cases.refer(case.id, OFFICER, s["referral"])
    await repos.cases.close(case.id, actor="officer", actor_id=OFFICER, body=s["officer_reply"])
    follow_up = await repos.cases.create_case(
        new_case(USER, s["citizen_message"], linked_case_id=case.id), now=T0
    )
    await repos.cases.add_media(follow_up.id, "document", s["file_id"] + "2", s["caption"])
    for message_id, direction in ((10, "in"), (11, "out")):
        await repos.messages.record(USER, message_id, direction, at=T0)  # type: ignore[arg-type]
    await repos.messages.link(USER, 11, case.id, "citizen")
    await repos.messages.link(OFFICERS, 501, case.id, "officers")
    await db.execute(
        "INSERT INTO ptb_state (kind, key, value) VALUES ('user_data', ?, ?), "
        "('conversation:intake', ?, '3')",
        (str(USER), json.dumps({"draft": s["draft"]}), json.dumps([USER, USER])),
    )

    await repos.users.touch(OTHER, "en", now=T0)
    other = await repos.cases.create_case(new_case(OTHER, OTHER_SECRET), [], now=T0)
    await repos.messages.record(OTHER, 10, "in", at=T0)
    await db.execute(
        "INSERT INTO ptb_state (kind, key, value) VALUES ('user_data', ?, '{}')", (str(OTHER),)
    )
    return [case.id, follow_up.id, other.id]


async def every_text_cell(db: Database) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every non-NULL cell of every table."""
    cells = []
    for (table,) in await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ):
        columns = [row["name"] for row in await db.fetchall(f"PRAGMA table_info({table})")]
        for column in columns:
            for (value,) in await db.fetchall(
                f"SELECT CAST({column} AS TEXT) FROM {table} WHERE {column} IS NOT NULL"
            ):
                cells.append((table, column, value))
    return cells


def leaks(cells: list[tuple[str, str, str]], needles: list[str]) -> list[tuple[str, str, str]]:
    return [cell for cell in cells if any(needle in cell[2] for needle in needles)]


async def test_erase_user_leaves_none_of_their_strings_anywhere(
    repos: Repositories, db: Database
) -> None:
    case_id, follow_up_id, other_id = await fill_everything(repos, db)
    needles = [*SECRETS.values(), "5555"]
    assert len(leaks(await every_text_cell(db), needles)) > 15  # the sweep does see them

    erased = await repos.privacy.erase_user(USER, now=T0 + timedelta(days=1))
    assert erased == [case_id, follow_up_id]

    cells = await every_text_cell(db)
    assert leaks(cells, needles) == []
    # Their Telegram id remains only in their users row (locale, block, consent withdrawn).
    assert [(t, c) for t, c, v in cells if str(USER) in v] == [("users", "user_id")]
    assert leaks(cells, [OTHER_SECRET])  # someone else's case is untouched
    assert await repos.messages.recent(OTHER, T0) == [10]

    # The shell stays for statistics; the open follow-up was closed by the erasure.
    for erased_id in erased:
        case = await repos.cases.get_by_id(erased_id)
        assert case is not None and case.erased_at is not None and case.status == "selesai"
        assert (case.user_id, case.description, case.location_text, case.relative) == (None,) * 4
        assert case.ref.startswith("KWN-") and case.category == "held_against_will"
    kinds = [e.kind for e in await repos.cases.events(case_id)]
    assert kinds[:2] == ["created", "media"] and kinds[-1] == "erased"
    assert await repos.cases.get_by_id(other_id) is not None
    user = await repos.users.get(USER)
    assert user is not None and user.consent_withdrawn_at == T0 + timedelta(days=1)
    # The officers can still find the case from its card, and see that it was erased.
    assert await repos.messages.case_for_message(OFFICERS, 501) == case_id
    assert await repos.messages.case_for_message(USER, 11) is None


async def test_erased_strings_are_gone_from_the_file_and_the_wal(
    repos: Repositories, db: Database
) -> None:
    await fill_everything(repos, db)
    await repos.privacy.erase_user(USER)
    raw = b""
    for suffix in ("", "-wal"):
        path = db.path.with_name(db.path.name + suffix)
        if path.exists():
            raw += path.read_bytes()
    assert raw  # the file is there
    found = [key for key, value in SECRETS.items() if value.encode() in raw]
    assert found == []
    assert OTHER_SECRET.encode() in raw


async def test_purge_erases_only_cases_closed_before_the_cutoff(repos: Repositories) -> None:
    def at(days: int) -> datetime:
        return T0 + timedelta(days=days)

    ids = {}
    for name, closed_on in (("old", 1), ("edge", 10), ("recent", 20), ("open", None)):
        case = await repos.cases.create_case(new_case(USER, f"{name} secret"), now=at(0))
        if closed_on is not None:
            await repos.cases.close(case.id, actor="officer", actor_id=OFFICER, now=at(closed_on))
        ids[name] = case.id

    assert await repos.privacy.purge_closed_before(at(10), now=at(30)) == 1
    assert await repos.privacy.purge_closed_before(at(10), now=at(31)) == 0  # not twice
    states = {n: await repos.cases.get_by_id(i) for n, i in ids.items()}
    assert states["old"].erased_at == at(30) and states["old"].description is None  # type: ignore[union-attr]
    for name in ("edge", "recent", "open"):
        assert states[name].erased_at is None and states[name].description  # type: ignore[union-attr]
    events = await repos.cases.events(ids["old"])
    assert (events[-1].kind, events[-1].detail) == ("erased", "retention")
    # The user is still a user: only the old case went.
    assert await repos.users.get(USER) is not None
    assert len(await repos.cases.list_for_user(USER)) == 3


async def test_personal_data_shows_everything_but_the_officers_identity(
    repos: Repositories, db: Database
) -> None:
    await fill_everything(repos, db)
    data = await repos.privacy.personal_data(USER)
    text = json.dumps(data, ensure_ascii=False)
    for key in ("description", "location", "relative_name", "passport", "caption", "note"):
        assert SECRETS[key] in text, key
    assert str(OFFICER) not in text  # to the citizen, officers are "KBRI"
    assert data["user"]["contact_policy"] == "never_first"
    assert [c["status"] for c in data["cases"]] == ["selesai", "baru"]
    assert data["cases"][0]["relative"]["passport_no"] == SECRETS["passport"]
    assert data["tracked_message_ids"] == 2 and data["messages_waiting"] == 1
    assert await repos.privacy.personal_data(123) == {
        "user": None, "cases": [], "tracked_message_ids": 0, "messages_waiting": 0,
    }  # fmt: skip
