"""The second factor of officials' sign-in: an authenticator app (TOTP) and one-time
recovery codes. Enrolling, disabling, renewing the codes and using one are audited."""

import secrets

import segno
from django.db import transaction
from django.utils import timezone

from aduan.accounts import totp
from aduan.accounts.models import RecoveryCode, TotpDevice, User
from aduan.accounts.sealing import code_digest, seal, unseal
from aduan.audit.services import audit_record

ISSUER = "Aduan Disdukcapil"
RECOVERY_CODE_COUNT = 8
# No 0/o, 1/l/i: read off paper and typed by hand.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _now() -> float:
    return timezone.now().timestamp()


def has_second_factor(*, user: User) -> bool:
    return TotpDevice.objects.filter(user=user).exists()


def totp_qr_svg(*, secret: str, user: User) -> str:
    """The enrolment QR code, as inline SVG (no script, no image request)."""
    uri = totp.provisioning_uri(secret, account=user.get_username(), issuer=ISSUER)
    return segno.make(uri, error="m").svg_inline(scale=4, title=ISSUER)


def _recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _recovery_codes_replace(user: User) -> list[str]:
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=code_digest(_normalise(code))) for code in codes
    )
    return codes


def totp_enrol(*, user: User, secret: str, code: str) -> list[str] | None:
    """Keep `secret` as the user's authenticator if `code` is its current code; return the
    new recovery codes (to show once), or None when the code is wrong."""
    step = totp.matching_step(secret, code, at=_now())
    if step is None:
        return None
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        TotpDevice.objects.create(user=user, secret_sealed=seal(secret), last_step=step)
        codes = _recovery_codes_replace(user)
        audit_record(action="totp.enrolled", actor=user, target=user, data={})
    return codes


def second_factor_verify(*, user: User, code: str) -> str | None:
    """Check a code typed after the password: "totp" for the authenticator's code (each
    code is accepted once), "recovery" for an unused recovery code (then spent, audited),
    or None."""
    code = code.strip()
    digits = "".join(code.split())
    if digits.isdigit() and len(digits) == totp.DIGITS:
        device = TotpDevice.objects.filter(user=user).first()
        if device is None:
            return None
        step = totp.matching_step(
            unseal(device.secret_sealed), digits, at=_now(), after_step=device.last_step
        )
        # The conditional update makes the code good once, even for two requests at once.
        if step is not None and TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(
            last_step=step
        ):
            return "totp"
        return None
    normalised = _normalise(code)
    if not normalised:
        return None
    with transaction.atomic():
        spent = RecoveryCode.objects.filter(
            user=user, code_hash=code_digest(normalised), used_at__isnull=True
        ).update(used_at=timezone.now())
        if not spent:
            return None
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        audit_record(
            action="totp.recovery_used", actor=user, target=user, data={"codes_left": left}
        )
    return "recovery"


def recovery_codes_left(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes (the old ones stop working), to show once."""
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        audit_record(action="totp.recovery_renewed", actor=user, target=user, data={})
    return codes


def totp_disable(*, user: User, actor: User) -> None:
    """Remove the user's authenticator and recovery codes (by themselves, or by an
    administrator when the phone is lost)."""
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit_record(
            action="totp.disabled", actor=actor, target=user, data={"by_self": actor == user}
        )
