"""The bundled definition reproduces SOP/PIPD/PIAK/11 as docs/SOP.md reads the office's seed.

The expected values below are copied from the office's own document (the seed), not from the
TOML file, so that an edit to the file that drifts from the SOP fails here.
"""

from pathlib import Path

import pytest
from django.conf import settings

from aduan.sop.definition import APPROVE, RETURN, parse_definition


def default_text() -> str:
    return Path(settings.DEFAULT_SOP_FILE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sop():
    return parse_definition(default_text(), source=str(settings.DEFAULT_SOP_FILE))


def test_header_names_the_sop_the_office_and_its_dates(sop):
    assert sop.code == "SOP/PIPD/PIAK/11"
    assert sop.name == "Pengaduan masyarakat melalui online"
    assert sop.header["office"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert sop.header["government"] == "Pemerintah Kota Mojokerto"
    assert sop.header["made"] == "2019-04-01"
    assert sop.header["revised"] == ""
    assert sop.header["effective"] == "2019-06-01"


def test_header_names_who_approved_it_with_the_nip(sop):
    assert sop.header["approved_by"] == "Drs. MUHAMMAD IMRON"
    assert sop.header["approved_by_nip"] == "19650709 198603 1 020"
    assert sop.header["approved_by_position"] == (
        "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Mojokerto"
    )


def test_header_lists_the_six_legal_bases_in_the_seeds_order(sop):
    legal_base = sop.header["legal_base"]
    assert len(legal_base) == 6
    instruments = [
        "Undang-Undang Dasar Negara Republik Indonesia Tahun 1945",
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        "Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang Nomor 23 "
        "Tahun 2006 tentang Administrasi Kependudukan",
        "Peraturan Menteri Dalam Negeri Nomor 25 Tahun 2011",
        "Peraturan Walikota Mojokerto Nomor 75 Tahun 2016",
    ]
    for base, instrument in zip(legal_base, instruments, strict=True):
        assert base.startswith(instrument)


def test_header_keeps_the_agenda_book_among_the_equipment(sop):
    assert "Buku Agenda" in sop.header["equipment"]


def test_the_four_roles_are_staff_kasi_kabid_and_kadis(sop):
    assert [(r.id, r.name) for r in sop.roles] == [
        ("staff", "Staf"),
        ("kasi", "Kepala Seksi"),
        ("kabid", "Kepala Bidang"),
        ("kadis", "Kepala Dinas"),
    ]


def test_the_five_steps_follow_the_seeds_table(sop):
    # No., Kegiatan, Pelaksana, Kelengkapan, Waktu, Output: as in the seed's table.
    assert [(s.id, s.title, s.role, s.input, s.minutes, s.output) for s in sop.steps] == [
        (
            "draft",
            "Memverifikasi permasalahan dan membuat konsep jawaban pengaduan online",
            "staff",
            "Menyiapkan konsep jawaban",
            60,
            "Konsep jawaban",
        ),
        (
            "verify_kasi",
            "Memverifikasi konsep jawaban pengaduan",
            "kasi",
            "Konsep jawaban",
            20,
            "Konsep jawaban yang telah diverifikasi",
        ),
        (
            "verify_kabid",
            "Memverifikasi konsep jawaban pengaduan",
            "kabid",
            "Konsep jawaban yang telah diverifikasi",
            20,
            "Konsep jawaban yang telah diverifikasi",
        ),
        (
            "approve_kadis",
            "Menyetujui konsep jawaban pengaduan",
            "kadis",
            "Konsep jawaban yang telah diverifikasi",
            20,
            "Menyetujui konsep jawaban",
        ),
        (
            "answer",
            "Menjawab pengaduan masyarakat",
            "staff",
            "Menyetujui konsep jawaban",
            20,
            "Jawaban pengaduan",
        ),
    ]


def test_standard_time_end_to_end_is_140_minutes(sop):
    assert sop.total_minutes == 140


def test_the_flow_starts_at_the_staff_draft_and_ends_at_selesai(sop):
    assert (sop.start, sop.end) == ("draft", "selesai")


def test_the_main_path_is_the_five_steps_in_order(sop):
    assert [s.id for s in sop.main_path] == [
        "draft",
        "verify_kasi",
        "verify_kabid",
        "approve_kadis",
        "answer",
    ]
    assert sop.ordered_steps == sop.main_path


def test_the_edges_are_the_seeds_flowchart_and_nothing_more(sop):
    assert sorted((e.source, e.decision, e.target) for e in sop.edges) == sorted(
        [
            ("draft", APPROVE, "verify_kasi"),
            ("verify_kasi", APPROVE, "verify_kabid"),
            ("verify_kasi", RETURN, "draft"),
            ("verify_kabid", APPROVE, "approve_kadis"),
            ("verify_kabid", RETURN, "verify_kasi"),
            ("approve_kadis", APPROVE, "answer"),
            ("answer", APPROVE, "selesai"),
        ]
    )


def test_kasi_returns_to_staff_and_kabid_returns_to_kasi_with_a_note(sop):
    (kasi_return,) = sop.return_edges("verify_kasi")
    (kabid_return,) = sop.return_edges("verify_kabid")
    assert (kasi_return.target, kasi_return.note_required) == ("draft", True)
    assert (kabid_return.target, kabid_return.note_required) == ("verify_kasi", True)


def test_kadis_can_only_approve_under_the_default_sop(sop):
    assert [e.decision for e in sop.edges_from("approve_kadis")] == [APPROVE]
    assert sop.return_edges("approve_kadis") == ()


def test_sending_the_answer_ends_the_sop(sop):
    assert [(e.decision, e.target) for e in sop.edges_from("answer")] == [(APPROVE, "selesai")]


KADIS_RETURN = """
[[edges]]
from = "approve_kadis"
to = "{target}"
decision = "return"
label = "Tidak, kembalikan"
label_en = "No, return"
"""


@pytest.mark.parametrize("target", ["verify_kabid", "verify_kasi", "draft"])
def test_an_office_may_let_kadis_return_the_draft_in_its_own_copy(tmp_path, target):
    office_copy = tmp_path / "sop_kantor_kami.toml"
    office_copy.write_text(default_text() + KADIS_RETURN.format(target=target), encoding="utf-8")

    sop = parse_definition(office_copy.read_text(encoding="utf-8"), source=str(office_copy))

    (kadis_return,) = sop.return_edges("approve_kadis")
    assert (kadis_return.target, kadis_return.note_required) == (target, True)
    assert sorted(e.decision for e in sop.edges_from("approve_kadis")) == [APPROVE, RETURN]
    assert [s.id for s in sop.main_path] == [
        "draft",
        "verify_kasi",
        "verify_kabid",
        "approve_kadis",
        "answer",
    ]
    assert sop.total_minutes == 140
    default = parse_definition(default_text())
    assert sop.content_hash != default.content_hash
