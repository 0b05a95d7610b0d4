"""What each message says: Aduan's default texts in Bahasa Indonesia and English, which an
admin may replace (MessageText, with a preview), filled in with a few named values.

Values are written {name} in a text; only the names of the message's kind may be used, so a
typo is refused in the admin instead of being sent to a citizen.
"""

import string
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    audience: str  # "citizen" or "official"
    label: str
    fields: tuple[str, ...]
    # The values a WhatsApp template of this kind receives, in order.
    whatsapp_params: tuple[str, ...]


KINDS = {
    k.key: k
    for k in (
        Kind(
            "received",
            "citizen",
            "Pengaduan diterima",
            ("kode_lacak", "nomor_agenda", "perihal", "tautan", "nama_kantor"),
            ("kode_lacak", "tautan"),
        ),
        Kind(
            "info_requested",
            "citizen",
            "Keterangan tambahan diminta",
            ("kode_lacak", "perihal", "isi", "tautan", "batas_hari", "nama_kantor"),
            ("kode_lacak", "tautan"),
        ),
        Kind(
            "answered",
            "citizen",
            "Pengaduan dijawab",
            ("kode_lacak", "perihal", "nomor_surat", "tautan", "nama_kantor"),
            ("kode_lacak", "tautan"),
        ),
        Kind(
            "withdrawn",
            "citizen",
            "Pengaduan ditutup sebagai ditarik",
            ("kode_lacak", "perihal", "batas_hari", "tautan", "nama_kantor"),
            ("kode_lacak", "tautan"),
        ),
        Kind(
            "step_assigned",
            "official",
            "Langkah masuk ke kotak masuk pejabat",
            ("nomor_agenda", "perihal", "pelapor", "langkah", "tenggat", "tautan"),
            ("nomor_agenda", "langkah", "tautan"),
        ),
        Kind(
            "sla",
            "official",
            "Pengingat dan lewat waktu baku",
            ("nomor_agenda", "isi", "tautan"),
            ("nomor_agenda", "tautan"),
        ),
    )
}

# (subject, body) per kind and language.
DEFAULTS = {
    ("received", "id"): (
        "Pengaduan Anda diterima: {kode_lacak}",
        "Terima kasih. Pengaduan Anda \u201c{perihal}\u201d sudah kami terima dengan nomor "
        "agenda {nomor_agenda}.\n\nKode lacak: {kode_lacak}\nIkuti perkembangannya di:\n"
        "{tautan}\n\n{nama_kantor}",
    ),
    ("received", "en"): (
        "Your complaint was received: {kode_lacak}",
        "Thank you. We received your complaint \u201c{perihal}\u201d with agenda number "
        "{nomor_agenda}.\n\nTracking code: {kode_lacak}\nFollow it at:\n{tautan}\n\n{nama_kantor}",
    ),
    ("info_requested", "id"): (
        "Keterangan tambahan untuk pengaduan {kode_lacak}",
        "Untuk menindaklanjuti pengaduan Anda \u201c{perihal}\u201d kami memerlukan keterangan "
        "berikut:\n\n{isi}\n\nBalas dalam {batas_hari} hari melalui:\n{tautan}\n\n{nama_kantor}",
    ),
    ("info_requested", "en"): (
        "More information needed for complaint {kode_lacak}",
        "To handle your complaint \u201c{perihal}\u201d we need the following:\n\n{isi}\n\n"
        "Please reply within {batas_hari} days at:\n{tautan}\n\n{nama_kantor}",
    ),
    ("answered", "id"): (
        "Pengaduan {kode_lacak} sudah dijawab",
        "Pengaduan Anda \u201c{perihal}\u201d sudah dijawab dengan surat nomor {nomor_surat}. "
        "Baca jawaban dan unduh suratnya di:\n{tautan}\n\n{nama_kantor}",
    ),
    ("answered", "en"): (
        "Complaint {kode_lacak} has been answered",
        "Your complaint \u201c{perihal}\u201d has been answered by letter number {nomor_surat}. "
        "Read the answer and download the letter at:\n{tautan}\n\n{nama_kantor}",
    ),
    ("withdrawn", "id"): (
        "Pengaduan {kode_lacak} ditutup",
        "Pengaduan Anda \u201c{perihal}\u201d kami tutup karena keterangan yang kami minta "
        "tidak kami terima dalam {batas_hari} hari. Anda dapat mengirim pengaduan baru kapan "
        "saja di:\n{tautan}\n\n{nama_kantor}",
    ),
    ("withdrawn", "en"): (
        "Complaint {kode_lacak} closed",
        "We closed your complaint \u201c{perihal}\u201d because we did not receive the "
        "information we asked for within {batas_hari} days. You may file a new complaint at "
        "any time at:\n{tautan}\n\n{nama_kantor}",
    ),
    ("step_assigned", "id"): (
        "Pengaduan {nomor_agenda} menunggu Anda: {langkah}",
        "Pengaduan {nomor_agenda} \u201c{perihal}\u201d dari {pelapor} menunggu Anda pada "
        "langkah \u201c{langkah}\u201d, tenggat {tenggat}.\n\n{tautan}",
    ),
    ("step_assigned", "en"): (
        "Complaint {nomor_agenda} is waiting for you: {langkah}",
        "Complaint {nomor_agenda} \u201c{perihal}\u201d from {pelapor} is waiting for you at "
        "the step \u201c{langkah}\u201d, due {tenggat}.\n\n{tautan}",
    ),
    ("sla", "id"): ("Pengaduan {nomor_agenda}: waktu baku", "{isi}\n\n{tautan}"),
    ("sla", "en"): ("Complaint {nomor_agenda}: standard time", "{isi}\n\n{tautan}"),
}


def text_problem(kind: str, text: str) -> str | None:
    """What is wrong with a message text of `kind`, or None when it is usable."""
    try:
        names = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError as exc:
        return (
            f"Teks tidak dapat dibaca: {exc}. Untuk menulis tanda kurung kurawal, tulis dua: "
            "{{ atau }}."
        )
    unknown = sorted(names - set(KINDS[kind].fields))
    if unknown:
        allowed = ", ".join("{" + f + "}" for f in KINDS[kind].fields)
        return f"Nilai tidak dikenal: {', '.join(unknown)}. Yang dapat dipakai: {allowed}."
    return None


class _Values(dict):
    def __missing__(self, key):
        return ""


def fill(text: str, values: dict) -> str:
    """The text with its {names} replaced by `values` (a name without a value: empty)."""
    return string.Formatter().vformat(text, (), _Values(values))


def sample_values(kind: str) -> dict:
    """Example values for the admin's preview."""
    examples = {
        "kode_lacak": "ADU-7K3M-Q9TX",
        "nomor_agenda": "00012/2026",
        "perihal": "KTP-el belum jadi",
        "tautan": "https://aduan.example.go.id/lacak/ADU-7K3M-Q9TX/",
        "nama_kantor": "Dinas Kependudukan dan Pencatatan Sipil Kota Mojokerto",
        "isi": "Mohon kirim foto tanda terima pengambilan KTP-el.",
        "batas_hari": "30",
        "nomor_surat": "470/012/PGD/XI/2026",
        "pelapor": "Rahasia",
        "langkah": "Memverifikasi konsep jawaban",
        "tenggat": "29-11-2026 10:20",
    }
    return {name: examples.get(name, "") for name in KINDS[kind].fields}
