"""The fake Telegram's own checks, so that what passes offline passes on Telegram: text after
entity parsing, empty and long texts, callback data bytes, and the flood limits' 429s."""

from __future__ import annotations

import pytest

from bot.transport.chatlog import ApiError, TelegramBudget, check_markup, checked_text
from bot.ui import limits


def test_text_is_measured_as_the_user_sees_it_after_html() -> None:
    tags = "<b>" + "a" * limits.TEXT + "</b>"
    assert len(checked_text({"text": tags, "parse_mode": "HTML"}, "text", limits.TEXT)) == (
        limits.TEXT
    )
    with pytest.raises(ApiError, match="too long"):
        checked_text({"text": "a" * (limits.TEXT + 1)}, "text", limits.TEXT)
    with pytest.raises(ApiError, match="can't parse entities"):
        checked_text({"text": "<b>open", "parse_mode": "HTML"}, "text", limits.TEXT)
    with pytest.raises(ApiError, match="text is empty"):
        checked_text({"text": "<b> </b>", "parse_mode": "HTML"}, "text", limits.TEXT)
    assert checked_text({"caption": ""}, "caption", limits.CAPTION) == ""  # captions may be empty


@pytest.mark.parametrize("data", ["", "é" * 33, "x" * (limits.CALLBACK_DATA_BYTES + 1)])
def test_callback_data_outside_1_to_64_bytes_is_refused(data: str) -> None:
    markup = {"inline_keyboard": [[{"text": "ok", "callback_data": "m:home"}],
                                  [{"text": "bad", "callback_data": data}]]}  # fmt: skip
    with pytest.raises(ApiError, match="BUTTON_DATA_INVALID"):
        check_markup({"reply_markup": markup})
    fine = {"inline_keyboard": [[{"text": "link", "url": "https://kemlu.go.id"}]]}
    assert check_markup({"reply_markup": fine}) == fine


def test_the_flood_limits_answer_429_with_the_wait_then_allow_again() -> None:
    clock = [1000.0]
    budget = TelegramBudget(lambda: clock[0])
    group = -100_1
    for _ in range(limits.GROUP_SENDS_PER_MINUTE):
        budget.check(group)
        budget.spend(group)
        clock[0] += 0.1
    with pytest.raises(ApiError) as refused:
        budget.check(group)
    assert refused.value.status == 429 and 1 <= (refused.value.retry_after or 0) <= 60
    assert budget.refused == 1
    budget.check(42)  # a private chat is not held by the group's minute
    clock[0] += 60
    budget.check(group)  # the window has passed


def test_all_chats_together_are_held_to_the_overall_rate() -> None:
    clock = [1000.0]
    budget = TelegramBudget(lambda: clock[0])
    for chat in range(limits.OVERALL_SENDS_PER_SECOND):
        budget.check(chat + 1)
        budget.spend(chat + 1)
    with pytest.raises(ApiError, match="Too Many Requests"):
        budget.check(999)
    budget.enabled = False
    budget.check(999)  # benchmarks may switch the limits off
