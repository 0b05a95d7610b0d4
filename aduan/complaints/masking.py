"""How the complainant is shown where their personal data is not needed.

One place for every output that names the complainant without a reveal: lists, the
agenda book, exports, printed records and notifications to officials.
"""

from django.utils.translation import gettext as _

from aduan.lib.nik import nik_mask
from aduan.lib.phone import phone_mask


def email_mask(email: str) -> str:
    """sari@example.id → s***@example.id."""
    if not email:
        return ""
    local, _at, domain = email.partition("@")
    if not domain:
        return "***"
    return f"{local[:1]}***@{domain}"


def complainant_label(complaint) -> str:
    """The complainant's name as an output shows it: "Anonim" for an anonymous complaint,
    "Rahasia" for a confidential one, else the name."""
    if complaint.is_anonymous or not complaint.name:
        return _("Anonim")
    if complaint.is_confidential:
        return _("Rahasia")
    return complaint.name


def contact_masked(complaint) -> dict:
    """Name, NIK, phone and email with the identifying parts hidden."""
    return {
        "name": complainant_label(complaint),
        "nik": nik_mask(complaint.nik),
        "phone": phone_mask(complaint.phone),
        "email": email_mask(complaint.email),
    }
