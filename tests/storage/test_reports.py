"""/statistik and /ekspor: counts, medians, and exports that redact what officers do not need."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.models import NewCase, Relative
from bot.storage.reports import export_columns, mask_phone_numbers
from bot.storage.repos import Repositories

T0 = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
OFFICER = 900_001


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def case(category: str = "passport_held", **changes: object) -> NewCase:
    base = NewCase(
        user_id=100_001, chat_id=100_001, kind="self", category=category, locale="id",
        description="tolong", consent_text_version="v1",
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


async def test_stats_count_and_take_medians(repos: Repositories) -> None:
    cases = repos.cases
    # Replies after 10, 20, 30 and 40 minutes: median 25. Closes after 60 and 120: median 90.
    for n, reply_after in enumerate((10, 20, 30, 40)):
        created = at(n)
        c = await cases.create_case(case("scam" if n % 2 else "passport_held"), now=created)
        await cases.record_reply(c.id, OFFICER, "…", now=created + timedelta(minutes=reply_after))
        if n < 2:
            close_after = (60, 120)[n]
            await cases.close(
                c.id,
                actor="officer",
                actor_id=OFFICER,
                now=created + timedelta(minutes=close_after),
            )
    urgent = await cases.create_case(case(urgent=True), now=at(5))
    await cases.claim(urgent.id, OFFICER, now=at(6))
    # Erased while open: closed by the erasure, which is not a time to close.
    await cases.create_case(case("other", user_id=200_002, chat_id=200_002), now=at(7))
    await repos.privacy.erase_user(200_002, now=at(10_000))
    await cases.create_case(case(), now=at(-1))  # outside the period
    await cases.create_case(case(), now=at(60 * 24))  # `until` is exclusive

    stats = await repos.reports.stats(T0, at(60 * 24))
    assert stats.total == 6 and stats.urgent == 1
    assert stats.by_status == {"selesai": 3, "baru": 2, "diambil": 1}
    assert stats.by_category == {"passport_held": 3, "scam": 2, "other": 1}
    assert stats.median_minutes_to_first_reply == 25.0
    assert stats.median_minutes_to_close == 90.0

    odd = await repos.reports.stats(T0, at(2.5))  # cases 0, 1, 2: replies 10, 20, 30
    assert odd.median_minutes_to_first_reply == 20.0
    empty = await repos.reports.stats(at(-100), at(-50))
    assert (empty.total, empty.by_status, empty.median_minutes_to_close) == (0, {}, None)


async def test_export_is_redacted_by_default(repos: Repositories) -> None:
    relative = Relative("Budi", "adik", "12-01-2026", "PT Mekar, telp 0812-3456-7890", "C1234567")
    old = await repos.cases.create_case(case(), now=at(0))
    await repos.cases.close(old.id, actor="officer", actor_id=OFFICER, now=at(1))
    new = await repos.cases.create_case(
        case(
            kind="relative",
            relative=relative,
            description="Hubungi +855 12 345 678 atau wa 081234567890; gaji Rp 1.500.000",
            location_text="Bavet",
            exact_lat=11.07,
            exact_lon=106.13,
            linked_case_id=old.id,
        ),
        now=at(2),
    )

    rows = await repos.reports.export_rows(T0, at(10))
    assert [r["ref"] for r in rows] == [old.ref, new.ref]
    row = rows[1]
    assert tuple(row) == export_columns(redact=True)
    assert not {"exact_lat", "exact_lon", "relative_passport_no"} & set(row)
    assert row["description"] == "Hubungi +*** ** *** *78 atau wa **********90; gaji Rp 1.500.000"
    assert row["relative_last_place"] == "PT Mekar, telp ****-****-**90"
    assert row["relative_last_contact"] == "12-01-2026"  # a date is not a phone number
    assert (row["relative_name"], row["linked_ref"], row["urgent"]) == ("Budi", old.ref, False)

    full = (await repos.reports.export_rows(T0, at(10), redact=False))[1]
    assert tuple(full) == export_columns(redact=False)
    assert (full["exact_lat"], full["relative_passport_no"]) == (11.07, "C1234567")
    assert "+855 12 345 678" in full["description"]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("+62 812-3456-7890", "+** ***-****-**90"),
        ("(021) 2345 6789", "(***) **** **89"),
        ("012345678", "*******78"),
        ("kamar 1203, lantai 4", "kamar 1203, lantai 4"),
        ("2026-01-15", "2026-01-15"),
        ("USD 1,200,000", "USD 1,200,000"),
        ("paspor C1234567", "paspor C1234567"),  # letters around digits: not a phone
    ],
)
def test_phone_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_phone_numbers(text) == masked
