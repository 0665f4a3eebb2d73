"""Question search: real guides, questions as people type them, the "not sure" path, ask's JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bot.understanding.search
from bot.app import ReadOnlyServices
from bot.content import Content
from bot.understanding.search import Answer, QuestionIndex, ask_json

# (question as people type it, expected topic)
INFORMAL: list[tuple[str, str]] = [
    # visa_entry
    ("wni ke kamboja perlu visa gak", "visa_entry"),
    ("brp hari boleh tinggal di kamboja tanpa visa", "visa_entry"),
    ("bebas visa kamboja brp lama?", "visa_entry"),
    ("cara bikin e-visa kamboja", "visa_entry"),
    ("visa on arrival kamboja berapa harganya", "visa_entry"),
    ("masuk kamboja lewat darat paspor hrs dicap gk", "visa_entry"),
    ("syarat masuk kamboja utk wni apa aja", "visa_entry"),
    ("evisa kamboja yg resmi website nya apa", "visa_entry"),
    ("beda visa T sama visa E apa", "visa_entry"),
    ("mau liburan ke phnom penh perlu visa?", "visa_entry"),
    ("do indonesians need a visa to enter cambodia", "visa_entry"),
    ("how long can i stay in cambodia without a visa", "visa_entry"),
    ("how much is the cambodia e-visa", "visa_entry"),
    # overstay_fines
    ("brp denda overstay 2 bln", "overstay_fines"),
    ("denda overstay kamboja sehari berapa", "overstay_fines"),
    ("visa sy udh habis 10 hari, dendanya brp", "overstay_fines"),
    ("kalau overstay tp gk punya uang buat bayar denda gmn", "overstay_fines"),
    ("izin tinggal sy lewat seminggu kena denda brp?", "overstay_fines"),
    ("apakah denda overstay bisa dihapus", "overstay_fines"),
    ("overstay setahun bisa dipenjara ga", "overstay_fines"),
    ("sy udah overstay 5 bulan takut ketahuan", "overstay_fines"),
    ("visa mati 3 minggu apa kena denda", "overstay_fines"),
    ("what is the fine for overstaying in cambodia", "overstay_fines"),
    ("i overstayed my visa 20 days how much do i pay", "overstay_fines"),
    ("can the overstay fine be waived", "overstay_fines"),
    # visa_extension
    ("cara perpanjang visa di kamboja", "visa_extension"),
    ("visa turis bisa diperpanjang berapa kali", "visa_extension"),
    ("visa E bisa diperpanjang 1 tahun?", "visa_extension"),
    ("mau extend visa dmn ngurusnya", "visa_extension"),
    ("biaya perpanjangan visa kamboja brp", "visa_extension"),
    ("visa sy mau habis minggu depan, bisa diperpanjang gk", "visa_extension"),
    ("perpanjangan visa sy ditolak knp ya", "visa_extension"),
    ("visa EB itu apa", "visa_extension"),
    ("how do i extend my visa in cambodia", "visa_extension"),
    ("can i renew my tourist visa in phnom penh", "visa_extension"),
    # fpcs_registration
    ("apa itu fpcs", "fpcs_registration"),
    ("pemilik kos harus daftarin sy ke fpcs?", "fpcs_registration"),
    ("katanya sy blm terdaftar fpcs makanya visa gk bisa diperpanjang", "fpcs_registration"),
    ("landlord gk mau lapor alamat sy ke imigrasi, gmn", "fpcs_registration"),
    ("cara daftar fpcs sendiri lewat aplikasi", "fpcs_registration"),
    ("hotel wajib lapor tamu asing dlm 24 jam?", "fpcs_registration"),
    ("pindah kos hrs lapor alamat baru ga", "fpcs_registration"),
    ("what is fpcs registration", "fpcs_registration"),
    ("does my landlord have to register me with immigration", "fpcs_registration"),
    # work_permit
    ("gmn cara dapat izin kerja di kamboja", "work_permit"),
    ("kerja di kamboja tanpa work permit bahaya gk", "work_permit"),
    ("biaya work permit kamboja brp per tahun", "work_permit"),
    ("perusahaan gk buatin izin kerja, sy bisa kena apa", "work_permit"),
    ("boleh gk kerja pake visa turis", "work_permit"),
    ("kartu kerja kamboja diurus dmn", "work_permit"),
    ("izin kerja sy udh habis hrs diperpanjang kapan", "work_permit"),
    ("do i need a work permit to work in cambodia", "work_permit"),
    ("how much does a cambodian work permit cost", "work_permit"),
    # passport_held
    ("paspor sy ditahan bos gmn", "passport_held"),
    ("perusahaan nahan paspor saya, boleh gk sih", "passport_held"),
    ("bos gak mau balikin paspor", "passport_held"),
    ("hrd minta paspor disimpan di kantor, itu legal?", "passport_held"),
    ("paspor diambil agen dan gk dikembalikan", "passport_held"),
    ("gmn cara minta paspor balik dr perusahaan", "passport_held"),
    ("pasport sy dipegang majikan", "passport_held"),
    ("my employer kept my passport what can i do", "passport_held"),
    ("is it legal for my boss to hold my passport", "passport_held"),
    # lost_passport_splp
    ("paspor sy ilang di phnom penh gmn", "lost_passport_splp"),
    ("apa itu splp", "lost_passport_splp"),
    ("cara bikin splp di kbri", "lost_passport_splp"),
    ("paspor dicuri, syarat buat surat perjalanan laksana paspor apa aja", "lost_passport_splp"),
    ("paspor rusak kena air bisa diganti?", "lost_passport_splp"),
    ("dokumen apa aja buat ngurus splp", "lost_passport_splp"),
    ("kehilangan paspor di kamboja hrs lapor polisi dulu?", "lost_passport_splp"),
    ("i lost my passport in cambodia what should i do", "lost_passport_splp"),
    ("my passport was stolen, how do i get an emergency travel document", "lost_passport_splp"),
    # deportation_detention
    ("kalau dideportasi dari kamboja bisa balik lagi gk", "deportation_detention"),
    ("brp tahun dilarang masuk kamboja setelah deportasi", "deportation_detention"),
    ("apa itu blacklist imigrasi kamboja", "deportation_detention"),
    ("kena razia polisi di kompleks, nanti dideportasi?", "deportation_detention"),
    ("tahanan imigrasi di phnom penh itu dmn", "deportation_detention"),
    ("sy dipaksa nipu, nanti di indonesia dipenjara gk", "deportation_detention"),
    ("what happens if i get deported from cambodia", "deportation_detention"),
    ("how long is the entry ban after deportation", "deportation_detention"),
    # going_home
    ("gmn caranya pulang ke indonesia, gk ada uang buat tiket", "going_home"),
    ("apakah kbri bisa bantu biaya pulang", "going_home"),
    ("udh keluar dr perusahaan, skrg mau pulang ke indo gmn", "going_home"),
    ("exit permit itu apa, perlu buat pulang?", "going_home"),
    ("brp lama proses pemulangan dr kamboja", "going_home"),
    ("sy pengen balik ke indonesia secepatnya", "going_home"),
    ("nunggu pulang tinggal dmn, ada penampungan?", "going_home"),
    ("how can i go home to indonesia", "going_home"),
    ("i want to return to indonesia but have no money", "going_home"),
    # scam_warning_signs
    ("ciri2 lowongan kerja penipuan di kamboja", "scam_warning_signs"),
    ("tanda tanda loker palsu apa aja", "scam_warning_signs"),
    ("ditawarin kerja admin gaji 1000 dolar tiket dibayarin, aman gk", "scam_warning_signs"),
    ("knp banyak wni ketipu kerja di kamboja", "scam_warning_signs"),
    ("disuruh berangkat lewat bangkok terus ke poipet, bahaya gk", "scam_warning_signs"),
    ("kerja jadi cs judol di kamboja itu scam ya", "scam_warning_signs"),
    ("markas online scam di kamboja dmn aja", "scam_warning_signs"),
    ("how to spot a fake job offer in cambodia", "scam_warning_signs"),
    ("what are the red flags of a scam job", "scam_warning_signs"),
    # job_offer_legality
    ("kerja ke kamboja lewat jalur resmi bisa gk", "job_offer_legality"),
    ("ada gk penempatan pmi resmi ke kamboja", "job_offer_legality"),
    ("agen bilang legal, emang kerja di kamboja resmi?", "job_offer_legality"),
    ("cara cek agen penyalur kerja resmi atau bukan", "job_offer_legality"),
    ("perekrut yg ngirim sy ke kamboja bisa dipidana gk", "job_offer_legality"),
    ("berangkat kerja non prosedural itu maksudnya apa", "job_offer_legality"),
    ("is it legal for indonesians to work in cambodia", "job_offer_legality"),
    ("is there an official way to get a job in cambodia", "job_offer_legality"),
    # contact_kbri
    ("alamat kbri phnom penh dmn", "contact_kbri"),
    ("no telp kbri kamboja brp", "contact_kbri"),
    ("cara menghubungi kedutaan indonesia di kamboja", "contact_kbri"),
    ("ada org ngaku kbri minta transfer uang, itu beneran?", "contact_kbri"),
    ("kbri bisa bantu apa aja", "contact_kbri"),
    ("wa kbri phnom penh", "contact_kbri"),
    ("how do i contact the indonesian embassy in phnom penh", "contact_kbri"),
    ("where is the indonesian embassy in cambodia", "contact_kbri"),
    # emergency_numbers
    ("nomor polisi kamboja brp", "emergency_numbers"),
    ("nomor darurat di kamboja apa aja", "emergency_numbers"),
    ("sy sakit parah hrs ke rumah sakit mana", "emergency_numbers"),
    ("hotline perdagangan orang di kamboja ada gk", "emergency_numbers"),
    ("telp darurat kalau dlm bahaya", "emergency_numbers"),
    ("what is the police number in cambodia", "emergency_numbers"),
    ("emergency numbers cambodia", "emergency_numbers"),
    # report_relative
    ("adik sy hilang kontak di kamboja, lapor kemana", "report_relative"),
    ("anak sy kerja di kamboja udh 2 minggu gk ada kabar", "report_relative"),
    ("cara melaporkan keluarga yg jadi korban di kamboja", "report_relative"),
    ("ada yg minta uang tebusan buat bebasin suami sy, hrs bayar?", "report_relative"),
    ("data apa aja yg dibutuhin buat lapor keluarga hilang", "report_relative"),
    ("suami sy di kamboja hp nya gk aktif", "report_relative"),
    ("my brother is missing in cambodia how do i report it", "report_relative"),
    ("we lost contact with our daughter in cambodia", "report_relative"),
    # lapor_diri
    ("apa itu lapor diri", "lapor_diri"),
    ("cara lapor diri di peduli wni", "lapor_diri"),
    ("wajib lapor diri gk kalau tinggal di kamboja", "lapor_diri"),
    ("link portal peduliwni apa", "lapor_diri"),
    ("aplikasi safe travel buat apa", "lapor_diri"),
    ("lapor diri online gmn caranya", "lapor_diri"),
    ("how do i register with the indonesian embassy online", "lapor_diri"),
]

# Article-style and narrative questions, the other way people ask (written for these tests).
ARTICLE_STYLE: list[tuple[str, str]] = [
    ("Apakah warga Indonesia memerlukan visa untuk berkunjung ke Kamboja?", "visa_entry"),
    ("Berapa lama WNI boleh tinggal di Kamboja dengan fasilitas bebas visa?", "visa_entry"),
    ("Bagaimana prosedur pengajuan e-Visa Kamboja secara online?", "visa_entry"),
    ("Mengapa cap masuk di paspor penting saat melintasi perbatasan darat?", "visa_entry"),
    ("Is a visa on arrival available at Phnom Penh airport?", "visa_entry"),
    (
        "Berapa besaran denda bagi orang asing yang melewati masa izin tinggal di Kamboja?",
        "overstay_fines",
    ),
    (
        "Apa konsekuensi hukum jika seseorang tinggal melebihi batas waktu visanya?",
        "overstay_fines",
    ),
    (
        "Banyak WNI korban online scam terjerat denda overstay ribuan dolar. Apakah denda itu "
        "bisa dihapuskan?",
        "overstay_fines",
    ),
    ("How much is the daily penalty for overstaying a Cambodian visa?", "overstay_fines"),
    ("Bagaimana cara memperpanjang izin tinggal di Kamboja?", "visa_extension"),
    ("Jenis perpanjangan visa E apa saja yang tersedia bagi pekerja asing?", "visa_extension"),
    ("Di mana kantor imigrasi tempat mengurus perpanjangan visa?", "visa_extension"),
    ("Can a tourist visa be extended more than once in Cambodia?", "visa_extension"),
    ("Apa yang dimaksud dengan sistem FPCS yang diterapkan imigrasi Kamboja?", "fpcs_registration"),
    (
        "Siapa yang bertanggung jawab melaporkan keberadaan orang asing dalam 24 jam?",
        "fpcs_registration",
    ),
    (
        "Mengapa perpanjangan visa ditolak bagi orang asing yang belum terdaftar?",
        "fpcs_registration",
    ),
    ("Who must register foreign tenants in the FPCS system?", "fpcs_registration"),
    ("Apa saja persyaratan untuk memperoleh izin kerja di Kamboja?", "work_permit"),
    ("Berapa biaya kartu kerja tahunan bagi pekerja asing di Kamboja?", "work_permit"),
    ("Apa sanksi bagi orang asing yang bekerja tanpa izin kerja?", "work_permit"),
    ("What are the penalties for working without a work permit in Cambodia?", "work_permit"),
    ("Bolehkah perusahaan menyimpan paspor karyawan asingnya?", "passport_held"),
    (
        "Paspor para pekerja disita oleh pihak perusahaan sejak hari pertama. Apa yang bisa "
        "dilakukan?",
        "passport_held",
    ),
    ("Is it against the law for an employer to confiscate a worker's passport?", "passport_held"),
    ("Bagaimana cara mengurus Surat Perjalanan Laksana Paspor di KBRI?", "lost_passport_splp"),
    ("Dokumen apa yang diperlukan untuk membuat SPLP jika paspor hilang?", "lost_passport_splp"),
    ("What should an Indonesian do if their passport is lost abroad?", "lost_passport_splp"),
    ("Apa alasan seorang warga asing dideportasi dari Kamboja?", "deportation_detention"),
    (
        "Di mana para WNI ditahan sebelum dipulangkan oleh imigrasi Kamboja?",
        "deportation_detention",
    ),
    (
        "Apakah korban yang dipaksa menjadi scammer akan dipidana setibanya di Indonesia?",
        "deportation_detention",
    ),
    ("How long is a deportee banned from re-entering Cambodia?", "deportation_detention"),
    ("Bagaimana proses pemulangan WNI dari Kamboja ke tanah air?", "going_home"),
    ("Apakah WNI yang tidak memegang paspor tetap bisa dipulangkan?", "going_home"),
    (
        "Saya sudah keluar dari perusahaan itu dan sekarang tinggal di penginapan. Uang saya "
        "tinggal sedikit. Bagaimana supaya bisa pulang?",
        "going_home",
    ),
    ("How do stranded Indonesians get repatriated from Cambodia?", "going_home"),
    (
        "Seperti apa modus perekrutan pekerja untuk sindikat penipuan daring di Kamboja?",
        "scam_warning_signs",
    ),
    ("Apa saja ciri lowongan kerja luar negeri yang patut dicurigai?", "scam_warning_signs"),
    (
        "Mengapa banyak anak muda tergiur tawaran kerja bergaji tinggi di Kamboja?",
        "scam_warning_signs",
    ),
    ("What are the warning signs of online scam recruitment?", "scam_warning_signs"),
    (
        "Apakah Kamboja termasuk negara tujuan penempatan pekerja migran Indonesia?",
        "job_offer_legality",
    ),
    ("Bagaimana prosedur resmi bekerja ke luar negeri melalui P3MI?", "job_offer_legality"),
    (
        "Apakah perekrut yang memberangkatkan pekerja secara ilegal bisa dijerat pidana?",
        "job_offer_legality",
    ),
    ("Can Indonesians legally be placed as migrant workers in Cambodia?", "job_offer_legality"),
    ("Bagaimana cara menghubungi Kedutaan Besar Republik Indonesia di Phnom Penh?", "contact_kbri"),
    ("Bantuan apa saja yang diberikan KBRI kepada WNI bermasalah?", "contact_kbri"),
    ("Waspada penipuan mengatasnamakan KBRI: bagaimana cara mengenalinya?", "contact_kbri"),
    ("What is the address of the Indonesian embassy in Cambodia?", "contact_kbri"),
    (
        "Nomor telepon apa yang harus dihubungi dalam keadaan darurat di Kamboja?",
        "emergency_numbers",
    ),
    ("Ke rumah sakit mana WNI yang terluka di Phnom Penh bisa dibawa?", "emergency_numbers"),
    ("Which number should I call for the police in Cambodia?", "emergency_numbers"),
    (
        "Anak saya berangkat ke Kamboja tiga bulan lalu dan sejak itu tidak pernah memberi "
        "kabar. Ke mana kami harus melapor?",
        "report_relative",
    ),
    (
        "Keluarga korban diminta uang tebusan puluhan juta agar anaknya dibebaskan. Apa yang "
        "harus dilakukan?",
        "report_relative",
    ),
    (
        "Informasi apa yang perlu disiapkan keluarga saat melaporkan kerabat yang hilang di luar "
        "negeri?",
        "report_relative",
    ),
    (
        "How can families in Indonesia report a relative trapped in a scam compound?",
        "report_relative",
    ),
    ("Apa manfaat melakukan lapor diri bagi WNI di luar negeri?", "lapor_diri"),
    ("Bagaimana cara mendaftar melalui portal Peduli WNI?", "lapor_diri"),
    ("Apa fungsi tombol darurat di aplikasi Safe Travel?", "lapor_diri"),
    ("Why should Indonesians abroad register with their embassy?", "lapor_diri"),
]

# Greetings, tests and questions no guide answers: the bot must say it is not sure.
UNCLEAR: list[str] = [
    "halo",
    "test",
    "tes tes",
    "apa kabar",
    "p",
    "selamat pagi kak",
    "makasih ya",
    "ok",
    "hello",
    "how are you",
    "pisang goreng enak",
    "resep rendang padang",
    "siapa juara piala dunia",
    "asdfgh qwerty",
    "cuaca besok gimana",
    "hehe",
    "wkwkwk",
    # subjects no guide covers (synonyms.yaml `unanswered`)
    "biaya pemulangan jenazah dari kamboja brp",
    "cara bayar pajak di kamboja",
    "can i get married in cambodia",
]


@pytest.fixture(scope="module")
def content(read_only: ReadOnlyServices) -> Content:
    """The real guides in content/ (loaded once per test session)."""
    return read_only.content


@pytest.fixture(scope="module")
def index(read_only: ReadOnlyServices) -> QuestionIndex:
    """The bot's own index, built once per test session as the bot builds it at start-up."""
    return read_only.search


