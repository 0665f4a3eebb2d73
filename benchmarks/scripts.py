"""What people do, as scripts of updates: browse, ask, check an offer, ask for help, officers work.

Each script is an async generator of (kind, Update). Updates are built just before they are
handled, from the chat as it is then, so buttons are pressed on the messages that carry them.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from telegram import Update

from benchmarks.common import OFFICERS, OFFICERS_CHAT
from bot.context import KawanApplication
from bot.intake.draft import RELATIVE_CATEGORIES, SELF_CATEGORIES
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person, UpdateFactory

Script = AsyncIterator[tuple[str, Update]]

QUESTIONS = (
    "berapa denda overstay di kamboja sehari?",
    "paspor saya ditahan perusahaan, apa yang harus saya lakukan?",
    "bagaimana cara perpanjang visa?",
    "apakah kerja di kamboja pakai visa turis legal?",
    "paspor hilang, bisa buat SPLP di mana?",
    "nomor darurat polisi kamboja berapa",
    "saya mau pulang ke indonesia tapi tidak punya uang",
    "gimana cara lapor diri ke kbri",
    "work permit itu apa dan siapa yang urus",
    "how much is the overstay fine?",
    "adik saya tidak bisa dihubungi sejak minggu lalu di poipet",
    "apa itu FPCS?",
    "halo",
    "tawaran kerja admin gaji 1500 dolar tanpa pengalaman, asli atau penipuan?",
)
OFFERS = (
    "Dibutuhkan CS online di Kamboja, gaji $1200, tanpa pengalaman, tiket dan visa ditanggung, "
    "paspor dipegang perusahaan selama kontrak. Hubungi via Telegram @rekrut_cepat.",
    "Lowongan admin marketing Phnom Penh, gaji 800 USD, interview online, berangkat minggu ini, "
    "biaya proses 3 juta dipotong gaji.",
    "PT resmi mencari operator pabrik garmen di Phnom Penh, kontrak 2 tahun, work permit diurus "
    "perusahaan, gaji sesuai UMR setempat, info di disnaker.",
)
DESCRIPTIONS = (
    "Paspor saya ditahan perusahaan dan saya ingin pulang ke Indonesia.",
    "Visa saya habis dua minggu lalu, saya takut ditangkap imigrasi.",
    "Agen menjanjikan kerja admin tapi saya disuruh jadi scammer, saya ingin keluar.",
    "Gaji saya tidak dibayar tiga bulan, saya butuh bantuan untuk pulang.",
)
CITIES = ("Phnom Penh", "Sihanoukville", "Poipet", "Bavet", "dekat pasar Bavet")


@dataclass
class MixWorld:
    """Shared state of one mix run: the app, its fake Telegram, people and cases in flight."""

    app: KawanApplication
    api: OfflineBotAPI
    rng: random.Random
    features: dict[str, bool]
    factory: UpdateFactory = field(init=False)
    next_user: int = 10_000_000
    cases_for_officers: list[int] = field(default_factory=list)
    committed: int = 0

    def __post_init__(self) -> None:
        self.factory = UpdateFactory(self.api, self.app.bot)

    def person(self) -> Person:
        """A new citizen; some of them read English."""
        self.next_user += 1
        locale = "en" if self.rng.random() < 0.15 else "id"
        return Person(id=self.next_user, first_name="Warga", language_code=locale)

    def has_button(self, chat_id: int, data: str) -> bool:
        """Whether the newest message with a keyboard in the chat carries this button."""
        log = self.api.chats.get(chat_id)
        if log is None:
            return False
        for message in reversed(log.messages.values()):
            rows = (message.get("reply_markup") or {}).get("inline_keyboard")
            if rows:
                return any(b.get("callback_data") == data for row in rows for b in row)
        return False


async def browse(world: MixWorld) -> Script:
    """Menu taps and guide reads, paging on when the guide has a next page."""
    rng, f, who = world.rng, world.factory, world.person()
    yield "menu", f.message(who, "/start")
    menu = rng.choice(("rules", "rules", "scam", "families", "help"))
    yield "menu", f.callback(who, f"m:{menu}")
    guides = world.app.services.content.menu(who.language_code or "id", menu)
    if guides:
        guide = rng.choice(guides)
        yield "guide", f.callback(who, f"g:{guide.id}:0")
        if world.has_button(who.id, f"g:{guide.id}:1"):
            yield "guide", f.callback(who, f"g:{guide.id}:1")
    yield "menu", f.callback(who, "m:home")
    if rng.random() < 0.3:
        yield "menu", f.callback(who, "m:emergency")


async def question(world: MixWorld) -> Script:
    """A typed question (search when wired, else the fallback answers), sometimes a follow-up."""
    who = world.person()
    yield "question", world.factory.message(who, world.rng.choice(QUESTIONS))
    if world.rng.random() < 0.3:
        yield "question", world.factory.message(who, world.rng.choice(QUESTIONS))


async def offer_check(world: MixWorld) -> Script:
    """/cek, then the offer's text."""
    who = world.person()
    yield "offer", world.factory.message(who, "/cek")
    yield "offer", world.factory.message(who, world.rng.choice(OFFERS))


