"""Scenario tests for help requests: intake, commit-then-acknowledge, officers' queue, relay."""

from __future__ import annotations

import re
import time

from bot.context import KawanApplication
from bot.intake.expiry import DRAFT_KEY, DRAFT_TTL_SECONDS, expire_draft
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT, finish_request

REF = re.compile(r"KWN-[0-9A-HJKMNP-TV-Z]{6}")


async def settle(app: KawanApplication) -> None:
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()


async def submit_self_request(
    citizen: ChatDriver, description: str = "Paspor saya ditahan bos"
) -> str:
    await citizen.send("/bantuan")
    await citizen.press("i:category:passport")
    await citizen.press("i:safe:yes")
    await citizen.send("Sihanoukville")
    await citizen.press("i:contact:any")
    await citizen.send(description)
    await citizen.press("i:attach:done")
    assert "UU 27/2022" in citizen.text
    await citizen.press("i:consent:yes")
    assert description in citizen.text
    await citizen.press("i:confirm:yes")
    found = REF.search(citizen.text)
    assert found, citizen.text
    return found.group(0)


async def test_citizen_request_reaches_officers_and_reply_comes_back_as_kbri(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    ref = await submit_self_request(citizen)
    assert "117" in citizen.text  # emergency numbers with the acknowledgement
    await settle(app)
    topics = api.sent("createForumTopic", chat_id=OFFICERS_CHAT)
    assert topics and ref in topics[0]["name"]
    assert "Siti" not in topics[0]["name"]  # never the citizen's name
    card = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]
    assert ref in card["text"] and "Paspor saya ditahan bos" in card["text"]
    thread = card["message_thread_id"]

    await officer.press("c:claim:")  # the Claim button on the card
    await settle(app)
    assert ref in api.visible_texts(citizen.chat_id)[-1]  # neutral: see tests/test_notices.py

    await officer.send("Kami akan menghubungi Anda besok pagi.", thread_id=thread)
    await settle(app)
    last = api.visible_texts(citizen.chat_id)[-1]
    assert ref in last and "Kami akan menghubungi Anda besok pagi." in last
    assert "Officer" not in last  # the officer stays anonymous

    await citizen.send("Terima kasih, saya tunggu.")
    assert ref in citizen.text
    await settle(app)
    relayed = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[-1]
    assert "Terima kasih, saya tunggu." in relayed["text"]
    assert relayed["message_thread_id"] == thread

    await officer.send("!catatan internal: cek dengan imigrasi", thread_id=thread)
    await settle(app)
    assert "catatan internal" not in " ".join(api.visible_texts(citizen.chat_id))

    await officer.press("c:close:")
    await officer.press("c:closeok:")
    await settle(app)
    assert ref in api.visible_texts(citizen.chat_id)[-1]
    await citizen.send("/status")
    assert ref in citizen.text


async def test_plain_group_without_topics_uses_replies(
    settings,
    api: OfflineBotAPI,  # type: ignore[no-untyped-def]
) -> None:
    from bot.app import build_application, running
    from conftest import CITIZEN, OFFICER

    api.chat(OFFICERS_CHAT, is_forum=False)
    app = build_application(settings, api=api)
    async with running(app):
        citizen, officer = (
            ChatDriver(app, api, CITIZEN),
            ChatDriver(app, api, OFFICER, OFFICERS_CHAT),
        )
        ref = await submit_self_request(citizen)
        await settle(app)
        assert not api.sent("createForumTopic")
        card = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]
        assert ref in card["text"] and "message_thread_id" not in card
        card_id = next(
            m["message_id"]
            for m in api.chat(OFFICERS_CHAT).messages.values()
            if ref in m.get("text", "")
        )
        await officer.send("Baik, kami proses.", reply_to=card_id)
        await settle(app)
        assert "Baik, kami proses." in api.visible_texts(citizen.chat_id)[-1]
        await citizen.send("Oke")
        await settle(app)
        relayed = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[-1]
        assert "Oke" in relayed["text"]
        assert relayed["reply_parameters"]["message_id"] == card_id


