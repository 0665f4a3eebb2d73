"""`python -m bot check-content`: validate content/ and locales/ before they reach a reader."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.config import LOCALES
from bot.content import TOPICS, Content, ContentError, Guide, load_content
from bot.transport.telegram_html import TelegramHTMLError, html_to_plain
from bot.ui import limits
from bot.ui.i18n import Catalogs
from bot.ui.render import TEXT_LIMIT, Renderer, split_html
from bot.understanding.estimates import load_fine_rate

STALE_AFTER_DAYS = 180
# Shown to readers as a source, these undermine trust (issue 13): an unidentified data file, a
# mirror of another site, a paste. The fact must rest on a source a reader can trust, or go.
UNTRUSTED_SOURCE = re.compile(r"third-party|repository not identified|\(mirror\)|pastebin", re.I)
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
_TAG = re.compile(r"</?[a-z-]+")
_SHORT_CODE = re.compile(r"^\d{3,4}$")


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    error: bool = True

    def __str__(self) -> str:
        return f"{self.file}: {'' if self.error else 'warning: '}{self.message}"


def check_all(content_dir: Path, locales_dir: Path, today: dt.date | None = None) -> list[Problem]:
    """Every problem found, errors and warnings; an empty list means the content is fine."""
    try:
        content = load_content(content_dir)
    except ContentError as exc:
        file, _, message = str(exc).partition(": ")
        return [Problem(file, message)]
    problems = list(_check_guides(content, today or dt.date.today()))
    try:
        load_fine_rate(content_dir)
    except ContentError as exc:
        file, _, message = str(exc).partition(": ")
        problems.append(Problem(file, message))
    problems += list(_check_contacts(content))
    problems += list(_check_catalogs(locales_dir, content.root / "templates"))
    if not any(p.error for p in problems if p.file.endswith(".po")):
        problems += list(_check_templates(content, locales_dir))
        if not any(p.error for p in problems):
            problems += list(_check_screens(content))
    return problems


def _check_guides(content: Content, today: dt.date) -> Iterator[Problem]:
    primary, other = content.guides["id"], content.guides["en"]
    for guide_id, guide in primary.items():
        twin = other.get(guide_id)
        if twin is None:
            yield Problem(str(guide.path), "no English counterpart in guides/en/")
        elif twin.topics != guide.topics or twin.menu != guide.menu:
            yield Problem(str(twin.path), "topics or menu differ from the Indonesian guide")
    for guide_id, guide in other.items():
        if guide_id not in primary:
            yield Problem(str(guide.path), "no Indonesian counterpart in guides/id/")
    for locale in LOCALES:
        for guide in content.guides[locale].values():
            yield from _check_guide(guide, today)
    covered = {t for g in primary.values() for t in g.topics}
    for topic in TOPICS:
        if topic not in covered:
            yield Problem(str(content.root / "guides" / "id"), f"no guide answers topic `{topic}`")


def _check_guide(guide: Guide, today: dt.date) -> Iterator[Problem]:
    if (today - guide.last_verified).days > STALE_AFTER_DAYS:
        age = (today - guide.last_verified).days
        yield Problem(
            str(guide.path), f"last verified {age} days ago: check the facts again", False
        )
    if guide.last_verified > today:
        yield Problem(str(guide.path), "last_verified is in the future")
    if not guide.sections:
        yield Problem(str(guide.path), "has no `## ` sections")
    for source in guide.sources:
        if not source.url:
            yield Problem(str(guide.path), f"source without url: {source.title}", False)
        if UNTRUSTED_SOURCE.search(source.title):
            yield Problem(str(guide.path), f"a source no reader should trust: {source.title[:60]}")
        if any(not 1 <= n <= len(guide.sections) for n in source.sections):
            yield Problem(
                str(guide.path), f"source names a section that does not exist: {source.title[:60]}"
            )
    if "<" in guide.intro + "".join(s.body for s in guide.sections):
        yield Problem(str(guide.path), "contains raw HTML (it would be shown escaped)", False)


def _check_contacts(content: Content) -> Iterator[Problem]:
    path = str(content.root / "contacts.yaml")
    if content.embassy.location_verify:
        yield Problem(path, "kbri.location is marked verify: true", False)
    for contact in content.contacts:
        where = f"{path} [{contact.id}]"
        if contact.verify:
            yield Problem(where, "marked verify: true: confirm before deployment", False)
        if contact.kind in ("phone", "whatsapp") and not _phone_ok(contact.value):
            yield Problem(where, f"phone number {contact.value!r} does not parse")


def _phone_ok(value: str) -> bool:
    digits = re.sub(r"[\s-]", "", value)
    if _SHORT_CODE.match(digits):
        return True  # emergency short codes such as 117
    region = None if digits.startswith("+") else ("ID" if digits.startswith("08") else "KH")
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(number)


def source_msgids(templates: Path) -> set[str]:
    """Every UI phrase the code and templates ask gettext for (what `pybabel extract` finds)."""
    keywords = {**DEFAULT_KEYWORDS, "N_": None, "t": None, "ct": None, "ot": None}
    found: set[str] = set()
    code = Path(__file__).resolve().parents[1]
    for folder, method in ((code, "python"), (templates, "jinja2")):
        pattern = "**.py" if method == "python" else "**.j2"
        options = {pattern: {"extensions": "jinja2.ext.i18n"}} if method == "jinja2" else {}
        for _, _, message, _, _ in extract_from_dir(folder, [(pattern, method)], options, keywords):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _check_catalogs(locales_dir: Path, templates: Path) -> Iterator[Problem]:
    wanted = source_msgids(templates)
    for locale in LOCALES:
        path = locales_dir / locale / "LC_MESSAGES" / "bot.po"
        if not path.is_file():
            yield Problem(str(path), "catalog missing")
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        for msgid in sorted(wanted - known):
            yield Problem(
                str(path), f"not in the catalog (run pybabel extract/update): {msgid[:60]!r}"
            )
        for message in catalog:
            if not message.id:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            strings = message.string or ""
            msgstr = strings if isinstance(strings, str) else strings[0]
            if not msgstr or message.fuzzy:
                yield Problem(str(path), f"untranslated: {msgid[:60]!r}")
                continue
            if sorted(_PLACEHOLDER.findall(msgid)) != sorted(_PLACEHOLDER.findall(msgstr)):
                yield Problem(str(path), f"placeholders differ in {msgid[:60]!r}")
            if sorted(_TAG.findall(msgid)) != sorted(_TAG.findall(msgstr)):
                yield Problem(str(path), f"HTML tags differ in {msgid[:60]!r}")


def _check_screens(content: Content) -> Iterator[Problem]:
    """Every template, rendered by the real bot on a scripted visit, in both languages."""
    from bot.cli.tour import tour  # builds the whole Application: only when check-content runs

    templates = content.root / "templates"
    names = {p.name for p in templates.glob("*.j2") if not p.name.startswith("_")}
    for locale in LOCALES:
        report = tour(content.root, locale)
        for name in sorted(names - report.rendered):
            yield Problem(str(templates / name), f"never shown on the {locale} tour of screens")
        for error in report.errors:
            yield Problem(str(templates), f"a screen failed in {locale}: {error}")
        for method in report.too_long:
            yield Problem(
                str(templates), f"{method} over Telegram's {limits.TEXT} characters in {locale}"
            )


def _check_templates(content: Content, locales_dir: Path) -> Iterator[Problem]:
    catalogs = Catalogs.load(locales_dir, "id")
    renderer = Renderer(content.root / "templates", catalogs)
    for locale in LOCALES:
        t = catalogs.get(locale)
        for guide in content.guides[locale].values():
            html = renderer.render("guide.html.j2", t, guide=guide)
            for part in split_html(html, TEXT_LIMIT - 200):
                try:
                    html_to_plain(part)
                except TelegramHTMLError as exc:
                    yield Problem(str(guide.path), f"renders to HTML Telegram refuses: {exc}")
            for section in (None, *guide.sections):
                answer = renderer.render(
                    "answer.html.j2", t, guide=guide, section=section, estimate=None
                )
                if len(answer) > TEXT_LIMIT - 300:
                    where = f"{guide.path} [{section.heading if section else 'intro'}]"
                    yield Problem(where, "section is too long to be shown as one answer")
