"""bot/queue/agencies.py: the agencies a case can be referred to, read from contacts.yaml."""

from __future__ import annotations

import pytest

from bot.app import ReadOnlyServices
from bot.content import Content
from bot.queue.agencies import (
    AGENCY_KEY_CHARS,
    agency,
    agency_label,
    find_agency,
    referral_agencies,
)
from bot.ui.limits import CALLBACK_DATA_BYTES

BIGGEST_CASE_ID = 10**12  # far beyond any real case count


@pytest.fixture
def content(read_only: ReadOnlyServices) -> Content:
    return read_only.content


def test_the_agencies_are_the_referral_contacts_in_file_order(content: Content) -> None:
    found = referral_agencies(content)
    ids = [c.id for c in found]
    assert {"police", "anti_trafficking", "kp2mi", "iom"} <= set(ids)
    assert "kbri_hotline" not in ids  # a contact without `referral:` takes no referrals
    order = [c.id for c in content.contacts]
    assert ids == sorted(ids, key=order.index)
    assert all(c.referral is not None for c in found)


def test_every_agency_key_fits_its_button(content: Content) -> None:
    for contact in referral_agencies(content):
        assert len(contact.id) <= AGENCY_KEY_CHARS
        data = f"c:refto:{BIGGEST_CASE_ID}:{contact.id}"
        assert len(data.encode("utf-8")) <= CALLBACK_DATA_BYTES, data


def test_a_stored_key_is_its_agency_and_anything_else_is_a_typed_name(content: Content) -> None:
    police = agency(content, "police")
    assert police is not None and police.id == "police"
    assert agency(content, None) is None
    assert agency(content, "Yayasan Harapan") is None  # a name an officer typed
    assert agency(content, "kbri_hotline") is None  # a contact, but not a referral agency


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("kp2mi", "kp2mi"),
        ("  KP2MI ", "kp2mi"),
        ("Polisi Kamboja", "police"),
        ("cambodian POLICE", "police"),
        ("Cambodian anti-trafficking police", "anti_trafficking"),
        ("IOM (International Organization for Migration)", "iom"),
    ],
)
def test_an_officer_may_type_the_id_or_either_name(
    content: Content, typed: str, expected: str
) -> None:
    found = find_agency(content, typed)
    assert found is not None and found.id == expected


@pytest.mark.parametrize("typed", ["", "polisi", "Yayasan Harapan", "kbri_hotline", "ambulance"])
def test_a_partial_unknown_or_non_referral_name_finds_nothing(content: Content, typed: str) -> None:
    assert find_agency(content, typed) is None


def test_a_referral_reads_as_the_agency_name_in_the_readers_language(content: Content) -> None:
    assert agency_label(content, "police", "id") == "Polisi Kamboja"
    assert agency_label(content, "police", "en") == "Cambodian police"
    # A language the content does not have: the Indonesian name, never the bare key.
    assert agency_label(content, "police", "km") == "Polisi Kamboja"


def test_a_typed_name_reads_as_typed_and_no_referral_as_none(content: Content) -> None:
    assert agency_label(content, "Yayasan Harapan", "en") == "Yayasan Harapan"
    assert agency_label(content, None, "id") is None
