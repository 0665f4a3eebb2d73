"""An answer on screen: the fact asked for first, the section that answers it, sources collapsed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.content import Guide, Source
from bot.context import KawanContext
from bot.handlers.emergency import contact_views
from bot.handlers.screens import Button, Screen, rendered_once
from bot.ui.fit import fit_html
from bot.understanding.estimates import parse_duration
from bot.understanding.search import Answer

URGENT = "h:urgent"
FAMILY = "h:family"


@dataclass(frozen=True)
class Pick:
    """What to show: a guide section, the contacts to lead with, and how to frame it."""

    guide_id: str
    section: int | None
    others: tuple[Answer, ...] = ()
    lead: tuple[str, ...] = ()  # contact ids from contacts.yaml, shown first
    family: bool = False  # a relative's report: the one-tap /keluarga button
    urgent: bool = False  # after the emergency screen: short, the urgent button last
    question: str = ""


def answer_button(context: KawanContext, answer: Answer, locale: str) -> Button | None:
    guide = context.services.content.guide(locale, answer.guide_id)
    if guide is None:
        return None
    label = guide.title
    section = answer.section_index
    if section is not None and section < len(guide.sections):
        label = guide.sections[section].heading
    return (f"➡️ {label}"[:60], f"a:{locale}:{guide.id}:{'-' if section is None else section}")


def fitting_section(
    context: KawanContext,
    locale: str,
    guide_id: str,
    section: int | None,
    text: str,
    headings: Sequence[str],
) -> int | None:
    """The section whose heading answers this kind of question ("how", "a number"), if any.

    The search's own pick stays when its heading already fits; otherwise the best-matching
    section among those whose heading has one of `headings`.
    """
    guide = context.services.content.guide(locale, guide_id)
    search = context.services.search
    if guide is None or search is None or not headings:
        return section

    def fits(index: int) -> bool:
        heading = guide.sections[index].heading.lower()
        return any(word in heading for word in headings)

    if section is not None and section < len(guide.sections) and fits(section):
        return section
    scores = search.section_scores(text, locale, guide_id)
    fitting = sorted(
        ((-scores.get(i, 0.0), i) for i in range(len(guide.sections)) if fits(i)),
    )
    if not fitting or (-fitting[0][0] <= 0 and section is not None):
        return section
    return fitting[0][1]


def holding_section(
    context: KawanContext,
    locale: str,
    guide_id: str,
    values: Sequence[str],
    headings: Sequence[str],
) -> int | None:
    """The first section that gives one of these facts (a number) under a fitting heading."""
    guide = context.services.content.guide(locale, guide_id)
    for section in guide.sections if guide is not None else ():
        fits = any(word in section.heading.lower() for word in headings)
        if fits and any(value and value in section.body for value in values):
            return section.index
    return None


def section_sources(guide: Guide, section: int | None) -> list[Source]:
    """The sources that back this section: those naming it, and those for the whole guide."""
    if section is None:  # the intro sums the guide up: all of them
        return list(guide.sources)
    return [s for s in guide.sources if not s.sections or section + 1 in s.sections]


def answer_screen(context: KawanContext, locale: str, pick: Pick) -> Screen | None:
    """One guide section (in the question's language), led by the fact asked for."""
    t = context.t
    content = context.services.content
    guide = content.guide(locale, pick.guide_id)
    if guide is None:
        return None
    index = (
        pick.section if pick.section is not None and pick.section < len(guide.sections) else None
    )
    part = guide.sections[index] if index is not None else None
    estimate = _estimate(context, guide.topic, pick.question)
    body = part.body if part is not None else guide.intro
    # The fact asked for comes first, unless the section itself opens with it.
    lead = [c for c in contact_views(content, t.locale, pick.lead) if c["value"] not in body[:300]]
    hotline = contact_views(content, t.locale, ("kbri_hotline",))
    # The way to ask, unless the answer already gives the hotline.
    footer = "family" if pick.family and "/keluarga" not in body else ""
    if not pick.family and not pick.urgent and hotline and hotline[0]["value"] not in body:
        footer = "" if any(c["id"] == "kbri_hotline" for c in lead) else "hotline"

    def render() -> str:
        return context.services.renderer.render(
            "answer.html.j2",
            t,
            guide=guide,
            section=part,
            estimate=estimate,
            lead=lead,
            footer=footer,
            hotline=hotline[0] if hotline else None,
            sources=section_sources(guide, index),
        )

    ids = ",".join(c["id"] for c in lead)
    key = ("answer", t.locale, locale, guide.id, str(index), ids, footer)
    text = render() if estimate is not None else rendered_once(context, key, render)
    return Screen(fit_html(text), _rows(context, locale, guide, pick))


def _rows(
    context: KawanContext, locale: str, guide: Guide, pick: Pick
) -> tuple[tuple[Button, ...], ...]:
    t = context.t
    urgent = ((t("🚨 Send an urgent request to KBRI now"), URGENT),)
    search = context.services.search
    family_guide = search.asks.family_guide if search is not None and search.asks else ""
    if pick.urgent:  # the one action stays the last thing on screen
        report = ((t("📝 Report a relative"), FAMILY),)
        return (report, urgent) if guide.id == family_guide else (urgent,)
    rows: list[tuple[Button, ...]] = []
    if pick.family:
        rows.append(((t("📝 Report a relative"), FAMILY),))
    others = [a for a in pick.others if a.confident]  # a loose guess is no help to a reader
    buttons = [b for a in others if (b := answer_button(context, a, locale)) is not None]
    rows += [(b,) for b in buttons[:2]]
    rows.append(((t("📖 The whole guide"), f"g:{guide.id}:0"),))
    ask = FAMILY if pick.family else "h:ask"
    rows.append(((t("✍️ Ask KBRI"), ask), (t("🏠 Home"), "m:home")))
    return tuple(rows)


def _estimate(context: KawanContext, topic: str, question: str) -> dict[str, object] | None:
    """'brp denda overstay 2 bulan': the fine for that many days, at the sourced daily rate."""
    rate = context.services.fine_rate
    if rate is None or topic != rate.topic or not question:
        return None
    found = parse_duration(question)
    if found is None:
        return None
    return {
        "days": found.days,
        "total": found.days * rate.per_day,
        "per_day": rate.per_day,
        "currency": rate.currency,
        "calendar": found.calendar,  # months counted as 30 days: the answer says so
    }
