"""A scripted visit of every screen, offline, per language: check-content's template check."""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app import build_application, running
from bot.config import Settings
from bot.context import KawanContext
from bot.queue import jobs
from bot.storage.models import NewCase, NewOutbox
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from bot.ui import limits
from bot.ui.fit import visible_length
from bot.ui.render import Renderer

OFFICERS_CHAT = -100_999
OFFICER = Person(id=900_009, first_name="Petugas")
SCAM_AD = "Loker Kamboja admin CS gaji 15jt tiket ditanggung visa turis dulu"


@dataclass
class TourReport:
    locale: str
    rendered: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    too_long: list[str] = field(default_factory=list)


async def _visit(settings: Settings, locale: str) -> TourReport:
    report = TourReport(locale)
    original = Renderer.render

    def recording(self: Renderer, name: str, t: Any, **values: Any) -> str:
        report.rendered.add(name)
        return original(self, name, t, **values)

    api = OfflineBotAPI()
    group = api.chat(OFFICERS_CHAT, type="supergroup", title="piket", is_forum=True)
    group.members[OFFICER.id] = "administrator"
    Renderer.render = recording  # type: ignore[method-assign]
    try:
        app = build_application(settings, api=api)
        async with running(app):
            await _walk(app, api, locale)
            report.errors = list(app.services.errors)
    finally:
        Renderer.render = original  # type: ignore[method-assign]
    for method, params in api.calls:
        if visible_length(str(params.get("text") or "")) > limits.TEXT:
            report.too_long.append(method)
    return report


async def _walk(app: Any, api: OfflineBotAPI, locale: str) -> None:
    citizen = ChatDriver(app, api, Person(id=4242, first_name="Tour", language_code=locale))
    officer = ChatDriver(app, api, OFFICER, OFFICERS_CHAT)
    for step in ("/start", "/darurat", "/bahasa", "/status", "/hapus", "/datasaya", "/hapusdata"):
        await citizen.send(step)
    for menu in ("m:rules", "m:scam", "m:help", "m:families", "e:venue"):
        await citizen.callback(menu)
    for guide in app.services.content.guides[locale].values():
        for page in range(3):
            await citizen.callback(f"g:{guide.id}:{page}")
    await citizen.send("brp denda overstay")
    await citizen.send("halo apa kabar")
    await citizen.send("/cek")
    await citizen.send(SCAM_AD)
    for action in ("o:report", "i:contact:any", "i:attach:done", "i:consent:yes", "i:confirm:yes"):
        await citizen.callback(action)
    await app.services.dispatcher.settle()
    await officer.press("c:claim:")
    case = (await app.services.repos.cases.list_for_user(citizen.person.id))[0]
    await officer.send("Baik, kami bantu.", thread_id=case.thread_id)
    await officer.send("!catatan", thread_id=case.thread_id)
    for command in ("/antrian", f"/kasus {case.ref}", "/statistik"):
        await officer.send(command)
    for n in range(30):  # a burst: more new cases than the group's pace allows → a digest
        record = NewCase(
            user_id=5000 + n, chat_id=5000 + n, kind="self", category="held", locale=locale,
            description="x", consent_text_version="tour", urgent=n % 7 == 0,
        )  # fmt: skip
        outbox = [NewOutbox(kind="case_new", target_chat_id=OFFICERS_CHAT)]
        await app.services.repos.cases.create_case(record, outbox)
    await app.services.dispatcher.settle()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)  # the louder unclaimed reminder
    await jobs.remind_unclaimed(KawanContext(app), now=later)
    await citizen.send("/status")
    await citizen.send("/bantuan")  # the short path of someone who cannot talk safely
    for action in ("i:category:other", "i:safe:no", "i:description:-", "i:location:-"):
        await citizen.callback(action)
    await citizen.send("/batal")
    await citizen.send("/checkin")  # check-ins: the duress word raises the officers' alert
    await citizen.press("k:every:")
    for text in ("elang", "Kerja di gedung biru", "elang"):
        await citizen.send(text)


def tour(content_dir: Path | None, locale: str) -> TourReport:
    """Visit every screen in one language (officers' screens too) on a throwaway database."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_path=Path(folder) / "tour.sqlite3", officers_chat_id=OFFICERS_CHAT,
            default_locale=locale, content_dir=content_dir,
        )  # fmt: skip
        return asyncio.run(_visit(settings, locale))
