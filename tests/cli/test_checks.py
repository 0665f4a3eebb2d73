"""check-content: passes on the shipped content, names the file when something is wrong."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.cli.checks import check_all
from bot.content import default_content_dir
from bot.ui.i18n import default_locales_dir


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(default_content_dir(), target)
    return target


@pytest.fixture
def locales_copy(tmp_path: Path) -> Path:
    target = tmp_path / "locales"
    shutil.copytree(default_locales_dir(), target)
    return target


def _errors(content: Path, locales: Path) -> list[str]:
    return [str(p) for p in check_all(content, locales) if p.error]


def test_the_shipped_content_and_catalogs_pass() -> None:
    problems = check_all(default_content_dir(), default_locales_dir())
    assert [str(p) for p in problems if p.error] == []
    # What LOW confidence in FACTS.md demands is reported, not hidden.
    assert any("verify: true" in p.message for p in problems if not p.error)


def test_a_guide_without_sources_is_named(content_copy: Path, locales_copy: Path) -> None:
    guide = content_copy / "guides" / "id" / "overstay-denda.md"
    text = guide.read_text(encoding="utf-8")
    start = text.index("sources:")
    end = text.index("last_verified:")
    guide.write_text(text[:start] + text[end:], encoding="utf-8")
    errors = _errors(content_copy, locales_copy)
    assert errors and "overstay-denda.md" in errors[0] and "sources" in errors[0]


def test_an_untrusted_source_and_a_wrong_section_number_are_named(
    content_copy: Path, locales_copy: Path
) -> None:
    guide = content_copy / "guides" / "id" / "overstay-denda.md"
    text = guide.read_text(encoding="utf-8")
    extra = (
        "  - title: Wikipedia (mirror), some page\n    url: https://example.org/a\n"
        "  - title: A real paper\n    url: https://example.org/b\n    sections: [42]\n"
    )
    guide.write_text(text.replace("last_verified:", extra + "last_verified:", 1), encoding="utf-8")
    errors = _errors(content_copy, locales_copy)
    assert any("trust" in e and "mirror" in e for e in errors)
    assert any("section that does not exist" in e for e in errors)


def test_a_guide_without_english_counterpart_is_named(
    content_copy: Path, locales_copy: Path
) -> None:
    (content_copy / "guides" / "en" / "paspor-ditahan.md").unlink()
    errors = _errors(content_copy, locales_copy)
    assert any("paspor-ditahan.md" in e and "English" in e for e in errors)


def test_an_unknown_topic_and_a_bad_phone_number_are_named(
    content_copy: Path, locales_copy: Path
) -> None:
    guide = content_copy / "guides" / "en" / "lapor-diri.md"
    guide.write_text(
        guide.read_text(encoding="utf-8").replace("lapor_diri", "self_report", 1), encoding="utf-8"
    )
    assert any(
        "lapor-diri.md" in e and "self_report" in e for e in _errors(content_copy, locales_copy)
    )


def test_untranslated_or_broken_catalog_entries_fail(
    content_copy: Path, locales_copy: Path
) -> None:
    po = locales_copy / "id" / "LC_MESSAGES" / "bot.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Terakhir diperiksa: %(date)s"', 'msgstr "Terakhir diperiksa"')
    po.write_text(text, encoding="utf-8")
    errors = _errors(content_copy, locales_copy)
    assert any("bot.po" in e and "placeholders" in e for e in errors)


def test_stale_guides_are_warned_about(content_copy: Path, locales_copy: Path) -> None:
    later = dt.date.today() + dt.timedelta(days=400)
    problems = check_all(content_copy, locales_copy, today=later)
    assert any("last verified" in p.message and not p.error for p in problems)


def test_cli_exit_codes(
    monkeypatch: pytest.MonkeyPatch, content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    monkeypatch.setenv("CONTENT_DIR", str(content_copy))
    assert main(["check-content"]) == 0
    (content_copy / "guides" / "en" / "lapor-diri.md").unlink()
    assert main(["check-content"]) == 1
    assert "lapor-diri.md" in capsys.readouterr().out


def test_a_phrase_missing_from_the_catalog_is_named(content_copy: Path, locales_copy: Path) -> None:
    template = content_copy / "templates" / "not_sure.html.j2"
    template.write_text('{{ _("A brand new phrase nobody translated") }}\n', encoding="utf-8")
    errors = _errors(content_copy, locales_copy)
    assert any("A brand new phrase" in e and "not in the catalog" in e for e in errors)
