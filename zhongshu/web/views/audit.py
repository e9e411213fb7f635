"""The audit trail: read-only by design — there is no way to edit or delete."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
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


def _filtered_entries(
    request: CompanyPageRequest,
) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    company = request.company
    kinds, actions = audit_display.filter_choices(company)
    actors = {m.user_id: m.user.get_username() for m in selectors.list_members(company)}
    form = AuditFilterForm(
        request.GET or None, kinds=kinds, actions=actions, actors=sorted(actors.items())
    )
    return form, selectors.list_audit_entries(company, **form.filters())


@company_page(permission="core.view_audit")
@require_safe
def audit_list(request: CompanyPageRequest) -> HttpResponse:
    form, entries = _filtered_entries(request)
    return _render_entries(request, "web/audit/list.html", entries, {"form": form})


class _Echo:
    """A file-like sink that hands each CSV row straight to the response."""

    def write(self, value: str) -> str:
        return value


@company_page(permission="core.view_audit")
@require_safe
def audit_export(request: CompanyPageRequest) -> StreamingHttpResponse:
    """The filtered trail as CSV. Reads stay open to read-only trial companies,
    so their data remains exportable."""
    company = request.company
    _form, entries = _filtered_entries(request)
    writer = csv.writer(_Echo())
    header = ["time", "user", "action", "object_kind", "object_id", "object",
              "changes", "ip_address"]  # fmt: skip

    def rows() -> Iterator[str]:
        # A BOM so Excel opens the UTF-8 file with Chinese text intact.
        yield "\ufeff" + writer.writerow(header)
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    entry.at.isoformat(),
                    entry.actor.get_username() if entry.actor else "",
                    entry.action,
                    entry.object_kind,
                    entry.object_id,
                    entry.object_repr,
                    json.dumps(entry.changes, ensure_ascii=False, sort_keys=True),
                    entry.ip_address or "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    filename = f"audit-{company.code}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
