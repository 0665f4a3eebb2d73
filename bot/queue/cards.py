"""The case card officers see in their group, and its buttons."""

from __future__ import annotations

from bot.context import Services
from bot.storage.models import Case
from bot.ui.commands import N_
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
    return f"{prefix}{case.ref} · {t(CATEGORY_NAMES.get(case.category, case.category))}"[:128]


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
    text = services.renderer.render(
        "case_card.html.j2", t, case=case, safe=safe, contact=contact,
        category=t(CATEGORY_NAMES.get(case.category, case.category)),
        status=t(STATUS_LABELS.get(case.status, case.status)),
        media_count=media_count, linked_ref=linked_ref,
    )  # fmt: skip
    return Screen(text[:4000], case_buttons(t, case))


def case_buttons(t: Translator, case: Case) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The workflow buttons for a case in its current status."""
    if not case.is_open:
        return ()
    first = [(t("✋ Claim"), f"c:claim:{case.id}")] if case.status == "baru" else []
    return (
        (*first, (t("❓ Ask for info"), f"c:info:{case.id}")),
        ((t("↪️ Refer"), f"c:ref:{case.id}"), (t("✅ Close"), f"c:close:{case.id}")),
    )
