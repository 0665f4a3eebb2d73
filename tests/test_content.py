"""Content as editors write it: guides with front matter and sections, contacts in both languages,
and one clear `file: problem` line for anything broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import ReadOnlyServices
from bot.config import LOCALES
from bot.content import ContentError, default_content_dir, load_content, parse_guide

GUIDE = """---
id: {id}
title: Visa habis
menu: rules
order: 5
topics: [overstay_fines]
keywords: [overstay, denda]
sources:
  - title: Imigrasi Kamboja
    url: https://www.immigration.gov.kh
    sections: [1]
last_verified: 2026-11-01
---
Pengantar singkat.

## Berapa dendanya

USD 10 per hari.

## Apa yang harus dibawa

Paspor.
"""


def write(tmp_path: Path, text: str, name: str = "visa-habis") -> Path:
    path = tmp_path / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_guide_parses_into_its_intro_and_numbered_sections(tmp_path: Path) -> None:
    guide = parse_guide(write(tmp_path, GUIDE.format(id="visa-habis")), "id")
    assert (guide.id, guide.menu, guide.order, guide.topic) == (
        "visa-habis", "rules", 5, "overstay_fines",
    )  # fmt: skip
    assert guide.intro == "Pengantar singkat."
    assert [(s.index, s.heading, s.body) for s in guide.sections] == [
        (0, "Berapa dendanya", "USD 10 per hari."),
        (1, "Apa yang harus dibawa", "Paspor."),
    ]
    assert guide.sources[0].sections == (1,) and guide.last_verified.year == 2026


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.replace("---\n", "", 1), "no YAML front matter"),
        (lambda t: t.replace("id: visa-habis", "id: lain"), "differs from the file name"),
        (lambda t: t.replace("[overstay_fines]", "[astrology]"), "unknown topic(s) astrology"),
        (lambda t: t.replace("menu: rules", "menu: sidebar"), "menu must be one of"),
        (lambda t: t.replace("title: Visa habis\n", ""), "missing `title`"),
        (lambda t: t.replace("https://www.immigration.gov.kh", "ftp://x"), "http:// or https://"),
        (lambda t: t.replace("sections: [1]", "sections: satu"), "list of section numbers"),
        (lambda t: t.replace("2026-11-01", "kemarin"), "last_verified must be a date"),
        (lambda t: t.replace("order: 5", "order: [5"), "not valid YAML"),
    ],
)
def test_a_broken_guide_is_named_with_its_problem(tmp_path: Path, change, problem: str) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, change(GUIDE.format(id="visa-habis")))
    with pytest.raises(ContentError) as caught:
        parse_guide(path, "id")
    assert str(caught.value).startswith(f"{path}: ") and problem in str(caught.value)


def test_the_shipped_content_has_every_guide_in_both_languages(
    read_only: ReadOnlyServices,
) -> None:
    content = read_only.content
    assert content.root == default_content_dir().resolve()
    assert set(content.guides) == set(LOCALES)
    assert set(content.guides["id"]) == set(content.guides["en"])
    first = content.menu("id", "help")
    assert first == sorted(first, key=lambda g: (g.order, g.id)) and first
    topic = first[0].topic
    assert content.guide_for_topic("en", topic) == content.guide("en", first[0].id)
    assert content.guide("id", "no-such-guide") is None and content.menu("xx", "help") == []
    assert all(set(c.name) == set(LOCALES) for c in content.contacts)


def test_contacts_without_a_known_confidence_or_the_embassy_are_refused(
    tmp_path: Path,
) -> None:
    root = tmp_path / "content"
    (root / "guides" / "id").mkdir(parents=True)
    (root / "guides" / "en").mkdir(parents=True)
    shipped = (default_content_dir() / "contacts.yaml").read_text(encoding="utf-8")
    (root / "contacts.yaml").write_text(
        shipped.replace("confidence: HIGH", "confidence: SURE", 1), encoding="utf-8"
    )
    with pytest.raises(ContentError, match="confidence must be HIGH, MED or LOW"):
        load_content(root)
    (root / "contacts.yaml").write_text("contacts: []\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"contacts\.yaml: missing `kbri`"):
        load_content(root)
