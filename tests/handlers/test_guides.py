"""Guides on screen: every guide opens in both languages, in messages Telegram accepts, with a
way back; pages and forged buttons are handled."""

from __future__ import annotations

from bot.context import KawanApplication
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person

SHOWN = ("sendMessage", "editMessageText")


async def test_every_guide_opens_in_both_languages_and_telegram_accepts_every_message(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    for locale, guides in app.services.content.guides.items():
        reader = ChatDriver(app, api, Person(id=100_500, first_name="Rina", language_code=locale))
        for guide_id, guide in guides.items():
            start = len(api.calls)
            replies = await reader.callback(f"g:{guide_id}:0")
            shown = [r for r in replies if r.method in SHOWN]
            assert shown and guide.title in shown[0].text, (locale, guide_id)
            # A forged press has no message to edit (that edit is refused and the bot sends
            # instead); every new message must be accepted.
            calls = zip(api.calls[start:], api.results[start:], strict=True)
            refused = [m for (m, _), result in calls if m == "sendMessage" and result is None]
            assert not refused, (locale, guide_id)
            assert any(data == "m:home" for _, data in reader.buttons), (locale, guide_id)
    assert not app.services.errors


async def test_a_page_past_the_end_shows_the_last_page(citizen: ChatDriver) -> None:
    pages: list[str] = []
    for page in range(20):  # page by page until a page repeats: that is the last one
        shown = next(r.text for r in await citizen.callback(f"g:pulang-aman:{page}")
                     if r.method in SHOWN)  # fmt: skip
        if pages and shown == pages[-1]:
            break
        pages.append(shown)
    last = await citizen.callback("g:pulang-aman:99")
    assert next(r.text for r in last if r.method in SHOWN) == pages[-1]


async def test_an_unknown_guide_or_forged_data_is_a_stale_button(citizen: ChatDriver) -> None:
    for data in ("g:no-such-guide:0", "g:../../etc:0", "g:hubungi-kbri:x"):
        replies = await citizen.callback(data)
        toasts = [r.params.get("text") for r in replies if r.method == "answerCallbackQuery"]
        assert toasts == ["Tombol ini sudah tidak berlaku. Silakan buka /menu."], data
