"""Complaints, their attachments, and the steps each one goes through."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aduan.lib.crypto import EncryptedTextField
from aduan.sop.models import SopVersion


class Category(models.Model):
    """What a complaint is about; the office's admin edits the list."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField("nama", max_length=120)
    name_en = models.CharField("name (English)", max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("aktif", default=True)
    # The section (seksi) that handles this category: its Kasi's dashboard shows these.
    unit = models.ForeignKey(
        "accounts.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="categories",
        verbose_name="seksi",
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "kategori"
        verbose_name_plural = "kategori"

    def __str__(self) -> str:
        return self.name


class Complaint(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Situs web")
        EMAIL = "email", _("Surel")
        WHATSAPP = "whatsapp", _("WhatsApp")
        PHONE = "phone", _("Telepon")
        LETTER = "letter", _("Surat")
        WALK_IN = "walk_in", _("Datang langsung")
        LAPOR = "lapor", _("SP4N-LAPOR!")
        API = "api", _("API")
        OPEN311 = "open311", "Open311"

    class Status(models.TextChoices):
        OPEN = "open", _("Dalam proses")
        ANSWERED = "answered", _("Dijawab")
        WITHDRAWN = "withdrawn", _("Ditarik")

    tracking_code = models.CharField(max_length=20, unique=True)
    agenda_year = models.PositiveSmallIntegerField()
    agenda_seq = models.PositiveIntegerField()
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)

    name = models.CharField("nama", max_length=200, blank=True)
    is_anonymous = models.BooleanField("anonim", default=False)
    # Encrypted at rest (aduan.lib.crypto); blanked by the retention sweep, as is the name
    # ("Dihapus"), personal_data_erased_at then saying when (aduan.complaints.retention).
    phone = EncryptedTextField("telepon", blank=True)
    email = EncryptedTextField("surel", blank=True)
    nik = EncryptedTextField("NIK", blank=True)

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="complaints")
    subject = models.CharField("perihal", max_length=200)
    description = models.TextField("uraian")
    is_confidential = models.BooleanField("rahasia", default=False)
    # The interface language the complaint was filed in: messages to the citizen use it.
    language = models.CharField(max_length=5, default="id")

    sop_version = models.ForeignKey(SopVersion, on_delete=models.PROTECT, related_name="+")
    # Denormalised from the open ComplaintStep by the engine, for lists: '' once closed.
    current_step = models.CharField(max_length=32, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)

    received_at = models.DateTimeField(db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # The citizen follows the complaint with the tracking code and a secret; only an HMAC
    # of the secret is kept (aduan.lib.codes.tracking_digest).
    tracking_digest = models.CharField(max_length=64, blank=True)
    # One submission of the public form makes one complaint, however often it is posted.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the official who registered an offline complaint",
    )
    # Set while the office waits for the citizen's reply to a request for information;
    # the clock of the open step is paused meanwhile (aduan.sla.due).
    awaiting_reply_since = models.DateTimeField(null=True, blank=True)
    # The outer legal clock, computed at registration from the SOP's [deadlines]
    # (aduan.sla.deadlines): verified and taken up, followed up, resolved.
    verify_due_at = models.DateTimeField(null=True, blank=True)
    follow_up_due_at = models.DateTimeField(null=True, blank=True)
    resolve_due_at = models.DateTimeField(null=True, blank=True)
    # The answer as sent (a copy of the approved draft).
    answer_kind = models.CharField(max_length=16, blank=True)
    answer_text = models.TextField(blank=True)
    # A complaint the citizen reopened because the answer did not solve it: a new cycle
    # through the SOP, registered anew, linked to the first, with the citizen's reason.
    reopened_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reopenings"
    )
    reopen_reason = models.TextField(blank=True)
    # Stored by the engine when the answer is sent (aduan.dashboard reads them): the working
    # minutes from received_at to the answer, and the first day of the answer's month at
    # the office, so a month's nearest-rank median is one index walk.
    answer_minutes = models.PositiveIntegerField(null=True, blank=True)
    answered_month = models.DateField(null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_year", "agenda_seq"], name="complaint_unique_agenda_number"
            ),
        ]
        indexes = [
            # The sweep's search for complaints whose citizen did not answer in time.
            models.Index(
                fields=["awaiting_reply_since"],
                condition=Q(awaiting_reply_since__isnull=False),
                name="complaint_awaiting_reply",
            ),
            # The dashboard's median end-to-end time of a month (ORDER BY minutes OFFSET k),
            # for the office and for one category; and the months cut by a period's edge.
            models.Index(
                fields=["answered_month", "answer_minutes", "category"],
                condition=Q(answered_month__isnull=False),
                name="complaint_answer_minutes",
            ),
            models.Index(
                fields=["category", "answered_month", "answer_minutes"],
                condition=Q(answered_month__isnull=False),
                name="complaint_category_answer",
            ),
            models.Index(
                fields=["closed_at", "answer_minutes"],
                condition=Q(answered_month__isnull=False),
                name="complaint_answered_at",
            ),
            # The retention sweep's search for closed complaints whose data is still held.
            models.Index(
                fields=["closed_at"],
                condition=Q(closed_at__isnull=False, personal_data_erased_at__isnull=True),
                name="complaint_retention_due",
            ),
        ]
        verbose_name = "pengaduan"
        verbose_name_plural = "pengaduan"

    def __str__(self) -> str:
        return f"{self.agenda_number} {self.subject}"

    @property
    def agenda_number(self) -> str:
        return f"{self.agenda_seq:05d}/{self.agenda_year}"

    @property
    def sop(self):
        return self.sop_version.definition

    @property
    def display_name(self) -> str:
        """The complainant as officials' lists and every output show them."""
        if self.is_anonymous or not self.name:
            return str(_("Anonim"))
        return self.name


