import pytest

from aduan.lib.nik import NikError, nik_mask, nik_normalise
from aduan.lib.phone import PhoneError, phone_normalise


@pytest.mark.parametrize(
    "typed, nik",
    [
        ("3576014507900001", "3576014507900001"),  # a woman born 5 July 1990 (45 = 5 + 40)
        ("3576 0105 0790 0002", "3576010507900002"),  # a man, typed in groups
        ("3171-0102-0304-0005", "3171010203040005"),  # issued in Jakarta: accepted here too
        ("3576012902000003", "3576012902000003"),  # 29 Feb 2000
    ],
)
def test_valid_niks_are_accepted_and_cleaned(typed, nik):
    assert nik_normalise(typed) == nik


@pytest.mark.parametrize(
    "typed, message",
    [
        ("357601450790000", "16 angka"),
        ("35760145079000011", "16 angka"),
        ("35760145O7900001", "hanya berisi angka"),
        ("3576013213900001", "bulan harus 01–12"),
        ("3576013200900001", "bulan harus 01–12"),
        ("3576013201900001", "tanggal tidak ada"),  # day 32
        ("3576017201900001", "tanggal tidak ada"),  # day 72 - 40 = 32
        ("3576013102900001", "tanggal tidak ada"),  # 31 February
        ("3576014507900000", "nomor urut"),
        ("0000004507900001", "kode wilayah"),
    ],
)
def test_broken_niks_are_refused_saying_what_is_wrong(typed, message):
    with pytest.raises(NikError, match=message):
        nik_normalise(typed)


def test_a_nik_is_masked_outside_where_it_is_needed():
    assert nik_mask("3576014507900001") == "3576**********01"


@pytest.mark.parametrize(
    "typed",
    [
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
        "(0812) 3456 7890",
        "+62 0812 3456 7890",
    ],
)
def test_phones_are_normalised_to_plus_62(typed):
    assert phone_normalise(typed) == "+6281234567890"


def test_a_landline_with_area_code_is_accepted():
    assert phone_normalise("(0321) 321 456") == "+62321321456"


@pytest.mark.parametrize("typed", ["+1 202 555 0100", "812345", "0812abc4567", "12345678901"])
def test_other_phones_are_refused(typed):
    with pytest.raises(PhoneError):
        phone_normalise(typed)
