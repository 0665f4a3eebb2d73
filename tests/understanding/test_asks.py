"""What a question asks for (a number, hours, a cost, how) and a relative's report."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import ReadOnlyServices
from bot.content import ContentError
from bot.understanding.asks import Asks


@pytest.fixture(scope="module")
def asks(read_only: ReadOnlyServices) -> Asks:
    """The bot's own, loaded once per test session with the question index."""
    assert read_only.search.asks is not None
    return read_only.search.asks


@pytest.mark.parametrize(
    ("text", "locale", "kind"),
    [
        ("nomor wa kedutaan brp", "id", "phone"),
        ("telepon kbri berapa ya", "id", "phone"),
        ("embassy whatsapp number please", "en", "phone"),
        ("kbri buka jam brp", "id", "hours"),
        ("is the embassy open on saturday", "en", "hours"),
        ("alamat kedutaan dimana", "id", "embassy_address"),
        ("kedutaan indonesia di phnom penh letaknya dimana", "id", "embassy_address"),
        ("where is the embassy located", "en", "embassy_address"),
        ("alamat kantor imigrasi dimana", "id", "address"),
        ("lapor diri ke kbri wajib gk", "id", None),
        ("email kbri apa", "id", "email"),
        ("bikin splp bayar gk", "id", "cost"),
        ("perpanjang visa ngurusnya dmn", "id", "where"),
        ("how much does the splp cost", "en", "cost"),
        ("siapa yg bayar tiket pulang", "id", "who_pays"),
        ("gimana caranya perpanjang visa", "id", "how"),
        ("how to get a work permit", "en", "how"),
        ("paspor sy hilang", "id", None),
    ],
)
def test_the_kind_of_question(asks: Asks, text: str, locale: str, kind: str | None) -> None:
    found = asks.ask(text, locale)
    assert (found.kind if found else None) == kind


def test_a_number_question_names_who_it_wants(asks: Asks) -> None:
    police = asks.ask("nomor telepon polisi kamboja", "id")
    assert police is not None and police.contacts == ("police",)
    embassy = asks.ask("hotline kbri brp", "id")
    assert embassy is not None and "kbri_hotline" in embassy.contacts


def test_hours_are_answered_by_the_contact_guide(asks: Asks) -> None:
    found = asks.ask("jam operasional kedutaan", "id")
    assert found is not None and found.guide == "hubungi-kbri" and found.headings


@pytest.mark.parametrize(
    ("text", "locale", "relative"),
    [
        ("suami sy di kamboja gk ada kabar 2 minggu", "id", True),
        ("adik saya ditahan bos di kompleks, harus lapor kemana", "id", True),
        ("my daughter went to cambodia and is missing", "en", True),
        ("keponakan ku di kamboja ora iso dihubungi, lapor kmn", "id", True),
        ("adikku sdh 2 minggu tdk bs dihubungi", "id", True),
        ("suami sy kerja di poipet hpnya gk aktif sdh 4 hari", "id", True),
        ("anak saya mau kerja di kamboja, legal gak", "id", False),
        ("saya mau lapor diri", "id", False),
        ("my passport is missing", "en", False),
    ],
)
def test_a_relatives_report(asks: Asks, text: str, locale: str, relative: bool) -> None:
    assert asks.about_relative(text, locale) is relative


def test_medical_danger_is_answered_from_the_emergency_guide(asks: Asks) -> None:
    found = asks.for_danger("medical", "en")
    assert found is not None and found.guide == "nomor-darurat" and found.headings
    assert asks.for_danger("held", "id") is None


def test_a_broken_file_is_a_content_error(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "asks.yaml").write_text("kinds:\n  phone: {headings: {}}\n")
    with pytest.raises(ContentError):
        Asks.load(tmp_path, {})


def test_the_family_guide_and_its_report_heading(asks: Asks) -> None:
    assert asks.family_guide == "untuk-keluarga"
    assert asks.family_headings("id") and asks.family_headings("en")


def test_a_number_question_has_a_guide_even_when_the_search_is_unsure(asks: Asks) -> None:
    found = asks.ask("nomor kemlu pusat jkt brp", "id")
    assert found is not None and found.fallback == "nomor-darurat"
    assert found.contacts == ("kemlu_hotline",)
