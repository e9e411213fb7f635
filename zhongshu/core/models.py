"""Tables of the platform: companies (tenants), memberships, API tokens,
numbering, audit trail, the event outbox and idempotency records."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaxpayerType(models.TextChoices):
    GENERAL = "general", _("General VAT taxpayer")
    SMALL_SCALE = "small_scale", _("Small-scale taxpayer")


class AccountingStandard(models.TextChoices):
    SMALL_ENTERPRISE = (
        "small_enterprise",
        _("Accounting Standards for Small Enterprises"),
    )
    ENTERPRISE = "enterprise", _("Accounting Standards for Business Enterprises")


class Currency(models.TextChoices):
    CNY = "CNY", _("Chinese yuan (CNY)")


class Company(models.Model):
    """A tenant (账套). Not tenant-owned itself: its code is globally unique."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, default=""
    )
    taxpayer_type = models.CharField(
        _("taxpayer type"),
        max_length=16,
        choices=TaxpayerType.choices,
        default=TaxpayerType.GENERAL,
    )
    base_currency = models.CharField(
        _("base currency"), max_length=3, choices=Currency.choices, default=Currency.CNY
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year start month"), default=1
    )
    accounting_standard = models.CharField(
        _("accounting standard"),
        max_length=20,
        choices=AccountingStandard.choices,
        default=AccountingStandard.SMALL_ENTERPRISE,
    )
    trial_ends_on = models.DateField(_("trial ends on"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering: ClassVar = ["code"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(fiscal_year_start_month__gte=1)
                & models.Q(fiscal_year_start_month__lte=12),
                name="company_fiscal_month_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_trial(self) -> bool:
        return self.trial_ends_on is not None and self.activated_at is None

    def is_read_only_on(self, day: datetime.date) -> bool:
        """A trial company turns read-only the day after its last trial day."""
        return (
            self.is_trial
            and self.trial_ends_on is not None
            and day > self.trial_ends_on
        )


class Role(models.TextChoices):
    OWNER = "owner", _("Owner / boss")
    ACCOUNTANT = "accountant", _("Accountant")
    CASHIER = "cashier", _("Cashier")
    SALES = "sales", _("Sales")
    PURCHASER = "purchaser", _("Purchaser")
    WAREHOUSE = "warehouse", _("Warehouse keeper")
    HR = "hr", _("HR")
    PRODUCTION = "production", _("Production")
    AUDITOR = "auditor", _("Auditor (read-only)")


class Membership(models.Model):
    """One role of one user in one company; a user may hold several roles."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "user", "role"], name="membership_unique_role"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["user", "company"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company.code}: {self.role}"


class ApiToken(models.Model):
    """A personal API token, scoped to one company. Only a hash is stored."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "user", "name"], name="api_token_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SequenceReset(models.TextChoices):
    YEARLY = "yearly", _("every year")
    MONTHLY = "monthly", _("every month")
    NEVER = "never", _("never")


class NumberingRule(models.Model):
    """A company's numbering pattern for one document type, e.g. SO-{year}-{seq:06}."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("document type"), max_length=64)
    pattern = models.CharField(_("pattern"), max_length=64)
    reset = models.CharField(
        _("restart numbering"),
        max_length=8,
        choices=SequenceReset.choices,
        default=SequenceReset.YEARLY,
    )

    class Meta:
        verbose_name = _("numbering rule")
        verbose_name_plural = _("numbering rules")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "key"], name="numbering_rule_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.pattern}"


class NumberSequence(models.Model):
    """The next number of one document type in one cycle (year, month or ever)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    cycle = models.CharField(max_length=8, blank=True, default="")
    next_value = models.PositiveBigIntegerField(default=1)
    last_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "key", "cycle"], name="number_sequence_cycle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}/{self.cycle or '-'}: next {self.next_value}"


class ImmutableQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail cannot be deleted.")


class AuditEntry(models.Model):
    """Who did what to which object, when and from where. Written once, never edited."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    action = models.CharField(_("action"), max_length=32)
    object_kind = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200, blank=True, default="")
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering: ClassVar = ["-at", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["company", "object_kind", "object_id"]),
            models.Index(fields=["company", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_kind}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail cannot be deleted.")


class OutboxEvent(models.Model):
    """A domain event written in its publisher's transaction, dispatched later."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    event_type = models.CharField(max_length=200)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        indexes: ClassVar = [models.Index(fields=["dispatched_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event_type}#{self.pk}"


class HandledEvent(models.Model):
    """One handler's successful run of one event, so a retry skips finished handlers."""

    event = models.ForeignKey(
        OutboxEvent, on_delete=models.CASCADE, related_name="handled"
    )
    handler = models.CharField(max_length=200)
    handled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["event", "handler"], name="handled_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.handler} ← {self.event_id}"


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an Idempotency-Key, replayed on retries."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    principal = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "principal", "key"], name="idempotency_key_once"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.principal}:{self.key}"


class SavedSearch(models.Model):
    """A list page's filter kept under a name by one user (保存的查询).

    Personal: only its user sees, applies or deletes it, in its company.
    ``page_key`` names the list page (its URL name, e.g. ``sales_orders``);
    ``query_string`` holds only that list's filter parameters.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    page_key = models.CharField(_("page"), max_length=64)
    name = models.CharField(_("name"), max_length=60)
    query_string = models.CharField(
        _("query string"), max_length=2000, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering: ClassVar = ["name", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "user", "page_key", "name"],
                name="saved_search_unique_name",
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_key}: {self.name}"
