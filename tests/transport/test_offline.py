"""The in-memory Bot API refuses what Telegram refuses: entities, lengths, floods, stale buttons,
edits and deletes Telegram would not allow, and methods it does not have."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TimedOut

from bot.app import OFFLINE_TOKEN
from bot.transport.chatlog import BOT_ID
from bot.transport.offline import ApiError, OfflineBotAPI, OfflineRequest
from bot.ui import limits

USER, GROUP = 100_001, -100_777


class Clock:
    """The fake Telegram's time, moved only by the test."""

    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def api(clock: Clock) -> OfflineBotAPI:
    fake = OfflineBotAPI(now=clock)
    fake.chat(GROUP, type="supergroup", title="piket", is_forum=True)
    return fake


@pytest.fixture
async def bot(api: OfflineBotAPI, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Bot]:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as a timedelta
    local = OfflineRequest(api)  # both PTB requests answered in-process
    async with Bot(OFFLINE_TOKEN, request=local, get_updates_request=local) as client:
        yield client


def refused(api: OfflineBotAPI, method: str, **params: Any) -> ApiError:
    with pytest.raises(ApiError) as error:
        api.handle(method, params)
    return error.value


def send(api: OfflineBotAPI, chat_id: int = USER, text: str = "Halo", **params: Any) -> Any:
    return api.handle("sendMessage", {"chat_id": chat_id, "text": text, **params})


def test_a_sent_message_is_stored_as_the_user_sees_it(api: OfflineBotAPI, clock: Clock) -> None:
    message = send(api, text="<b>Halo</b> &amp; <i>selamat</i>", parse_mode="HTML")
    assert message["text"] == "Halo & selamat"
    assert message["date"] == int(clock.t) and message["from"]["id"] == BOT_ID
    assert message["chat"] == {"id": USER, "type": "private"}
    assert api.visible_texts(USER) == ["Halo & selamat"]
    assert api.sent("sendMessage", chat_id=USER)[0]["text"].startswith("<b>")
    assert api.results == [message] and api.sent("sendMessage", chat_id=GROUP) == []


@pytest.mark.parametrize(
    "html",
    [
        "<b>open",
        "<b>x</i>",
        "<div>x</div>",
        "<a>no link</a>",
        "a < b",
        "x&nbsp;y",
        "<br/>x",
        "<!-- x -->y",
    ],
)
def test_html_telegram_cannot_parse_is_refused_and_nothing_is_stored(
    api: OfflineBotAPI, html: str
) -> None:
    error = refused(api, "sendMessage", chat_id=USER, text=html, parse_mode="HTML")
    assert error.status == 400
    assert error.description.startswith("Bad Request: can't parse entities")
    assert api.visible_texts(USER) == [] and api.results == [None]  # the call is still logged
    assert len(api.calls) == 1


def test_without_parse_mode_tags_are_plain_text(api: OfflineBotAPI) -> None:
    assert send(api, text="<b>open")["text"] == "<b>open"


def test_text_length_is_4096_after_entities_and_empty_text_is_refused(api: OfflineBotAPI) -> None:
    assert send(api, text=f"<b>{'a' * limits.TEXT}</b>", parse_mode="HTML")["text"] == "a" * 4096
    long = refused(api, "sendMessage", chat_id=USER, text="a" * (limits.TEXT + 1))
    assert long.description == "Bad Request: text is too long"
    empty = refused(api, "sendMessage", chat_id=USER, text="<i> </i>", parse_mode="HTML")
    assert empty.description == "Bad Request: message text is empty"


def test_buttons_with_bad_callback_data_are_refused_even_as_json_text(api: OfflineBotAPI) -> None:
    bad = json.dumps({"inline_keyboard": [[{"text": "x", "callback_data": "x" * 65}]]})
    assert (
        "BUTTON_DATA_INVALID"
        in refused(api, "sendMessage", chat_id=USER, text="Hi", reply_markup=bad).description
    )
    good = {"inline_keyboard": [[{"text": "x", "callback_data": "x" * 64}]]}
    assert send(api, reply_markup=json.dumps(good))["reply_markup"] == good


def test_a_blocked_bot_and_a_missing_topic_are_refused(api: OfflineBotAPI) -> None:
    api.chat(USER, blocked_bot=True)
    assert refused(api, "sendMessage", chat_id=USER, text="x").status == 403
    missing = refused(api, "sendMessage", chat_id=GROUP, text="x", message_thread_id=5)
    assert missing.description == "Bad Request: message thread not found"
    api.chat(GROUP).topics[5] = "KWN-1"
    posted = send(api, GROUP, message_thread_id=5)
    assert (posted["message_thread_id"], posted["is_topic_message"]) == (5, True)