async def help_request(world: MixWorld) -> Script:
    """A full /bantuan (or /keluarga) intake to the commit, then /status and a follow-up."""
    rng, f, who = world.rng, world.factory, world.person()
    if rng.random() < 0.2:
        yield "intake", f.message(who, "/keluarga")
        yield "intake", f.message(who, "Rina Wulandari")
        yield "intake", f.callback(who, "i:rel_relationship:sibling")
        yield "intake", f.message(who, "5 hari lalu lewat WhatsApp")
        yield "intake", f.message(who, rng.choice(CITIES))
        yield "intake", f.callback(who, "i:rel_passport:-")
        category = rng.choice(RELATIVE_CATEGORIES).value
    else:
        yield "intake", f.message(who, "/bantuan")
        category = rng.choice(SELF_CATEGORIES).value
    yield "intake", f.callback(who, f"i:category:{category}")
    if world.has_button(who.id, "i:safe:yes"):
        yield "intake", f.callback(who, "i:safe:yes")
    if world.has_button(who.id, "i:location:-") and not world.has_button(who.id, "i:contact:any"):
        yield "intake", f.message(who, rng.choice(CITIES))
    contact = rng.choices(("any", "safe_hours", "never_first"), (8, 1, 1))[0]
    yield "intake", f.callback(who, f"i:contact:{contact}")
    if contact == "safe_hours":
        yield "intake", f.callback(who, "i:safe_hours:18-21")
    yield "intake", f.message(who, rng.choice(DESCRIPTIONS))
    if rng.random() < 0.2:
        yield "intake", f.message(who, kind="photo")
    yield "intake", f.callback(who, "i:attach:done")
    yield "intake", f.callback(who, "i:consent:yes")
    yield "commit", f.callback(who, "i:confirm:yes")
    repos = world.app.services.repos
    assert repos is not None
    mine = await repos.cases.list_for_user(who.id, limit=1)
    if mine:
        world.committed += 1
        world.cases_for_officers.append(mine[0].id)
    yield "status", f.message(who, "/status")
    if mine and rng.random() < 0.5:
        yield "follow_up", f.message(who, "Saya masih di tempat yang sama, mohon dibantu.")


async def officer_work(world: MixWorld) -> Script:
    """An officer claims a posted case, answers in its topic, sometimes notes, looks up, closes."""
    rng, f = world.rng, world.factory
    officer = rng.choice(OFFICERS)
    repos = world.app.services.repos
    assert repos is not None
    case = None
    for case_id in world.cases_for_officers[:20]:  # the oldest first; cards may still be queued
        found = await repos.cases.get_by_id(case_id)
        if found is not None and found.card_message_id is not None and found.thread_id:
            world.cases_for_officers.remove(case_id)
            case = found
            break
    if case is None:  # nothing posted yet: look at the queue instead
        yield "officer", f.message(officer, "/antrian", chat_id=OFFICERS_CHAT)
        return
    group, thread = OFFICERS_CHAT, case.thread_id
    card = case.card_message_id
    yield "officer", f.callback(officer, f"c:claim:{case.id}", message_id=card, chat_id=group)
    yield (
        "officer",
        f.message(officer, "Baik, kami sedang memeriksa.", chat_id=group, thread_id=thread),
    )
    if rng.random() < 0.3:
        yield "officer", f.message(officer, "!cek data imigrasi", chat_id=group, thread_id=thread)
    if rng.random() < 0.3:
        yield "officer", f.message(officer, f"/kasus {case.ref}", chat_id=group)
    if rng.random() < 0.2:
        yield "officer", f.message(officer, "/antrian", chat_id=group)
    if rng.random() < 0.3:
        yield "officer", f.callback(officer, f"c:close:{case.id}", message_id=card, chat_id=group)
        yield "officer", f.callback(officer, f"c:closeok:{case.id}", message_id=card, chat_id=group)


async def discreet(world: MixWorld) -> Script:
    """Reads a guide, then wipes the chat (/hapus) or looks at what is stored (/datasaya)."""
    f, who = world.factory, world.person()
    yield "menu", f.message(who, "/start")
    guides = world.app.services.content.menu(who.language_code or "id", "scam")
    if guides:
        yield "guide", f.callback(who, f"g:{guides[0].id}:0")
    if world.rng.random() < 0.5:
        yield "privacy", f.message(who, "/datasaya")
    else:
        yield "privacy", f.message(who, "/hapus")
        yield "privacy", f.callback(who, "p:wipe:yes")


SCRIPTS = {
    "browse": (browse, 35),
    "question": (question, 25),
    "offer_check": (offer_check, 10),
    "help_request": (help_request, 15),
    "officer_work": (officer_work, 15),
    "discreet": (discreet, 5),
}
NEEDS = {"offer_check": "offer_check", "discreet": "privacy"}  # script → feature it needs