async def test_family_report_carries_the_relative_details(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("/keluarga")
    await citizen.send("Andi Pratama")
    await citizen.press("i:rel_relationship:child")
    await citizen.send("3 hari lalu lewat WhatsApp")
    await citizen.send("PT Golden di Bavet")
    await citizen.press("i:rel_passport:-")
    await citizen.press("i:category:held")
    assert "117" in citizen.text  # urgent: emergency numbers at once
    await citizen.press("i:contact:never_first")
    await citizen.send("Anak saya bilang tidak boleh keluar dari gedung.")
    await finish_request(citizen)
    ref = REF.search(citizen.text)
    assert ref
    await settle(app)
    card = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["text"]
    assert "Andi Pratama" in card and "PT Golden di Bavet" in card and "🚨" in card
    topic = api.sent("createForumTopic")[0]["name"]
    assert "Andi" not in topic and ref.group(0) in topic


async def test_never_message_me_first_holds_replies_until_the_citizen_writes(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:go_home")
    await citizen.press("i:safe:briefly")
    await citizen.press("i:location:-")
    await citizen.press("i:contact:never_first")
    await citizen.send("Saya mau pulang")
    await finish_request(citizen)
    await settle(app)
    thread = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["message_thread_id"]
    before = len(api.sent("sendMessage", chat_id=citizen.chat_id))
    await officer.send("Datang ke KBRI hari Senin.", thread_id=thread)
    await settle(app)
    assert len(api.sent("sendMessage", chat_id=citizen.chat_id)) == before  # held
    await citizen.send("/status")
    texts = " ".join(p["text"] for p in api.sent("sendMessage", chat_id=citizen.chat_id)[before:])
    assert "Datang ke KBRI hari Senin." in texts


async def test_cancel_saves_nothing(app: KawanApplication, citizen: ChatDriver) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:visa")
    await citizen.send("/batal")
    assert "Tidak ada yang disimpan atau dikirim" in citizen.text
    assert await app.services.repos.cases.list_for_user(citizen.person.id) == []


async def test_a_form_left_for_another_screen_lets_questions_through(
    app: KawanApplication, citizen: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:visa")
    await citizen.press("i:safe:yes")  # the form now waits for the area, typed
    await citizen.send("/start")
    await citizen.send("brp denda overstay 20 hari")
    assert "US$200" in citizen.text, citizen.text
    assert "Kira-kira Anda di mana" not in citizen.text
    await citizen.send("/cek")  # and an offer pasted after /cek is checked, not filed
    await citizen.send("Dibutuhkan admin online di Kamboja, gaji 1.000 USD, tiket ditanggung")
    assert "Risiko" in citizen.text
    assert await app.services.repos.cases.list_for_user(citizen.person.id) == []


async def test_a_form_still_on_screen_takes_the_typed_answer(citizen: ChatDriver) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:visa")
    await citizen.send("/")  # a lone slash is no command: nothing breaks
    await citizen.send("/status")  # a look elsewhere ...
    await citizen.press("i:safe:yes")  # ... then back to the form's own buttons
    assert "Pertanyaan 3" in citizen.text
    await citizen.send("Phnom Penh")  # the area: taken as the form's answer
    assert "Pertanyaan 4" in citizen.text


async def test_a_request_left_past_its_timeout_saves_nothing(
    app: KawanApplication, citizen: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:visa")
    user_data = app.user_data[citizen.person.id]
    assert DRAFT_KEY in user_data
    later = time.time() + DRAFT_TTL_SECONDS + 1  # a fake clock: 30 minutes and a second later
    assert expire_draft(user_data, now=later) is True
    assert DRAFT_KEY not in user_data
    assert await app.services.repos.cases.list_for_user(citizen.person.id) == []
    await citizen.send("/batal")
    assert "/menu" in citizen.text


async def test_a_restart_in_the_middle_of_an_intake_resumes_it(
    settings, api: OfflineBotAPI
) -> None:  # type: ignore[no-untyped-def]
    from bot.app import build_application, running
    from conftest import CITIZEN

    first = build_application(settings, api=api)
    async with running(first):
        citizen = ChatDriver(first, api, CITIZEN)
        await citizen.send("/bantuan")
        await citizen.press("i:category:passport")
        await citizen.press("i:safe:yes")
    second = build_application(settings, api=api)
    async with running(second):
        citizen = ChatDriver(second, api, CITIZEN)
        await citizen.send("Phnom Penh")  # the location question, answered after the restart
        assert "KBRI" in citizen.text  # the contact question follows
        await citizen.press("i:contact:any")
        await citizen.send("Paspor ditahan majikan")
        await finish_request(citizen)
        assert REF.search(citizen.text)


async def test_forged_officer_actions_from_a_non_member_change_nothing(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    from bot.transport.updates import Person

    await submit_self_request(citizen)
    await settle(app)
    intruder = ChatDriver(app, api, Person(id=666, first_name="X"), chat_id=OFFICERS_CHAT)
    assert app.services.repos is not None
    case = (await app.services.repos.cases.list_for_user(citizen.person.id))[0]
    for data in (f"c:claim:{case.id}", f"c:closeok:{case.id}", f"c:refto:{case.id}:police"):
        await intruder.callback(data)
    await intruder.send("/antrian")
    await intruder.send(f"/blokir {case.ref}")
    after = await app.services.repos.cases.get_by_id(case.id)
    assert after is not None and after.status == "baru" and after.claimed_by is None
    user = await app.services.repos.users.get(citizen.person.id)
    assert user is not None and not user.blocked
    # And the same forged press from the citizen's private chat changes nothing either.
    await citizen.callback(f"c:closeok:{case.id}")
    again = await app.services.repos.cases.get_by_id(case.id)
    assert again is not None and again.status == "baru"


async def test_a_message_after_close_offers_a_new_linked_request_instead_of_reopening(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    first = await submit_self_request(citizen)
    await settle(app)
    await officer.press("c:close:")
    await officer.press("c:closeok:")
    await settle(app)
    await citizen.send("Saya perlu bantuan lagi untuk SPLP saya yang hilang")
    assert first in citizen.text
    assert ("Tidak, terima kasih", "h:nofollow") in citizen.buttons
    assert app.services.repos is not None
    old = await app.services.repos.cases.get_by_ref(first)
    assert old is not None and old.status == "selesai"  # not silently reopened
    await citizen.press("h:followup")
    assert "Apa yang terjadi?" not in citizen.text  # the guides know it is about a passport
    await citizen.press("i:safe:yes")
    await citizen.send("Phnom Penh")
    await citizen.press("i:contact:any")
    await citizen.press("i:attach:done")  # the description came from the message itself
    await citizen.press("i:consent:yes")
    await citizen.press("i:confirm:yes")
    second = REF.search(citizen.text)
    assert second and second.group(0) != first
    new = await app.services.repos.cases.get_by_ref(second.group(0))
    assert new is not None and new.linked_case_id == old.id
    assert new.description == "Saya perlu bantuan lagi untuk SPLP saya yang hilang"
    await settle(app)
    assert f"{first}" in api.sent("sendMessage", chat_id=OFFICERS_CHAT)[-1]["text"]


async def test_officer_commands_queue_case_stats_export_block(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    ref = await submit_self_request(citizen)
    await settle(app)
    await officer.send("/antrian")
    assert ref in officer.text
    await officer.send(f"/kasus {ref.lower()}")
    assert ref in officer.text and "WNI: mengirim permintaan bantuan" in officer.text
    assert "created" not in officer.text  # the history speaks in words, not codes
    await officer.send(f"/catatan {ref} cek ke imigrasi")
    assert app.services.repos is not None
    case = await app.services.repos.cases.get_by_ref(ref)
    assert case is not None
    assert any(e.kind == "note" for e in await app.services.repos.cases.events(case.id))
    await officer.send("/statistik")
    assert "1" in officer.text
    await officer.send("/ekspor")
    document = api.sent("sendDocument", chat_id=OFFICERS_CHAT)
    assert document and "1" in document[0]["caption"]
    await officer.send(f"/blokir {ref}")
    await citizen.send("/bantuan")
    assert "117" in citizen.text and not REF.search(citizen.text)
    await officer.send(f"/buka {ref}")
    user = await app.services.repos.users.get(citizen.person.id)
    assert user is not None and not user.blocked
    await officer.send("/idgrup")
    assert str(OFFICERS_CHAT) in officer.text


async def test_unclaimed_cases_are_reminded_once_per_interval(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    import datetime as dt

    from bot.queue.jobs import remind_unclaimed

    ref = await submit_self_request(citizen)
    await settle(app)
    assert app.services.repos is not None
    case = await app.services.repos.cases.get_by_ref(ref)
    assert case is not None
    context = type("Ctx", (), {"services": app.services})()
    assert await remind_unclaimed(context) == 0  # too young
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)
    assert await remind_unclaimed(context, now=later) == 1  # type: ignore[arg-type]
    assert await remind_unclaimed(context, now=later) == 0  # type: ignore[arg-type]
    await settle(app)
    assert ref in api.sent("sendMessage", chat_id=OFFICERS_CHAT)[-1]["text"]
