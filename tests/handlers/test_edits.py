"""bot/handlers/edits.py: a citizen's edit reaches the topic ("✏️"), an officer's the citizen."""

from __future__ import annotations

import html

import pytest

from bot.context import KawanApplication
from bot.queue.notices import gives_away
from bot.storage.models import Case
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from conftest import OFFICER, OFFICERS_CHAT
from tests.scenes import (
    AWKWARD,
    last_from,
    open_case,
    person,
    sent_since,
    settle,
    to_officers,
    words,
)


def _message_with(api: OfflineBotAPI, chat_id: int, text: str) -> int:
    """The id of the newest message in the chat showing `text`."""
    return next(
        int(m["message_id"]) for m in reversed(api.chat(chat_id).messages.values())
        if text in (m.get("text") or m.get("caption") or "")
    )  # fmt: skip


async def _events(app: KawanApplication, case: Case) -> list[tuple[str, str | None]]:
    return [(e.kind, e.body) for e in await app.services.repos.cases.events(case.id)]


async def _queue_only(app: KawanApplication) -> None:
    """No background delivery: rows wait in the outbox until the test settles it."""
    assert app.services.dispatcher is not None
    await app.services.dispatcher.stop()


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_a_citizens_edit_follows_the_delivered_copy_marked_as_edited(
    app: KawanApplication, api: OfflineBotAPI, locale: str
) -> None:
    citizen = ChatDriver(app, api, person(102_000, locale))
    case = await open_case(app, api, citizen)
    await citizen.send("Saya di Bavet.")
    await settle(app)
    copy_id = _message_with(api, OFFICERS_CHAT, "Saya di Bavet.")
    await citizen.edit(last_from(api, citizen.chat_id, citizen.person), "Saya di <Poipet> & aman.")
    ack = words(app, locale, "✓ Your change was added to your request %(ref)s.", ref=case.ref)
    assert citizen.text == ack
    before = len(api.calls)
    await settle(app)
    (mirrored,) = to_officers(api, before)
    mark = words(app, "id", "✏️ edited")  # officers read the deployment's language
    assert mirrored["text"] == (
        f"{mark} · 💬 <b>WNI</b> · <code>{case.ref}</code>\nSaya di &lt;Poipet&gt; &amp; aman."
    )
    assert mirrored["reply_parameters"]["message_id"] == copy_id
    assert mirrored["message_thread_id"] == case.thread_id
    assert ("citizen_edited", "Saya di <Poipet> & aman.") in await _events(app, case)


