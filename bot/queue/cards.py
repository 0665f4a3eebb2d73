"""The case card officers see in their group, and its buttons."""

from __future__ import annotations

import dataclasses
import html

from bot.context import Services
from bot.queue.agencies import agency_label
from bot.storage.models import Case, Relative
from bot.ui import limits
from bot.ui.commands import N_
from bot.ui.fit import fit_html, split_html, trim
from bot.ui.i18n import Translator
from bot.ui.screen import Screen

STATUS_LABELS: dict[str, str] = {
    "baru": N_("new"),
    "diambil": N_("claimed"),
    "menunggu": N_("waiting for the citizen"),
    "dirujuk": N_("referred"),
    "selesai": N_("closed"),
}
# Neutral names for officers (the citizen's buttons speak in the first person).
CATEGORY_NAMES: dict[str, str] = {
    "held": N_("Held against their will"),
    "violence": N_("Violence or threats"),
    "medical": N_("Sick or injured"),
    "passport": N_("Passport held or lost"),
    "visa": N_("Visa, overstay, documents"),
    "go_home": N_("Wants to go home"),
    "job": N_("Job offer or recruiter"),
    "missing": N_("Missing, no news"),
    "other": N_("Other"),
    "checkin": N_("Missed safety check-in"),
}
CONTACT_LABELS: dict[str, str] = {
    "any": N_("this chat, any time"),
    "safe_hours": N_("this chat, safe hours only"),
    "never_first": N_("never message first (the citizen checks /status)"),
}
REFERRALS: dict[str, str] = {
    "police": N_("Police"),
    "iom": N_("IOM"),
    "shelter": N_("Shelter"),
    "other": N_("Other agency"),
}


def topic_name(case: Case, t: Translator) -> str:
    """A forum topic name: reference and category, never the citizen's name."""
    prefix = "🚨 " if case.urgent else ""
    name = f"{prefix}{case.ref} · {t(CATEGORY_NAMES.get(case.category, case.category))}"
    return trim(name, limits.TOPIC_NAME)


def _trimmed(case: Case) -> Case:
    """The case with every field a person typed cut to fit a card (the full text follows)."""
    relative = case.relative
    if relative is not None:
        fields = dataclasses.fields(Relative)
        relative = Relative(**{f.name: _short(getattr(relative, f.name)) for f in fields})
    return dataclasses.replace(
        case, location_text=_short(case.location_text), relative=relative,
        description=trim(case.description, limits.CARD_DESCRIPTION) or None,
    )  # fmt: skip


def _short(value: str | None) -> str | None:
    return trim(value, limits.CARD_FIELD) if value else value


def description_parts(services: Services, case: Case) -> list[str]:
    """The whole description in as many messages as needed, when the card had to cut it."""
    if case.erased_at is not None or _trimmed(case) == case:
        return []
    t = services.officers_t
    header = f"📄 <b>{case.ref}</b> · {html.escape(t('Description'))}"
    lines = [header]
    lines += [f"{t(k)} {html.escape(v)}" for k, v in _typed_fields(case) if v]
    return split_html("\n".join(lines) + "\n\n" + html.escape(case.description or "–"))


def _typed_fields(case: Case) -> list[tuple[str, str | None]]:
    relative = case.relative or Relative()
    return [
        ("Area:", case.location_text), ("Name:", relative.name),
        ("Last contact:", relative.last_contact), ("Last known place:", relative.last_place),
    ]  # fmt: skip


def case_card(
    services: Services, case: Case, *, media_count: int = 0, linked_ref: str | None = None
) -> Screen:
    """The case message with Ambil / Minta info / Rujuk / Selesai buttons."""
    t = services.officers_t
    safe = None
    if case.safe_to_talk is not None:
        safe = t("yes") if case.safe_to_talk else t("not freely: keep messages short and discreet")
    contact = t(CONTACT_LABELS.get(case.contact_policy or "any", "any"))
    if case.contact_policy == "safe_hours":
        contact += f" ({case.safe_hours_from:02d}:00–{case.safe_hours_to:02d}:00)"
    label = agency_label(services.content, case.referred_to, t.locale)
    full = case = dataclasses.replace(case, referred_to=label)
    case = _trimmed(case)
    text = services.renderer.render(
        "case_card.html.j2", t, case=case, cut=case != full, safe=safe, contact=contact,
        category=t(CATEGORY_NAMES.get(case.category, case.category)),
        status=t(STATUS_LABELS.get(case.status, case.status)),
        media_count=media_count, linked_ref=linked_ref,
    )  # fmt: skip
    return Screen(fit_html(text), case_buttons(t, case))


def case_buttons(t: Translator, case: Case) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The workflow buttons for a case in its current status."""
    if not case.is_open:
        return ()
    first = [(t("✋ Claim"), f"c:claim:{case.id}")] if case.status == "baru" else []
    return (
        (*first, (t("❓ Ask for info"), f"c:info:{case.id}")),
        ((t("↪️ Refer"), f"c:ref:{case.id}"), (t("✅ Close"), f"c:close:{case.id}")),
    )