def test_a_reply_carries_the_message_it_answers(api: OfflineBotAPI) -> None:
    first = send(api, text="pertanyaan")
    reply = send(
        api, text="jawaban", reply_parameters=json.dumps({"message_id": first["message_id"]})
    )
    assert reply["reply_to_message"]["text"] == "pertanyaan"
    assert "reply_to_message" not in send(api, reply_parameters={"message_id": 999})


def test_more_than_30_sends_a_second_get_429_until_the_second_passes(
    api: OfflineBotAPI, clock: Clock
) -> None:
    for n in range(limits.OVERALL_SENDS_PER_SECOND):
        send(api, USER + n)
    error = refused(api, "sendMessage", chat_id=USER, text="one too many")
    assert (error.status, error.retry_after) == (429, 1)
    api.handle("editMessageText", {"chat_id": USER, "message_id": 1, "text": "edits are free"})
    clock.t += 1
    assert send(api)["text"] == "Halo"


def test_more_than_20_sends_a_minute_to_one_group_get_429(api: OfflineBotAPI, clock: Clock) -> None:
    for _ in range(limits.GROUP_SENDS_PER_MINUTE):
        send(api, GROUP)
        clock.t += 2  # 20 sends over 40 s: well under the overall rate
    error = refused(api, "sendMessage", chat_id=GROUP, text="x")
    assert (error.status, error.retry_after) == (429, 20)  # the first send leaves the minute then
    assert send(api, USER)["chat"]["id"] == USER  # a private chat is not held by the group
    clock.t += 20
    assert send(api, GROUP)["chat"]["id"] == GROUP


def test_a_refused_send_does_not_spend_the_budget(api: OfflineBotAPI) -> None:
    for _ in range(limits.OVERALL_SENDS_PER_SECOND):
        refused(api, "sendMessage", chat_id=USER, text="<b>", parse_mode="HTML")
    assert send(api)["text"] == "Halo" and api.budget.refused == 0


def test_a_button_press_can_be_answered_for_15_seconds_only(
    api: OfflineBotAPI, clock: Clock
) -> None:
    in_time, late = api.press_button(), api.press_button()
    clock.t += limits.CALLBACK_ANSWER_SECONDS
    assert api.handle("answerCallbackQuery", {"callback_query_id": in_time}) is True
    clock.t += 0.5
    error = refused(api, "answerCallbackQuery", callback_query_id=late)
    assert error.status == 400 and "query is too old" in error.description
    assert api.expired_callbacks == 1


def test_a_callback_answer_over_200_characters_is_refused(api: OfflineBotAPI) -> None:
    query = api.press_button()
    text = "x" * (limits.CALLBACK_ANSWER + 1)
    error = refused(api, "answerCallbackQuery", callback_query_id=query, text=text)
    assert error.description == "Bad Request: MESSAGE_TOO_LONG"
    assert api.handle("answerCallbackQuery", {"callback_query_id": "7", "text": "x" * 200})


def test_edits_follow_telegrams_rules(api: OfflineBotAPI, clock: Clock) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Ya", "callback_data": "y"}]]}
    message_id = send(api, text="Pilih", reply_markup=keyboard)["message_id"]
    edit = {"chat_id": USER, "message_id": message_id}
    missing = refused(api, "editMessageText", chat_id=USER, message_id=99, text="x")
    assert missing.description == "Bad Request: message to edit not found"
    html = {"text": "<b>Pilih</b>", "parse_mode": "HTML"}  # the same text a user sees
    same = refused(api, "editMessageText", **edit, **html, reply_markup=keyboard)
    assert same.description == "Bad Request: message is not modified"
    clock.t += 60
    edited = api.handle("editMessageText", {**edit, "text": "Pilih"})  # same text, no keyboard
    assert "reply_markup" not in edited and edited["edit_date"] == int(clock.t)
    long = refused(api, "editMessageText", **edit, text="x" * (limits.TEXT + 1))
    assert "too long" in long.description
    assert (
        api.handle("editMessageReplyMarkup", {**edit, "reply_markup": keyboard})["reply_markup"]
        == keyboard
    )
    assert "reply_markup" not in api.handle("editMessageReplyMarkup", edit)
    assert refused(api, "editMessageReplyMarkup", chat_id=USER, message_id=99).status == 400


def test_messages_can_be_deleted_for_48_hours_and_only_once(
    api: OfflineBotAPI, clock: Clock
) -> None:
    old = send(api, text="lama")["message_id"]
    clock.t += limits.DELETE_WINDOW_SECONDS
    young = send(api, text="baru")["message_id"]
    assert api.handle("deleteMessage", {"chat_id": USER, "message_id": old}) is True  # at 48 h
    again = refused(api, "deleteMessage", chat_id=USER, message_id=old)
    assert again.description == "Bad Request: message to delete not found"
    clock.t += limits.DELETE_WINDOW_SECONDS + 1
    too_old = refused(api, "deleteMessage", chat_id=USER, message_id=young)
    assert too_old.description == "Bad Request: message can't be deleted for everyone"
    assert api.visible_texts(USER) == ["baru"]


