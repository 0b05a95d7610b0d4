"""The citizen's word after the answer: a rating, or reopening the complaint.

A rating is given once per answered complaint. Reopening is possible for REOPEN_DAYS
calendar days after the answer, once: it registers a new complaint (a new agenda number,
tracking code and cycle through the SOP) linked to the first, with the citizen's reason.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aduan.audit.services import audit_record
from aduan.complaints.models import Complaint, Rating
from aduan.dashboard.tallies import tally_rated
from aduan.lib.text import clean_text

# The SKM (survei kepuasan masyarakat) elements that fit complaint handling, each
# answered on the survey's scale: 1 tidak baik, 2 kurang baik, 3 baik, 4 sangat baik.
SKM_QUESTIONS = {
    "prosedur": gettext_lazy("Bagaimana kemudahan cara menyampaikan pengaduan ini?"),
    "waktu": gettext_lazy("Bagaimana kecepatan penanganan pengaduan Anda?"),
    "produk": gettext_lazy("Bagaimana kesesuaian jawaban dengan pengaduan Anda?"),
    "perilaku": gettext_lazy("Bagaimana kesopanan dan keramahan petugas?"),
    "penanganan": gettext_lazy("Bagaimana penanganan pengaduan secara keseluruhan?"),
}
SKM_SCALE = {
    1: gettext_lazy("Tidak baik"),
    2: gettext_lazy("Kurang baik"),
    3: gettext_lazy("Baik"),
    4: gettext_lazy("Sangat baik"),
}
COMMENT_MAX = 2000
REASON_MAX = 2000


@dataclass(frozen=True)
class FeedbackOutcome:
    ok: bool
    code: str
    message: str
    complaint: Complaint | None = None
    secret: str | None = None

    def __bool__(self) -> bool:
        return self.ok


def _refuse(code: str, message: str) -> FeedbackOutcome:
    return FeedbackOutcome(ok=False, code=code, message=message)


def rating_save(
    *, complaint: Complaint, score: int, comment: str = "", answers: dict | None = None
) -> FeedbackOutcome:
    """Keep the citizen's rating of an answered complaint (once)."""
    if complaint.status != Complaint.Status.ANSWERED:
        return _refuse("not_answered", _("Penilaian dapat diberikan setelah pengaduan dijawab."))
    if not isinstance(score, int) or not 1 <= score <= 5:
        return _refuse("score", _("Pilih nilai 1 sampai 5."))
    answers = answers or {}
    if set(answers) - set(SKM_QUESTIONS) or any(v not in SKM_SCALE for v in answers.values()):
        return _refuse("answers", _("Jawaban survei tidak dikenali."))
    comment = clean_text(comment)
    if len(comment) > COMMENT_MAX:
        return _refuse(
            "comment", _("Komentar paling banyak %(max)s karakter.") % {"max": COMMENT_MAX}
        )
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                complaint=complaint,
                score=score,
                comment=comment,
                answers=answers,
                created_at=timezone.now(),
            )
            tally_rated(complaint=complaint, score=score, at=rating.created_at)  # dashboard
            audit_record(
                action="complaint.rated",
                target=rating,
                complaint_id=complaint.pk,
                data={"score": score, "answers": answers},
            )
    except IntegrityError:
        return _refuse("already_rated", _("Pengaduan ini sudah Anda nilai. Terima kasih."))
    return FeedbackOutcome(ok=True, code="rated", message=_("Terima kasih atas penilaian Anda."))


def reopen_until(complaint: Complaint) -> dt.datetime | None:
    """Until when the citizen may reopen an answered complaint (None: not answered)."""
    if complaint.status != Complaint.Status.ANSWERED or complaint.closed_at is None:
        return None
    return complaint.closed_at + dt.timedelta(days=settings.REOPEN_DAYS)


