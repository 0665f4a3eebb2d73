"""Load content/ (guides, contacts) into typed, immutable objects."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.config import LOCALES

TOPICS: tuple[str, ...] = (
    "visa_entry",
    "overstay_fines",
    "visa_extension",
    "fpcs_registration",
    "work_permit",
    "passport_held",
    "lost_passport_splp",
    "deportation_detention",
    "going_home",
    "scam_warning_signs",
    "job_offer_legality",
    "contact_kbri",
    "emergency_numbers",
    "report_relative",
    "lapor_diri",
    "other",
)
MENUS: tuple[str, ...] = ("rules", "scam", "families", "emergency", "help", "none")
CONFIDENCES: tuple[str, ...] = ("HIGH", "MED", "LOW")

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.DOTALL)
_SECTION_HEADING = re.compile(r"^## +(.+?)\s*$", re.MULTILINE)


class ContentError(Exception):
    """A content file is malformed; the message reads `file: problem`."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str  # empty only where FACTS.md names an outlet without an address (check-content warns)
    sections: tuple[int, ...] = ()  # 1-based sections it backs; empty: the whole guide


@dataclass(frozen=True)
class Section:
    """One `## ` part of a guide: the unit the question search answers with."""

    guide_id: str
    index: int
    heading: str
    body: str  # Markdown


@dataclass(frozen=True)
class Guide:
    id: str
    locale: str
    title: str
    menu: str
    order: int
    topics: tuple[str, ...]
    keywords: tuple[str, ...]
    sources: tuple[Source, ...]
    last_verified: dt.date
    intro: str  # Markdown before the first section
    sections: tuple[Section, ...]
    path: Path

    @property
    def topic(self) -> str:
        return self.topics[0]


@dataclass(frozen=True)
class Referral:
    """An agency officers can refer a case to (`referral:` on a contact in contacts.yaml)."""

    agency: Mapping[str, str]  # its name as the citizen reads it
    next: Mapping[str, str] | None  # what happens next, told to the citizen (optional)


@dataclass(frozen=True)
class Contact:
    id: str
    group: str
    first: bool
    name: Mapping[str, str]
    value: str
    kind: str
    note: Mapping[str, str]
    source: Source
    confidence: str
    verify: bool
    referral: Referral | None = None


@dataclass(frozen=True)
class Embassy:
    name: Mapping[str, str]
    address: str
    landmark: Mapping[str, str]
    latitude: float
    longitude: float
    location_verify: bool
    source: Source


@dataclass(frozen=True)
class Content:
    """All guides (by locale, then id), contacts and the embassy."""

    root: Path
    guides: Mapping[str, Mapping[str, Guide]]
    contacts: tuple[Contact, ...]
    embassy: Embassy

    def contact(self, contact_id: str) -> Contact:
        """The contact with this id; a KeyError names an id the content lacks."""
        for contact in self.contacts:
            if contact.id == contact_id:
                return contact
        raise KeyError(contact_id)

    def guide(self, locale: str, guide_id: str) -> Guide | None:
        return self.guides.get(locale, {}).get(guide_id)

    def menu(self, locale: str, menu: str) -> list[Guide]:
        found = [g for g in self.guides.get(locale, {}).values() if g.menu == menu]
        return sorted(found, key=lambda g: (g.order, g.id))

    def guide_for_topic(self, locale: str, topic: str) -> Guide | None:
        for guide in self.guides.get(locale, {}).values():
            if guide.topics and guide.topics[0] == topic:
                return guide
        return None


def _need(data: Mapping[str, Any], key: str, where: Path) -> Any:
    if key not in data or data[key] in (None, "", []):
        raise ContentError(f"{where}: missing `{key}`")
    return data[key]


def _source(raw: Any, where: Path) -> Source:
    if not isinstance(raw, Mapping) or not raw.get("title"):
        raise ContentError(f"{where}: every source needs a title (and a url)")
    url = str(raw.get("url") or "")
    if url and not url.startswith(("http://", "https://")):
        raise ContentError(f"{where}: source url must start with http:// or https://")
    sections = raw.get("sections") or ()
    if not isinstance(sections, list | tuple) or not all(isinstance(n, int) for n in sections):
        raise ContentError(f"{where}: a source's `sections` is a list of section numbers")
    return Source(str(raw["title"]), url, tuple(sections))


def _localised(raw: Any, key: str, where: Path) -> Mapping[str, str]:
    if not isinstance(raw, Mapping) or any(not raw.get(loc) for loc in LOCALES):
        raise ContentError(f"{where}: `{key}` needs both id and en")
    return {loc: str(raw[loc]) for loc in LOCALES}


