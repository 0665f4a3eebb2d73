"""Fitting texts to Telegram's limits: measured after entity parsing, split at boundaries."""

from __future__ import annotations

import html
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.transport.telegram_html import html_to_plain
from bot.ui import limits
from bot.ui.fit import fit_html, split_html, split_plain, to_plain, trim, units, visible_length

HEAVY = "&<>\"'😀\u200f\u202e abc.\n"


def _squash(text: str) -> str:
    return "".join(text.split())


def _heavy(size: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(HEAVY) for _ in range(size))


def test_long_escaped_texts_split_into_valid_parts_that_keep_every_character() -> None:
    for size in (4_090, 8_000, 12_000):
        body = _heavy(size, seed=size)
        parts = split_html(f"<b>KBRI</b> · <code>KWN-ABC123</code>\n{html.escape(body)}")
        assert len(parts) >= size // limits.TEXT
        plain = [html_to_plain(p) for p in parts]  # each part passes Telegram's HTML checks
        assert all(units(p) <= limits.TEXT for p in plain), [units(p) for p in plain]
        assert _squash("".join(plain)) == _squash(f"KBRI · KWN-ABC123\n{body}")


def test_a_cut_never_falls_inside_a_tag_or_an_entity_and_tags_are_reopened() -> None:
    text = "<b>" + "&amp;&lt;&gt; " * 900 + "</b><i>" + "x" * 5000 + "</i>"
    parts = split_html(text, 1000)
    for part in parts:
        html_to_plain(part)  # raises on an unclosed tag or a broken entity
        assert visible_length(part) <= 1000
    assert parts[1].startswith("<b>") and parts[-1].startswith("<i>")
    assert _squash("".join(to_plain(p) for p in parts)) == _squash(to_plain(text))


def test_paragraphs_and_sentences_are_preferred_to_words() -> None:
    first = "Kalimat pertama cukup panjang. " * 20
    text = first.strip() + "\n\n" + "Paragraf kedua di sini. " * 20
    parts = split_html(text, len(first) + 50)
    assert parts[0] == first.strip()  # cut at the paragraph, not in the middle of it
    sentences = split_html("Satu dua tiga empat. Lima enam tujuh delapan sembilan.", 40)
    assert sentences[0] == "Satu dua tiga empat."
    escaped = split_html(html.escape('Kami & KBRI <cek> "dokumen" Anda. ' * 200), 4000)
    assert all(part.endswith("Anda.") for part in escaped)  # an entity's ";" ends no sentence


def test_the_first_part_can_have_its_own_limit_for_a_caption() -> None:
    parts = split_html(html.escape(_heavy(3_000)), limits.TEXT, first_limit=limits.CAPTION)
    assert visible_length(parts[0]) <= limits.CAPTION
    assert all(visible_length(p) <= limits.TEXT for p in parts)


def test_trim_shortens_a_typed_field_with_a_visible_ellipsis() -> None:
    assert trim("pendek", 20) == "pendek"
    cut = trim("😀" * 50, 11)
    assert cut.endswith("…") and units(cut) <= 11
    assert trim(None, 5) == ""


def test_fit_html_keeps_one_valid_message_and_says_it_was_cut() -> None:
    card = "<b>KWN-ABC123</b>\n" + html.escape(_heavy(9_000))
    fitted = fit_html(card)
    assert "…" in html_to_plain(fitted) and units(html_to_plain(fitted)) <= limits.TEXT
    assert fit_html("<b>kecil</b>") == "<b>kecil</b>"


def test_plain_parts_for_a_retry_without_parse_mode() -> None:
    parts = split_plain("a<b & c. " * 1_000, 500)
    assert all(units(p) <= 500 for p in parts) and "<b & c." in parts[0]


@settings(max_examples=150, deadline=None, database=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "b", "i", "code", "a"]), st.text(alphabet=HEAVY, max_size=700)
        ),
        max_size=25,
    ),
    st.integers(min_value=50, max_value=limits.TEXT),
)
def test_any_escaped_html_splits_into_parts_telegram_accepts(
    pieces: list[tuple[str, str]], limit: int
) -> None:
    chunks = []
    for tag, body in pieces:
        opening = '<a href="https://kbri.example">' if tag == "a" else f"<{tag}>" if tag else ""
        chunks.append(f"{opening}{html.escape(body)}{f'</{tag}>' if tag else ''}")
    text = "".join(chunks)
    parts = split_html(text, limit)
    for part in parts:
        assert units(html_to_plain(part)) <= limit
    assert _squash("".join(html_to_plain(p) for p in parts)) == _squash(to_plain(text))
