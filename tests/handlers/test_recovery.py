"""A case that survives a lost phone: the recovery phrase, officers' confirmation, the lock."""

from __future__ import annotations

import re

from bot.context import KawanApplication
from bot.storage.models import Case
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from conftest import OFFICERS_CHAT, finish_request

SAME_ANSWER = "Terima kasih. Kalau referensi dan frasanya cocok"


async def _case_with_phrase(app: KawanApplication, citizen: ChatDriver) -> tuple[Case, str]:
    await citizen.send("/bantuan")
    for step in ("i:category:passport", "i:safe:yes"):
        await citizen.press(step)
    await citizen.send("Phnom Penh")
    await citizen.press("i:contact:any")
    await citizen.send("Paspor saya ditahan")
    await finish_request(citizen)
    # On its own line, after the topic line (urgent or not).
    match = re.search(r"\nFrasa pemulihan: ([a-z]+ [a-z]+ [a-z]+ \d\d)\n", citizen.text)
    assert match is not None, citizen.text
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    (case,) = await app.services.repos.cases.list_for_user(citizen.person.id)
    return case, match.group(1)


def _group(api: OfflineBotAPI) -> str:
    return "\n".join(api.visible_texts(OFFICERS_CHAT))


async def test_a_new_account_takes_the_case_over_only_after_an_officer_confirms(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case, phrase = await _case_with_phrase(app, citizen)
    stored = await app.services.repos.recovery.state(case.id)
    assert stored is not None and phrase not in stored.phrase_hash  # only a hash is kept
    new = ChatDriver(app, api, Person(id=100_777, first_name="Siti", language_code="id"))
    await new.send(f"/pulihkan {case.ref} salah kata lain 12")
    wrong = new.text
    await new.send(f"/pulihkan {case.ref.lower()} {phrase.upper()}")
    right = new.text
    assert wrong == right and right.startswith(SAME_ANSWER)  # a guess learns nothing
    assert not any(phrase in t for t in api.visible_texts(new.person.id))  # deleted at once
    await new.send("/status")
    assert case.ref not in new.text  # nothing about the case before an officer confirms
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    assert "minta mengambil alih " + case.ref in _group(api)
    replies = await officer.press("r:ok:")
    pressed = next(r.params["message_id"] for r in replies if r.method == "editMessageText")
    assert "sekarang milik akun baru" in officer.text
    await app.services.dispatcher.settle()
    assert any(case.ref in t and "terhubung ke chat ini" in t
               for t in api.visible_texts(new.person.id))  # fmt: skip
    moved = await app.services.repos.cases.get_by_id(case.id)
    assert moved is not None and moved.user_id == new.person.id
    await new.send("/status")
    assert case.ref in new.text
    await citizen.send("/status")
    assert case.ref not in citizen.text  # the old account is detached
    await officer.send("Kami sudah terima, tunggu ya.", thread_id=moved.thread_id)
    await app.services.dispatcher.settle()
    assert any("Kami sudah terima" in t for t in api.visible_texts(new.person.id))
    assert not any("Kami sudah terima" in t for t in api.visible_texts(citizen.person.id))
    request = await app.services.repos.db.scalar("SELECT MAX(id) FROM recovery_requests")
    await officer.callback(f"r:no:{request}", message_id=pressed)  # a second press: decided once
    assert "Sudah diputuskan." in str([r.params for r in officer.replies])
    again = await app.services.repos.cases.get_by_id(case.id)
    assert again is not None and again.user_id == new.person.id


async def test_refused_take_over_changes_nothing(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case, phrase = await _case_with_phrase(app, citizen)
    new = ChatDriver(app, api, Person(id=100_778, first_name="X", language_code="id"))
    await new.send(f"/pulihkan {case.ref} {phrase}")
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    await officer.press("r:no:")
    await app.services.dispatcher.settle()
    after = await app.services.repos.cases.get_by_id(case.id)
    assert after is not None and after.user_id == citizen.person.id
    shown = "\n".join(api.visible_texts(new.person.id))
    assert "belum bisa kami konfirmasi" in shown and case.ref not in shown


async def test_five_wrong_phrases_lock_the_reference_and_the_officers_are_told(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    case, phrase = await _case_with_phrase(app, citizen)
    assert app.services.dispatcher is not None
    for n in range(5):  # from different accounts, so the per-account limit is not what stops it
        guesser = ChatDriver(app, api, Person(id=200_000 + n, first_name="G", language_code="id"))
        await guesser.send(f"/pulihkan {case.ref} mangga kapal biru {10 + n}")
        assert guesser.text.startswith(SAME_ANSWER)
    await app.services.dispatcher.settle()
    assert "dikunci setelah 5 frasa salah" in _group(api)
    sixth = ChatDriver(app, api, Person(id=200_999, first_name="G", language_code="id"))
    await sixth.send(f"/pulihkan {case.ref} {phrase}")  # even the right phrase: refused
    assert sixth.text.startswith(SAME_ANSWER)
    await app.services.dispatcher.settle()
    assert "ditolak: pemulihan terkunci" in _group(api)
    assert "minta mengambil alih" not in _group(api)


async def test_tries_are_rate_limited_per_account(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    guesser = ChatDriver(app, api, Person(id=300_001, first_name="G", language_code="id"))
    for n in range(5):
        await guesser.send(f"/pulihkan KWN-7G4K2P apel jeruk kuda {10 + n}")
        assert guesser.text.startswith(SAME_ANSWER)
    await guesser.send("/pulihkan KWN-7G4K2P apel jeruk kuda 99")
    assert guesser.text.startswith("Terlalu banyak percobaan")
