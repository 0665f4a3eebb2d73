"""Catalog text for assertions: a phrase missing from the Indonesian catalog fails the test."""

from __future__ import annotations

from bot.ui.i18n import Translator


def said(t: Translator, msgid: str, /, **params: object) -> str:
    """What `t` shows for `msgid`; in Indonesian the catalog must translate it (never the
    English source text passing through unnoticed)."""
    if t.locale == "id":
        assert t.translations.gettext(msgid) != msgid, f"no Indonesian for {msgid!r}"
    return t(msgid, **params)


def said_n(t: Translator, singular: str, plural: str, n: int, /) -> str:
    """The plural form of `said`."""
    if t.locale == "id":
        assert t.translations.ngettext(singular, plural, n) not in (singular, plural), singular
    return t.ngettext(singular, plural, n)
