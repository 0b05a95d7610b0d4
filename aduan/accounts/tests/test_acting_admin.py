"""The administrator appoints acting officials in the admin; every appointment, change and
removal is checked beside its fields and recorded in the audit log with the admin as actor.
"""

import datetime as dt
import re

import pytest

from aduan.accounts.models import RoleGrant, User
from aduan.audit.models import AuditEvent

LEAVE = dt.date(2026, 3, 9), dt.date(2026, 3, 13)


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("admin", "admin@example.test", "x-long-password")


@pytest.fixture
def admin_client(client, admin_user, time_machine):
    time_machine.move_to("2026-03-10 09:00 +0700", tick=False)
    client.force_login(admin_user)
    return client


def user_url(user) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def row(grant: RoleGrant) -> dict:
    """An existing grant as its inline row posts it back."""
    return {
        "id": grant.pk,
        "role": grant.role,
        "kind": grant.kind,
        "unit": grant.unit_id or "",
        "starts_on": grant.starts_on.isoformat() if grant.starts_on else "",
        "ends_on": grant.ends_on.isoformat() if grant.ends_on else "",
        "note": grant.note,
    }


def user_form(user, rows: list[dict]) -> dict:
    """The official's change form as the admin posts it, with these grant rows (existing
    rows carry their id)."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "08:00:00",
        "nip": user.nip,
        "position": user.position,
        "role_grants-TOTAL_FORMS": str(len(rows)),
        "role_grants-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "role_grants-MIN_NUM_FORMS": "0",
        "role_grants-MAX_NUM_FORMS": "1000",
    }
    for i, fields in enumerate(rows):
        fields = {"user": user.pk, "unit": "", "starts_on": "", "ends_on": "", "note": ""} | fields
        data.update({f"role_grants-{i}-{name}": value for name, value in fields.items()})
    return data


def plh_kabid(**changes) -> dict:
    return {
        "role": "kabid",
        "kind": "plh",
        "starts_on": "2026-03-09",
        "ends_on": "2026-03-13",
        "note": "Sprint 800/45/417.302/2026",
    } | changes


def grant_errors(response, index: int) -> dict:
    formset = response.context["inline_admin_formsets"][0].formset
    return formset.forms[index].errors


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def events(action: str):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_the_admin_appoints_wati_plh_kabid_and_the_appointment_is_audited(
    admin_client, admin_user, wati
):
    kasi = wati.role_grants.get()
    response = admin_client.post(user_url(wati), user_form(wati, [row(kasi), plh_kabid()]))

    assert response.status_code == 302
    grant = wati.role_grants.get(role="kabid")
    assert (grant.kind, grant.starts_on, grant.ends_on) == ("plh", *LEAVE)
    [event] = events("role_grant.created")
    assert event.actor == admin_user
    assert (event.target_type, event.target_id) == ("accounts.rolegrant", str(grant.pk))
    assert event.data == {
        "user": wati.pk,
        "user_label": "Wati",
        "role": "kabid",
        "kind": "plh",
        "unit_id": None,
        "starts_on": "2026-03-09",
        "ends_on": "2026-03-13",
        "note": "Sprint 800/45/417.302/2026",
    }
    assert events("role_grant.changed") == []  # her Kasi grant was posted back unchanged


def test_missing_dates_are_said_beside_the_fields_and_nothing_is_saved(admin_client, wati):
    kasi = wati.role_grants.get()
    response = admin_client.post(
        user_url(wati), user_form(wati, [row(kasi), plh_kabid(starts_on="", ends_on="")])
    )

    assert response.status_code == 200
    assert grant_errors(response, 1) == {
        "starts_on": ["Isi tanggal mulai penunjukan Plt./Plh."],
        "ends_on": ["Isi tanggal akhir penunjukan Plt./Plh."],
    }
    assert "Isi tanggal akhir penunjukan Plt./Plh." in page_text(response)
    assert not wati.role_grants.filter(role="kabid").exists()
    assert events("role_grant.created") == []


def test_an_end_before_the_start_is_said_beside_the_end_date(admin_client, wati):
    kasi = wati.role_grants.get()
    response = admin_client.post(
        user_url(wati),
        user_form(wati, [row(kasi), plh_kabid(starts_on="2026-03-13", ends_on="2026-03-09")]),
    )

    assert response.status_code == 200
    assert grant_errors(response, 1) == {
        "ends_on": ["Tanggal akhir tidak boleh sebelum tanggal mulai."]
    }
    assert not wati.role_grants.filter(role="kabid").exists()


def test_a_second_definitive_grant_of_the_same_role_is_refused_not_a_server_error(
    admin_client, wati
):
    kasi = wati.role_grants.get()
    response = admin_client.post(
        user_url(wati), user_form(wati, [row(kasi), {"role": "kasi", "kind": "definitive"}])
    )
    assert response.status_code == 200
    assert grant_errors(response, 1) == {
        "role": ["Peran ini sudah diberikan secara definitif di atas."]
    }

    response = admin_client.post(
        "/admin/accounts/rolegrant/add/", {"user": wati.pk, "role": "kasi", "kind": "definitive"}
    )
    assert response.status_code == 200
    assert "Pejabat ini sudah memegang peran ini secara definitif." in page_text(response)
    assert list(wati.role_grants.values_list("role", flat=True)) == ["kasi"]


def test_extending_an_appointment_records_what_changed(admin_client, admin_user, wati):
    kasi = wati.role_grants.get()
    grant = RoleGrant.objects.create(
        user=wati, role="kabid", kind="plh", starts_on=LEAVE[0], ends_on=LEAVE[1]
    )
    response = admin_client.post(
        user_url(wati), user_form(wati, [row(kasi), row(grant) | {"ends_on": "2026-03-20"}])
    )

    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.ends_on == dt.date(2026, 3, 20)
    [event] = events("role_grant.changed")
    assert event.actor == admin_user
    assert event.data["changed"] == {"ends_on": ["2026-03-13", "2026-03-20"]}
    assert event.data["ends_on"] == "2026-03-20"


def test_ending_an_appointment_by_removing_it_is_audited(admin_client, admin_user, wati):
    kasi = wati.role_grants.get()
    grant = RoleGrant.objects.create(
        user=wati, role="kabid", kind="plh", starts_on=LEAVE[0], ends_on=LEAVE[1]
    )
    response = admin_client.post(
        user_url(wati), user_form(wati, [row(kasi), row(grant) | {"DELETE": "on"}])
    )

    assert response.status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    [event] = events("role_grant.deleted")
    assert (event.actor, event.target_id) == (admin_user, str(grant.pk))
    assert (event.data["role"], event.data["kind"], event.data["ends_on"]) == (
        "kabid",
        "plh",
        "2026-03-13",
    )


def test_the_grant_list_shows_who_acts_for_what_and_until_when(admin_client, wati, agus, hadi):
    RoleGrant.objects.create(
        user=wati, role="kabid", kind="plh", starts_on=LEAVE[0], ends_on=LEAVE[1]
    )
    RoleGrant.objects.create(
        user=agus,
        role="kadis",
        kind="plt",
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2026, 9, 30),
    )

    text = page_text(admin_client.get("/admin/accounts/rolegrant/?berlaku=kini"))
    assert "Wati kabid Plh. (pelaksana harian, pejabat berhalangan sementara)" in text
    assert "9 Maret 2026 13 Maret 2026" in text
    assert "Agus kadis" not in text  # his appointment begins in April

    text = page_text(admin_client.get("/admin/accounts/rolegrant/?berlaku=nanti"))
    assert "Agus kadis Plt. (pelaksana tugas, jabatan kosong) 1 April 2026 30 Sep. 2026" in (text)
    assert "Wati" not in text

    text = page_text(admin_client.get("/admin/accounts/rolegrant/?kind=plt"))
    assert "Agus" in text and "Hadi" not in text


def test_the_grant_admin_audits_appointments_changes_and_removals(
    admin_client, admin_user, wati, agus
):
    response = admin_client.post(
        "/admin/accounts/rolegrant/add/", {"user": agus.pk, "unit": ""} | plh_kabid(role="kadis")
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=agus, role="kadis")

    response = admin_client.post(
        f"/admin/accounts/rolegrant/{grant.pk}/change/",
        {"user": agus.pk} | row(grant) | {"kind": "plt", "id": ""},
    )
    assert response.status_code == 302

    response = admin_client.post(f"/admin/accounts/rolegrant/{grant.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    wati_kasi = wati.role_grants.get()
    response = admin_client.post(
        "/admin/accounts/rolegrant/",
        {"action": "delete_selected", "_selected_action": [wati_kasi.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(pk__in=[grant.pk, wati_kasi.pk]).exists()

    audited = [
        (e.action, e.data["user_label"], e.data["role"], e.actor)
        for e in AuditEvent.objects.filter(action__startswith="role_grant.").order_by("id")
    ]
    assert audited == [
        ("role_grant.created", "Agus", "kadis", admin_user),
        ("role_grant.changed", "Agus", "kadis", admin_user),
        ("role_grant.deleted", "Agus", "kadis", admin_user),
        ("role_grant.deleted", "Wati", "kasi", admin_user),
    ]
    changed = AuditEvent.objects.get(action="role_grant.changed")
    assert changed.data["changed"] == {"kind": ["plh", "plt"]}


def test_the_grant_admin_says_a_missing_end_date_beside_the_field(admin_client, agus):
    response = admin_client.post(
        "/admin/accounts/rolegrant/add/",
        {"user": agus.pk, "unit": ""} | plh_kabid(role="kadis", ends_on=""),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "ends_on": ["Isi tanggal akhir penunjukan Plt./Plh."]
    }
    assert events("role_grant.created") == []


def test_deleting_an_official_records_the_removal_of_their_grants(admin_client, admin_user):
    from conftest import make_official

    joko = make_official("joko", "Joko", "staff")
    response = admin_client.post(f"/admin/accounts/user/{joko.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    [event] = events("role_grant.deleted")
    assert (event.actor, event.data["user_label"], event.data["role"]) == (
        admin_user,
        "Joko",
        "staff",
    )
