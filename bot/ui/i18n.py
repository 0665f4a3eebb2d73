"""Gettext catalogs compiled in memory from locales/*.po, locale choice, dates and money."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from babel.support import Translations

from bot.config import LOCALES

TIMEZONE = ZoneInfo("Asia/Phnom_Penh")
DOMAIN = "bot"


def default_locales_dir() -> Path:
    """locales/ beside the bot package."""
    return Path(__file__).resolve().parents[2] / "locales"


def compile_catalog(po_path: Path, locale: str) -> Translations:
    """Read a .po file and compile it in memory; no `pybabel compile` step is needed."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@dataclass(frozen=True)
class Translator:
    """Everything locale-specific a handler needs: words, dates, money."""

    locale: str
    translations: Translations

    def gettext(self, message: str, /, **params: object) -> str:
        text = self.translations.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        text = self.translations.ngettext(singular, plural, n)
        return text % {"n": n, **params}

    __call__ = gettext

    def date(self, value: dt.date) -> str:
        return _format_date(value, self.locale)

    def datetime(self, value: dt.datetime) -> str:
        """A moment in Phnom Penh time, e.g. '28 Nov 2026 08.30'."""
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return _format_moment(value, self.locale)

    def money(self, amount: float | Decimal, currency: str) -> str:
        """USD/KHR/IDR formatted the way the reader's locale writes them."""
        return format_currency(amount, currency, locale=self.locale)


# Babel parses its pattern and locale data on every call (~40 µs); the same moments come back
# again and again (a case's times on its card, /kasus, /status), so each is formatted once.
@functools.lru_cache(maxsize=4096)
def _format_moment(value: dt.datetime, locale: str) -> str:
    return format_datetime(value, format="medium", tzinfo=TIMEZONE, locale=locale)


@functools.lru_cache(maxsize=1024)
def _format_date(value: dt.date, locale: str) -> str:
    return format_date(value, format="long", locale=locale)


class Catalogs:
    """One Translator per supported locale, built once at start-up."""

    def __init__(self, translators: Mapping[str, Translator], default: str) -> None:
        self._translators = dict(translators)
        self.default = default

    @classmethod
    def load(cls, locales_dir: Path, default: str) -> Catalogs:
        translators = {
            loc: Translator(loc, compile_catalog(locales_dir / loc / "LC_MESSAGES" / "bot.po", loc))
            for loc in LOCALES
        }
        return cls(translators, default)

    def get(self, locale: str | None) -> Translator:
        return self._translators.get(locale or "", self._translators[self.default])

    def choose(self, stored: str | None, telegram_code: str | None) -> str:
        """The user's own choice, else their Telegram language, else the default."""
        if stored in self._translators:
            return stored
        code = (telegram_code or "").lower().split("-")[0]
        if code in ("id", "in", "ms", "jv", "su"):  # "in" is the old ISO code for Indonesian
            return "id"
        if code == "en":
            return "en"
        return self.default
