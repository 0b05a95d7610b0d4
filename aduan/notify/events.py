"""Who hears what: the messages each event queues, in the event's own transaction.

Citizens hear of their complaint by every contact they gave (email; WhatsApp or SMS for a
phone number), in the language they filed it in: on receipt, when more information is
asked, when it is answered, when it is closed as withdrawn. Officials hear by email (when
their account has one) when a step lands in their inbox and when the SLA sweep reminds them
or tells them of an overdue step. A message to an official never names an anonymous or
confidential complainant (aduan.complaints.masking).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from aduan.accounts.models import User
from aduan.accounts.selectors import officials_holding
from aduan.complaints.masking import complainant_label
from aduan.notify.channels import channel_for_email, channel_for_phone
from aduan.notify.links import citizen_link
from aduan.notify.models import MessageText
from aduan.notify.services import deliveries_enqueue
from aduan.notify.texts import DEFAULTS, KINDS, fill


def message_text(kind: str, language: str) -> tuple[str, str]:
    """(subject, body) of `kind` in `language`: the admin's wording, else Aduan's."""
    language = language if (kind, language) in DEFAULTS else "id"
    own = MessageText.objects.filter(kind=kind, language=language).first()
    if own is not None:
        return own.subject, own.body
    return DEFAULTS[(kind, language)]


def _render(kind: str, language: str, values: dict) -> tuple[str, str, list]:
    subject, body = message_text(kind, language)
    params = [str(values.get(name, "")) for name in KINDS[kind].whatsapp_params]
    return fill(subject, values), fill(body, values), params


def _office_name() -> str:
    """ "Dinas Kependudukan dan Pencatatan Sipil Kota Mojokerto", from the letterhead."""
    from aduan.papers.models import Letterhead

    office = Letterhead.current()
    words = f"{office.office} {office.government.removeprefix('PEMERINTAH ')}".split()
    small = {"dan", "di", "ke", "dari", "and", "of"}
    return " ".join(w.lower() if w.lower() in small else w.capitalize() for w in words)


def citizen_notify(
    *, complaint, kind: str, event: str, values: dict, letter_id: int | None = None
) -> int:
    """Queue `kind` to each contact the citizen gave (one INSERT); returns how many.
    `event` makes the key unique per occurrence (a message id, a step id): the same
    occurrence queued twice is one message."""
    contacts = []
    if complaint.email:
        contacts.append(("email", channel_for_email(), complaint.email))
    if complaint.phone:
        contacts.append(("phone", channel_for_phone(), complaint.phone))
    if not contacts:
        return 0
    values = {
        "kode_lacak": complaint.tracking_code,
        "nomor_agenda": complaint.agenda_number,
        "perihal": complaint.subject,
        "nama_kantor": _office_name(),
        **values,
    }
    subject, body, params = _render(kind, complaint.language, values)
    return deliveries_enqueue(
        [
            {
                "event_key": f"{kind}:{complaint.pk}:{event}:{contact}",
                "kind": kind,
                "channel": channel,
                "to": to,
                "subject": subject,
                "body": body,
                "params": params,
                "complaint_id": complaint.pk,
                # The answer letter goes with the email as a PDF attachment.
                "letter_id": letter_id if contact == "email" else None,
            }
            for contact, channel, to in contacts
        ]
    )


def citizen_received(*, complaint, secret: str | None) -> int:
    link = (
        settings.PUBLIC_URL + reverse("public:track_link", args=[complaint.tracking_code, secret])
        if secret
        else citizen_link(complaint)
    )
    return citizen_notify(complaint=complaint, kind="received", event="0", values={"tautan": link})


def citizen_info_requested(*, complaint, message) -> int:
    return citizen_notify(
        complaint=complaint,
        kind="info_requested",
        event=str(message.pk),
        values={
            "isi": message.body,
            "tautan": citizen_link(complaint),
            "batas_hari": settings.REPLY_WAIT_DAYS,
        },
    )


def citizen_answered(*, complaint, letter=None) -> int:
    return citizen_notify(
        complaint=complaint,
        kind="answered",
        event="0",
        values={
            "nomor_surat": letter.number if letter else "-",
            "tautan": citizen_link(complaint),
        },
        letter_id=letter.pk if letter else None,
    )


def citizen_withdrawn(*, complaint) -> int:
    return citizen_notify(
        complaint=complaint,
        kind="withdrawn",
        event="0",
        values={
            "batas_hari": settings.REPLY_WAIT_DAYS,
            "tautan": settings.PUBLIC_URL + reverse("public:form"),
        },
    )


def _emails_of(user_ids) -> dict[int, str]:
    if not user_ids:
        return {}
    users = User.objects.filter(pk__in=list(user_ids), is_active=True).exclude(email="")
    return dict(users.values_list("pk", "email"))


def _official_message(*, kind, event, complaint_id, user_id, email, rendered) -> dict:
    subject, body, params = rendered
    return {
        "event_key": f"{kind}:{complaint_id}:{event}:u{user_id}",
        "kind": kind,
        "channel": channel_for_email(),
        "to": email,
        "subject": subject,
        "body": body,
        "params": params,
        "complaint_id": complaint_id,
        "user_id": user_id,
    }


def _desk_link(complaint_id: int) -> str:
    return settings.PUBLIC_URL + reverse("desk:complaint", args=[complaint_id])


def officials_step_assigned(*, step, complaint) -> int:
    """A step opened: tell the officials who hold its role today, by email."""
    emails = _emails_of(officials_holding(roles=[step.role])[step.role])
    if not emails:
        return 0
    due = timezone.localtime(step.due_at).strftime("%d-%m-%Y %H:%M") if step.due_at else "-"
    rendered = _render(
        "step_assigned",
        settings.LANGUAGE_CODE,
        {
            "nomor_agenda": complaint.agenda_number,
            "perihal": complaint.subject,
            "pelapor": complainant_label(complaint),
            "langkah": complaint.sop_version.definition.step(step.step).title,
            "tenggat": due,
            "tautan": _desk_link(complaint.pk),
        },
    )
    return deliveries_enqueue(
        [
            _official_message(
                kind="step_assigned",
                event=str(step.pk),
                complaint_id=complaint.pk,
                user_id=user_id,
                email=email,
                rendered=rendered,
            )
            for user_id, email in emails.items()
        ]
    )


def officials_sla(*, notices, agenda_of: dict[int, str]) -> int:
    """The SLA sweep's notices (reminders, overdue steps) also go out by email.
    `agenda_of` maps each complaint id to its agenda number."""
    if not notices:
        return 0
    emails = _emails_of({n.recipient_id for n in notices})
    if not emails:
        return 0
    subject, body = message_text("sla", settings.LANGUAGE_CODE)
    rows = []
    for notice in notices:
        email = emails.get(notice.recipient_id)
        if not email:
            continue
        values = {
            "nomor_agenda": agenda_of.get(notice.complaint_id, ""),
            "isi": notice.text,
            "tautan": _desk_link(notice.complaint_id),
        }
        params = [str(values.get(n, "")) for n in KINDS["sla"].whatsapp_params]
        rows.append(
            _official_message(
                kind="sla",
                event=f"{notice.kind}:{notice.step_id}",
                complaint_id=notice.complaint_id,
                user_id=notice.recipient_id,
                email=email,
                rendered=(fill(subject, values), fill(body, values), params),
            )
        )
    return deliveries_enqueue(rows)
