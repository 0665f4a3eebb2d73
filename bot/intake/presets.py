"""What a request can take from words already written: the area, and what it is about.

A person who typed a whole message and then pressed "Ask KBRI" is never asked again for what
the message already says: a Cambodian province or city in it fills the area, and a topic the
guides recognise with confidence fills "what happened".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.intake.draft import Draft, urgent_category

# Provinces and the towns people write from, with the spellings people use (data, not UI text).
PLACES: dict[str, tuple[str, ...]] = {
    "Phnom Penh": ("phnom penh", "pnom penh", "phnompenh"),
    "Sihanoukville": ("sihanoukville", "sihanouk", "shihanoukville", "kampong som", "shv", "snv"),
    "Poipet": ("poipet", "poi pet"),
    "Bavet": ("bavet",),
    "Siem Reap": ("siem reap", "siemreap"),
    "Battambang": ("battambang",),
    "Kampot": ("kampot", "bokor"),
    "Koh Kong": ("koh kong", "kohkong"),
    "Kandal": ("kandal", "ta khmau", "takhmau"),
    "Takeo": ("takeo",),
    "Svay Rieng": ("svay rieng",),
    "Prey Veng": ("prey veng",),
    "Kampong Cham": ("kampong cham", "kompong cham"),
    "Kampong Chhnang": ("kampong chhnang",),
    "Kampong Speu": ("kampong speu",),
    "Kampong Thom": ("kampong thom",),
    "Kratie": ("kratie",),
    "Mondulkiri": ("mondulkiri",),
    "Ratanakiri": ("ratanakiri",),
    "Stung Treng": ("stung treng",),
    "Preah Vihear": ("preah vihear",),
    "Oddar Meanchey": ("oddar meanchey", "o'smach", "osmach", "samraong"),
    "Banteay Meanchey": ("banteay meanchey", "serei saophoan"),
    "Pailin": ("pailin",),
    "Pursat": ("pursat",),
    "Tbong Khmum": ("tbong khmum", "chrey thom", "chrey thum"),
}
_PATTERNS = [
    (name, re.compile(r"(?<![\w'])(?:" + "|".join(map(re.escape, words)) + r")(?![\w'])"))
    for name, words in PLACES.items()
]
# Guide topics (DESIGN.md) → the closest "what happened" choice; others are asked.
TOPIC_CATEGORY = {
    "lost_passport_splp": "passport",
    "passport_held": "passport",
    "visa_entry": "visa",
    "overstay_fines": "visa",
    "visa_extension": "visa",
    "fpcs_registration": "visa",
    "work_permit": "visa",
    "going_home": "go_home",
    "job_offer_legality": "job",
    "scam_warning_signs": "job",
}


def place_in(text: str) -> str | None:
    """The first Cambodian province or town named in `text`, as its usual name."""
    lowered = text.lower()
    found = [(m.start(), name) for name, pattern in _PATTERNS if (m := pattern.search(lowered))]
    return min(found)[1] if found else None


def category_for(topics: Iterable[str]) -> str | None:
    """The request category of the first topic that has one."""
    for topic in topics:
        if topic in TOPIC_CATEGORY:
            return TOPIC_CATEGORY[topic]
    return None


def written_draft(
    text: str,
    *,
    danger_kind: str | None = None,
    topics: Iterable[str] = (),
    kind: str = "self",
) -> Draft:
    """A request that starts from a typed message: the message is its description.

    The urgent button of the emergency screen and "Ask KBRI" under an answer both come here,
    so both carry the message the same way.
    """
    answers = {"description": text}
    if place := place_in(text):
        answers["location"] = place
    if danger_kind is not None:
        answers["category"] = urgent_category(danger_kind)
        return Draft(kind="self", flow="urgent", urgent_text=True, answers=answers)
    if category := category_for(topics):
        answers["category"] = category
    return Draft(kind="offer" if kind == "offer" else "self", answers=answers)
