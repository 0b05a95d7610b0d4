"""The dashboard's running counts: small tables kept current by the services, in the same
transaction as the change they count (aduan.dashboard.tallies), so that a year's charts
read a few thousand rows instead of millions.

Days are the office's calendar days (settings.TIME_ZONE). `tallies_rebuild` recounts them
from the complaints and their steps; the tests hold the two in agreement.
"""

from django.db import models


class DayCounts(models.Model):
    """What a day's row of complaints counts, per category and channel (the office's and
    an official's own tables share it)."""

    day = models.DateField()
    # The Monday of the day's week and the first of its month: a year's charts group by
    # these in SQL and read a few hundred rows (the days of a period are filtered first).
    week = models.DateField()
    month = models.DateField()
    category = models.ForeignKey("complaints.Category", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16)
    answered = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    score_sum = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class StepDayCounts(models.Model):
    """What a day's row of step instances counts, per SOP step and category: decided (not
    the withdrawals' closes), within their standard, returns."""

    day = models.DateField()
    month = models.DateField()  # the first of the day's month
    step = models.CharField(max_length=32)
    category = models.ForeignKey("complaints.Category", on_delete=models.CASCADE, related_name="+")
    decided = models.PositiveIntegerField(default=0)
    within = models.PositiveIntegerField(default=0)
    returns = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DayCount(DayCounts):
    """Per office day, category and channel: complaints received, answered and withdrawn
    that day, and the ratings given that day (how many, and the sum of their scores)."""

    received = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "category", "channel"], name="daycount_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.category_id} {self.channel}"


class StepDayCount(StepDayCounts):
    """Per office day, SOP step and category: the office's step instances."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "step", "category"], name="stepdaycount_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.step} {self.category_id}"


# An official's own work (the dashboard of Staff, and of a Kasi who heads no section).
# A complaint is theirs once they have decided a step of it; each complaint counts once per
# official: taken up on the day of their first decision on it; answered and rated, for
# every official who decided a step of it before (docs/dashboard.md).


class OwnDayCount(DayCounts):
    """Per official, office day, category and channel: the complaints the official took up
    that day (their first decision on it), the complaints they had worked on that were
    answered that day, and the ratings given that day to complaints they worked on."""

    official = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    taken_up = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["official", "day", "category", "channel"], name="owndaycount_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official_id} {self.day} {self.category_id} {self.channel}"


class OwnStepDayCount(StepDayCounts):
    """Per official, office day, SOP step and category: the step instances the official
    decided that day."""

    official = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["official", "day", "step", "category"], name="ownstepdaycount_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official_id} {self.day} {self.step} {self.category_id}"


class OwnAnswer(models.Model):
    """An answered complaint, once for each official who decided a step of it: the median
    of an official's end-to-end minutes is one walk of (official, month, minutes)."""

    official = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey("complaints.Category", on_delete=models.CASCADE, related_name="+")
    answered_at = models.DateTimeField()
    answered_month = models.DateField()
    answer_minutes = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["official", "complaint"], name="ownanswer_unique_key"),
        ]
        indexes = [
            models.Index(
                fields=["official", "answered_month", "answer_minutes"],
                name="ownanswer_median",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official_id} {self.complaint_id} {self.answer_minutes}"