def test_delete_messages_skips_what_it_cannot_delete_and_takes_1_to_100_ids(
    api: OfflineBotAPI, clock: Clock
) -> None:
    old = send(api, text="lama")["message_id"]
    clock.t += limits.DELETE_WINDOW_SECONDS + 1
    ids = [send(api, text=f"m{n}")["message_id"] for n in range(3)]
    params = {"chat_id": USER, "message_ids": json.dumps([old, 999, *ids[:2]])}
    assert api.handle("deleteMessages", params) is True
    assert api.visible_texts(USER) == ["lama", "m2"]
    for bad in ([], list(range(1, 102))):
        error = refused(api, "deleteMessages", chat_id=USER, message_ids=bad)
        assert error.description == "Bad Request: too many messages to delete"


def test_a_reaction_is_one_emoji_telegram_allows(api: OfflineBotAPI) -> None:
    message_id = send(api)["message_id"]

    def react(*emoji: str) -> dict[str, Any]:
        reaction = json.dumps([{"type": "emoji", "emoji": e} for e in emoji])
        return {"chat_id": USER, "message_id": message_id, "reaction": reaction}

    assert api.handle("setMessageReaction", react("👍")) is True
    assert api.chat(USER).messages[message_id]["reactions"] == ["👍"]
    for wrong in (("👍", "🙏"), ("🦀",)):
        with pytest.raises(ApiError, match="REACTION_INVALID"):
            api.handle("setMessageReaction", react(*wrong))
    assert api.chat(USER).messages[message_id]["reactions"] == ["👍"]
    with pytest.raises(ApiError, match="message to react not found"):
        api.handle("setMessageReaction", {**react("👍"), "message_id": 999})


def test_unknown_methods_are_404_and_get_updates_belongs_to_the_http_front(
    api: OfflineBotAPI,
) -> None:
    error = refused(api, "sendTelepathy", chat_id=USER)
    assert (error.status, error.description) == (404, "Not Found: method not found")
    assert refused(api, "getUpdates").status == 400
    assert api.handle("getMe", {})["id"] == BOT_ID
    assert api.handle("setMyCommands", {"commands": "[]"}) is True


def test_faults_and_listeners(api: OfflineBotAPI) -> None:
    heard: list[str] = []
    api.on_send.append(lambda method, params: heard.append(method))
    api.fault_policy = lambda method, params: (
        (502, "Bad Gateway", None) if params.get("text") == "fail" else None
    )
    assert refused(api, "sendMessage", chat_id=USER, text="fail").status == 502
    send(api)
    assert heard == ["sendMessage"] and api.visible_texts(USER) == ["Halo"]


def test_chat_state_helpers(api: OfflineBotAPI) -> None:
    log = api.chat(GROUP, title="piket baru")
    assert api.chat(GROUP) is log and log.title == "piket baru"
    assert (log.is_forum, log.type) == (True, "supergroup")  # earlier settings are kept
    assert api.visible_texts(424242) == []
    assert [api.next_message_id(), api.next_message_id()] == [1, 2]
    assert send(api)["message_id"] == 3  # users' and bot's messages share one counter


async def test_ptb_sees_telegrams_errors_through_the_offline_request(
    api: OfflineBotAPI, bot: Bot
) -> None:
    message = await bot.send_message(USER, "<b>Halo</b>", parse_mode="HTML")
    assert message.text == "Halo" and message.chat_id == USER
    with pytest.raises(BadRequest, match="Can't parse entities: unclosed tag"):
        await bot.send_message(USER, "<b>Halo", parse_mode="HTML")
    for n in range(limits.OVERALL_SENDS_PER_SECOND - 1):
        await bot.send_message(USER + 1 + n, "x")
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(USER, "x")
    assert flood.value.retry_after == dt.timedelta(seconds=1)
    api.chat(USER).blocked_bot = True
    api.budget.enabled = False
    with pytest.raises(Forbidden):
        await bot.send_message(USER, "x")
    api.fault_policy = lambda method, params: (0, "lost", None)
    with pytest.raises(TimedOut):
        await bot.send_message(USER + 1, "x")


def test_lengths_are_counted_in_utf16_code_units_as_telegram_counts_them(
    api: OfflineBotAPI,
) -> None:
    emoji = "😀"  # outside the BMP: two UTF-16 code units, one Python character
    assert send(api, text=emoji * (limits.TEXT // 2))["text"] == emoji * 2048
    long = refused(api, "sendMessage", chat_id=USER, text=emoji * (limits.TEXT // 2) + "a")
    assert long.description == "Bad Request: text is too long"
    query = api.press_button()
    text = emoji * (limits.CALLBACK_ANSWER // 2) + "a"
    error = refused(api, "answerCallbackQuery", callback_query_id=query, text=text)
    assert error.description == "Bad Request: MESSAGE_TOO_LONG"
