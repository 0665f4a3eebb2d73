"""An advisory as subscribers and officers see it: a neutral start (sealed when the text would
give the sender away), a stop button in every language, progress with the reader's numbers."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import ReadOnlyServices
from bot.context import KawanApplication
from bot.queue.notices import gives_away
from bot.safety.advisories import content_text, payloads, progress_text
from bot.storage.advisories import Advisory, Progress

T0 = datetime(2026, 6, 1, tzinfo=UTC)


def _advisory(body: str, *, total: int = 2000, cancelled: bool = False) -> Advisory:
    return Advisory(
        id=3, body=body, created_by=900, created_at=T0, confirmed_at=T0,
        cancelled_at=T0 if cancelled else None, finished_at=None, total=total,
        progress_chat_id=-100, progress_message_id=5, progress_shown=None,
    )  # fmt: skip


def test_the_text_starts_neutral_and_the_officers_words_are_escaped(
    read_only: ReadOnlyServices,
) -> None:
    text = content_text(read_only.catalogs.get("id"), _advisory("Jam buka <b>baru</b> & libur"))
    assert text.startswith("📌 Informasi baru\n\n")
    assert "&lt;b&gt;baru&lt;/b&gt; &amp; libur" in text and not gives_away(text)


def test_each_language_has_its_payload_with_a_stop_button(app: KawanApplication) -> None:
    found = payloads(app.services, _advisory("Kantor tutup hari Senin."))
    assert set(found) == {"id", "en"}
    for payload in found.values():
        assert payload["advisory"] == 3
        buttons = [b for row in payload["markup"]["inline_keyboard"] for b in row]
        assert len(buttons) == 1  # only the stop button: the text itself is neutral
    assert found["id"]["text"] != found["en"]["text"]


def test_a_text_that_names_the_sender_early_goes_sealed(app: KawanApplication) -> None:
    found = payloads(app.services, _advisory("KBRI Phnom Penh mengingatkan WNI ..."))
    sealed = found["id"]
    assert sealed["text"] == "Ada pesan baru untuk Anda." and "KBRI" not in sealed["text"]
    rows = sealed["markup"]["inline_keyboard"]
    assert len(rows) == 2 and rows[0][0]["callback_data"].endswith("3")  # Open, then stop


def test_progress_reads_in_the_officers_language_with_its_separator(
    read_only: ReadOnlyServices,
) -> None:
    t = read_only.catalogs.get("id")
    running = progress_text(t, _advisory("x"), Progress(delivered=1240, failed=0, pending=760))
    assert running == "📣 Siaran #3: 1.240 / 2.000 terkirim"
    stopped = progress_text(t, _advisory("x", cancelled=True), Progress(1240, 760, 0))
    assert stopped == "⏹ Siaran #3 dihentikan: 1.240 / 2.000 terkirim."
    done = progress_text(t, _advisory("x"), Progress(1990, 10, 0))
    assert done.startswith("✅ Siaran #3") and "1.990 / 2.000" in done and "10" in done
    english = progress_text(read_only.catalogs.get("en"), _advisory("x"), Progress(1240, 0, 760))
    assert english == "📣 Advisory #3: 1,240 / 2,000 delivered"
