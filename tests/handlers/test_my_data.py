"""/datasaya reads as words in the person's language; the JSON copy is one tap away."""

from __future__ import annotations

import pytest

from bot.context import KawanApplication
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from conftest import finish_request

KEYS = ("contact_policy", "bot_blocked_at", "safe_hours_from", "created_at", "location_text", "{")


@pytest.mark.parametrize(("language", "words"), [("id", "Wilayah"), ("en", "Area")])
async def test_my_data_has_labels_not_json_keys(
    app: KawanApplication, api: OfflineBotAPI, language: str, words: str
) -> None:
    citizen = ChatDriver(app, api, Person(id=100_400, first_name="Rina", language_code=language))
    await citizen.send("/bantuan")
    await citizen.press("i:category:visa")
    await citizen.press("i:safe:yes")
    await citizen.send("Kampot")
    await citizen.press("i:contact:safe_hours")
    await citizen.press("i:safe_hours:22-2")
    await citizen.send("Visa habis 20 hari")
    await finish_request(citizen)
    await citizen.send("/datasaya")
    shown = citizen.text
    assert not [key for key in KEYS if key in shown], shown
    assert f"{words}: Kampot" in shown and "22:00–02:00" in shown
    assert "Visa habis 20 hari" in shown
    await citizen.press("p:json")
    document = api.sent("sendDocument", chat_id=citizen.chat_id)
    assert len(document) == 1


async def test_my_data_before_any_request(citizen: ChatDriver) -> None:
    await citizen.send("/datasaya")
    assert "Anda belum mengirim permintaan." in citizen.text
