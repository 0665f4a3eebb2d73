"""Danger detection: many ways of saying "I am in danger" are caught; ordinary questions are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import ReadOnlyServices
from bot.understanding.danger import DangerDetector, DangerHit

# (message as people write it in a hurry, the kind we expect)
URGENT: list[tuple[str, str]] = [
    # held, locked up, not allowed to leave
    ("tolong saya disekap di kompleks", "held"),
    ("boss keep my passport and dont give back", "passport_taken"),
    ("sy dikurung di kamar gak boleh keluar", "held"),
    ("kami gk bisa keluar dr gedung dijaga satpam", "held"),
    ("aku ditahan di kompleks sihanoukville", "held"),
    ("gk dikasih pulang sama bos", "held"),
    ("bos ga ngebolehin kami keluar", "held"),
    ("kami mau kabur tp dijaga terus", "held"),
    ("sy kabur dr kompleks skrg sembunyi", "held"),
    ("hp sy disita ini pinjam hp teman", "held"),
    ("dipaksa nipu orang tiap hari", "held"),
    ("aku terjebak di perusahaan scam", "held"),
    ("kami disekapp", "held"),
    ("kami di sekap di lantai 3", "held"),
    ("we are locked in the building", "held"),
    ("i am being held against my will", "held"),
    ("we cannot leave the compound", "held"),
    ("they wont let us go", "held"),
    # beaten, tortured, electric shock
    ("aku dipukulin mandor tiap hari", "violence"),
    ("temen sy disetrum krn gk capai target", "violence"),
    ("kami disiksa kalau gak dapat target", "violence"),
    ("dia ditampar terus ditendang", "violence"),
    ("disetrm", "violence"),
    ("sy di pukul", "violence"),
    ("dipukil trs tiap hari", "violence"),
    ("they beat me", "violence"),
    ("electric shock if we miss the target", "violence"),
    # threatened, sold
    ("bos ngancam sy", "threat"),
    ("they threatened to kill me", "threat"),
    ("katanya sy udah dijual ke PT lain", "sold"),
    ("sy mau dijual ke kompleks lain", "sold"),
    ("i was sold to another company", "sold"),
    ("bos minta tebusan 5000 dolar biar bisa pulang", "sold"),
    # passport taken
    ("paspor sy diambil bos dan gk dibalikin", "passport_taken"),
    ("bos nahan paspor kami semua", "passport_taken"),
    ("pasporku disita perusahaan", "passport_taken"),
    ("they took my passport", "passport_taken"),
    ("my employer is holding my passport", "passport_taken"),
    # sick, dying, no medical care
    ("teman sy sakit parah gk dibawa ke rumah sakit", "medical"),
    ("ada yg pingsan di mess gk dikasih obat", "medical"),
    ("sy sesak napas butuh dokter", "medical"),
    ("teman sekamar meninggal kemarin", "medical"),
    ("my friend is very sick and nobody helps", "medical"),
    # pregnancy, bleeding, unconsciousness, overdose, self-harm
    ("istri saya hamil dan pendarahan", "medical"),
    ("tmn sy keguguran di mess", "medical"),
    ("dia pingsan tdk sadarkan diri dari tadi", "medical"),
    ("teman sy overdosis obat", "medical"),
    ("my wife is pregnant and bleeding", "medical"),
    ("my friend took an overdose and is not waking up", "medical"),
    # a child
    ("anak sy masih 16 thn dibawa ke kamboja", "child"),
    ("ada anak dibawah umur disini", "child"),
    ("my son is 15 years old", "child"),
    # suicide
    ("sy pengen bunuh diri aja", "suicide"),
    ("gak kuat lagi mending mati", "suicide"),
    ("i want to kill myself", "suicide"),
    # a plea for help
    ("TOLONG", "sos"),
    ("tolongggg", "sos"),
    ("SOS", "sos"),
    ("darurat!!!", "sos"),
    ("tolong kami", "sos"),
    ("help", "sos"),
    ("help me please", "sos"),
]

CALM: list[str] = [
    "saya lagi hamil, boleh kerja di kamboja?",
    "overstay sebulan setengah dendanya brp",
    "berapa denda overstay",
    "brp denda overstay 2 bln",
    "cara perpanjang visa",
    "apa itu fpcs",
    "nomor darurat kamboja brp",
    "tombol darurat di aplikasi safe travel buat apa",
    "alamat kbri dmn",
    "apa itu splp",
    "cara lapor diri",
    "gaji di kamboja brp",
    "visa sy udh habis",
    "kalau overstay apakah saya akan ditahan",
    "bagaimana cara pulang ke indonesia",
    "tiket pesawat ke jakarta brp",
    "ciri2 loker palsu",
    "kerja di kamboja legal gk",
    "halo",
    "makasih kak",
    "sy mau tanya soal visa",
    "cara bayar denda overstay",
    "paspor sudah bisa diambil di kbri?",
    "what is the fine for overstaying",
    "how do i extend my visa",
    "can i work with a tourist visa",
    "where is the indonesian embassy",
    "tolong info syarat e-visa dong makasih",
    "denda overstay dibayar dimana",
    "gaji sy ditahan perusahaan",
    "sy tinggal di kompleks apartemen",
    "passport stolen, how much the emergency passport cost",
]


@pytest.fixture(scope="module")
def detector(read_only: ReadOnlyServices) -> DangerDetector:
    """The bot's detector with the real content/danger.yaml (loaded once per test session)."""
    return read_only.danger