def _topics(answers: list[Answer]) -> list[str]:
    return [a.topic for a in answers]


def test_informal_questions_meet_the_accuracy_targets(index: QuestionIndex) -> None:
    top1 = top3 = 0
    missed = []
    for text, topic in INFORMAL:
        topics = _topics(index.ask(text, locale="auto"))
        top1 += bool(topics) and topics[0] == topic
        top3 += topic in topics
        if not topics or topics[0] != topic:
            missed.append((text, topic, topics))
    assert top1 / len(INFORMAL) >= 0.85, missed
    assert top3 / len(INFORMAL) >= 0.95, missed


def test_article_style_questions_meet_the_accuracy_targets(index: QuestionIndex) -> None:
    topics = [_topics(index.ask(text, locale="auto")) for text, _ in ARTICLE_STYLE]
    wanted = [topic for _, topic in ARTICLE_STYLE]
    top1 = sum(bool(got) and got[0] == want for got, want in zip(topics, wanted, strict=True))
    top3 = sum(want in got for got, want in zip(topics, wanted, strict=True))
    assert top1 / len(wanted) >= 0.85
    assert top3 / len(wanted) >= 0.95


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("brp denda overstay 2 bln", "overstay_fines"),
        ("paspor sy ditahan bos gmn pulang", "passport_held"),
        ("gmn cara perpanjang visa", "visa_extension"),
        ("apa itu splp", "lost_passport_splp"),
        ("alamat kbri dmn", "contact_kbri"),
        ("nomor polisi kamboja", "emergency_numbers"),
        ("cara lapor diri", "lapor_diri"),
        ("apa itu fpcs", "fpcs_registration"),
    ],
)
def test_everyday_questions_get_their_guide_first_and_confidently(
    index: QuestionIndex, text: str, topic: str
) -> None:
    answers = index.ask(text)
    assert answers[0].topic == topic
    assert index.is_confident(answers)


