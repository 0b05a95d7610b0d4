"""Indonesian phone numbers, normalised to +62… (E.164)."""

import re

from django.utils.translation import gettext as _


class PhoneError(ValueError):
    """A phone number that cannot be an Indonesian one; the message says why."""


def phone_normalise(raw: str) -> str:
    text = re.sub(r"[\s.\-()/]", "", raw or "")
    if not text:
        raise PhoneError(_("Nomor telepon kosong."))
    if text.startswith("+"):
        if not text.startswith("+62"):
            raise PhoneError(_("Gunakan nomor Indonesia (diawali 0, 62 atau +62)."))
        rest = text[3:]
    elif text.startswith("62"):
        rest = text[2:]
    elif text.startswith("0"):
        rest = text[1:]
    else:
        raise PhoneError(_("Nomor telepon diawali 0, 62 atau +62, misalnya 0812 3456 7890."))
    if not rest.isdigit():
        raise PhoneError(_("Nomor telepon hanya berisi angka."))
    rest = rest.lstrip("0") if rest.startswith("0") else rest
    if not 8 <= len(rest) <= 12:
        raise PhoneError(_("Nomor telepon terlalu pendek atau terlalu panjang."))
    return "+62" + rest


def phone_mask(phone: str) -> str:
    if len(phone) < 8:
        return phone
    return phone[:6] + "*" * (len(phone) - 9) + phone[-3:]
