"""bot/cli/chat.py: `python -m bot chat` drives the real Application from lines typed on stdin."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO, cast

import pytest

from bot.app import ReadOnlyServices
from bot.cli.chat import CHAT_USER_ID, run_chat
from bot.config import Settings
from bot.storage.db import Database
from bot.storage.repos import Repositories
from bot.ui.i18n import Translator
from tests.translated import said

REF = re.compile(r"KWN-[0-9A-Z]{6}")


class Script:
    """stdin for `chat`: each line as typed; `press:LABEL` types the number printed beside
    the latest button so labelled (`[3] LABEL` for the citizen, `[@2] LABEL` for officers)."""

    def __init__(self, out: io.StringIO, steps: list[str]) -> None:
        self.out, self.steps = out, iter(steps)
        self.typed: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        step = next(self.steps)
        if step.startswith("press:"):
            label = re.escape(step.removeprefix("press:"))
            found = re.findall(rf"\[(@?\d+)\] {label}", self.out.getvalue())
            assert found, f"no button {step!r} in:\n{self.out.getvalue()}"
            step = found[-1]
        self.typed.append(step)
        return step + "\n"


async def _chat(settings: Settings, locale: str, steps: list[str]) -> str:
    out = io.StringIO()
    assert await run_chat(settings, locale, cast(TextIO, Script(out, steps)), out) == 0
    return out.getvalue()


def _intake(t: Translator, description: str) -> list[str]:
    return [
        "/bantuan", f"press:{said(t, '🛂 My passport is held or lost')}",
        f"press:{said(t, '✅ Yes, I can write now')}", "Phnom Penh",
        f"press:{said(t, '💬 Here in this chat, any time')}", description,
        f"press:{said(t, 'Continue ➡️')}", f"press:{said(t, '✅ I agree, continue')}",
        f"press:{said(t, '📨 Send to KBRI')}",
    ]  # fmt: skip


async def test_a_whole_conversation_with_an_officer_from_stdin(
    settings: Settings, read_only: ReadOnlyServices
) -> None:
    t = read_only.catalogs.get("id")
    steps = [
        *_intake(t, "Paspor saya ditahan bos"),
        f"press:{said(t, '✋ Claim')}",  # the officer presses [@1] on the card
        "@officers Baik, kami bantu.",  # and writes in the case's topic
        "/status",
    ]
    text = await _chat(settings, "id", steps)
    (ref,) = set(REF.findall(text))
    assert "> @1\n" in text  # the officer's button went by its @number
    officers = [line.removeprefix("[officers] ") for line in text.splitlines()
                if line.startswith("[officers] ")]  # fmt: skip
    assert officers[0] == f"(new topic: 🚨 {ref} · {said(t, 'Passport held or lost')})"
    assert f"{said(t, 'Status:')} {said(t, 'claimed')}" in officers
    assert f"{said(t, '💬 New message · %(ref)s', ref=ref)}\nBaik, kami bantu." in text
    handled = (
        "Your request %(ref)s is now being handled. Answers will appear here; /status shows them."
    )
    assert said(t, handled, ref=ref) in text.replace("\n", " ")
    assert "(reaction on message" in text and "👌" in text  # the officer learns it arrived
    db = await Database.open(settings.database_path)  # the conversation is in the given file
    try:
        case = await Repositories.build(db).cases.get_by_ref(ref)
    finally:
        await db.close()
    assert case is not None and case.status == "diambil" and case.user_id == CHAT_USER_ID
    assert case.description == "Paspor saya ditahan bos"


async def test_stray_input_is_handled_plainly(
    settings: Settings, read_only: ReadOnlyServices
) -> None:
    t = read_only.catalogs.get("en")
    text = await _chat(settings, "en", ["", "   ", "@7", "42", "/start", "99"])
    echoed = [line for line in text.splitlines() if line.startswith("> ")]
    assert echoed == ["> @7", "> 42", "> /start", "> 99"]  # blank lines are skipped
    after = dict(re.findall(r"^> (.*)\n(.*)$", text, re.MULTILINE))
    assert after["@7"] == "(no such officer button)"
    # No keyboard has a button 42: it is a message, and the bot answers it.
    assert f"[1] {said(t, '✍️ Ask KBRI')}" in text.split("> 42\n")[1].split("> /start")[0]
    assert after["/start"] == said(t, "Hello, I am Kawan.")
    assert f"[1] {said(t, '🆘 Emergency')}" in text.split("> /start\n")[1]


async def test_the_default_database_is_kept_apart_in_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_only: ReadOnlyServices
) -> None:
    monkeypatch.chdir(tmp_path)
    text = await _chat(Settings(), "id", ["/start"])
    assert said(read_only.catalogs.get("id"), "Hello, I am Kawan.") in text
    assert (tmp_path / "data" / "chat.sqlite3").is_file()
    assert not (tmp_path / Settings().database_path).exists()


async def test_a_reader_that_goes_away_stops_the_chat(settings: Settings) -> None:
    class Gone(io.StringIO):
        def write(self, text: str) -> int:
            if text.startswith("> "):  # the echo of the typed line; the bot's answer breaks
                return super().write(text)
            raise BrokenPipeError

    out = Gone()
    with pytest.raises(BrokenPipeError):
        await run_chat(settings, "id", io.StringIO("/start\n/status\n"), out)
    assert out.getvalue() == "> /start\n"  # stopped after the update the reader left in
