"""The audit trail: read-only by design — there is no way to edit or delete."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from zhongshu.core import selectors
from zhongshu.core.models import AuditEntry
from zhongshu.web import audit_display
from zhongshu.web.decorators import company_page
from zhongshu.web.forms import AuditFilterForm
from zhongshu.web.http import CompanyPageRequest

ENTRIES_PER_PAGE = 25


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _render_entries(
    request: HttpRequest,
    template: str,
    entries: QuerySet[AuditEntry],
    context: dict[str, object],
) -> HttpResponse:
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    # htmx asks for the results only when filtering or turning pages.
    template_name = f"{template}#results" if is_htmx(request) else template
    return render(request, template_name, {**context, "page": page})


@company_page(permission="core.view_audit")
@require_safe
def audit_list(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    kinds, actions = audit_display.filter_choices(company)
    actors = {m.user_id: m.user.get_username() for m in selectors.list_members(company)}
    form = AuditFilterForm(
        request.GET or None, kinds=kinds, actions=actions, actors=sorted(actors.items())
    )
    entries = selectors.list_audit_entries(company, **form.filters())
    return _render_entries(request, "web/audit/list.html", entries, {"form": form})


@company_page(permission="core.view_audit")
@require_safe
def audit_detail(request: CompanyPageRequest, audit_entry_id: int) -> HttpResponse:
    entry = selectors.get_audit_entry(request.company, audit_entry_id)
    changes = audit_display.change_rows(entry)
    return render(
        request,
        "web/audit/detail.html",
        {
            "entry": entry,
            "changes": changes,
            # A creation records values only: no "before" column to show.
            "shows_before": any(change.has_old for change in changes),
        },
    )


@company_page(permission="core.view_audit")
@require_safe
def audit_object(
    request: CompanyPageRequest, kind: str, object_id: str
) -> HttpResponse:
    entries = selectors.list_audit_entries(
        request.company, object_kind=kind, object_id=object_id
    )
    # No entry in this company: the object is unknown here (or another
    # company's), which must look the same.
    if not entries.exists():
        raise Http404
    return _render_entries(
        request,
        "web/audit/object.html",
        entries,
        {"kind": kind, "object_id": object_id, "object_repr": entries[0].object_repr},
    )
