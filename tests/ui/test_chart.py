"""The /statistik chart: a PNG that decodes, Telegram accepts as a photo, and shows the data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from bot.transport.uploads import PNG_SIGNATURE, Upload, photo_size
from bot.ui.chart import ChartText, render_cases_chart

WORDS = ChartText(title="Kasus per hari", y_label="Kasus", empty="Belum ada kasus")
DAYS = [dt.date(2026, 11, 1) + dt.timedelta(days=n) for n in range(14)]
BLUE, ORANGE = (0x00, 0x72, 0xB2), (0xE6, 0x9F, 0x00)  # the first two categories' colours


def _decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()  # decodes every pixel: a broken stream raises here
    return image.convert("RGB")


def _pixels(image: Image.Image, colour: tuple[int, int, int]) -> int:
    return sum(n for n, c in image.getcolors(maxcolors=1 << 20) or [] if c == colour)


@pytest.fixture(scope="module")
def chart() -> bytes:
    counts = {"paspor": [n % 4 for n in range(14)], "visa": [0] * 14, "kerja": [1] * 14}
    return render_cases_chart(DAYS, counts, WORDS)


def test_the_chart_is_a_png_of_the_figure_size_that_telegram_accepts(chart: bytes) -> None:
    assert chart.startswith(PNG_SIGNATURE)
    image = _decoded(chart)
    assert image.size == (900, 480)
    assert photo_size(Upload("chart.png", chart, "image/png")) == (900, 480)


def test_categories_with_cases_are_drawn_and_empty_ones_are_not(chart: bytes) -> None:
    image = _decoded(chart)
    assert _pixels(image, BLUE) > 500  # "paspor", the first colour
    assert _pixels(image, ORANGE) == 0  # "visa" had no case: no bar, no legend swatch
    assert _pixels(image, (0x00, 0x9E, 0x73)) > 500  # "kerja" keeps its own (third) colour


@pytest.mark.parametrize(
    ("days", "counts"),
    [([], {}), (DAYS[:3], {"paspor": [0, 0, 0]})],
    ids=["no-days", "all-zero"],
)
def test_a_period_without_cases_still_renders(
    days: list[dt.date], counts: dict[str, list[int]]
) -> None:
    png = render_cases_chart(days, counts, WORDS)
    image = _decoded(png)
    assert image.size == (900, 480) and _pixels(image, BLUE) == 0
    assert photo_size(Upload("chart.png", png)) == (900, 480)
    silent = render_cases_chart(days, counts, ChartText(WORDS.title, WORDS.y_label, empty=""))
    assert silent != png  # the "no cases" note is written across the chart
