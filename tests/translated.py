"""Catalog text for assertions: a phrase the reader's catalog does not translate fails the test."""

from __future__ import annotations

import functools

from babel.messages.pofile import read_po

from bot.ui.i18n import DOMAIN, Translator, default_locales_dir


@functools.lru_cache(maxsize=4)
def translated_ids(locale: str) -> frozenset[str]:
    """The msgids locales/<locale>/LC_MESSAGES/bot.po translates (a non-empty msgstr)."""
    path = default_locales_dir() / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    found: set[str] = set()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings) and not message.fuzzy:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            found.update(str(i) for i in ids)
    return frozenset(found)


def said(t: Translator, msgid: str, /, **params: object) -> str:
    """What `t` shows for `msgid`, failing when its catalog has no translation for it
    (the English source text would otherwise pass through unnoticed)."""
    assert msgid in translated_ids(t.locale), f"{msgid!r} is not translated ({t.locale})"
    return t(msgid, **params)


def said_n(t: Translator, singular: str, plural: str, n: int, /) -> str:
    """The plural form of `said`."""
    assert singular in translated_ids(t.locale), f"{singular!r} is not translated ({t.locale})"
    return t.ngettext(singular, plural, n)
