"""A help request left unanswered for 30 minutes closes: silently, across restarts, nothing kept."""

from __future__ import annotations

from bot.config import Settings
from bot.context import KawanApplication, KawanContext
from bot.handlers.intake_views import DRAFT_KEY, DRAFT_TTL_SECONDS
from bot.queue.jobs import forget_expired_drafts
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import CITIZEN, finish_request

CLOSED = ("no longer open", "sudah tidak terbuka")


def age_draft(app: KawanApplication, user_id: int, seconds: float) -> None:
    """Pretend the person stopped answering `seconds` ago."""
    app.user_data[user_id][DRAFT_KEY]["touched_at"] -= seconds
    app.mark_data_for_update_persistence(user_ids=[user_id])


async def send_after_category(citizen: ChatDriver) -> None:
    """The rest of a request for oneself, once the category is chosen, up to the reference."""
    await citizen.press("i:safe:yes")
    await citizen.send("Phnom Penh")
    await citizen.press("i:contact:any")
    await citizen.send("Paspor ditahan majikan")
    await finish_request(citizen)
    assert "KWN-" in citizen.text


def sent_to(api: OfflineBotAPI, chat_id: int) -> int:
    return len(api.sent("sendMessage", chat_id=chat_id)) + len(
        api.sent("editMessageText", chat_id=chat_id)
    )


async def test_an_answer_after_30_minutes_finds_the_request_closed(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:passport")
    age_draft(app, CITIZEN.id, DRAFT_TTL_SECONDS + 1)

    await citizen.press("i:safe:yes")
    assert any(words in citizen.text for words in CLOSED), citizen.text
    assert DRAFT_KEY not in app.user_data[CITIZEN.id]
    assert app.services.repos is not None
    assert await app.services.repos.cases.list_for_user(CITIZEN.id) == []
    await citizen.send("Phnom Penh")  # the conversation is over: this is an ordinary message
    assert not any(words in citizen.text for words in CLOSED)
    await citizen.send("/bantuan")  # and a new request starts from the first question
    assert citizen.buttons and any(data.startswith("i:category:") for _, data in citizen.buttons)


async def test_a_draft_answered_in_time_goes_on(app: KawanApplication, citizen: ChatDriver) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:passport")
    age_draft(app, CITIZEN.id, DRAFT_TTL_SECONDS - 60)
    await send_after_category(citizen)  # 29 minutes is still in time: the request goes through


async def test_the_sweep_forgets_old_drafts_without_messaging_anyone(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:passport")
    await citizen.press("i:safe:yes")
    await citizen.send("Dekat pasar, gedung biru")  # personal words in the half-filled request
    age_draft(app, CITIZEN.id, DRAFT_TTL_SECONDS + 1)
    before = sent_to(api, CITIZEN.id)

    assert await forget_expired_drafts(KawanContext(app)) == 1
    assert DRAFT_KEY not in app.user_data[CITIZEN.id]
    assert sent_to(api, CITIZEN.id) == before  # nothing pops up on a phone that may be checked
    assert await forget_expired_drafts(KawanContext(app)) == 0

    await citizen.press("i:contact:any")  # the person comes back to the old question
    assert any(words in citizen.text for words in CLOSED), citizen.text


async def test_expiry_holds_across_a_restart(settings: Settings, api: OfflineBotAPI) -> None:
    from bot.app import build_application, running

    first = build_application(settings, api=api)
    async with running(first):
        citizen = ChatDriver(first, api, CITIZEN)
        await citizen.send("/bantuan")
        await citizen.press("i:category:passport")
        age_draft(first, CITIZEN.id, DRAFT_TTL_SECONDS + 1)
    second = build_application(settings, api=api)
    async with running(second):
        citizen = ChatDriver(second, api, CITIZEN)
        await citizen.press("i:safe:yes")
        assert any(words in citizen.text for words in CLOSED), citizen.text


async def test_an_abandoned_draft_no_longer_holds_back_messages_for_an_open_case(
    app: KawanApplication, citizen: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:passport")
    await send_after_category(citizen)
    await citizen.send("/bantuan")  # a second request, started and then left
    await citizen.press("i:category:visa")
    age_draft(app, CITIZEN.id, DRAFT_TTL_SECONDS + 1)

    await citizen.send("Saya dipindah ke gedung lain")
    assert "Ditambahkan ke permintaan Anda" in citizen.text  # relayed to the open case