async def test_an_edited_photo_caption_follows_the_copied_photo(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    await citizen.send(kind="photo", caption="Foto paspor")
    await settle(app)
    copy_id = _message_with(api, OFFICERS_CHAT, "Foto paspor")
    await citizen.edit(last_from(api, citizen.chat_id, citizen.person), "Foto paspor halaman 2")
    before = len(api.calls)
    await settle(app)
    (mirrored,) = to_officers(api, before)
    assert "✏️" in mirrored["text"] and mirrored["text"].endswith("\nFoto paspor halaman 2")
    assert mirrored["reply_parameters"]["message_id"] == copy_id
    assert ("citizen_edited", "Foto paspor halaman 2") in await _events(app, case)


async def test_a_queued_message_edited_into_ten_thousand_characters_is_replaced_whole(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    await _queue_only(app)
    await citizen.send("draf pendek")
    await citizen.edit(last_from(api, citizen.chat_id, citizen.person), AWKWARD)
    assert case.ref in citizen.text
    before = len(api.calls)
    await settle(app)
    parts = to_officers(api, before)
    assert len(parts) == 3  # one short row dropped, three new rows queued in its place
    bodies = [html.unescape(p["text"].partition("\n")[2]) for p in parts]
    assert " ".join(bodies).split() == AWKWARD.split()
    assert not any("draf pendek" in p["text"] or "✏️" in p["text"] for p in parts)


async def test_an_edit_of_something_never_relayed_is_left_to_the_fallback(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("halo")  # no case: nothing to mirror
    await citizen.edit(last_from(api, citizen.chat_id, citizen.person), "halo lagi")
    asked = "I saw you edited a message. Please send the new text as a new message."
    assert citizen.text == words(app, "id", asked)

    await open_case(app, api, citizen)  # an open case, but "Sihanoukville" was the form's
    area = _message_with(api, citizen.chat_id, "Sihanoukville")
    before = len(api.calls)
    await citizen.edit(area, "Phnom Penh")
    assert citizen.text == words(app, "id", asked)
    await settle(app)
    assert to_officers(api, before) == []


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_an_officers_edit_corrects_a_delivered_reply_under_a_neutral_line(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver, locale: str
) -> None:
    citizen = ChatDriver(app, api, person(102_100, locale))
    case = await open_case(app, api, citizen)
    await officer.send("Datang hari Selasa.", thread_id=case.thread_id)
    await settle(app)
    delivered = _message_with(api, citizen.chat_id, "Datang hari Selasa.")
    await officer.edit(last_from(api, OFFICERS_CHAT, OFFICER), "Datang hari Rabu, bawa <KTP>.")
    assert officer.replies == []  # nothing said in the group: the reaction tells the officer
    before = len(api.calls)
    await settle(app)
    (correction,) = sent_since(api, before, citizen.chat_id)
    first, _, rest = correction["text"].partition("\n")
    ref = f"<code>{case.ref}</code>"
    assert first == words(app, locale, "✏️ Correction · %(ref)s", ref=ref)
    assert gives_away(first) == []
    assert rest == "Datang hari Rabu, bawa &lt;KTP&gt;."
    assert correction["reply_parameters"]["message_id"] == delivered
    assert ("reply_edited", "Datang hari Rabu, bawa <KTP>.") in await _events(app, case)


async def test_an_officers_correction_to_a_discreet_person_arrives_sealed(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await open_case(app, api, citizen, safe="no")
    await officer.send("Datang hari Selasa.", thread_id=case.thread_id)
    await settle(app)
    await citizen.press("s:open:")
    await officer.edit(last_from(api, OFFICERS_CHAT, OFFICER), "KBRI: datang hari Rabu.")
    before = len(api.calls)
    await settle(app)
    (notice,) = sent_since(api, before, citizen.chat_id)
    assert notice["text"] == words(app, "id", "There is a new message for you.")
    await citizen.press("s:open:")
    opened = api.sent("sendMessage", chat_id=citizen.chat_id)[-1]["text"]
    assert opened.startswith("✏️ Koreksi") and "datang hari Rabu." in opened


async def test_edits_that_must_not_reach_the_citizen_do_not(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    thread = case.thread_id
    await officer.send("!catatan: cek imigrasi", thread_id=thread)
    await officer.edit(last_from(api, OFFICERS_CHAT, OFFICER), "!catatan: paspor palsu? (edit A)")
    await officer.send(f"/catatan {case.ref} cek", thread_id=thread)
    await officer.edit(last_from(api, OFFICERS_CHAT, OFFICER), f"/catatan {case.ref} (edit B)")
    intruder = ChatDriver(app, api, Person(id=666, first_name="X"), chat_id=OFFICERS_CHAT)
    await intruder.send("Saya juga petugas.", thread_id=thread)
    await intruder.edit(last_from(api, OFFICERS_CHAT, intruder.person), "Kirim uang (edit C)")
    await officer.send("Sampai jumpa.", thread_id=thread)
    await settle(app)
    await officer.callback(f"c:closeok:{case.id}")
    await settle(app)
    before = len(api.calls)
    await officer.edit(last_from(api, OFFICERS_CHAT, OFFICER), "Sampai jumpa (edit D)")  # closed
    await settle(app)
    assert sent_since(api, before, citizen.chat_id) == []
    seen = " ".join(api.visible_texts(citizen.chat_id))
    assert "Sampai jumpa." in seen and "(edit" not in seen  # the reply went; no edit did
    kinds = [kind for kind, _ in await _events(app, case)]
    assert "reply_edited" not in kinds