def attachment_path(instance: "Attachment", filename: str) -> str:
    """`<sha256>-<8 hex>`: a name of its own per write, so the files of a registration that
    rolls back are removed without touching another complaint's file of the same bytes (an
    S3 bucket has no create-if-absent). Names stored before (`<sha256>`) stay readable."""
    from secrets import token_hex

    return f"attachments/{instance.complaint.received_at:%Y/%m}/{instance.sha256}-{token_hex(4)}"


class Attachment(models.Model):
    class ScanState(models.TextChoices):
        """The virus scan (aduan.lib.virus): only "none" and "clean" files are served."""

        NONE = "none", _("tidak dipindai")  # no scanner configured when it arrived
        CLEAN = "clean", _("bersih")
        HELD = "held", _("ditahan untuk pemeriksaan virus")  # scanner down: rescanned later
        INFECTED = "infected", _("berisi virus (dikarantina)")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    # Sent with the citizen's reply to a request for information (else with the complaint).
    message = models.ForeignKey(
        "Message", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    scan_state = models.CharField(max_length=16, choices=ScanState, default=ScanState.NONE)

    class Meta:
        verbose_name = "lampiran"
        verbose_name_plural = "lampiran"

    def __str__(self) -> str:
        return self.original_name


class ComplaintStep(models.Model):
    """One step a complaint entered: the SLA record and the history.

    Written only by aduan.sop.engine. Each complaint has at most one open step
    (decided_at is null); deciding it is one conditional UPDATE on that row.

    The SLA clock (aduan.sla.due): due_at is the step's standard working minutes from its
    start, remind_at 75% of them; both move forward by the working minutes the complaint
    waited for the citizen (paused_minutes). The sweep (aduan.sla.sweep) sets reminded_at
    and overdue_at, each once, when it tells the officials.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    seq = models.PositiveIntegerField()
    step = models.CharField(max_length=32)
    role = models.CharField(max_length=32)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    paused_minutes = models.PositiveIntegerField(default=0)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # "plt" or "plh" when decided_by decided as an acting official (RoleGrant.kind), else "".
    decided_as = models.CharField(max_length=8, blank=True)
    decision = models.CharField(max_length=16, blank=True)
    next_step = models.CharField(max_length=32, blank=True)
    note = models.TextField(blank=True)
    # Stored by the engine when the step is decided (not for a withdrawal's close): its
    # working minutes from started_at to decided_at by the working calendar (as the Mutu
    # Baku report counts them) and whether they are within the step's standard minutes in
    # the complaint's SOP version.
    working_minutes = models.PositiveIntegerField(null=True, blank=True)
    within_standard = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["complaint", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "seq"], name="step_unique_seq"),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(decided_at__isnull=True),
                name="step_one_open_per_complaint",
            ),
        ]
        indexes = [
            models.Index(
                fields=["role", "started_at"],
                condition=Q(decided_at__isnull=True),
                name="step_open_by_role",
            ),
            # The sweep reads only these ranges: open steps not yet reminded (or not yet
            # marked overdue) whose time has come. Claimed rows leave the index.
            models.Index(
                fields=["remind_at"],
                condition=Q(decided_at__isnull=True, reminded_at__isnull=True),
                name="step_remind_pending",
            ),
            models.Index(
                fields=["due_at"],
                condition=Q(decided_at__isnull=True, overdue_at__isnull=True),
                name="step_overdue_pending",
            ),
            # An official's own work on the dashboard: the steps they decided in a period.
            models.Index(fields=["decided_by", "decided_at"], name="step_decided_by"),
            # "Has this official decided this complaint at another level?" (the inbox asks it
            # of every open step): one lookup, not a walk over all the official's decisions.
            models.Index(fields=["decided_by", "complaint"], name="step_decided_by_complaint"),
        ]
        verbose_name = "langkah"
        verbose_name_plural = "langkah"

    def __str__(self) -> str:
        return f"{self.complaint_id}#{self.seq} {self.step}"

    @property
    def is_open(self) -> bool:
        return self.decided_at is None


class Draft(models.Model):
    """One version of the draft answer (konsep jawaban); every round is kept."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Jawaban")
        REFERRAL = "referral", _("Rujukan ke instansi yang berwenang")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="drafts")
    seq = models.PositiveIntegerField()
    step = models.ForeignKey(ComplaintStep, on_delete=models.PROTECT, related_name="drafts")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ANSWER)
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["complaint", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "seq"], name="draft_unique_seq"),
        ]
        verbose_name = "konsep jawaban"
        verbose_name_plural = "konsep jawaban"

    def __str__(self) -> str:
        return f"{self.complaint_id} v{self.seq}"


