"""NIK (Nomor Induk Kependudukan): normalise and check the structure of a 16-digit NIK.

Structure: 6 digits of region (province, regency, district), 6 of birth date DDMMYY with
40 added to the day for women, 4 of serial. The region is never checked against this
office's city: a citizen may hold a NIK issued anywhere in Indonesia.
"""

import calendar
import re

from django.utils.translation import gettext as _


class NikError(ValueError):
    """A NIK that is not well formed; the message says what is wrong."""


def nik_normalise(raw: str) -> str:
    """Strip spaces, dots and dashes; raise NikError with a sentence for a person."""
    digits = re.sub(r"[\s.\-]", "", raw or "")
    if not digits:
        raise NikError(_("NIK kosong."))
    if not digits.isdigit():
        raise NikError(_("NIK hanya berisi angka."))
    if len(digits) != 16:
        raise NikError(
            _("NIK terdiri dari 16 angka; yang Anda tulis %(n)s angka.") % {"n": len(digits)}
        )
    if digits[:6] == "000000":
        raise NikError(_("Enam angka pertama NIK (kode wilayah) tidak boleh 000000."))
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if day > 40:
        day -= 40
    if not 1 <= month <= 12:
        raise NikError(_("Bagian tanggal lahir pada NIK tidak benar: bulan harus 01–12."))
    # YY may be 19YY or 20YY: accept the day if it exists in either.
    longest = max(calendar.monthrange(century + year, month)[1] for century in (1900, 2000))
    if not 1 <= day <= longest:
        raise NikError(_("Bagian tanggal lahir pada NIK tidak benar: tanggal tidak ada."))
    if digits[12:] == "0000":
        raise NikError(_("Empat angka terakhir NIK (nomor urut) tidak boleh 0000."))
    return digits


def nik_mask(nik: str) -> str:
    """Show only the province and regency and the last two digits: 3576**********12."""
    if not nik:
        return ""
    return nik[:4] + "*" * 10 + nik[-2:]