def test_expired_visa_offers_both_overstay_and_extension(index: QuestionIndex) -> None:
    topics = _topics(index.ask("visa sy udh habis"))
    assert "overstay_fines" in topics
    assert topics[0] in {"overstay_fines", "visa_extension"}


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("pasport sy ilang", "lost_passport_splp"),
        ("dendda overstey brp", "overstay_fines"),
        ("perpnjang visa dmn", "visa_extension"),
        ("izin kerjaa kamboja", "work_permit"),
        ("TOLONGGG paspor sy DITAHAN bos", "passport_held"),
        ("lapor dirii gmna caranya", "lapor_diri"),
    ],
)
def test_typos_slang_and_shouting_still_find_the_guide(
    index: QuestionIndex, text: str, topic: str
) -> None:
    assert _topics(index.ask(text))[0] == topic


@pytest.mark.parametrize("text", UNCLEAR)
def test_unclear_text_takes_the_not_sure_path(index: QuestionIndex, text: str) -> None:
    answers = index.ask(text, locale="auto")
    assert not index.is_confident(answers)
    assert all(not a.confident for a in answers)


def test_answer_shows_the_section_that_answers_the_question(
    index: QuestionIndex, content: Content
) -> None:
    answer = index.ask("berapa denda overstay per hari")[0]
    guide = content.guides["id"][answer.guide_id]
    assert answer.section_index is not None
    assert "denda" in guide.sections[answer.section_index].heading.lower()


