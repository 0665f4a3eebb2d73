"""The officers' workbench: saved replies, referrals by name, edits mirrored both ways."""

from __future__ import annotations

from typing import Any

from bot.context import KawanApplication
from bot.queue.notices import gives_away
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from conftest import OFFICERS_CHAT
from tests.handlers.test_helpdesk import settle, submit_self_request


async def _opened(app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver) -> int:
    """A case sent and posted; returns its topic."""
    await submit_self_request(citizen)
    await settle(app)
    return int(api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["message_thread_id"])


async def _only_when_settled(app: KawanApplication) -> None:
    """No background delivery: rows stay queued until the test settles the outbox."""
    assert app.services.dispatcher is not None
    await app.services.dispatcher.stop()


def _last_from(api: OfflineBotAPI, chat_id: int, person: Person) -> int:
    """The id of the newest message `person` sent in the chat."""
    mine = [m for m in api.chat(chat_id).messages.values() if m["from"]["id"] == person.id]
    return int(mine[-1]["message_id"])


def _sent_since(api: OfflineBotAPI, before: int, chat_id: int) -> list[dict[str, Any]]:
    return [
        params for method, params in api.calls[before:]
        if method in ("sendMessage", "copyMessage") and params.get("chat_id") == chat_id
    ]  # fmt: skip


async def _events(app: KawanApplication, ref: str) -> list[tuple[str, str | None, str | None]]:
    repos = app.services.repos
    case = await repos.cases.get_by_ref(ref)
    assert case is not None
    return [(e.kind, e.detail, e.body) for e in await repos.cases.events(case.id)]


