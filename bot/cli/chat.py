"""`python -m bot chat`: the real Application in a terminal, on the offline Bot API."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from bot.app import build_application, running
from bot.config import Settings
from bot.transport.driver import deliver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person, UpdateFactory

CHAT_USER_ID = 100_001
OFFICERS_CHAT_ID = -100_777
OFFICER = Person(id=900_001, first_name="Petugas", language_code="id")


class Transcript:
    """Prints what the bot sends, numbering the buttons of the latest keyboard."""

    def __init__(self, api: OfflineBotAPI, out: TextIO, user_chat: int) -> None:
        self.api, self.out, self.user_chat = api, out, user_chat
        self.buttons: list[tuple[str, str, int]] = []  # (label, data, message id)
        self.officer_buttons: list[tuple[str, str, int]] = []
        self.last_thread: int | None = None
        self.closed = False
        api.on_send.append(self._on_call)

    def _on_call(self, method: str, params: dict[str, Any]) -> None:
        if method == "answerCallbackQuery" and params.get("text"):
            self._print("", f"(notice) {params['text']}")
            return
        chat_id = int(params.get("chat_id") or 0)
        prefix = "" if chat_id == self.user_chat else "[officers] "
        if method == "setMessageReaction":  # how officers learn what became of their reply
            self._print(prefix, f"(reaction on message {params.get('message_id')}: "
                                f"{self._emoji(params.get('reaction'))})")  # fmt: skip
            return
        if method not in ("sendMessage", "editMessageText", "sendVenue", "sendDocument",
                          "sendPhoto", "copyMessage", "createForumTopic"):  # fmt: skip
            return
        log = self.api.chats.get(chat_id)
        message = None
        if log is not None and log.messages:
            key = int(params["message_id"]) if method == "editMessageText" else max(log.messages)
            message = log.messages.get(key)
        if method == "createForumTopic":
            self._print(prefix, f"(new topic: {params.get('name')})")
            return
        if params.get("message_thread_id") and chat_id != self.user_chat:
            self.last_thread = int(params["message_thread_id"])
        if message is None:
            return
        if "venue" in message:
            venue = message["venue"]
            loc = venue["location"]
            body = (
                f"📍 {venue['title']}, {venue['address']} ({loc['latitude']}, {loc['longitude']})"
            )
        else:
            body = message.get("text") or message.get("caption") or "(attachment)"
        if method == "editMessageText":
            body = "(edited)\n" + body
        self._print(prefix, body)
        markup = message.get("reply_markup") or {}
        rows = markup.get("inline_keyboard") or []
        if rows and chat_id == self.user_chat:
            self.buttons = []
            for row in rows:
                labels = []
                for button in row:
                    self.buttons.append(
                        (button["text"], button["callback_data"], message["message_id"])
                    )
                    labels.append(f"[{len(self.buttons)}] {button['text']}")
                self._print(prefix, "  ".join(labels))
        elif rows:
            self.officer_buttons = [
                (b["text"], b["callback_data"], message["message_id"]) for r in rows for b in r
            ]
            labels = [f"[@{n}] {label}" for n, (label, _, _) in enumerate(self.officer_buttons, 1)]
            self._print(prefix, "  ".join(labels))

    @staticmethod
    def _emoji(reaction: object) -> str:
        items = json.loads(reaction) if isinstance(reaction, str) else reaction
        if not isinstance(items, list):
            return "none"
        return " ".join(str(r.get("emoji")) for r in items if isinstance(r, dict)) or "none"

    def _print(self, prefix: str, body: str) -> None:
        if self.closed:
            return
        try:
            for line in body.splitlines() or [""]:
                self.out.write(f"{prefix}{line}\n")
            self.out.flush()
        except BrokenPipeError:  # the reader went away (`| head`): stop after this update
            self.closed = True


async def run_chat(settings: Settings, locale: str, stdin: TextIO, out: TextIO) -> int:
    """Read lines until EOF: a number presses a button, /cmd is a command, else a message."""
    api = OfflineBotAPI()
    officers_chat = settings.officers_chat_id or OFFICERS_CHAT_ID
    api.chat(officers_chat, type="supergroup", title="KBRI duty officers", is_forum=True)
    api.chat(officers_chat).members[OFFICER.id] = "administrator"
    if settings.database_path == Settings().database_path:
        settings = replace(settings, database_path=Path("data/chat.sqlite3"))
    settings = replace(settings, officers_chat_id=officers_chat)
    app = build_application(settings, api=api)
    user = Person(id=CHAT_USER_ID, first_name="Anda", language_code=locale)
    transcript = Transcript(api, out, user.id)
    factory = UpdateFactory(api, app.bot)
    async with running(app):
        for raw in stdin:
            line = raw.rstrip("\n")
            if not line.strip():
                continue
            out.write(f"> {line}\n")
            stripped = line.strip()
            if stripped.isdigit() and 1 <= int(stripped) <= len(transcript.buttons):
                _, data, message_id = transcript.buttons[int(stripped) - 1]
                update = factory.callback(user, data, message_id=message_id)
            elif stripped.startswith("@") and stripped[1:].isdigit():  # an officer presses @n
                number = int(stripped[1:])
                if not 1 <= number <= len(transcript.officer_buttons):
                    out.write("(no such officer button)\n")
                    continue
                _, data, message_id = transcript.officer_buttons[number - 1]
                update = factory.callback(
                    OFFICER, data, message_id=message_id, chat_id=officers_chat
                )
            elif stripped.startswith("@officers "):  # an officer writes in the latest case topic
                text = stripped.removeprefix("@officers ")
                update = factory.message(
                    OFFICER, text, chat_id=officers_chat, thread_id=transcript.last_thread
                )
            else:
                update = factory.message(user, line)
            await deliver(app, update)
            if app.services.dispatcher is not None:  # show the officers' side in order
                await app.services.dispatcher.settle()
            if transcript.closed:
                raise BrokenPipeError
    return 0


def main(settings: Settings, locale: str) -> int:
    """Entry point for `python -m bot chat`."""
    try:
        return asyncio.run(run_chat(settings, locale, sys.stdin, sys.stdout))
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, like other tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
