"""Catalogs: the person's language chosen well, words, plurals, dates and money in that language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot.app import ReadOnlyServices
from bot.ui.i18n import Catalogs, default_locales_dir


@pytest.fixture(scope="module")
def catalogs(read_only: ReadOnlyServices) -> Catalogs:
    return read_only.catalogs


@pytest.mark.parametrize(
    ("stored", "telegram", "chosen"),
    [
        ("en", "id", "en"),  # the person's own choice wins
        (None, "id", "id"),
        (None, "in", "id"),  # the old ISO code
        (None, "ms-MY", "id"),  # Malay, Javanese and Sundanese speakers read Indonesian
        (None, "jv", "id"),
        (None, "EN-us", "en"),
        (None, "km", "id"),  # Khmer and anything else: the default
        ("fr", None, "id"),  # a stored locale the bot does not have
        (None, None, "id"),
    ],
)
def test_the_language_is_the_choice_then_telegrams_then_the_default(
    catalogs: Catalogs, stored: str | None, telegram: str | None, chosen: str
) -> None:
    assert catalogs.choose(stored, telegram) == chosen


def test_words_and_plurals_come_from_each_catalog(catalogs: Catalogs) -> None:
    singular = "Your personal data has been erased, with %(n)s request. Consent withdrawn."
    plural = "Your personal data has been erased, with %(n)s requests. Consent withdrawn."
    indonesian, english = catalogs.get("id"), catalogs.get("en")
    assert indonesian("Erased") == "Dihapus" and english("Erased") == "Erased"
    assert indonesian.ngettext(singular, plural, 2).startswith("Data pribadi Anda sudah dihapus")
    assert english.ngettext(singular, plural, 1) == singular % {"n": 1}
    assert english.ngettext(singular, plural, 2) == plural % {"n": 2}
    assert catalogs.get(None) is catalogs.get("xx") is indonesian  # unknown: the default


def test_dates_times_and_money_are_written_the_readers_way(catalogs: Catalogs) -> None:
    indonesian, english = catalogs.get("id"), catalogs.get("en")
    utc = dt.datetime(2026, 11, 28, 1, 30)  # naive: read as UTC, shown in Phnom Penh (+7)
    assert indonesian.datetime(utc).startswith("28 Nov 2026 08.30")
    assert english.datetime(utc).startswith("Nov 28, 2026, 8:30")
    assert indonesian.date(dt.date(2026, 11, 28)) == "28 November 2026"
    assert indonesian.money(Decimal("1234.5"), "USD") == "US$1.234,50"
    assert english.money(Decimal("1234.5"), "USD") == "$1,234.50"


def test_the_default_locale_is_the_settings_choice() -> None:
    """(Untranslated entries are caught by check-content: tests/cli/test_checks.py.)"""
    assert Catalogs.load(default_locales_dir(), "en").default == "en"
    assert Catalogs.load(default_locales_dir(), "en").get("xx").locale == "en"
