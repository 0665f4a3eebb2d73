"""Delivering to a citizen: now, or at the next moment their safe hours allow."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters

from bot.storage.models import NewOutbox, OutboxItem
from bot.storage.repos import Repositories
from bot.ui import limits
from bot.ui.fit import split_html, visible_length
from bot.ui.i18n import TIMEZONE

_PART_MARK = 12  # room for " (12/34)" after the header


def relay_rows(
    kind: str, target: int, case_id: int, header: str, body: str,
    *, copy_from: Sequence[int] | None = None, ack: Sequence[int] | None = None,
    source: Sequence[int] | None = None, reply_to: int | None = None,
) -> list[NewOutbox]:  # fmt: skip
    """What a person wrote, under `header`, as outbox rows of one message each, in order.

    A long text becomes as many messages as needed ("(2/3)" after the header); with a file
    (`copy_from`) the first part is its caption. `ack`: the officer's message whose reaction
    tells them what happened to it (only the last part says "delivered"). `source`: the
    citizen's message relayed (so an edit of it finds its copies); `reply_to`: the message
    the first part answers (an edit's correction).
    """
    room = limits.TEXT - visible_length(header) - _PART_MARK
    first = limits.CAPTION - visible_length(header) - _PART_MARK if copy_from else room
    parts = split_html(html.escape(body), room, first_limit=first) or [""]
    rows = []
    for number, part in enumerate(parts, start=1):
        head = header if len(parts) == 1 else f"{header} ({number}/{len(parts)})"
        payload: dict[str, object] = {"text": f"{head}\n{part}".strip()}
        if copy_from and number == 1:
            payload["copy_from"] = list(copy_from)
        if ack:
            payload.update(ack=list(ack), ack_last=number == len(parts))
        if source:
            payload["source"] = list(source)
        if reply_to is not None and number == 1:
            payload["reply_to"] = reply_to
        rows.append(NewOutbox(kind=kind, target_chat_id=target, case_id=case_id, payload=payload))
    return rows


async def deliver_to_citizen(
    bot: Bot, repos: Repositories, item: OutboxItem, *, unseal: bool = False
) -> int:
    """Send one citizen-bound row now (the dispatcher, or at the citizen's next contact).

    A sealed row (a discreet person's) goes out as a neutral notice with an Open button; the
    content itself is sent when they press it (unseal=True).
    """
    payload = dict(item.payload)
    sealed = payload.get("sealed")
    if isinstance(sealed, dict) and not unseal:
        button = InlineKeyboardButton(str(sealed.get("button")), callback_data=f"s:open:{item.id}")
        notice = await bot.send_message(
            item.target_chat_id,
            str(sealed.get("text")),
            reply_markup=InlineKeyboardMarkup([[button]]),
        )
        await repos.messages.record(item.target_chat_id, notice.message_id, "out")
        return notice.message_id
    if payload.get("copy_from"):
        chat_id, message_id = payload["copy_from"]
        copied = await bot.copy_message(
            item.target_chat_id, chat_id, message_id, caption=payload.get("text")
        )
        message_id_out = copied.message_id
    else:
        markup = payload.get("markup")
        keyboard = InlineKeyboardMarkup.de_json(markup, bot) if isinstance(markup, dict) else None
        sent = await bot.send_message(
            item.target_chat_id, payload.get("text") or "…", reply_markup=keyboard,
            reply_parameters=reply_parameters(payload),
        )  # fmt: skip
        message_id_out = sent.message_id
    await repos.messages.record(item.target_chat_id, message_id_out, "out")
    return message_id_out


async def deliver_personal(
    bot: Bot, repos: Repositories, item: OutboxItem, now: dt.datetime
) -> int | None:
    """A message the person asked for (a check-in prompt, an advisory): sent in their safe
    hours, else rescheduled to the next one (None). "Never message me first" does not hold
    it back: asking for these messages is asking to be messaged."""
    user = await repos.users.get(item.target_chat_id)
    if user is not None and user.contact_policy == "safe_hours":
        due = next_safe_moment(now, user.safe_hours_from, user.safe_hours_to)
        if due is not None:
            await repos.outbox.reschedule(item.id, due, "outside safe hours")
            return None
    return await deliver_to_citizen(bot, repos, item)


def reply_parameters(payload: Mapping[str, object]) -> ReplyParameters | None:
    """The message a row answers (an edit's correction), if it still exists."""
    reply_to = payload.get("reply_to")
    if not isinstance(reply_to, int):
        return None
    return ReplyParameters(reply_to, allow_sending_without_reply=True)


def next_safe_moment(now: dt.datetime, start: int | None, end: int | None) -> dt.datetime | None:
    """None if `now` is inside the safe hours [start, end) Phnom Penh time, else the next start."""
    if start is None or end is None:
        return None
    local = now.astimezone(TIMEZONE)
    inside = start <= local.hour < end if start < end else (local.hour >= start or local.hour < end)
    if inside:
        return None
    candidate = local.replace(hour=start, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate.astimezone(dt.UTC)


def seconds_of(value: float | dt.timedelta) -> float:
    """RetryAfter.retry_after in seconds, whether PTB gives a number or a timedelta."""
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
