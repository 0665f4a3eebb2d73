"""bot/safety/recovery.py: the phrase given with a reference, and the take-over officers confirm."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.context import KawanApplication
from bot.safety.phrases import load_words, matches, words_path
from bot.safety.recovery import CONFIRM, REFUSE, TRIES_PER_HOUR, issue_phrase, try_recovery
from bot.storage.models import Case, NewCase
from bot.storage.recovery import MAX_FAILURES
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT
from tests.translated import said

OWNER, NEW_PHONE = 300_001, 300_777
PHRASE = re.compile(r"^([a-z]+) ([a-z]+) ([a-z]+) (\d\d)$")


async def _case(app: KawanApplication) -> tuple[Case, str]:
    record = NewCase(
        user_id=OWNER, chat_id=OWNER, kind="self", category="passport", locale="id",
        description="Paspor ditahan", consent_text_version="v1",
    )  # fmt: skip
    case = await app.services.repos.cases.create_case(record)
    return case, await issue_phrase(app.services, case.id)


async def _try(app: KawanApplication, user: int, *args: str) -> str:
    outcome = await try_recovery(app.services, user, user, "id", list(args))
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    return outcome.kind


def _group(api: OfflineBotAPI) -> str:
    return "\n".join(api.visible_texts(OFFICERS_CHAT))


async def test_a_phrase_is_three_different_words_and_a_number_stored_only_hashed(
    app: KawanApplication,
) -> None:
    case, phrase = await _case(app)
    found = PHRASE.match(phrase)
    assert found is not None, phrase
    words = load_words(words_path(app.services.content.root))
    assert len(set(found.groups()[:3])) == 3 and set(found.groups()[:3]) <= set(words)
    assert 10 <= int(found.group(4)) <= 99
    state = await app.services.repos.recovery.state(case.id)
    assert state is not None and phrase not in state.phrase_hash
    assert matches(phrase, state.phrase_hash)  # the round trip
    assert matches(f"  {phrase.upper().replace(' ', '-')} ", state.phrase_hash)
    assert not matches(phrase.replace(found.group(4), str(int(found.group(4)) % 89 + 10)),
                       state.phrase_hash)  # fmt: skip


async def test_a_new_phrase_replaces_the_old_one(app: KawanApplication) -> None:
    case, old = await _case(app)
    new = await issue_phrase(app.services, case.id)
    state = await app.services.repos.recovery.state(case.id)
    assert state is not None and matches(new, state.phrase_hash)
    assert old == new or not matches(old, state.phrase_hash)


async def test_the_right_phrase_from_another_account_asks_the_officers(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    t = app.services.officers_t
    case, phrase = await _case(app)
    assert await _try(app, NEW_PHONE, case.ref.lower(), *phrase.upper().split()) == "requested"
    asked = said(
        t,
        "🔑 Another Telegram account (id %(user)s) asks to take over %(ref)s, with the right "
        "recovery phrase. Confirm only once you are sure it is the same person (ask them "
        "something only they know). The old account will be detached.",
        user=NEW_PHONE, ref=case.ref,
    )  # fmt: skip
    assert asked in _group(api)
    (message,) = [m for m in api.chat(OFFICERS_CHAT).messages.values() if m.get("reply_markup")]
    buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
    (request,) = await app.services.db.fetchall("SELECT id FROM recovery_requests")
    assert [b["callback_data"] for b in buttons] == [
        f"{CONFIRM}{request['id']}", f"{REFUSE}{request['id']}"
    ]  # fmt: skip
    assert buttons[0]["text"] == said(t, "✅ Confirm: move the case")
    stored = await app.services.repos.cases.get_by_id(case.id)
    assert stored is not None and stored.user_id == OWNER  # nothing moves before an officer says
    assert await _try(app, NEW_PHONE, case.ref, phrase) == "waiting"  # one request at a time


async def test_wrong_phrases_are_refused_and_the_fifth_locks_the_reference(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    t = app.services.officers_t
    case, phrase = await _case(app)
    for n in range(MAX_FAILURES):  # each from its own account: the per-account limit aside
        assert await _try(app, 500_000 + n, case.ref, "apel", "jeruk", "kuda", "11") == "wrong"
    locked = said(
        t,
        "🔒 Recovery of %(ref)s is locked after 5 wrong phrases. Someone may be trying "
        "to take this case over.",
        ref=case.ref,
    )
    assert _group(api).count(locked) == 1
    assert await _try(app, NEW_PHONE, case.ref, phrase) == "locked"  # even the right one now
    refused = said(
        t, "🔒 Another try to take over %(ref)s was refused: recovery is locked.", ref=case.ref
    )
    assert refused in _group(api)
    assert await app.services.db.fetchall("SELECT id FROM recovery_requests") == []


async def test_nothing_to_recover_reads_as_unknown(app: KawanApplication) -> None:
    case, phrase = await _case(app)
    assert await _try(app, NEW_PHONE) == "unknown"
    assert await _try(app, NEW_PHONE + 1, "KWN-ZZZZZZ", phrase) == "unknown"
    assert await _try(app, OWNER, case.ref, phrase) == "unknown"  # already theirs
    record = NewCase(
        user_id=OWNER + 1, chat_id=OWNER + 1, kind="self", category="visa", locale="id",
        description="x", consent_text_version="v1",
    )  # fmt: skip
    no_phrase = await app.services.repos.cases.create_case(record)
    assert await _try(app, NEW_PHONE + 2, no_phrase.ref, phrase) == "unknown"
    await app.services.repos.privacy.erase_user(OWNER)
    assert await _try(app, NEW_PHONE + 3, case.ref, phrase) == "unknown"


async def test_an_account_gets_five_tries_an_hour_whatever_the_reference(
    app: KawanApplication,
) -> None:
    case, phrase = await _case(app)
    for n in range(TRIES_PER_HOUR):
        assert await _try(app, NEW_PHONE, f"KWN-ZZZZZ{n}", "a", "b", "c", "10") == "unknown"
    assert await _try(app, NEW_PHONE, case.ref, phrase) == "limited"  # even the right phrase
    assert await _try(app, NEW_PHONE + 1, case.ref, phrase) == "requested"  # others may try


async def test_without_an_officers_group_the_request_only_waits(app: KawanApplication) -> None:
    case, phrase = await _case(app)
    alone = replace(app.services, settings=replace(app.services.settings, officers_chat_id=None))
    outcome = await try_recovery(alone, NEW_PHONE, NEW_PHONE, "id", [case.ref, phrase])
    assert outcome.kind == "waiting"
    stored = await app.services.repos.cases.get_by_id(case.id)
    assert stored is not None and stored.user_id == OWNER
