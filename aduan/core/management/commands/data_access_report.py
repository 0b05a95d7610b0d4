"""List whose personal data the access log shows was touched in a period (docs/breach.md)."""

import csv
import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from aduan.audit.services import audit_record
from aduan.core.data_access import ACTIONS, data_access_rows
from aduan.lib.sheets import csv_cell

HEADER = [
    "at",
    "actor",
    "action",
    "agenda_number",
    "tracking_code",
    "complainant_masked",
    "phone_given",
    "email_given",
    "nik_given",
]


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD.") from None


def _yes(value: bool) -> str:
    return "yes" if value else "no"


class Command(BaseCommand):
    help = (
        "From the audit log, every showing, download or export of complainants' personal data "
        "between two dates (office time, both included), with the complaints each touched: "
        "agenda number, tracking code, the complainant masked, and whether a phone, an email "
        "and a NIK are held (never the values). For the breach procedure (docs/breach.md). "
        f"Actions read: {', '.join(ACTIONS)}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--actor", help="only this official (username)")
        parser.add_argument("--format", choices=("text", "csv"), default="text")

    def handle(self, *args, first: str, last: str, actor: str | None, format: str, **options):
        first_day, last_day = _day(first), _day(last)
        if last_day < first_day:
            raise CommandError("--to is before --from.")
        if actor is not None and not get_user_model().objects.filter(username=actor).exists():
            raise CommandError(f"There is no official with the username {actor!r}.")
        rows = list(data_access_rows(first=first_day, last=last_day, actor=actor))
        complaints = {row.complaint.id: row.complaint for row in rows if row.complaint}
        audit_record(
            action="data_access.reported",
            data={
                "from": first_day,
                "to": last_day,
                "actor": actor or "",
                "rows": len(rows),
                "complaints": len(complaints),
            },
        )
        if format == "csv":
            self._csv(rows)
        else:
            self._text(rows, complaints, first_day, last_day, actor)

    def _csv(self, rows) -> None:
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(HEADER)
        for row in rows:
            touched = row.complaint
            writer.writerow(
                [csv_cell(row.at.isoformat(timespec="seconds")), csv_cell(row.actor), row.action]
                + (
                    [
                        csv_cell(touched.agenda_number),
                        csv_cell(touched.tracking_code),
                        csv_cell(touched.complainant),
                        _yes(touched.phone),
                        _yes(touched.email),
                        _yes(touched.nik),
                    ]
                    if touched
                    else ["", "", "", "", "", ""]
                )
            )

    def _text(self, rows, complaints, first_day, last_day, actor) -> None:
        out = self.stdout
        who = f", official {actor}" if actor else ""
        out.write(f"Access to personal data from {first_day} to {last_day}{who}")
        out.write(f"{len(rows)} accesses, {len(complaints)} complaints touched\n")
        for row in rows:
            touched = row.complaint
            target = (
                f"{touched.agenda_number} {touched.tracking_code} {touched.complainant}"
                if touched
                else "(no complaint selected)"
            )
            out.write(
                f"{row.at:%Y-%m-%d %H:%M} {row.actor:<24} {row.action:<22} {target}  [{row.what}]"
            )
        if not complaints:
            return
        out.write("\nComplaints touched (whom to notify):")
        out.write(f"{'agenda':<12} {'tracking code':<14} {'complainant':<24} phone email nik")
        for touched in sorted(complaints.values(), key=lambda t: t.agenda_number.split("/")[::-1]):
            out.write(
                f"{touched.agenda_number:<12} {touched.tracking_code:<14} "
                f"{touched.complainant:<24} {_yes(touched.phone):<5} {_yes(touched.email):<5} "
                f"{_yes(touched.nik)}"
            )
        neither = sum(1 for t in complaints.values() if not (t.phone or t.email))
        if neither:
            out.write(
                f"\n{neither} of them gave neither a phone nor an email: notify them by a public "
                "announcement (docs/breach.md)."
            )
