"""Markdown and templates become Telegram HTML: escaped, valid, in the reader's words."""

from __future__ import annotations

import jinja2
import pytest

from bot.app import ReadOnlyServices
from bot.transport.telegram_html import html_to_plain
from bot.ui.render import markdown_to_html, render_mapping


def test_the_markdown_guides_use_becomes_telegram_html() -> None:
    text = """
## Paspor hilang

Lapor ke **polisi** dulu, lalu _bawa_ salinannya.
- surat polisi
* foto 4x6
1. Datang ke [KBRI](https://kemlu.go.id/phnompenh?a=1&b=2)
"""
    html = markdown_to_html(text)
    assert html.splitlines() == [
        "<b>Paspor hilang</b>",
        "",
        "Lapor ke <b>polisi</b> dulu, lalu <i>bawa</i> salinannya.",
        "• surat polisi",
        "• foto 4x6",
        '1. Datang ke <a href="https://kemlu.go.id/phnompenh?a=1&amp;b=2">KBRI</a>',
    ]
    html_to_plain(html)  # Telegram accepts it


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script> & <b>",
        "[klik](javascript:alert(1))",
        "snake_case_name and 2*3*4",
        "**tebal tanpa tutup",
        "\x00 0 \x00",
    ],
)
def test_whatever_a_guide_says_comes_out_as_html_telegram_accepts(hostile: str) -> None:
    html = markdown_to_html(hostile)
    html_to_plain(html)  # raises if Telegram would refuse it
    assert "<script>" not in html and 'href="javascript' not in html  # text, never a link


def test_a_mapping_is_read_in_the_readers_language_then_indonesian() -> None:
    both = {"id": "Darurat", "en": "Emergency"}
    assert render_mapping(both, "en") == "Emergency"
    assert render_mapping({"id": "Darurat"}, "en") == "Darurat"
    assert render_mapping({"en": "Emergency"}, "id") == "Emergency"
    assert render_mapping({}, "id") == ""


def test_templates_render_in_each_language_escape_values_and_refuse_missing_ones(
    read_only: ReadOnlyServices,
) -> None:
    renderer, catalogs = read_only.renderer, read_only.catalogs
    indonesian = renderer.render("submenu.html.j2", catalogs.get("id"), title="<A&B>", intro="x")
    english = renderer.render("language.html.j2", catalogs.get("en"))
    assert "&lt;A&amp;B&gt;" in indonesian and "\n\n\n" not in indonesian
    html_to_plain(indonesian)
    html_to_plain(english)
    assert english != renderer.render("language.html.j2", catalogs.get("id"))
    with pytest.raises(jinja2.UndefinedError):
        renderer.render("submenu.html.j2", catalogs.get("id"))
