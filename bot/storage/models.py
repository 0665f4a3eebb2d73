"""What the repositories accept and return: frozen dataclasses, no SQL, no Telegram."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

ContactPolicy = Literal["any", "safe_hours", "never_first"]
CaseKind = Literal["self", "relative", "offer"]
CaseStatus = Literal["baru", "diambil", "menunggu", "dirujuk", "selesai"]
Actor = Literal["citizen", "officer", "system"]
Direction = Literal["in", "out"]
LinkSide = Literal["officers", "citizen"]

OPEN_STATUSES: tuple[CaseStatus, ...] = ("baru", "diambil", "menunggu", "dirujuk")


@dataclass(frozen=True, slots=True)
class User:
    """A person who has written to the bot, and their preferences."""

    user_id: int
    locale: str | None  # chosen with /bahasa; None: follow Telegram's language
    created_at: datetime
    last_seen_at: datetime
    contact_policy: ContactPolicy
    safe_hours_from: int | None
    safe_hours_to: int | None
    autodelete_minutes: int | None
    blocked_at: datetime | None
    blocked_by: int | None
    bot_blocked_at: datetime | None
    consent_withdrawn_at: datetime | None

    @property
    def blocked(self) -> bool:
        """An officer has blocked this user (/blokir)."""
        return self.blocked_at is not None


@dataclass(frozen=True, slots=True)
class Relative:
    """The person a family reports (every field optional)."""

    name: str | None = None
    relationship: str | None = None
    last_contact: str | None = None
    last_place: str | None = None  # last known place or company
    passport_no: str | None = None


@dataclass(frozen=True, slots=True)
class NewMedia:
    """A photo, document, … sent with a case."""

    kind: str
    file_id: str
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class NewCase:
    """A confirmed intake, ready to commit."""

    user_id: int
    chat_id: int
    kind: CaseKind
    category: str
    locale: str
    description: str
    consent_text_version: str
    urgent: bool = False
    safe_to_talk: bool | None = None
    location_text: str | None = None
    exact_lat: float | None = None
    exact_lon: float | None = None
    contact_policy: ContactPolicy = "any"
    safe_hours_from: int | None = None
    safe_hours_to: int | None = None
    relative: Relative | None = None
    linked_case_id: int | None = None
    media: tuple[NewMedia, ...] = ()


@dataclass(frozen=True, slots=True)
class Case:
    """A help request. Personal fields are None once erased (erased_at is set)."""

    id: int
    ref: str
    user_id: int | None
    chat_id: int | None
    kind: CaseKind
    category: str
    urgent: bool
    status: CaseStatus
    locale: str
    safe_to_talk: bool | None
    location_text: str | None
    exact_lat: float | None
    exact_lon: float | None
    contact_policy: ContactPolicy | None
    safe_hours_from: int | None
    safe_hours_to: int | None
    description: str | None
    relative: Relative | None
    consent_text_version: str
    consent_at: datetime
    created_at: datetime
    claimed_by: int | None
    claimed_at: datetime | None
    first_reply_at: datetime | None
    referred_to: str | None
    closed_at: datetime | None
    linked_case_id: int | None
    thread_id: int | None
    card_message_id: int | None
    erased_at: datetime | None

    @property
    def is_open(self) -> bool:
        """Not closed (status other than 'selesai')."""
        return self.status != "selesai"


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One line of a case's audit trail."""

    id: int
    case_id: int
    at: datetime
    actor: Actor
    actor_id: int | None
    kind: str
    detail: str | None  # a machine value (status, media kind); kept on erasure
    body: str | None  # free text; erased with the case


@dataclass(frozen=True, slots=True)
class CaseMedia:
    """A file the citizen sent with a case (Telegram file_id, not the bytes)."""

    id: int
    case_id: int
    kind: str
    file_id: str
    caption: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewOutbox:
    """A message to deliver later; create_case fills in case_id."""

    kind: str
    target_chat_id: int
    payload: Mapping[str, Any] = field(default_factory=dict)
    case_id: int | None = None
    due_at: datetime | None = None  # None: now
    held: bool = False  # "never message me first": wait for the citizen's next contact


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A stored outbox row."""

    id: int
    kind: str
    case_id: int | None
    target_chat_id: int
    payload: Mapping[str, Any]
    created_at: datetime
    due_at: datetime
    attempts: int
    last_error: str | None
    delivered_at: datetime | None
    failed_at: datetime | None
    held: bool
    result_message_id: int | None


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A tracked message id in a private chat."""

    chat_id: int
    message_id: int
    direction: Direction
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class CaseStats:
    """Counts and medians over the cases created in a period."""

    total: int
    urgent: int
    by_status: Mapping[str, int]
    by_category: Mapping[str, int]
    median_minutes_to_first_reply: float | None
    median_minutes_to_close: float | None
