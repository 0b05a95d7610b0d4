"""The sign-in steps after the password, and Keamanan akun; included by aduan.desk.urls
(names in the "desk" namespace)."""

from django.urls import path

from aduan.accounts import security_views, views

urlpatterns = [
    path("masuk/kode/", views.login_code, name="login_code"),
    path("masuk/autentikator/", security_views.login_enrol, name="login_enrol"),
    path("akun/keamanan/", security_views.account_security, name="account_security"),
    path(
        "akun/keamanan/autentikator/",
        security_views.account_totp_enrol,
        name="account_totp_enrol",
    ),
    path(
        "akun/keamanan/autentikator/matikan/",
        security_views.account_totp_disable,
        name="account_totp_disable",
    ),
    path(
        "akun/keamanan/kode-cadangan/",
        security_views.account_recovery_renew,
        name="account_recovery_renew",
    ),
]
