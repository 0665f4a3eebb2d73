"""Words already written fill a request: the area from a place name, the topic from the guides."""

from __future__ import annotations

import pytest

from bot.intake.presets import category_for, place_in, written_draft


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Paspor saya hilang di Sihanoukville", "Sihanoukville"),
        ("sy di kompleks dekat bavet, tolong", "Bavet"),
        ("Saya di Poi Pet lalu ke Phnom Penh", "Poipet"),
        ("kerja di chrey thom", "Tbong Khmum"),
        ("tiket pp jakarta", None),
        ("brp denda overstay 20 hari", None),
    ],
)
def test_a_place_name_is_found(text: str, place: str | None) -> None:
    assert place_in(text) == place


def test_a_known_topic_gives_the_category_and_unknown_ones_do_not() -> None:
    assert category_for(["other", "lost_passport_splp"]) == "passport"
    assert category_for(["overstay_fines"]) == "visa"
    assert category_for(["emergency_numbers", "other"]) is None


def test_the_urgent_and_the_asked_path_make_the_same_draft_shape() -> None:
    asked = written_draft("Paspor ditahan di Bavet", topics=["passport_held"])
    urgent = written_draft("Saya dipukul di Bavet", danger_kind="violence")
    assert asked.answers == {
        "description": "Paspor ditahan di Bavet",
        "location": "Bavet",
        "category": "passport",
    }
    assert urgent.answers["location"] == "Bavet" and urgent.answers["category"] == "violence"
    assert urgent.urgent and urgent.flow == "urgent" and not asked.urgent