def parse_guide(path: Path, locale: str) -> Guide:
    """Parse one guide file; raises ContentError naming the file."""
    match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise ContentError(f"{path}: no YAML front matter between --- lines")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: front matter is not valid YAML ({exc})") from None
    if not isinstance(meta, Mapping):
        raise ContentError(f"{path}: front matter must be a mapping")
    guide_id = str(_need(meta, "id", path))
    if guide_id != path.stem:
        raise ContentError(f"{path}: id `{guide_id}` differs from the file name")
    topics = tuple(str(t) for t in _need(meta, "topics", path))
    unknown = [t for t in topics if t not in TOPICS]
    if unknown:
        raise ContentError(f"{path}: unknown topic(s) {', '.join(unknown)}")
    menu = str(meta.get("menu", "none"))
    if menu not in MENUS:
        raise ContentError(f"{path}: menu must be one of {', '.join(MENUS)}")
    sources = tuple(_source(s, path) for s in _need(meta, "sources", path))
    verified = _need(meta, "last_verified", path)
    if not isinstance(verified, dt.date):
        raise ContentError(f"{path}: last_verified must be a date (YYYY-MM-DD)")
    body = match.group(2)
    parts = _SECTION_HEADING.split(body)
    intro, rest = parts[0].strip(), parts[1:]
    sections = tuple(
        Section(guide_id, i, rest[2 * i].strip(), rest[2 * i + 1].strip())
        for i in range(len(rest) // 2)
    )
    return Guide(
        id=guide_id,
        locale=locale,
        title=str(_need(meta, "title", path)),
        menu=menu,
        order=int(meta.get("order", 100)),
        topics=topics,
        keywords=tuple(str(k) for k in meta.get("keywords") or ()),
        sources=sources,
        last_verified=verified,
        intro=intro,
        sections=sections,
        path=path,
    )


def _parse_contacts(path: Path) -> tuple[tuple[Contact, ...], Embassy]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read ({exc})") from None
    kbri = _need(data, "kbri", path)
    location = _need(kbri, "location", path)
    embassy = Embassy(
        name=_localised(kbri.get("name"), "kbri.name", path),
        address=str(_need(kbri, "address", path)),
        landmark=_localised(kbri.get("landmark"), "kbri.landmark", path),
        latitude=float(_need(location, "latitude", path)),
        longitude=float(_need(location, "longitude", path)),
        location_verify=bool(location.get("verify", False)),
        source=_source(kbri.get("source"), path),
    )
    contacts = []
    for raw in _need(data, "contacts", path):
        where = Path(f"{path} [{raw.get('id', '?')}]")
        confidence = str(_need(raw, "confidence", where))
        if confidence not in CONFIDENCES:
            raise ContentError(f"{where}: confidence must be HIGH, MED or LOW")
        contacts.append(
            Contact(
                id=str(_need(raw, "id", where)),
                group=str(_need(raw, "group", where)),
                first=bool(raw.get("first", False)),
                name=_localised(raw.get("name"), "name", where),
                value=str(_need(raw, "value", where)),
                kind=str(raw.get("kind", "phone")),
                note=_localised(raw.get("note") or {"id": "-", "en": "-"}, "note", where),
                source=_source(raw.get("source"), where),
                confidence=confidence,
                verify=bool(raw.get("verify", False)),
                referral=_referral(raw.get("referral"), where),
            )
        )
    return tuple(contacts), embassy


def _referral(raw: Any, where: Path) -> Referral | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ContentError(f"{where}: `referral` is a mapping with `agency` (and `next`)")
    nxt = raw.get("next")
    return Referral(
        agency=_localised(raw.get("agency"), "referral.agency", where),
        next=None if nxt is None else _localised(nxt, "referral.next", where),
    )


def load_content(root: Path) -> Content:
    """Load every guide and contacts.yaml under `root`; raises on the first broken file."""
    guides: dict[str, dict[str, Guide]] = {}
    for locale in LOCALES:
        folder = root / "guides" / locale
        guides[locale] = {p.stem: parse_guide(p, locale) for p in sorted(folder.glob("*.md"))}
    contacts, embassy = _parse_contacts(root / "contacts.yaml")
    return Content(root=root, guides=guides, contacts=contacts, embassy=embassy)


def default_content_dir() -> Path:
    """content/ beside the bot package (a source checkout or an editable install)."""
    return Path(__file__).resolve().parent.parent / "content"
