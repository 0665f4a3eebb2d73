"""Agencies a case can be referred to: the contacts marked `referral:` in content/contacts.yaml."""

from __future__ import annotations

from bot.content import Contact, Content

AGENCY_KEY_CHARS = 40  # a contact id in callback data (c:refto:<case>:<id>) stays under 64 bytes
TYPED_NAME_CHARS = 80  # "other (type the name)": what an officer may type


def referral_agencies(content: Content) -> list[Contact]:
    """The contacts that take referrals, in the order of contacts.yaml."""
    return [c for c in content.contacts if c.referral is not None]


def agency(content: Content, key: str | None) -> Contact | None:
    """The referral agency stored as `key` (a contact id), or None for a typed name."""
    return next((c for c in referral_agencies(content) if c.id == key), None)


def find_agency(content: Content, typed: str) -> Contact | None:
    """The agency an officer typed, by its id or its name in either language."""
    wanted = typed.strip().casefold()
    for contact in referral_agencies(content):
        assert contact.referral is not None
        names = {contact.id, *contact.referral.agency.values()}
        if wanted in {n.casefold() for n in names}:
            return contact
    return None


def agency_label(content: Content, referred_to: str | None, locale: str) -> str | None:
    """How a stored referral reads: the agency's name, or the name an officer typed."""
    found = agency(content, referred_to)
    if found is None or found.referral is None:
        return referred_to
    return found.referral.agency.get(locale) or found.referral.agency["id"]