def complaint_reopen(*, complaint: Complaint, reason: str) -> FeedbackOutcome:
    """Reopen an answered complaint whose answer did not solve it: a new complaint through
    the SOP, linked to this one. The outcome carries the new complaint and its secret."""
    from aduan.complaints.services import complaint_register

    until = reopen_until(complaint)
    if until is None:
        return _refuse(
            "not_answered", _("Hanya pengaduan yang sudah dijawab dapat dibuka kembali.")
        )
    if timezone.now() > until:
        return _refuse(
            "too_late",
            _(
                "Batas membuka kembali pengaduan ini (%(days)s hari setelah dijawab) sudah "
                "lewat. Silakan kirim pengaduan baru."
            )
            % {"days": settings.REOPEN_DAYS},
        )
    reason = clean_text(reason)
    if not reason:
        return _refuse(
            "reason_required", _("Tuliskan mengapa jawaban belum menyelesaikan masalah.")
        )
    if len(reason) > REASON_MAX:
        return _refuse(
            "reason_too_long", _("Alasan paling banyak %(max)s karakter.") % {"max": REASON_MAX}
        )
    with transaction.atomic():
        # One reopening per complaint, even when the form is sent twice at once.
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        earlier = locked.reopenings.first()
        if earlier is not None:
            return _refuse(
                "already_reopened",
                _("Pengaduan ini sudah dibuka kembali sebagai %(code)s.")
                % {"code": earlier.tracking_code},
            )
        new = complaint_register(
            category=locked.category,
            subject=locked.subject,
            description=reason,
            channel=locked.channel,
            name=locked.name,
            is_anonymous=locked.is_anonymous,
            phone=locked.phone,
            email=locked.email,
            nik=locked.nik,
            is_confidential=locked.is_confidential,
            language=locked.language,
            reopened_from=locked,
            reopen_reason=reason,
        )
        audit_record(
            action="complaint.reopened",
            target=locked,
            complaint_id=locked.pk,
            data={"new": new.tracking_code, "agenda": new.agenda_number},
        )
    return FeedbackOutcome(
        ok=True,
        code="reopened",
        message=_("Pengaduan dibuka kembali dengan kode lacak %(code)s.")
        % {"code": new.tracking_code},
        complaint=new,
        secret=new.tracking_secret,
    )


@dataclass(frozen=True)
class Satisfaction:
    ratings: int
    average_score: float | None  # 1–5
    elements: tuple[tuple[str, float | None, int], ...]  # (question, average 1–4, answers)
    ikm: float | None  # the survey's index, 25–100 (PermenPAN-RB 14/2017)
    grade: str  # A–D by the index, "" without answers
    reopened: int


# The index's grades (nilai interval konversi): the lowest index of each.
IKM_GRADES = ((88.31, "A"), (76.61, "B"), (65.0, "C"), (25.0, "D"))


def satisfaction_summary(*, start: dt.datetime, end: dt.datetime) -> Satisfaction:
    """Ratings given in [start, end): how many, the average score, each survey element's
    average and the satisfaction index; and how many complaints were reopened then.
    Two queries, whatever the number of ratings."""
    scores: list[int] = []
    per_element: dict[str, list[int]] = {key: [] for key in SKM_QUESTIONS}
    rows = Rating.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
        "score", "answers"
    )
    for score, answers in rows.iterator(chunk_size=2000):
        scores.append(score)
        for key, value in (answers or {}).items():
            if key in per_element:
                per_element[key].append(value)
    elements = tuple(
        (str(SKM_QUESTIONS[key]), (sum(v) / len(v)) if v else None, len(v))
        for key, v in per_element.items()
    )
    answered = [avg for _q, avg, _n in elements if avg is not None]
    ikm = round(sum(answered) / len(answered) * 25, 2) if answered else None
    grade = next((g for low, g in IKM_GRADES if ikm is not None and ikm >= low), "")
    reopened = Complaint.objects.filter(
        reopened_from__isnull=False, received_at__gte=start, received_at__lt=end
    ).count()
    return Satisfaction(
        ratings=len(scores),
        average_score=(sum(scores) / len(scores)) if scores else None,
        elements=elements,
        ikm=ikm,
        grade=grade,
        reopened=reopened,
    )
