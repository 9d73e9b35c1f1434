"""The access log (who saw whose sensitive data) and the purge log (what retention deleted,
as counts)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.org.models import Agency, Employee


class DataCategory(models.TextChoices):
    """Kinds of personal data whose views are logged (DOMAIN.md section 10)."""

    SELFIE = "selfie", _("selfie")
    LOCATION = "location", _("location")
    HEALTH = "health", _("health data")
    FACE = "face", _("face reference")


class Channel(models.TextChoices):
    PAGE = "page", _("web page")
    API = "api", _("API")
    EXPORT = "export", _("export")


class AccessLog(models.Model):
    """One person's data of one category seen by someone else, once. A view of many people
    (a map, a queue) writes one row per person, sharing `event`."""

    at = models.DateTimeField(_("at"))
    event = models.UUIDField(_("event"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("viewed by"),
    )
    actor_name = models.CharField(_("viewer's name"), max_length=200)
    subject = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="+", verbose_name=_("whose data")
    )
    category = models.CharField(_("data"), max_length=10, choices=DataCategory.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    what = models.CharField(_("what"), max_length=200, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("from (IP)"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["subject", "at"]),
            models.Index(fields=["agency", "at"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} -> {self.subject_id} {self.category}"


class PurgeRun(models.Model):
    """One run of the retention purge (or its dry run): counts per rule, never content."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"))
    # {"selfies": {"rows": 12, "files": 12}, ...}
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("retention purge run")
        verbose_name_plural = _("retention purge runs")
        indexes = [models.Index(fields=["agency", "started_at"])]

    def __str__(self) -> str:
        dry = " (dry run)" if self.dry_run else ""
        return f"{self.agency_id} {self.started_at:%Y-%m-%d %H:%M}{dry}"
