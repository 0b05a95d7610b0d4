"""Charts drawn on the server: SVG that parses, says what it shows, escapes what people
typed, and draws every kind with no, one or many points, and with gaps."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from aduan.dashboard.charts import chart_csv_rows, chart_svg, chart_table, format_value, nice_ticks
from aduan.dashboard.data import Chart, Series

SVG = "{http://www.w3.org/2000/svg}"
KINDS = ("bar", "stacked", "line", "hbar")


def make_chart(kind: str, points: int, *, series: int = 2, target=None, **more) -> Chart:
    labels = tuple(f"Minggu {i + 1}" for i in range(points))
    return Chart(
        id=f"uji-{kind}",
        title="Pengaduan diterima",
        kind=kind,
        x_labels=labels,
        series=tuple(
            Series(
                key=f"s{j}",
                label=f"Saluran {j}",
                values=tuple((i * 3 + j) % 11 + 1 for i in range(points)),
            )
            for j in range(series)
        ),
        unit="pengaduan",
        target=target,
        target_label="Waktu baku 140 menit" if target is not None else "",
        **more,
    )


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(markup)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> str:
    return " ".join(t for t in root.itertext())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("points", [0, 1, 40])
def test_every_kind_parses_with_none_one_or_many_points(kind, points):
    root = parse(chart_svg(make_chart(kind, points, target=50)))
    assert root.get("role") == "img"
    assert "0 0 640" in root.get("viewBox")
    assert root.get("width") is None  # scales with the page, down to a 360 px phone
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == "Pengaduan diterima"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_chart_says_there_is_no_data_yet(kind):
    for chart in (make_chart(kind, 0), make_chart(kind, 5, series=0)):
        assert "Belum ada data" in texts(parse(chart_svg(chart)))
    zeros = Chart(
        id="nol", title="Nol", kind=kind, x_labels=("a", "b"),
        series=(Series("s", "S", (0, None)),), unit="pengaduan",
    )  # fmt: skip
    assert "Belum ada data" in texts(parse(chart_svg(zeros)))


@pytest.mark.parametrize("kind", KINDS)
def test_missing_values_leave_a_gap_and_do_not_break_the_drawing(kind):
    chart = Chart(
        id="gap",
        title="Kepuasan",
        kind=kind,
        x_labels=("Jan", "Feb", "Mar", "Apr"),
        series=(Series("avg", "Rata-rata", (4.5, None, 3.25, None)), Series("n", "N", (None,) * 4)),
        unit="nilai (1–5)",
        target=4,
    )
    root = parse(chart_svg(chart))
    shown = texts(root)
    assert "Jan · Rata-rata: 4,5" in shown or "Jan · Rata-rata: 4.5" in shown
    assert "Feb · Rata-rata" not in shown


def test_a_category_named_script_is_written_as_text():
    chart = Chart(
        id="top",
        title='Kategori <script>alert("x")</script>',
        kind="hbar",
        x_labels=("<script>alert(1)</script>", "KTP & KK"),
        series=(Series("n", "<b>Jumlah</b>", (3, 1)),),
        unit="pengaduan",
        target_label="<img src=x>",
        target=2,
    )
    for kind in KINDS:
        markup = chart_svg(Chart(**{**chart.__dict__, "kind": kind}))
        assert "<script" not in markup and "<b>" not in markup and "<img" not in markup
        root = parse(markup)
        assert "<script>alert(1)</script>" in texts(root)  # shown as the text it is


def test_the_target_is_a_dashed_line_with_its_label():
    root = parse(chart_svg(make_chart("line", 6, target=140)))
    target = root.find(f".//{SVG}g[@class='target']")
    assert target.find(f"{SVG}line").get("stroke-dasharray")
    assert target.find(f"{SVG}text").text == "Waktu baku 140 menit"


def test_each_series_has_its_own_pattern_or_marker_for_black_and_white_print():
    bars = chart_svg(make_chart("bar", 3, series=4))
    assert bars.count("<pattern ") == 3  # the first series solid, the others patterned
    lines = parse(chart_svg(make_chart("line", 3, series=3)))
    dashes = {p.get("stroke-dasharray") for p in lines.iter(f"{SVG}polyline")}
    assert len(dashes) == 3
    assert lines.find(f".//{SVG}rect") is not None and lines.find(f".//{SVG}polygon") is not None


def test_many_x_labels_are_thinned_and_turned():
    root = parse(chart_svg(make_chart("bar", 52, series=1)))
    turned = [t for t in root.iter(f"{SVG}text") if "rotate(-40" in (t.get("transform") or "")]
    assert 5 <= len(turned) <= 13


def test_the_axis_has_ticks_at_round_numbers():
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(140) == [0, 50, 100, 150]
    assert nice_ticks(100) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert nice_ticks(12) == [0, 2.5, 5, 7.5, 10, 12.5]
    assert nice_ticks(12, whole=True) == [0, 5, 10, 15]  # no half a complaint


def test_numbers_are_written_the_indonesian_way_or_the_english_way():
    with translation.override("id"):
        assert format_value(1234) == "1.234" and format_value(87.5) == "87,5"
    with translation.override("en"):
        assert format_value(1234) == "1,234" and format_value(87.5) == "87.5"
    assert format_value(None) == "–" and format_value(4.0) == "4"


def test_the_csv_rows_are_the_table():
    chart = make_chart("stacked", 3)
    headers, rows = chart_table(chart)
    assert chart_csv_rows(chart) == [headers, *([label, *values] for label, values in rows)]
    assert headers[1:] == ["Saluran 0", "Saluran 1"]
    assert [label for label, _ in rows] == ["Minggu 1", "Minggu 2", "Minggu 3"]


def test_a_table_only_series_is_in_the_table_and_not_in_the_drawing():
    from aduan.dashboard.charts import chart_svg, chart_table
    from aduan.dashboard.data import Chart, Series

    chart = Chart(
        id="satisfaction",
        title="Kepuasan",
        kind="line",
        x_labels=("Okt 2026", "Nov 2026"),
        series=(
            Series("average", "Nilai rata-rata", (4.5, 3.8)),
            Series("count", "Jumlah penilaian", (120, 95), table_only=True),
        ),
        unit="nilai (1–5)",
    )
    svg = chart_svg(chart)
    assert "Nilai rata-rata" in svg and "Jumlah penilaian" not in svg
    headers, rows = chart_table(chart)
    assert "Jumlah penilaian" in headers and rows[0][1] == [4.5, 120]
