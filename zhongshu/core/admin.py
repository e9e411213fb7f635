"""The site administrator's view: companies (with trial activation), the
read-only audit trail and the outbox."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhongshu.core import services
from zhongshu.core.models import AuditEntry, Company, Membership, OutboxEvent


class MembershipInline(admin.TabularInline[Membership, Company]):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin[Company]):
    list_display = (
        "code",
        "name",
        "uscc",
        "taxpayer_type",
        "trial_ends_on",
        "activated_at",
    )
    search_fields = ("code", "name", "uscc")
    list_filter = ("taxpayer_type", "accounting_standard")
    readonly_fields = ("activated_at", "created_at")
    inlines = (MembershipInline,)
    actions = ("activate",)

    @admin.action(description=_("Activate (end the trial)"))
    def activate(self, request: HttpRequest, queryset: QuerySet[Company]) -> None:
        for company in queryset:
            services.activate_company(company=company, actor=request.user)  # type: ignore[arg-type]
        self.message_user(request, _("Activated."), messages.SUCCESS)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = (
        "at",
        "company",
        "actor",
        "action",
        "object_kind",
        "object_id",
        "ip_address",
    )
    list_filter = ("action", "object_kind")
    list_select_related = ("company", "actor")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin[OutboxEvent]):
    list_display = ("id", "event_type", "created_at", "dispatched_at", "attempts")
    list_filter = ("event_type",)
    readonly_fields = (
        "event_type",
        "payload",
        "created_at",
        "dispatched_at",
        "attempts",
        "last_error",
    )
