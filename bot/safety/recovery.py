"""A case that survives a lost phone: a recovery phrase, and a take-over officers confirm.

With the reference a person gets a phrase (three words and a number). From another account,
`/pulihkan KWN-… PHRASE` posts a request with two buttons in the case's topic; only when an
officer confirms does the new account take the case over. The person always reads the same
answer, whatever was wrong, so a guess learns nothing; five wrong phrases lock the reference.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from bot.context import Services
from bot.safety.phrases import hash_secret_async, load_words, matches_async, new_phrase, words_path
from bot.storage.models import NewOutbox
from bot.storage.refs import normalise_ref

log = logging.getLogger(__name__)

TRIES_PER_HOUR = 5  # per account, whatever the reference
CONFIRM, REFUSE = "r:ok:", "r:no:"


@dataclass(frozen=True)
class Outcome:
    """What happened to one try (the person is told the same thing in every case)."""

    kind: str  # limited, unknown, wrong, locked, requested, waiting


async def issue_phrase(services: Services, case_id: int) -> str:
    """A new recovery phrase for the case: stored hashed, returned to be shown once."""
    phrase = new_phrase(load_words(words_path(services.content.root)))
    await services.repos.recovery.set_phrase(case_id, await hash_secret_async(phrase))
    return phrase


async def try_recovery(
    services: Services, user_id: int, chat_id: int, locale: str, args: list[str]
) -> Outcome:
    """One /pulihkan: rate-limited per account; a right phrase asks the officers to confirm."""
    repos, now = services.repos, dt.datetime.now(dt.UTC)
    tries = await repos.recovery.attempt(user_id, now, now - dt.timedelta(hours=1))
    if tries > TRIES_PER_HOUR:
        return Outcome("limited")
    ref = normalise_ref(args[0]) if args else None
    case = await repos.cases.get_by_ref(ref) if ref else None
    state = await repos.recovery.state(case.id) if case is not None else None
    if case is None or state is None or case.erased_at is not None or case.user_id == user_id:
        return Outcome("unknown")
    t, group = services.officers_t, services.settings.officers_chat_id
    if state.locked:
        await _tell_officers(services, case.id, t(
            "🔒 Another try to take over %(ref)s was refused: recovery is locked.", ref=case.ref
        ))  # fmt: skip
        return Outcome("locked")
    if not await matches_async(" ".join(args[1:]), state.phrase_hash):
        if await repos.recovery.failed(case.id, now):
            await _tell_officers(services, case.id, t(
                "🔒 Recovery of %(ref)s is locked after 5 wrong phrases. Someone may be trying "
                "to take this case over.", ref=case.ref,
            ))  # fmt: skip
        return Outcome("wrong")
    request = await repos.recovery.open_request(case.id, user_id, chat_id, locale, now)
    if request is None or group is None:
        return Outcome("waiting")
    markup: dict[str, object] = {"inline_keyboard": [[
        {"text": t("✅ Confirm: move the case"), "callback_data": f"{CONFIRM}{request.id}"},
        {"text": t("✖ Refuse"), "callback_data": f"{REFUSE}{request.id}"},
    ]]}  # fmt: skip
    text = t(
        "🔑 Another Telegram account (id %(user)s) asks to take over %(ref)s, with the right "
        "recovery phrase. Confirm only once you are sure it is the same person (ask them "
        "something only they know). The old account will be detached.",
        user=user_id,
        ref=case.ref,
    )
    await _tell_officers(services, case.id, text, markup)
    return Outcome("requested")


async def _tell_officers(
    services: Services, case_id: int, text: str, markup: dict[str, object] | None = None
) -> None:
    group = services.settings.officers_chat_id
    if group is None:
        return
    payload: dict[str, object] = {"text": text}
    if markup is not None:
        payload["markup"] = markup
    row = NewOutbox("case_update", group, payload, case_id=case_id)
    await services.repos.cases.add_event(
        case_id, actor="system", actor_id=None, kind="recovery_try", notify=[row]
    )
    if services.dispatcher is not None:
        services.dispatcher.wake()
