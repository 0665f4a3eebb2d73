"""The officers' case buttons: one small callback per action behind one guard."""

from __future__ import annotations

from bot.context import KawanApplication
from bot.handlers.officers import CASE_BUTTONS
from bot.storage.models import Case
from bot.transport.driver import ChatDriver, Reply
from conftest import finish_request


def _toast(replies: list[Reply]) -> str:
    return " ".join(
        str(r.params.get("text") or "") for r in replies if r.method == "answerCallbackQuery"
    )


async def _case(app: KawanApplication, citizen: ChatDriver) -> Case:
    await citizen.send("/bantuan")
    await citizen.press("i:category:visa")
    await citizen.press("i:safe:yes")
    await citizen.send("Phnom Penh")
    await citizen.press("i:contact:any")
    await citizen.send("Visa saya habis minggu lalu")
    await finish_request(citizen)
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    (case,) = await app.services.repos.cases.list_for_user(citizen.person.id)
    return case


def test_every_action_has_its_own_pattern_and_a_catch_all_comes_last() -> None:
    names = [callback.__name__ for _, callback in CASE_BUTTONS]
    assert names[-1] == "unknown_case_button" and len(set(names)) == len(names)
    assert CASE_BUTTONS[-1][0] == r"^c:"


async def test_refer_shows_the_partners_then_records_the_referral(
    app: KawanApplication, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await _case(app, citizen)
    replies = await officer.callback(f"c:ref:{case.id}")
    assert "Rujuk " + case.ref + " ke:" in officer.text
    assert ("Polisi Kamboja", f"c:refto:{case.id}:police") in officer.buttons
    replies = await officer.callback(f"c:refto:{case.id}:police")
    assert "Tersimpan." in _toast(replies)
    after = await app.services.repos.cases.get_by_id(case.id)
    assert after is not None and after.status == "dirujuk"


async def test_unknown_data_or_a_missing_case_is_answered_not_acted_on(
    app: KawanApplication, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await _case(app, citizen)
    for data in (f"c:refto:{case.id}:mafia", "c:claim:999999", f"c:explode:{case.id}"):
        replies = await officer.callback(data)
        assert "Kasus ini sudah tidak ada." in _toast(replies), data
    after = await app.services.repos.cases.get_by_id(case.id)
    assert after is not None and after.status == "baru"


async def test_a_closed_case_refuses_every_change_but_shows_its_card(
    app: KawanApplication, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await _case(app, citizen)
    await officer.callback(f"c:closeok:{case.id}")
    for data in (f"c:claim:{case.id}", f"c:info:{case.id}", f"c:close:{case.id}"):
        replies = await officer.callback(data)
        assert "Kasus ini sudah selesai." in _toast(replies), data
    await officer.callback(f"c:card:{case.id}")
    assert case.ref in officer.text
    after = await app.services.repos.cases.get_by_id(case.id)
    assert after is not None and after.status == "selesai" and after.claimed_by is None
