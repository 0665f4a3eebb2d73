"""Updates built as Telegram delivers them, parsed by PTB, with the user's message in the chat."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram import Bot, MessageOriginHiddenUser
from telegram.constants import ChatType, MessageEntityType

from bot.app import OFFLINE_TOKEN
from bot.transport.offline import OfflineBotAPI, OfflineRequest
from bot.transport.updates import MEDIA_KINDS, Person, UpdateFactory

SITI = Person(id=100_001, first_name="Siti", language_code="id", username="siti_pp")
GROUP = -100_777
CLOCK = 1_800_000_000.0


@pytest.fixture
def api() -> OfflineBotAPI:
    fake = OfflineBotAPI(now=lambda: CLOCK)
    fake.chat(GROUP, type="supergroup", title="piket", is_forum=True)
    return fake


@pytest.fixture(scope="module")
def bot() -> Bot:
    """Only what updates are bound to; never called (and no HTTP client to build)."""
    unused = OfflineRequest(OfflineBotAPI())
    return Bot(OFFLINE_TOKEN, request=unused, get_updates_request=unused)


@pytest.fixture
def factory(api: OfflineBotAPI, bot: Bot) -> UpdateFactory:
    return UpdateFactory(api, bot)


def test_a_person_is_a_telegram_user_with_only_the_fields_they_have() -> None:
    assert SITI.as_json() == {"id": 100_001, "is_bot": False, "first_name": "Siti",
                              "language_code": "id", "username": "siti_pp"}  # fmt: skip
    bare = Person(id=5, language_code=None).as_json()
    assert bare == {"id": 5, "is_bot": False, "first_name": "Budi"}


def test_a_private_text_message_is_parsed_and_kept_in_the_chat(
    api: OfflineBotAPI, factory: UpdateFactory
) -> None:
    first, second = factory.message(SITI, "halo"), factory.message(SITI, "lagi")
    assert second.update_id == first.update_id + 1
    message = first.message
    assert message is not None and message.text == "halo" and message.chat.type == ChatType.PRIVATE
    assert message.from_user is not None and message.from_user.language_code == "id"
    assert message.date.timestamp() == CLOCK and message.chat_id == SITI.id
    assert api.chat(SITI.id).messages[message.message_id]["text"] == "halo"
    assert api.visible_texts(SITI.id) == ["halo", "lagi"]


def test_a_command_carries_its_bot_command_entity(factory: UpdateFactory) -> None:
    message = factory.message(SITI, "/start darurat").message
    assert message is not None
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        (MessageEntityType.BOT_COMMAND, 0, len("/start"))
    ]
    plain = factory.message(SITI, "start").message
    assert plain is not None and plain.entities == ()


def test_a_group_message_in_a_topic_that_replies_to_an_earlier_one(
    api: OfflineBotAPI, factory: UpdateFactory
) -> None:
    card = api.handle("sendMessage", {"chat_id": GROUP, "text": "kartu"})
    message = factory.message(
        SITI, "Kami hubungi besok.", chat_id=GROUP, thread_id=101, reply_to=card["message_id"]
    ).message
    assert message is not None and message.chat.type == ChatType.SUPERGROUP
    assert message.chat.title == "piket" and message.chat.is_forum
    assert message.message_thread_id == 101 and message.is_topic_message
    assert message.reply_to_message is not None and message.reply_to_message.text == "kartu"
    unknown = factory.message(SITI, "x", chat_id=GROUP, reply_to=9999).message
    assert unknown is not None and unknown.reply_to_message is None


@pytest.mark.parametrize("kind", MEDIA_KINDS)
def test_every_media_kind_parses_as_that_kind(factory: UpdateFactory, kind: str) -> None:
    message = factory.message(SITI, kind=kind, caption="bukti").message
    assert message is not None and message.text is None
    assert message.effective_attachment, kind
    media = message.photo[-1] if kind == "photo" else getattr(message, kind)
    assert media is not None
    assert message.caption == "bukti"


def test_stickers_photos_and_voice_look_like_telegrams(
    factory: UpdateFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # durations as timedelta, as the bot opts in
    sticker = factory.message(SITI, kind="sticker").message
    assert sticker is not None and sticker.sticker is not None
    assert (sticker.sticker.type, sticker.sticker.is_animated) == ("regular", False)
    photo = factory.message(SITI, kind="photo", media_group_id="album-1").message
    assert photo is not None and photo.photo[0].width == 90
    assert photo.media_group_id == "album-1" and photo.caption is None
    voice = factory.message(SITI, kind="voice").message
    assert (
        voice is not None
        and voice.voice is not None
        and voice.voice.duration == dt.timedelta(seconds=3)
    )


def test_a_shared_location_and_a_forwarded_message(factory: UpdateFactory) -> None:
    where = factory.message(SITI, location=(10.6, 103.5)).message
    assert where is not None and where.location is not None
    assert (where.location.latitude, where.location.longitude) == (10.6, 103.5)
    forwarded = factory.message(SITI, "pesan orang lain", forwarded=True).message
    assert forwarded is not None and isinstance(forwarded.forward_origin, MessageOriginHiddenUser)


def test_an_edit_changes_the_stored_text_or_caption(
    api: OfflineBotAPI, factory: UpdateFactory
) -> None:
    original = factory.message(SITI, "paspr hilang").message
    assert original is not None
    edited = factory.edited(SITI, original.message_id, "paspor hilang").edited_message
    assert edited is not None and edited.message_id == original.message_id
    assert edited.text == "paspor hilang" and edited.edit_date is not None
    assert api.visible_texts(SITI.id) == ["paspor hilang"]
    photo = factory.message(SITI, kind="photo", caption="lama").message
    assert photo is not None
    recaptioned = factory.edited(SITI, photo.message_id, "baru").edited_message
    assert recaptioned is not None and (recaptioned.caption, recaptioned.text) == ("baru", None)


def test_an_edit_of_a_message_never_seen_posts_it_first(
    api: OfflineBotAPI, factory: UpdateFactory
) -> None:
    update = factory.edited(SITI, 4242, "tiba-tiba", chat_id=GROUP)
    assert update.edited_message is not None and update.edited_message.chat_id == GROUP
    assert api.visible_texts(GROUP) == ["tiba-tiba"]


def test_a_callback_presses_the_latest_keyboard_and_starts_the_answer_clock(
    api: OfflineBotAPI, factory: UpdateFactory
) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Ya", "callback_data": "i:yes"}]]}
    older = api.handle("sendMessage", {"chat_id": SITI.id, "text": "a", "reply_markup": keyboard})
    newer = api.handle("sendMessage", {"chat_id": SITI.id, "text": "b", "reply_markup": keyboard})
    api.handle("sendMessage", {"chat_id": SITI.id, "text": "no buttons"})
    query = factory.callback(SITI, "i:yes").callback_query
    assert query is not None and query.data == "i:yes" and query.from_user.id == SITI.id
    assert query.message is not None and query.message.message_id == newer["message_id"]
    assert api.callbacks_issued == {query.id: CLOCK}
    chosen = factory.callback(SITI, "i:yes", message_id=older["message_id"]).callback_query
    assert chosen is not None and chosen.message is not None
    assert chosen.message.message_id == older["message_id"] and chosen.id != query.id


def test_a_callback_on_a_vanished_message_still_names_the_chat(factory: UpdateFactory) -> None:
    query = factory.callback(SITI, "c:claim:1", message_id=77, chat_id=GROUP).callback_query
    assert query is not None and query.message is not None
    assert (query.message.message_id, query.message.chat.id) == (77, GROUP)
    assert query.message.date.timestamp() == 0  # an inaccessible message, as Telegram sends it