def test_answers_are_ranked_bounded_and_one_per_guide(index: QuestionIndex) -> None:
    for text, _ in INFORMAL[::7]:
        answers = index.ask(text, limit=3)
        assert 1 <= len(answers) <= 3
        assert len({a.guide_id for a in answers}) == len(answers)
        scores = [a.score for a in answers]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
    assert len(index.ask("denda overstay", limit=1)) == 1
    assert index.ask("denda overstay", limit=0) == []


def test_topic_is_the_guides_main_topic(index: QuestionIndex, content: Content) -> None:
    for answer in index.ask("kerja di kamboja legal gak"):
        assert answer.topic == content.guides["id"][answer.guide_id].topics[0]


def test_english_is_answered_from_the_english_guides(index: QuestionIndex) -> None:
    assert index.detect_locale("What happens if I overstay my visa in Cambodia?") == "en"
    assert index.detect_locale("emergency numbers cambodia") == "en"
    assert index.detect_locale("Passport ditahan company?") == "id"
    assert index.detect_locale("brp denda overstay") == "id"
    english = index.ask("What happens if I overstay my visa in Cambodia?", locale="auto")
    assert english[0].topic == "overstay_fines"


def test_english_guides_missing_falls_back_to_indonesian(content: Content) -> None:
    only_id = QuestionIndex.build(replace(content, guides={"id": content.guides["id"]}))
    assert only_id.detect_locale("how much is the overstay fine") == "id"
    assert only_id.ask("overstay fine", locale="en")[0].topic == "overstay_fines"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_ask_never_raises(index: QuestionIndex, text: str) -> None:
    answers = index.ask(text, locale="auto")
    assert isinstance(answers, list)
    assert len(answers) <= 3