async def test_a_saved_reply_round_trips_to_the_citizen_as_kbri(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    thread = await _opened(app, api, citizen)
    ref = (await app.services.repos.cases.list_for_user(citizen.person.id))[0].ref
    await officer.send("/templat paspor Mohon kirim foto halaman depan paspor Anda ({ref}).")
    assert "paspor" in officer.text and "/t paspor" in officer.text
    await officer.send("/templat")
    assert "paspor" in officer.text and "Mohon kirim foto" in officer.text

    before = len(api.calls)
    await officer.send("/t paspor", thread_id=thread)
    await settle(app)
    (received,) = _sent_since(api, before, citizen.chat_id)
    assert f"Mohon kirim foto halaman depan paspor Anda ({ref})." in received["text"]
    assert received["text"].splitlines()[0].endswith(f"<code>{ref}</code>")  # neutral line
    assert gives_away(received["text"]) == [] and "Officer" not in received["text"]
    events = await _events(app, ref)
    assert ("template_used", "paspor", None) in events
    assert any(kind == "reply" and body and "paspor" in body for kind, _, body in events)
    case = await app.services.repos.cases.get_by_ref(ref)
    assert case is not None and case.first_reply_at is not None

    await officer.send("/templat hapus paspor")
    assert "dihapus" in officer.text
    before = len(api.calls)
    await officer.send("/t paspor", thread_id=thread)
    await settle(app)
    assert "Tidak ada balasan tersimpan" in officer.text
    assert _sent_since(api, before, citizen.chat_id) == []


async def test_a_discreet_citizen_gets_a_saved_reply_sealed(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:passport")
    await citizen.press("i:safe:no")
    await citizen.send("Paspor ditahan")
    await citizen.press("i:location:-")
    await citizen.press("i:consent:send")
    await settle(app)
    thread = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["message_thread_id"]
    await officer.send("/templat datang Datang ke KBRI hari Senin, bawa nomor {ref}.")
    before = len(api.calls)
    await officer.send("/t datang", thread_id=thread)
    await settle(app)
    (received,) = _sent_since(api, before, citizen.chat_id)
    assert received["text"] == "Ada pesan baru untuk Anda."
    await citizen.press("s:open:")
    assert "Datang ke KBRI hari Senin, bawa nomor KWN-" in citizen.text


async def test_ask_for_info_offers_the_saved_questions_and_sends_the_chosen_one(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    await _opened(app, api, citizen)
    await officer.send("/templat info dokumen Mohon kirim foto dokumen kerja Anda ({ref}).")
    await officer.send("/templat salam Halo, kami sedang memeriksa.")  # not for info
    (case,) = await app.services.repos.cases.list_for_user(citizen.person.id)
    await officer.callback(f"c:info:{case.id}")
    labels = [label for label, _ in officer.buttons]
    assert "📋 dokumen" in labels and "📋 salam" not in labels
    assert "📨 Pertanyaan umum" in labels and "✍️ Tulis sendiri" in labels
    before = len(api.calls)
    await officer.callback(f"c:infot:{case.id}:dokumen")
    await settle(app)
    (received,) = _sent_since(api, before, citizen.chat_id)
    assert f"Mohon kirim foto dokumen kerja Anda ({case.ref})." in received["text"]
    after = await app.services.repos.cases.get_by_id(case.id)
    assert after is not None and after.status == "menunggu"
    assert ("template_used", "dokumen", None) in await _events(app, case.ref)

    replies = await officer.callback(f"c:infoown:{case.id}")
    toast = " ".join(
        str(r.params.get("text")) for r in replies if r.method == "answerCallbackQuery"
    )
    assert "tulis pertanyaan Anda di topik" in toast


async def test_a_referral_to_a_named_agency_reaches_the_citizen_in_words(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    await _opened(app, api, citizen)
    (case,) = await app.services.repos.cases.list_for_user(citizen.person.id)
    await officer.callback(f"c:ref:{case.id}")
    assert ("KP2MI", f"c:refto:{case.id}:kp2mi") in officer.buttons
    assert any(data == f"c:refother:{case.id}" for _, data in officer.buttons)
    before = len(api.calls)
    await officer.callback(f"c:refto:{case.id}:iom")
    assert "IOM (Organisasi Internasional untuk Migrasi)" in officer.text  # the card, in words
    assert "→ iom" not in officer.text
    await settle(app)
    (received,) = _sent_since(api, before, citizen.chat_id)
    text = received["text"]
    assert f"{case.ref} sudah diteruskan ke IOM (Organisasi Internasional untuk Migrasi)" in text
    assert "IOM bisa menghubungi Anda" in text  # what happens next, from contacts.yaml
    assert gives_away(text) == []
    after = await app.services.repos.cases.get_by_id(case.id)
    assert after is not None and after.status == "dirujuk" and after.referred_to == "iom"


async def test_other_agency_by_typed_name_and_in_the_citizens_language(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver
) -> None:
    citizen = ChatDriver(app, api, Person(id=100_500, first_name="Ana", language_code="en"))
    thread = await _opened(app, api, citizen)
    (case,) = await app.services.repos.cases.list_for_user(citizen.person.id)
    await officer.callback(f"c:refother:{case.id}")
    assert "/rujuk" in officer.text
    before = len(api.calls)
    await officer.send("/rujuk Yayasan Peduli Migran", thread_id=thread)
    assert "Yayasan Peduli Migran" in officer.text
    await settle(app)
    (received,) = _sent_since(api, before, citizen.chat_id)
    assert f"{case.ref} has been passed on to Yayasan Peduli Migran." in received["text"]
    assert "They may contact you about the next steps." in received["text"]
    after = await app.services.repos.cases.get_by_id(case.id)
    assert after is not None and after.referred_to == "Yayasan Peduli Migran"

    before = len(api.calls)
    await officer.send(f"/rujuk {case.ref} kp2mi")  # by reference, an agency by its id
    await settle(app)
    (received,) = _sent_since(api, before, citizen.chat_id)
    assert "has been passed on to KP2MI." in received["text"]
    assert "KP2MI may contact you or your family" in received["text"]


async def test_a_citizens_edit_reaches_the_officers_as_a_reply_to_the_old_text(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    thread = await _opened(app, api, citizen)
    await citizen.send("Saya sekarang di Bavet.")
    await settle(app)
    copy = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[-1]
    assert "Saya sekarang di Bavet." in copy["text"]
    copy_id = next(
        m["message_id"] for m in reversed(api.chat(OFFICERS_CHAT).messages.values())
        if "Saya sekarang di Bavet." in m.get("text", "")
    )  # fmt: skip
    await citizen.edit(_last_from(api, citizen.chat_id, citizen.person), "Saya sekarang di Poipet.")
    assert "Perubahan Anda sudah ditambahkan" in citizen.text
    await settle(app)
    mirrored = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[-1]
    assert "✏️ diubah" in mirrored["text"] and "Saya sekarang di Poipet." in mirrored["text"]
    assert mirrored["reply_parameters"]["message_id"] == copy_id
    assert mirrored["message_thread_id"] == thread
    (case,) = await app.services.repos.cases.list_for_user(citizen.person.id)
    assert ("citizen_edited", None, "Saya sekarang di Poipet.") in await _events(app, case.ref)


async def test_a_citizens_edit_of_a_queued_message_changes_the_queued_text(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await _opened(app, api, citizen)
    await _only_when_settled(app)
    await citizen.send("Nomor saya 0812 salah ketik")
    await citizen.edit(_last_from(api, citizen.chat_id, citizen.person), "Nomor saya benar")
    before = len(api.calls)
    await settle(app)
    posted = [p["text"] for p in _sent_since(api, before, OFFICERS_CHAT)]
    assert len(posted) == 1 and "Nomor saya benar" in posted[0] and "✏️" not in posted[0]


async def test_an_edit_of_a_message_never_relayed_still_gets_the_old_answer(
    app: KawanApplication, citizen: ChatDriver
) -> None:
    await citizen.send("halo")
    await citizen.edit(1, "halo lagi")  # no open case: nothing to mirror
    assert "Anda mengubah pesan. Mohon kirim teks barunya sebagai pesan baru." in citizen.text


async def test_an_officers_correction_follows_the_reply_or_changes_it_while_queued(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    thread = await _opened(app, api, citizen)
    ref = (await app.services.repos.cases.list_for_user(citizen.person.id))[0].ref

    await _only_when_settled(app)
    await officer.send("Datang hari Selasa.", thread_id=thread)
    await officer.edit(_last_from(api, OFFICERS_CHAT, officer.person), "Datang hari Rabu.")
    before = len(api.calls)
    await settle(app)
    (queued,) = _sent_since(api, before, citizen.chat_id)  # one message, already corrected
    assert "Datang hari Rabu." in queued["text"] and "Selasa" not in queued["text"]

    await officer.send("Bawa paspor asli.", thread_id=thread)
    await settle(app)
    delivered = api.sent("sendMessage", chat_id=citizen.chat_id)[-1]
    delivered_id = next(
        m["message_id"] for m in reversed(api.chat(citizen.chat_id).messages.values())
        if "Bawa paspor asli." in m.get("text", "")
    )  # fmt: skip
    assert "Bawa paspor asli." in delivered["text"]
    await officer.edit(_last_from(api, OFFICERS_CHAT, officer.person), "Bawa fotokopi paspor.")
    before = len(api.calls)
    await settle(app)
    (correction,) = _sent_since(api, before, citizen.chat_id)
    assert correction["text"].splitlines()[0] == f"✏️ Koreksi · <code>{ref}</code>"
    assert "Bawa fotokopi paspor." in correction["text"]
    assert correction["reply_parameters"]["message_id"] == delivered_id
    assert gives_away(correction["text"]) == []
    assert ("reply_edited", None, "Bawa fotokopi paspor.") in await _events(app, ref)


async def test_an_edit_that_reads_as_danger_makes_the_case_urgent(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await _opened(app, api, citizen)
    await citizen.send("Saya baik-baik saja.")
    await settle(app)
    await citizen.edit(_last_from(api, citizen.chat_id, citizen.person), "tolong saya disekap")
    assert "117" in citizen.text  # the emergency numbers, as for a new message
    await settle(app)
    assert api.sent("sendMessage", chat_id=OFFICERS_CHAT)[-1]["text"].startswith("🚨 ✏️ diubah")
    (case,) = await app.services.repos.cases.list_for_user(citizen.person.id)
    assert case.urgent
