from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The office at a glance: the dashboard for each level and the monthly recap."""

    name = "aduan.dashboard"
    verbose_name = "Dasbor"
