"""Scenario tests for the guidance UI: start, menus, guides, back and home, language, deep links."""

from __future__ import annotations

from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person


async def test_start_shows_the_main_menu_in_indonesian(citizen: ChatDriver) -> None:
    await citizen.send("/start")
    assert "Kawan" in citizen.text
    labels = [label for label, _ in citizen.buttons]
    assert any("Darurat" in label for label in labels)
    assert any("keluarga" in label.lower() for label in labels)


async def test_menu_to_guide_and_back_and_home_edit_in_place(citizen: ChatDriver) -> None:
    await citizen.send("/menu")
    await citizen.press("m:rules")
    assert citizen.replies[-1].method == "editMessageText"
    guide_buttons = [data for _, data in citizen.buttons if data.startswith("g:")]
    assert len(guide_buttons) >= 5
    await citizen.press(guide_buttons[1])
    assert "Sumber" in citizen.text and "Terakhir diperiksa" in citizen.text
    await citizen.press("m:rules")
    assert any(data.startswith("g:") for _, data in citizen.buttons)
    await citizen.press("m:home")
    assert "Kawan" in citizen.text
    assert all(r.method in ("editMessageText", "answerCallbackQuery") for r in citizen.replies)


async def test_every_guide_page_fits_and_has_navigation(citizen: ChatDriver, app) -> None:  # type: ignore[no-untyped-def]
    content = app.services.content
    for locale in ("id", "en"):
        for guide in content.guides[locale].values():
            await citizen.callback(f"g:{guide.id}:0")
            shown = [r for r in citizen.replies if r.method in ("editMessageText", "sendMessage")]
            assert shown, guide.id
            assert len(shown[-1].text) <= 4096
            assert any(data == "m:home" for _, data in shown[-1].buttons)


async def test_emergency_screen_lists_police_and_kbri_hotline(
    citizen: ChatDriver,
) -> None:
    await citizen.send("/darurat")
    assert "117" in citizen.text
    assert "+855 12 813 282" in citizen.text
    assert "uang" in citizen.text  # the impostor warning
    await citizen.press("e:venue")
    venue = [r for r in citizen.replies if r.method == "sendVenue"]
    assert venue and float(venue[0].params["latitude"]) > 10


async def test_deep_link_opens_the_emergency_screen(citizen: ChatDriver) -> None:
    await citizen.send("/start darurat")
    assert "117" in citizen.text


async def test_unknown_deep_link_falls_back_to_the_menu(citizen: ChatDriver) -> None:
    await citizen.send("/start <b>weird</b>payload")
    assert "Kawan" in citizen.text


async def test_language_switch_is_remembered(citizen: ChatDriver) -> None:
    await citizen.send("/bahasa")
    await citizen.press("l:en")
    assert "Emergency" in " ".join(label for label, _ in citizen.buttons)
    await citizen.send("/menu")
    assert "Emergency" in " ".join(label for label, _ in citizen.buttons)
    await citizen.press("m:lang")
    await citizen.press("l:id")
    assert "Darurat" in " ".join(label for label, _ in citizen.buttons)


async def test_telegram_language_code_picks_english(app, api: OfflineBotAPI) -> None:  # type: ignore[no-untyped-def]
    visitor = ChatDriver(app, api, Person(id=555, first_name="Ann", language_code="en-GB"))
    await visitor.send("/start")
    assert "Emergency" in " ".join(label for label, _ in visitor.buttons)


async def test_old_indonesian_code_in_means_indonesian(app, api: OfflineBotAPI) -> None:  # type: ignore[no-untyped-def]
    visitor = ChatDriver(app, api, Person(id=556, first_name="Ani", language_code="in"))
    await visitor.send("/start")
    assert "Darurat" in " ".join(label for label, _ in visitor.buttons)


async def test_unknown_and_forged_callbacks_get_a_polite_answer(citizen: ChatDriver) -> None:
    for data in ("zz:nothing", "g:no-such-guide:0", "g:../../etc:99", "m:<script>", "x" * 64):
        await citizen.callback(data)
        answers = [r for r in citizen.replies if r.method == "answerCallbackQuery"]
        assert answers, data
        assert "/menu" in str(answers[0].params.get("text"))


async def test_stickers_photos_and_voice_get_a_clear_reply(citizen: ChatDriver) -> None:
    for kind in ("sticker", "photo", "voice", "video", "location", "contact"):
        await citizen.send(kind=kind)
        assert "teks" in citizen.text.lower(), kind


async def test_a_10000_character_message_is_answered(citizen: ChatDriver) -> None:
    await citizen.send("halo " * 2000)
    assert citizen.replies and citizen.text


async def test_command_menus_are_published_per_language(api: OfflineBotAPI, app) -> None:  # type: ignore[no-untyped-def]
    published = api.sent("setMyCommands")
    languages = {p.get("language_code") for p in published}
    assert {"id", "en"} <= languages
    indonesian = next(p for p in published if p.get("language_code") == "id")
    names = {c["command"] for c in indonesian["commands"]}
    assert {"start", "menu", "darurat", "bahasa"} <= names
    registered = app.services.commands.names("citizen")
    assert names <= registered
