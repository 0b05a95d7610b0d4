"""A bench-only Django app: one view doing one INSERT (the framework's limit on this machine,
beside Aduan's own filing rate). Enabled only by its settings module
(`DJANGO_SETTINGS_MODULE=bench.insertsite.settings`), never by Aduan's settings."""
