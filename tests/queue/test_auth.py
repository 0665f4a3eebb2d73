"""Who may act on cases (a security contract): members of the officers' group, narrowed by
OFFICER_IDS, asked of Telegram and cached briefly; failures refuse and are not cached."""

from __future__ import annotations

from telegram import Bot

from bot.app import OFFLINE_TOKEN, build_application, running
from bot.config import Settings
from bot.queue.auth import CACHE_SECONDS, OfficerAuth
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI, OfflineRequest
from conftest import CITIZEN, OFFICER, OFFICERS_CHAT, finish_request, make_settings

GROUP = -100_200
MEMBER, STRANGER, LISTED = 11, 22, 33


class FakeClock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def _telegram() -> tuple[OfflineBotAPI, Bot]:
    api = OfflineBotAPI()
    group = api.chat(GROUP, type="supergroup", title="piket")
    group.members[MEMBER] = "member"
    group.members[LISTED] = "administrator"
    return api, Bot(OFFLINE_TOKEN, request=OfflineRequest(api))


def _membership_checks(api: OfflineBotAPI) -> int:
    return sum(method == "getChatMember" for method, *_ in api.calls)


async def test_members_of_the_officers_group_may_act_and_strangers_may_not() -> None:
    _, bot = _telegram()
    async with bot:
        auth = OfficerAuth(bot, GROUP)
        assert await auth.is_officer(MEMBER) is True
        assert await auth.is_officer(LISTED) is True
        assert await auth.is_officer(STRANGER) is False


async def test_officer_ids_narrow_the_group_without_asking_telegram() -> None:
    api, bot = _telegram()
    async with bot:
        auth = OfficerAuth(bot, GROUP, frozenset({LISTED, STRANGER}))
        assert await auth.is_officer(MEMBER) is False  # a member, but not listed
        assert _membership_checks(api) == 0
        assert await auth.is_officer(LISTED) is True
        assert await auth.is_officer(STRANGER) is False  # listed, but not in the group


async def test_the_running_bot_refuses_a_group_admin_missing_from_officer_ids(
    settings: Settings, api: OfflineBotAPI
) -> None:
    """The contract end to end: OFFICER_IDS reaches the guard of every case button."""
    narrowed = make_settings(settings, officer_ids=frozenset({OFFICER.id + 1}))
    app = build_application(narrowed, api=api)
    async with running(app):
        citizen, officer = (
            ChatDriver(app, api, CITIZEN),
            ChatDriver(app, api, OFFICER, OFFICERS_CHAT),
        )
        await citizen.send("/bantuan")
        for step in ("i:category:visa", "i:safe:yes"):
            await citizen.press(step)
        await citizen.send("Phnom Penh")
        await citizen.press("i:contact:any")
        await citizen.send("Visa saya habis minggu lalu")
        await finish_request(citizen)
        (case,) = await app.services.repos.cases.list_for_user(CITIZEN.id)
        replies = await officer.callback(f"c:claim:{case.id}")
        toasts = [r.params.get("text") for r in replies if r.method == "answerCallbackQuery"]
        assert toasts == ["Tindakan ini tidak tersedia untuk Anda."]
        after = await app.services.repos.cases.get_by_id(case.id)
        assert after is not None and after.claimed_by is None and after.status == "baru"
    assert api.chat(OFFICERS_CHAT).members[OFFICER.id] == "administrator"  # in the group


async def test_no_officers_group_means_nobody_may_act() -> None:
    api, bot = _telegram()
    async with bot:
        assert await OfficerAuth(bot, None).is_officer(MEMBER) is False
        assert _membership_checks(api) == 0


async def test_membership_is_cached_briefly_then_asked_again() -> None:
    api, bot = _telegram()
    clock = FakeClock()
    async with bot:
        auth = OfficerAuth(bot, GROUP, clock=clock)
        assert await auth.is_officer(MEMBER)
        assert await auth.is_officer(MEMBER)
        assert _membership_checks(api) == 1
        del api.chat(GROUP).members[MEMBER]  # the officer leaves the group
        clock.now += CACHE_SECONDS - 1
        assert await auth.is_officer(MEMBER) is True  # still cached
        clock.now += 2
        assert await auth.is_officer(MEMBER) is False  # asked again: gone
        assert _membership_checks(api) == 2


async def test_a_failed_check_refuses_and_is_not_cached() -> None:
    api, bot = _telegram()
    failing = True
    api.fault_policy = lambda method, _: (
        (400, "Bad Request: chat not found") if failing and method == "getChatMember" else None
    )
    async with bot:
        auth = OfficerAuth(bot, GROUP)
        assert await auth.is_officer(MEMBER) is False  # fail closed
        failing = False
        assert await auth.is_officer(MEMBER) is True  # the failure was not remembered
        assert _membership_checks(api) == 2
