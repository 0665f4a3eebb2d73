"""Whatever no feature claims gets a clear answer: unknown commands, media, edits, old buttons."""

from __future__ import annotations

from bot.context import KawanApplication
from bot.transport.driver import ChatDriver, Reply, deliver
from bot.transport.offline import OfflineBotAPI


def _toasts(replies: list[Reply]) -> list[str]:
    return [r.params.get("text") for r in replies if r.method == "answerCallbackQuery"]


async def test_an_unknown_command_gets_the_menu(citizen: ChatDriver) -> None:
    await citizen.send("/terbang")
    assert "Saya tidak kenal perintah itu. Ini menunya." in citizen.text
    assert citizen.buttons  # a way on


async def test_media_outside_a_request_is_answered_once_per_album(citizen: ChatDriver) -> None:
    first = await citizen.send(kind="photo", media_group_id="album-1")
    second = await citizen.send(kind="photo", media_group_id="album-1")
    assert "Di sini saya hanya bisa membaca teks." in " ".join(r.text for r in first)
    assert [r for r in second if r.text] == []  # the album's second picture: no second answer
    await citizen.send(kind="voice")
    assert "Di sini saya hanya bisa membaca teks." in citizen.text


async def test_an_edit_is_not_reread_and_the_person_is_told(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("halo")
    chat = api.chat(citizen.person.id).messages
    own = max(n for n, m in chat.items() if m.get("from", {}).get("id") == citizen.person.id)
    await deliver(app, citizen.factory.edited(citizen.person, own, "halo, KBRI?"))
    told = api.sent("sendMessage", chat_id=citizen.person.id)[-1]["text"]
    assert told == "Anda mengubah pesan. Mohon kirim teks barunya sebagai pesan baru."


async def test_an_old_or_forged_button_gets_a_kind_toast(citizen: ChatDriver) -> None:
    replies = await citizen.callback("zz:who-knows")
    assert _toasts(replies) == ["Tombol ini sudah tidak berlaku. Silakan buka /menu."]