@pytest.mark.parametrize("text", ["", "   ", "???", "🙏🙏🙏", "1234", "x" * 5000, "visa " * 2000])
def test_odd_input_gives_a_list(index: QuestionIndex, text: str) -> None:
    answers = index.ask(text, locale="auto")
    assert len(answers) <= 3
    assert not answers or 0.0 <= answers[0].score <= 1.0


def test_asking_never_rereads_content(
    index: QuestionIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_disk(_root: Path) -> None:
        raise AssertionError("the index must be built once, not per question")

    monkeypatch.setattr(bot.understanding.search, "load_lexicons", no_disk)
    assert index.ask("denda overstay")[0].topic == "overstay_fines"


def test_ask_json_matches_the_design_contract(
    index: QuestionIndex, read_only: ReadOnlyServices
) -> None:
    detector = read_only.danger
    calm = ask_json(index, detector, "brp denda overstay 2 bln", "auto")
    assert set(calm) == {"urgent", "answers"}
    assert calm["urgent"] is False
    assert 1 <= len(calm["answers"]) <= 3
    for item in calm["answers"]:
        assert set(item) == {"id", "topic", "score"}
        assert item["score"] == round(item["score"], 3)
    assert calm["answers"][0]["topic"] == "overstay_fines"
    json.dumps(calm)  # must be plain JSON
    alarm = ask_json(index, detector, "tolong sy disekap di kompleks gk bisa keluar", "id")
    assert alarm["urgent"] is True
    assert ask_json(index, detector, "halo", "auto") == {"urgent": False, "answers": []}


def test_importing_search_builds_nothing() -> None:
    code = (
        "import sys, bot.understanding.search, bot.understanding.danger,"
        " bot.understanding.guideindex, bot.understanding.textnorm;"
        "print('Sastrawi' in ' '.join(sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