@pytest.mark.parametrize(("text", "kind"), URGENT)
def test_danger_is_caught_however_it_is_written(
    detector: DangerDetector, text: str, kind: str
) -> None:
    hit = detector.check(text)
    assert hit is not None, text
    assert hit.kind == kind


@pytest.mark.parametrize("text", CALM)
def test_ordinary_questions_raise_no_alarm(detector: DangerDetector, text: str) -> None:
    assert detector.check(text) is None


def test_a_lost_passport_is_a_routine_question_not_danger(detector: DangerDetector) -> None:
    # Losing a passport (or having it stolen) is an SPLP errand; a *taken* passport is control.
    assert detector.check("paspor saya hilang") is None
    assert detector.check("paspor sy dicuri di pasar") is None
    assert detector.check("i lost my passport") is None


def test_plain_question_about_passport_held_by_employer_is_urgent_by_design(
    detector: DangerDetector,
) -> None:
    # Favour recall: asking whether a boss may keep your passport usually means one does.
    hit = detector.check("apakah perusahaan boleh menahan paspor karyawan?")
    assert hit == DangerHit("passport_taken", "perusahaan boleh menahan paspor")


def test_the_quote_is_the_writers_own_words(detector: DangerDetector) -> None:
    text = "Pak, TOLONG... kami DISEKAP di lantai 5, hp mau diambil"
    hit = detector.check(text)
    assert hit is not None
    assert hit.quote in text
    assert hit.quote == "DISEKAP"


def test_danger_inside_a_long_message_is_still_found(detector: DangerDetector) -> None:
    text = (
        "Selamat malam. " * 200 + "kami dipukul kalau tidak capai target. " + "Terima kasih. " * 50
    )
    hit = detector.check(text)
    assert hit is not None
    assert hit.kind == "violence"


def test_kinds_follow_the_file_order(detector: DangerDetector) -> None:
    # Suicide comes before a plain plea: the officer sees the gravest sign first.
    hit = detector.check("tolong saya mau bunuh diri")
    assert hit is not None
    assert hit.kind == "suicide"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_check_never_raises(detector: DangerDetector, text: str) -> None:
    hit = detector.check(text)
    assert hit is None or hit.quote


def test_danger_file_without_kinds_is_refused(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "synonyms.yaml").write_text("id:\n  words: {}\n")
    (tmp_path / "danger.yaml").write_text("phrases: [disekap]\n")
    with pytest.raises(ValueError, match="kinds"):
        DangerDetector.load(tmp_path)


def test_editors_can_add_a_phrase_with_its_options(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "synonyms.yaml").write_text("id:\n  words:\n    gk: tidak\n")
    (tmp_path / "danger.yaml").write_text(
        "kinds:\n"
        "  held:\n"
        "    - phrase: gk boleh pulang\n"
        "      gap: 3\n"
        "      unless: [kalau]\n"
        "  child:\n"
        "    - umur 0..17\n"
    )
    detector = DangerDetector.load(tmp_path)
    assert detector.check("kami tidak pernah boleh pulang") == DangerHit(
        "held", "tidak pernah boleh pulang"
    )
    assert detector.check("kalau tidak boleh pulang gmn") is None
    assert detector.check("umur 16") == DangerHit("child", "umur 16")
    assert detector.check("umur 30") is None
