"""A help request as data: the next question, the short path, what is urgent, round trips."""

from __future__ import annotations

from bot.intake.draft import (
    FLOWS,
    MAX_ATTACHMENTS,
    SELF_CATEGORIES,
    URGENT_CATEGORIES,
    Draft,
    urgent_category,
)


def keys(draft: Draft) -> list[str]:
    """Answer every question with its first choice (or a typed line) and list the keys asked."""
    asked = []
    while (step := draft.current) is not None:
        asked.append(step.key)
        draft.answer(step.choices[0].value if step.choices else "ketikan")
    return asked


def test_a_person_asking_for_themself_answers_the_self_flow_in_order() -> None:
    draft = Draft(kind="self")
    assert keys(draft) == ["category", "safe", "location", "contact", "description"]
    assert draft.asked == 5 and draft.current is None  # safe hours skipped: contact was "any"


def test_safe_hours_are_asked_only_when_chosen_as_the_way_to_be_contacted() -> None:
    draft = Draft(kind="self", answers={"category": "visa", "safe": "yes", "location": "Poipet"})
    assert draft.current is not None and draft.current.key == "contact"
    draft.answer("safe_hours")
    assert draft.current is not None and draft.current.key == "safe_hours"


def test_not_safe_to_talk_takes_the_short_path_and_keeps_what_was_answered() -> None:
    draft = Draft(kind="self")
    draft.answer("passport")
    draft.answer("no")  # "not really: keep it short"
    assert draft.short and draft.flow == "short"
    assert [s.key for s in FLOWS["short"]][:2] == ["category", "safe"]
    rest = keys(draft)
    assert "category" not in rest and "safe" not in rest and "contact" not in rest
    assert draft.answers["category"] == "passport" and draft.current is None


def test_a_preset_flow_never_switches_to_the_short_path() -> None:
    draft = Draft(kind="self", flow="urgent", answers={"category": "held"})
    assert [s.key for s in draft.steps] == ["location", "contact", "safe_hours"]
    assert draft.urgent and not draft.short


def test_answers_are_cut_to_the_steps_length() -> None:
    draft = Draft(kind="self", answers={"category": "visa", "safe": "yes"})
    assert draft.current is not None
    limit = draft.current.max_length
    draft.answer("x" * (limit + 50))
    assert len(draft.answers["location"]) == limit


def test_urgent_categories_are_the_flagged_choices_or_a_description_that_reads_as_danger() -> None:
    assert {c.value for c in SELF_CATEGORIES if c.urgent} == {"held", "violence", "medical"}
    assert {"held", "violence", "medical"} == URGENT_CATEGORIES
    assert Draft(kind="self", answers={"category": "held"}).urgent
    assert not Draft(kind="self", answers={"category": "visa"}).urgent
    assert Draft(kind="self", answers={"category": "visa"}, urgent_text=True).urgent


def test_a_kind_of_danger_maps_to_the_closest_category() -> None:
    assert urgent_category("threat") == urgent_category("violence") == "violence"
    assert urgent_category("suicide") == urgent_category("dying") == "medical"
    assert urgent_category("trafficking") == "held"  # anything else: held against their will
    assert {urgent_category(k) for k in ("violence", "medical", "other")} <= URGENT_CATEGORIES


def test_a_draft_survives_the_trip_through_persistence() -> None:
    draft = Draft(
        kind="relative",
        answers={"rel_name": "Budi"},
        attachments=[("photo", "file-1")] * MAX_ATTACHMENTS,
        exact_location=(11.55, 104.92),
        linked_case_id=7,
        urgent_text=True,
    )
    draft.answer("child")
    assert draft.answers["rel_relationship"] == "child"
    copy = Draft.from_dict(draft.to_dict())
    assert copy == draft
    assert Draft.from_dict({"kind": "self"}) == Draft(kind="self")  # older, sparser rows
