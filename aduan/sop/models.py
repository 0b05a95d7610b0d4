from django.db import models

from aduan.sop.definition import SopDefinition, parse_definition

_definitions: dict[int, SopDefinition] = {}


class SopVersion(models.Model):
    """One loaded SOP definition, immutable once stored.

    Complaints point at the version they started under; loading a changed file makes a
    new version and leaves running complaints where they are.
    """

    code = models.CharField(max_length=100)
    name = models.CharField(max_length=300)
    content_hash = models.CharField(max_length=64, unique=True)
    source_name = models.CharField(max_length=300)
    source_text = models.TextField()
    loaded_at = models.DateTimeField()
    # The version in force is the one activated last (loading an older file again
    # puts it back in force without copying it): the highest activation number.
    activation = models.PositiveIntegerField(unique=True)
    activated_at = models.DateTimeField()

    class Meta:
        verbose_name = "versi SOP"
        verbose_name_plural = "versi SOP"
        ordering = ["-activation"]

    def __str__(self) -> str:
        return f"{self.code} ({self.content_hash[:10]})"

    @property
    def definition(self) -> SopDefinition:
        cached = _definitions.get(self.pk)
        if cached is None or cached.content_hash != self.content_hash:
            cached = parse_definition(self.source_text, source=self.source_name)
            _definitions[self.pk] = cached
        return cached
