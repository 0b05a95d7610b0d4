"""Keys are made by the command or the admin, shown once, kept as hashes, and revoked."""

import hashlib

import pytest
from django.core.management import CommandError, call_command

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint
from aduan.open311.models import Open311Key


def run(*args) -> list[str]:
    from io import StringIO

    out = StringIO()
    call_command("open311_key", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_create_prints_the_key_as_its_last_line_and_the_key_works(client, sop_version, category):
    secret = run("create", "LAPOR! connector")[-1]
    key = Open311Key.objects.get(name="LAPOR! connector")
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(key.prefix) and secret not in key.key_hash
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": secret,
            "service_code": category.code,
            "description": "Data KK tidak sesuai",
            "phone": "081234567890",
        },
    )
    assert response.status_code == 200
    assert Complaint.objects.get().open311_request.key == key
    assert AuditEvent.objects.filter(action="open311.key_created").count() == 1


def test_a_revoked_key_gets_the_open311_403(client, sop_version, category):
    secret = run("create", "mitra")[-1]
    assert "revoked" in run("revoke", "mitra")[-1]
    response = client.post(
        "/open311/v2/requests.xml",
        {"api_key": secret, "service_code": category.code, "description": "x", "phone": "0812"},
    )
    assert response.status_code == 403
    assert b"<errors><error><code>403</code>" in response.content
    assert AuditEvent.objects.filter(action="open311.key_revoked").count() == 1


def test_a_key_revoked_after_use_is_refused_at_once_though_the_server_remembers_it(
    client, sop_version, category
):
    """The server remembers a key it found for a minute, and the statement that stores a
    filing checks the key is still good: revoked, the next POST is refused, with nothing
    stored or counted, whatever else is wrong with it."""
    from aduan.public.models import RateCounter

    secret = run("create", "mitra")[-1]
    filing = {"api_key": secret, "service_code": category.code, "phone": "0812345678"}
    first = client.post("/open311/v2/requests.json", filing | {"description": "KK salah"})
    assert first.status_code == 200
    run("revoke", "mitra")
    again = client.post("/open311/v2/requests.json", filing | {"description": "KK salah"})
    no_description = client.post("/open311/v2/requests.json", filing)
    assert again.status_code == no_description.status_code == 403
    assert "api_key" in again.json()[0]["description"]
    assert Complaint.objects.count() == 1
    assert RateCounter.objects.get().hits == 1


def test_a_service_closed_after_use_takes_no_more_filings(client, sop_version, category):
    secret = run("create", "mitra")[-1]
    filing = {
        "api_key": secret,
        "service_code": category.code,
        "phone": "0812345678",
        "description": "KK salah",
    }
    assert client.post("/open311/v2/requests.json", filing).status_code == 200
    category.is_active = False
    category.save()
    closed = client.post("/open311/v2/requests.json", filing)
    assert closed.status_code == 400
    assert f"layanan “{category.code}” tidak dikenal" in closed.json()[0]["description"]
    assert Complaint.objects.count() == 1


def test_revoke_by_prefix_and_list(db):
    secret = run("create", "mitra")[-1]
    run("revoke", secret[:8])
    (line,) = run("list")
    assert line.startswith(secret[:8]) and "mitra" in line and "revoked" in line
    assert secret not in line


def test_a_name_is_reused_only_after_revoking(db):
    run("create", "mitra")
    with pytest.raises(CommandError, match="revoke it first"):
        run("create", "mitra")
    run("revoke", "mitra")
    run("create", "mitra")
    assert Open311Key.objects.filter(name="mitra").count() == 2


def test_revoking_an_unknown_key_says_so(db):
    with pytest.raises(CommandError, match="No active key"):
        run("revoke", "tidak-ada")


def test_the_admin_shows_a_new_key_once_and_revokes_it(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@example.test", "x-long-pass")
    client.force_login(admin)
    response = client.post(
        "/admin/open311/open311key/add/", {"name": "Aplikasi warga"}, follow=True
    )
    assert response.status_code == 200
    key = Open311Key.objects.get(name="Aplikasi warga")
    shown = [str(m) for m in response.context["messages"]]
    (message,) = [m for m in shown if "tidak akan ditampilkan lagi" in m]
    secret = next(word for word in message.split() if word.startswith(key.prefix))
    assert hashlib.sha256(secret.encode()).hexdigest() == key.key_hash
    assert AuditEvent.objects.get(action="open311.key_created").actor_id == admin.pk
    # Shown once: the key's own page does not have it.
    page = client.get(f"/admin/open311/open311key/{key.pk}/change/")
    assert secret not in page.content.decode()
    client.post(
        "/admin/open311/open311key/",
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert key.revoked_at is not None
    again = client.post("/admin/open311/open311key/add/", {"name": "Aplikasi warga"})
    assert again.status_code == 302  # no active key of that name left: a new one is made
    assert Open311Key.objects.filter(name="Aplikasi warga").count() == 2
    twice = client.post("/admin/open311/open311key/add/", {"name": "Aplikasi warga"})
    assert "cabut dulu" in twice.content.decode()
    assert AuditEvent.objects.get(action="open311.key_revoked").actor_id == admin.pk


def test_no_key_starts_with_a_dash_so_its_prefix_is_not_taken_for_an_option(db, monkeypatch):
    """token_urlsafe starts with "-" once in 64 keys: `revoke -AbC…` would then fail."""
    drawn = iter(["-starts-with-a-dash-xxxxxxxxxxxxxxxxxxxxxxxxxx", "Good-key-xxxxxxxxxxxxxxxxxx"])
    monkeypatch.setattr("aduan.open311.keys.secrets.token_urlsafe", lambda n: next(drawn))
    secret = run("create", "mitra")[-1]
    assert secret.startswith("Good-key")
    run("revoke", secret[:8])
    assert "revoked" in run("list")[0]
