"""Loading SOP definitions into versions."""

from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from aduan.audit.services import audit_record
from aduan.sop.definition import SopDefinitionError, parse_definition
from aduan.sop.models import SopVersion


def sop_load(*, path: Path | str | None = None, actor=None) -> tuple[SopVersion, bool]:
    """Validate a definition file and put it in force.

    Returns (version, created). Loading a file whose content is already stored creates
    nothing; if that version is not the one in force, it is put back in force.
    Raises SopDefinitionError (naming the file and line) for a broken file.
    """
    path = Path(path or settings.DEFAULT_SOP_FILE)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SopDefinitionError(str(path), None, "no such file") from None
    definition = parse_definition(text, source=str(path))
    now = timezone.now()
    with transaction.atomic():
        existing = SopVersion.objects.filter(content_hash=definition.content_hash).first()
        if existing is not None:
            current = sop_version_in_force()
            if current is None or current.pk != existing.pk:
                SopVersion.objects.filter(pk=existing.pk).update(
                    activation=_next_activation(), activated_at=now
                )
                audit_record(
                    action="sop.activated",
                    actor=actor,
                    target=existing,
                    data={"code": existing.code, "hash": existing.content_hash},
                )
            return existing, False
        try:
            with transaction.atomic():
                version = SopVersion.objects.create(
                    code=definition.code,
                    name=definition.name,
                    content_hash=definition.content_hash,
                    source_name=path.name,
                    source_text=text,
                    loaded_at=now,
                    activation=_next_activation(),
                    activated_at=now,
                )
        except IntegrityError:
            # Another process loaded a file at the same moment: the same one, or another.
            same = SopVersion.objects.filter(content_hash=definition.content_hash).first()
            if same is None:
                raise
            return same, False
        audit_record(
            action="sop.loaded",
            actor=actor,
            target=version,
            data={"code": version.code, "hash": version.content_hash, "file": path.name},
        )
    return version, True


def sop_version_in_force() -> SopVersion | None:
    return SopVersion.objects.order_by("-activation").first()


def _next_activation() -> int:
    return (SopVersion.objects.aggregate(last=Max("activation"))["last"] or 0) + 1
