"""What a help request shows: never asking twice, the short path, answers on the review screen."""

from __future__ import annotations

from bot.context import KawanApplication
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT, finish_request


async def settle(app: KawanApplication) -> None:
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()


async def test_a_typed_question_becomes_the_request_without_retyping(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    question = "Paspor saya hilang di Sihanoukville, bagaimana cara buat SPLP?"
    await citizen.send(question)
    asked: list[str] = []
    await citizen.press("h:ask")  # "✍️ Tanya KBRI" under the answer
    asked.append(citizen.text)
    assert "Anda bisa memeriksanya dulu" in citizen.text
    for step in ("i:safe:yes", "i:contact:any", "i:attach:done", "i:consent:yes"):
        await citizen.press(step)
        asked.append(citizen.text)
    shown = "\n".join(asked)
    assert "Apa yang terjadi?" not in shown and "Kira-kira Anda di mana?" not in shown
    assert "Pertanyaan 1" in asked[0] and "Pertanyaan 2" in asked[1]
    review = asked[-1]
    assert question in review and "Wilayah: Sihanoukville" in review
    assert "Dalam beberapa kalimat" not in review  # answers, not the questions again
    await citizen.press("i:confirm:yes")
    await settle(app)
    card = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["text"]
    assert question in card and "Sihanoukville" in card


async def test_the_urgent_button_carries_the_message_the_same_way(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("Tolong saya dipukul bos di Bavet")
    await citizen.press("h:urgent")
    assert "Kira-kira Anda di mana?" not in citizen.text
    await citizen.press("i:contact:any")
    await finish_request(citizen)
    await settle(app)
    card = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["text"]
    assert "dipukul bos di Bavet" in card and "Bavet" in card


async def test_not_safe_to_talk_reaches_a_reference_in_four_answers_after_saying_so(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:go_home")  # what happened: one tap
    await citizen.press("i:safe:no")
    assert "Pertanyaan 3" in citizen.text and ("Lewati", "i:description:-") in citizen.buttons
    await citizen.send("Mau pulang")  # one line (optional)
    assert "Pertanyaan 4" in citizen.text
    await citizen.press("i:location:-")  # the area (optional)
    consent = citizen.text
    assert len([line for line in consent.splitlines() if line.strip()]) <= 4
    assert "/privasi" in consent and "UU 27/2022" not in consent
    await citizen.press("i:consent:send")  # consent sends: no review screen
    assert "KWN-" in citizen.text
    await settle(app)
    card = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["text"]
    assert "Mau pulang" in card


async def test_the_short_path_may_skip_the_line_and_privasi_shows_the_full_text(
    app: KawanApplication, citizen: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:other")
    await citizen.press("i:safe:no")
    await citizen.press("i:description:-")
    await citizen.send("Kampot")
    await citizen.send("/privasi")
    assert "UU 27/2022" in citizen.text
    await citizen.press("i:consent:send")
    assert "KWN-" in citizen.text


async def test_a_place_in_the_short_line_is_not_asked_again(
    app: KawanApplication, citizen: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:go_home")
    await citizen.press("i:safe:no")
    await citizen.send("sy di kompleks dekat Bavet, mau pulang")
    assert "Bavet" in citizen.text and "Pertanyaan 4" not in citizen.text  # straight to consent
    await citizen.press("i:consent:send")
    assert app.services.repos is not None
    case = (await app.services.repos.cases.list_for_user(citizen.person.id))[0]
    assert case.location_text == "Bavet"
