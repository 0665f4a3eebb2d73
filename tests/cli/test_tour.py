"""bot/cli/tour.py: the scripted visit of every screen that check-content relies on.

One tour in Indonesian (the officers' language) plus one with a lowered length limit: each
builds the whole Application, so the English tour is left to check-content's own test.
"""

from __future__ import annotations

import pytest

from bot.cli.tour import TourReport, tour
from bot.content import default_content_dir
from bot.ui import limits


@pytest.fixture(scope="module")
def report() -> TourReport:
    return tour(None, "id")


def test_the_tour_runs_to_the_end_without_a_failed_screen(report: TourReport) -> None:
    assert report.locale == "id"
    assert report.errors == []
    assert report.too_long == []


def test_every_template_is_shown_on_the_tour(report: TourReport) -> None:
    templates = default_content_dir() / "templates"
    names = {p.name for p in templates.glob("*.j2") if not p.name.startswith("_")}
    assert len(names) >= 20
    assert names <= report.rendered, sorted(names - report.rendered)
    # The officers' side and the unasked messages too, not only the citizen's menus.
    assert {"case_card.html.j2", "queue.html.j2", "digest.html.j2", "checkin_alert.html.j2",
            "reminder_loud.html.j2", "stats.html.j2"} <= report.rendered  # fmt: skip


def test_a_text_over_the_limit_is_named_by_its_method(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "TEXT", 300)  # what the tour measures against, not what it sends
    lowered = tour(None, "id")
    assert lowered.errors == []
    assert "sendMessage" in lowered.too_long
    assert set(lowered.too_long) <= {"sendMessage", "editMessageText", "sendPhoto", "copyMessage"}
