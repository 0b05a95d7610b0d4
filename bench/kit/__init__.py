"""The benchmark kit behind `make bench` (bench/run.py): one load generator for Aduan and for
django-helpdesk, the scenarios of each, the in-process query counts, the batch jobs and the
report. Figures, not tests."""
