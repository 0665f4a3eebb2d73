"""A confirmed draft becomes a case: answers mapped faithfully, contact wishes kept, one commit."""

from __future__ import annotations

from bot.intake.draft import Draft
from bot.queue.cases import (
    CONSENT_VERSION,
    last_closed_case_id,
    new_case,
    open_case_of,
    recently_submitted,
    submit,
)
from bot.storage.repos import Repositories

GROUP = -100_800


def _self_draft(**answers: str) -> Draft:
    base = {"category": "passport", "safe": "yes", "location": "Poipet", "contact": "any",
            "description": "Paspor ditahan"}  # fmt: skip
    return Draft(kind="self", answers={**base, **answers})


def test_a_self_request_maps_every_answer() -> None:
    draft = _self_draft()
    draft.attachments.append(("photo", "file-1"))
    record = new_case(draft, user_id=1, chat_id=1, locale="id")
    assert (record.category, record.location_text, record.description) == (
        "passport", "Poipet", "Paspor ditahan",
    )  # fmt: skip
    assert record.safe_to_talk is True and record.contact_policy == "any"
    assert record.consent_text_version == CONSENT_VERSION and record.relative is None
    assert [(m.kind, m.file_id) for m in record.media] == [("photo", "file-1")]


def test_placeholders_become_nothing_and_the_exact_location_is_kept() -> None:
    draft = _self_draft(location="exact", description="-", safe="no")
    draft.exact_location = (11.55, 104.92)
    record = new_case(draft, 1, 1, "en")
    assert record.location_text is None and record.description == ""
    assert (record.exact_lat, record.exact_lon) == (11.55, 104.92)
    assert record.safe_to_talk is False
    assert new_case(_self_draft(location="-"), 1, 1, "id").location_text is None


def test_contact_wishes_become_a_policy_and_unreadable_hours_fall_back_to_any() -> None:
    hours = new_case(_self_draft(contact="safe_hours", safe_hours="22-2"), 1, 1, "id")
    assert (hours.contact_policy, hours.safe_hours_from, hours.safe_hours_to) == (
        "safe_hours", 22, 2,
    )  # fmt: skip
    never = new_case(_self_draft(contact="never_first"), 1, 1, "id")
    assert never.contact_policy == "never_first" and never.safe_hours_from is None
    unreadable = new_case(_self_draft(contact="safe_hours", safe_hours="kapan saja"), 1, 1, "id")
    assert unreadable.contact_policy == "any"


def test_a_relatives_request_carries_the_relative_and_skips_an_unknown_passport() -> None:
    draft = Draft(kind="relative", answers={
        "rel_name": "Budi", "rel_relationship": "child", "rel_last_contact": "Senin",
        "rel_place": "Bavet", "rel_passport": "-", "category": "missing",
    })  # fmt: skip
    record = new_case(draft, 2, 2, "id")
    assert record.relative is not None and record.relative.name == "Budi"
    assert record.relative.last_place == "Bavet" and record.relative.passport_no is None
    assert record.safe_to_talk is None  # never asked


async def test_submitting_commits_the_case_its_announcement_and_the_contact_wish(
    repos: Repositories,
) -> None:
    await repos.users.touch(1)
    draft = _self_draft(contact="safe_hours", safe_hours="20-23", category="held")
    case = await submit(repos, draft, 1, 1, "id", GROUP)
    assert case.urgent and case.is_open
    assert await repos.outbox.count_pending("case_new") == 1
    user = await repos.users.get(1)
    assert user is not None and (user.safe_hours_from, user.safe_hours_to) == (20, 23)
    assert (await open_case_of(repos, 1)) == case
    assert (await recently_submitted(repos, 1)) == case
    assert await last_closed_case_id(repos, 1) is None  # the latest is still open
    without_group = await submit(repos, _self_draft(), 3, 3, "id", None)
    assert without_group.id != case.id and await repos.outbox.count_pending("case_new") == 1
    assert await open_case_of(repos, 99) is None and await recently_submitted(repos, 99) is None