class Message(models.Model):
    """A message between the office and the citizen (requests for information, replies)."""

    class Direction(models.TextChoices):
        TO_CITIZEN = "out", _("Kepada pelapor")
        FROM_CITIZEN = "in", _("Dari pelapor")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["complaint", "created_at", "id"]
        verbose_name = "pesan"
        verbose_name_plural = "pesan"

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.direction} {self.created_at:%Y-%m-%d %H:%M}"


class AgendaCounter(models.Model):
    """The last agenda number given out in a year (numbers have no gaps)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Rating(models.Model):
    """The citizen's rating of the answer: a score of 1 to 5, a comment, and the questions
    of the public-service satisfaction survey (SKM, PermenPAN-RB 14/2017) that fit a
    complaint, each on the survey's own scale of 1 to 4 (aduan.complaints.feedback)."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField("nilai")
    comment = models.TextField("komentar", blank=True)
    answers = models.JSONField("jawaban survei", default=dict)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]
        verbose_name = "penilaian"
        verbose_name_plural = "penilaian"

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.score}"


class Intake(models.Model):
    """A public filing taken and not yet registered (aduan.complaints.intake).

    The request that files a complaint checks it, gives the citizen the tracking code and
    secret, and stores this one row; the intake worker (`manage.py intake_register`)
    registers intakes in arrival order (agenda number, the SOP's first step, the notice,
    the audit events) and deletes each in the same transaction, so a filing is either an
    intake or a complaint, never both and never neither. Everything the citizen wrote,
    and the tracking secret the notice carries, is in `payload`: JSON, encrypted at rest.
    """

    tracking_code = models.CharField(max_length=20, unique=True)
    tracking_digest = models.CharField(max_length=64)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    channel = models.CharField(max_length=16, choices=Complaint.Channel.choices)
    received_at = models.DateTimeField()
    payload = EncryptedTextField()
    # Set when registering it failed (the worker logs why and goes on with the others);
    # cleared by `manage.py intake_register --retry-failed`.
    failed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "pengaduan masuk"
        verbose_name_plural = "pengaduan masuk"

    def __str__(self) -> str:
        return self.tracking_code
