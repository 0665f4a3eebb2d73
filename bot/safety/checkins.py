"""Safety check-ins over time: neutral prompts in safe hours, a reminder, then an urgent alert.

A person who opted in (/checkin) gets one neutral prompt per period with a "✅ I'm fine" button.
No answer after CHECKIN_GRACE_MINUTES: one more prompt; no answer after another grace period:
an urgent alert in the officers' group, on their open case or as a new urgent case. The duress
word raises the same alert at once while the person sees an ordinary check-in reply.
"""

from __future__ import annotations

import datetime as dt
import html
import logging

from bot.context import Services
from bot.queue.cards import card_refresh
from bot.queue.relay import next_safe_moment
from bot.storage.checkins import ALERTED, PROMPTED, REMINDED, WAITING, Checkin
from bot.storage.models import NewCase, NewOutbox
from bot.ui.commands import N_
from bot.ui.i18n import Translator

log = logging.getLogger(__name__)

OK_BUTTON = "k:ok"
CONSENT_VERSION = "checkin-1"  # the opt-in screen is the consent for an alert case
PROMPTS = {
    PROMPTED: N_("Hi! Just checking in. Tap the button when you see this."),
    REMINDED: N_("Hi again! Tap the button when you can."),
}
HISTORY_WORDS = {
    "started": N_("started"),
    "ok": N_("answered"),
    "prompt": N_("message sent"),
    "reminder": N_("second message sent"),
    "missed": N_("no answer: officers alerted"),
    "duress": N_("duress word"),
}


def every_label(t: Translator, minutes: int) -> str:
    """'every 12 hours', 'every 3 days', 'every 1 minute' in the reader's language."""
    if minutes % 1440 == 0:
        return t.ngettext("every %(n)s day", "every %(n)s days", minutes // 1440)
    if minutes % 60 == 0:
        return t.ngettext("every %(n)s hour", "every %(n)s hours", minutes // 60)
    return t.ngettext("every %(n)s minute", "every %(n)s minutes", minutes)


def prompt_row(services: Services, checkin: Checkin, stage: int) -> NewOutbox:
    """The neutral prompt (first or second) with its one button, as an outbox row."""
    t = services.catalogs.get(checkin.locale)
    markup = {"inline_keyboard": [[{"text": t("✅ I'm fine"), "callback_data": OK_BUTTON}]]}
    return NewOutbox(
        kind="checkin", target_chat_id=checkin.chat_id,
        payload={"text": t(PROMPTS[stage]), "markup": markup},
    )  # fmt: skip


async def run_due(services: Services, now: dt.datetime) -> int:
    """Send the prompts and raise the alerts due at `now`; how many steps were taken."""
    repos = services.repos
    grace = dt.timedelta(minutes=services.settings.checkin_grace_minutes)
    steps = 0
    for checkin in await repos.checkins.due(now):
        if checkin.stage in (WAITING, PROMPTED):
            user = await repos.users.get(checkin.user_id)
            later = None
            if user is not None and user.contact_policy == "safe_hours":
                later = next_safe_moment(now, user.safe_hours_from, user.safe_hours_to)
            if later is not None:
                await repos.checkins.postpone(checkin.user_id, later)
                continue
            stage = checkin.stage + 1
            kind = "prompt" if stage == PROMPTED else "reminder"
            async with repos.db.transaction():
                moved = await repos.checkins.advance(
                    checkin.user_id, checkin.stage, stage, now + grace, kind, now
                )
                if moved:
                    await repos.outbox.enqueue(prompt_row(services, checkin, stage))
            steps += int(moved)
        elif checkin.stage == REMINDED and await repos.checkins.advance(
            checkin.user_id, REMINDED, ALERTED, now, "missed", now
        ):
            await raise_alert(services, checkin, duress=False)
            steps += 1
    if steps and services.dispatcher is not None:
        services.dispatcher.wake()
    return steps


async def raise_alert(services: Services, checkin: Checkin, *, duress: bool) -> None:
    """An urgent alert in the officers' group: on the open case, or as a new urgent case."""
    repos, group = services.repos, services.settings.officers_chat_id
    if group is None:
        log.error("check-in alert for a person, but no officers' group is configured")
        return
    t = services.officers_t
    cases = await repos.cases.list_for_user(checkin.user_id, limit=5)
    area = next((c.location_text for c in cases if c.location_text), None)
    history = [
        {"at": t.datetime(e.at), "kind": t(HISTORY_WORDS.get(e.kind, e.kind))}
        for e in await repos.checkins.history(checkin.user_id)
    ]
    text = services.renderer.render(
        "checkin_alert.html.j2", t, duress=duress, area=area,
        note=html.escape(checkin.note) if checkin.note else None, history=history,
        every=every_label(t, checkin.interval_minutes), last_ok=t.datetime(checkin.last_ok_at),
        grace=services.settings.checkin_grace_minutes,
    )  # fmt: skip
    detail = "duress" if duress else "missed"
    open_case = next((c for c in cases if c.is_open and c.erased_at is None), None)
    if open_case is not None:
        row = NewOutbox("case_update", group, {"text": text}, case_id=open_case.id)
        async with repos.db.transaction():
            await repos.cases.mark_urgent(open_case.id, actor="system", actor_id=None)
            await repos.cases.add_event(
                open_case.id, actor="system", actor_id=None, kind="checkin_alert",
                detail=detail, notify=[row, *card_refresh(services, open_case.id)],
            )  # fmt: skip
    else:
        user = await repos.users.get(checkin.user_id)
        record = NewCase(
            user_id=checkin.user_id, chat_id=checkin.chat_id, kind="self", category="checkin",
            locale=checkin.locale, description=checkin.note or t("Missed safety check-in"),
            consent_text_version=CONSENT_VERSION, urgent=True, location_text=area,
            contact_policy=user.contact_policy if user else "any",
            safe_hours_from=user.safe_hours_from if user else None,
            safe_hours_to=user.safe_hours_to if user else None,
        )  # fmt: skip
        rows = [NewOutbox("case_new", group), NewOutbox("case_update", group, {"text": text})]
        # Stamped with the wall clock, not `now`: the outbox sends what is due by the wall clock.
        case = await repos.cases.create_case(record, rows)
        await repos.cases.add_event(
            case.id, actor="system", actor_id=None, kind="checkin_alert", detail=detail
        )
    if services.dispatcher is not None:
        services.dispatcher.wake()
