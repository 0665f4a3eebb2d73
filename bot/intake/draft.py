"""The questions of a help request, as data: which steps, which choices, what is urgent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.ui.commands import N_

Kind = Literal["self", "relative", "offer"]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # msgid
    urgent: bool = False


@dataclass(frozen=True)
class Step:
    key: str
    prompt: str  # msgid
    choices: tuple[Choice, ...] = ()
    free_text: bool = False  # typed answers accepted (besides the buttons)
    skippable: bool = False
    max_length: int = 300
    label: str = ""  # msgid: the review screen shows this short label, not the whole question


SELF_CATEGORIES = (
    Choice("held", N_("🚨 I am held against my will"), urgent=True),
    Choice("violence", N_("🚨 Violence or threats"), urgent=True),
    Choice("medical", N_("🚑 Sick or injured"), urgent=True),
    Choice("passport", N_("🛂 My passport is held or lost")),
    Choice("visa", N_("📄 Visa, overstay or documents")),
    Choice("go_home", N_("🏠 I want to go home")),
    Choice("job", N_("💼 Job offer or recruiter problem")),
    Choice("other", N_("✏️ Something else")),
)
RELATIVE_CATEGORIES = (
    Choice("missing", N_("❓ No news from them / missing")),
    Choice("held", N_("🚨 Held or trapped"), urgent=True),
    Choice("violence", N_("🚨 Violence or threats"), urgent=True),
    Choice("medical", N_("🚑 Sick or injured"), urgent=True),
    Choice("go_home", N_("🏠 They want to come home")),
    Choice("other", N_("✏️ Something else")),
)
CATEGORY_LABELS: dict[str, str] = {
    c.value: c.label for c in (*SELF_CATEGORIES, *RELATIVE_CATEGORIES)
}

CATEGORY = Step(
    "category", N_("What happened? Choose the closest."), SELF_CATEGORIES, label=N_("What happened")
)
REL_CATEGORY = Step(
    "category",
    N_("What is happening to your relative?"),
    RELATIVE_CATEGORIES,
    label=N_("What happened"),
)
SAFE = Step(
    "safe",
    N_("Is it safe for you to write now?"),
    (
        Choice("yes", N_("✅ Yes, I can write now")),
        Choice("briefly", N_("🤫 Only briefly, in secret")),
        Choice("no", N_("⛔ Not really: keep it short")),
    ),
    label=N_("Safe to write"),
)
LOCATION = Step(
    "location",
    N_(
        "Where are you, roughly? Type a city, province or a landmark (for example: Sihanoukville, "
        "Poipet, near the Bavet market). You do not need to share an exact address."
    ),
    (
        Choice("Phnom Penh", N_("Phnom Penh")),
        Choice("Sihanoukville", N_("Sihanoukville")),
        Choice("Poipet", N_("Poipet")),
        Choice("Bavet", N_("Bavet")),
        Choice("-", N_("I would rather not say")),
        Choice("exact", N_("📍 I want to share my exact location")),
    ),
    free_text=True,
    max_length=120,
    label=N_("Area"),
)
CONTACT = Step(
    "contact",
    N_("How may KBRI reach you?"),
    (
        Choice("any", N_("💬 Here in this chat, any time")),
        Choice("safe_hours", N_("🕒 Here, but only at safe hours")),
        Choice("never_first", N_("🔕 Never message me first: I will check /status")),
    ),
    label=N_("Contact"),
)
SAFE_HOURS = Step(
    "safe_hours",
    N_(
        "Which hours are safe for you (Cambodia time)? Choose, or type your own hours, for "
        "example 23-02."
    ),
    (
        Choice("6-9", N_("06:00–09:00")),
        Choice("12-14", N_("12:00–14:00")),
        Choice("18-21", N_("18:00–21:00")),
        Choice("20-23", N_("20:00–23:00")),
        Choice("22-2", N_("22:00–02:00")),
        Choice("0-3", N_("00:00–03:00")),
    ),
    free_text=True,
    max_length=40,
    label=N_("Safe hours"),
)
DESCRIPTION = Step(
    "description",
    N_(
        "In a few sentences: what happened, and what help do you need? "
        "You can also send photos or documents (for example a passport page or the job ad)."
    ),
    free_text=True,
    max_length=2000,
    label=N_("Your message"),
)
REL_NAME = Step(
    "rel_name",
    N_("What is your relative's full name?"),
    free_text=True,
    max_length=100,
    label=N_("Name"),
)
REL_RELATIONSHIP = Step(
    "rel_relationship",
    N_("How are you related?"),
    (
        Choice("child", N_("My child")),
        Choice("spouse", N_("My husband or wife")),
        Choice("sibling", N_("My brother or sister")),
        Choice("parent", N_("My parent")),
        Choice("other", N_("Other family or friend")),
    ),
    free_text=True,
    max_length=60,
    label=N_("Relationship"),
)
REL_LAST_CONTACT = Step(
    "rel_last_contact",
    N_("When did you last hear from them, and how (for example: 3 days ago, WhatsApp)?"),
    free_text=True,
    max_length=200,
    label=N_("Last contact"),
)
REL_PLACE = Step(
    "rel_place",
    N_("Where were they last, as far as you know: city, company or compound name?"),
    free_text=True,
    max_length=200,
    label=N_("Last known place"),
)
REL_PASSPORT = Step(
    "rel_passport",
    N_("Their passport number, if you know it (or press Skip)."),
    free_text=True,
    skippable=True,
    max_length=20,
    label=N_("Passport number"),
)

# Not safe to talk: one line and the area, both optional, then a two-line consent that sends.
SHORT_LINE = Step(
    "description",
    N_("In one line: what do you need? (optional; photos are fine too)"),
    free_text=True,
    skippable=True,
    max_length=300,
    label=N_("Your message"),
)
SHORT_LOCATION = Step(
    "location",
    N_("Which area, roughly? (optional: type a city or choose)"),
    tuple(c for c in LOCATION.choices if c.value != "exact"),
    free_text=True,
    max_length=120,
    label=N_("Area"),
)
SHORT_ANSWERS = frozenset({"no"})  # the "safe" answer that takes the short path

FLOWS: dict[str, tuple[Step, ...]] = {
    "self": (CATEGORY, SAFE, LOCATION, CONTACT, SAFE_HOURS, DESCRIPTION),
    "relative": (
        REL_NAME, REL_RELATIONSHIP, REL_LAST_CONTACT, REL_PLACE, REL_PASSPORT, REL_CATEGORY,
        CONTACT, SAFE_HOURS, DESCRIPTION,
    ),
    # From a message that reads as danger: category and description are already known.
    "urgent": (LOCATION, CONTACT, SAFE_HOURS),
    # A job offer checked with /cek and sent as a report: the offer is the description.
    "offer": (CONTACT, SAFE_HOURS),
    "short": (CATEGORY, SAFE, SHORT_LINE, SHORT_LOCATION),
}  # fmt: skip
URGENT_CATEGORIES = frozenset(c.value for c in (*SELF_CATEGORIES, *RELATIVE_CATEGORIES) if c.urgent)
MAX_ATTACHMENTS = 10


@dataclass
class Draft:
    """A help request being filled in; lives in user_data (persisted) until sent or cancelled."""

    kind: Kind
    answers: dict[str, str] = field(default_factory=dict)
    step: int = 0
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (kind, file_id)
    exact_location: tuple[float, float] | None = None
    linked_case_id: int | None = None
    urgent_text: bool = False  # the description itself reads as danger
    flow: str = ""  # which questions; defaults to the kind's own
    asked: int = 0  # questions answered so far: "Question n" counts these, never skipped ones

    @property
    def steps(self) -> tuple[Step, ...]:
        return FLOWS[self.flow or self.kind]

    @property
    def current(self) -> Step | None:
        """The step awaiting an answer, or None when every question is answered."""
        while self.step < len(self.steps):
            step = self.steps[self.step]
            skip_hours = step.key == "safe_hours" and self.answers.get("contact") != "safe_hours"
            if skip_hours or step.key in self.answers:  # answered already (or preset)
                self.step += 1
                continue
            return step
        return None

    def answer(self, value: str) -> None:
        step = self.current
        if step is not None:
            self.answers[step.key] = value[: step.max_length]
            self.step += 1
            self.asked += 1
            if step.key == "safe" and value in SHORT_ANSWERS and self.flow == "":
                self.flow, self.step = "short", 0  # answered questions are skipped

    @property
    def short(self) -> bool:
        """Not safe to talk: no contact questions, no files step, no review screen."""
        return self.flow == "short"

    @property
    def urgent(self) -> bool:
        return self.answers.get("category") in URGENT_CATEGORIES or self.urgent_text

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "answers": dict(self.answers), "step": self.step,
            "attachments": [list(a) for a in self.attachments],
            "exact_location": list(self.exact_location) if self.exact_location else None,
            "linked_case_id": self.linked_case_id, "urgent_text": self.urgent_text,
            "flow": self.flow, "asked": self.asked,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        location = data.get("exact_location")
        return cls(
            kind=data["kind"],
            answers=dict(data.get("answers") or {}),
            step=int(data.get("step") or 0),
            attachments=[(str(k), str(f)) for k, f in data.get("attachments") or []],
            exact_location=(float(location[0]), float(location[1])) if location else None,
            linked_case_id=data.get("linked_case_id"),
            urgent_text=bool(data.get("urgent_text")),
            flow=str(data.get("flow") or ""),
            asked=int(data.get("asked") or 0),
        )


def urgent_category(danger_kind: str) -> str:
    """The intake category closest to a kind of danger found in a message."""
    if danger_kind in ("violence", "threat"):
        return "violence"
    if danger_kind in ("medical", "dying", "suicide"):
        return "medical"
    return "held"
