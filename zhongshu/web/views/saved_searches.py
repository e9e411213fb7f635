"""Saved searches on the list pages: the box above a list (its links and the
"save current search" form) and the two posts that change it.

Both posts answer an htmx request with the box re-rendered, and a plain form
post with a redirect back to the list, so the box works without JavaScript.
Under htmx the save form sends the filter form's current fields (the address
may have changed since the page was drawn); without it, the ``query`` field
carries the query string the page was opened with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongshu.core import saved_searches
from zhongshu.core.errors import DomainError
from zhongshu.web.decorators import can, company_page, require
from zhongshu.web.http import CompanyPageRequest, acting_user
from zhongshu.web.views.partners import common as partners_common
from zhongshu.web.views.partners.forms import CustomerFilterForm, SupplierFilterForm
from zhongshu.web.views.sales import common as sales_common
from zhongshu.web.views.sales.forms import DocumentFilterForm
from zhongshu.web.views.sales.lists import SPECS as SALES_LISTS

TEMPLATE = "web/_saved_searches.html"
NAME_FIELD = "search_name"
QUERY_FIELD = "query"


@dataclass(frozen=True, slots=True)
class SearchablePage:
    """A list page that keeps saved searches: its filter parameters, and the
    permission that opens it."""

    params: frozenset[str]
    permission: str


_SALES = SearchablePage(frozenset(DocumentFilterForm.base_fields), sales_common.VIEW)
# Keyed by the list's URL name, which is also the saved search's page key.
PAGES: dict[str, SearchablePage] = {
    **{f"sales_{name}": _SALES for name in SALES_LISTS},
    "partners_customers": SearchablePage(
        frozenset(CustomerFilterForm.base_fields), partners_common.VIEW
    ),
    "partners_suppliers": SearchablePage(
        frozenset(SupplierFilterForm.base_fields), partners_common.VIEW
    ),
}


def searchable_page(page_key: str) -> SearchablePage:
    page = PAGES.get(page_key)
    if page is None:
        raise Http404(_("This page cannot keep saved searches."))
    return page


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _current_query(request: HttpRequest) -> str:
    """The query string of the list the user is looking at."""
    current_url = request.headers.get("HX-Current-URL", "")
    if current_url:
        return urlsplit(current_url).query
    if request.method == "POST":
        return request.POST.get(QUERY_FIELD, "")
    return request.GET.urlencode()


def _list_url(page_key: str, query: str) -> str:
    return reverse(page_key) + (f"?{query}" if query else "")


def box_context(
    request: CompanyPageRequest,
    page_key: str,
    *,
    name: str = "",
    error: str = "",
) -> dict[str, Any]:
    """What the box shows: the user's searches of the page, links with their
    filters, and the current filter to save."""
    page = searchable_page(page_key)
    try:
        query = saved_searches.clean_query(_current_query(request), page.params)
    except DomainError:
        query = ""
    searches = saved_searches.list_for(request.company, acting_user(request), page_key)
    return {
        "page_key": page_key,
        "list_url": reverse(page_key),
        "searches": [
            {"search": search, "url": _list_url(page_key, search.query_string)}
            for search in searches
        ],
        "query": query,
        "name": name,
        "error": error,
        "name_field": NAME_FIELD,
        "name_max_length": saved_searches.NAME_MAX_LENGTH,
        "may_save": can(request, page.permission),
    }


def _box(request: CompanyPageRequest, page_key: str, **extra: str) -> HttpResponse:
    return render(request, TEMPLATE, box_context(request, page_key, **extra))


def _posted_query(request: HttpRequest) -> str:
    """The plain form's ``query`` field, else (htmx) the filter form's own
    fields sent along; the service keeps only the list's parameters."""
    if QUERY_FIELD in request.POST:
        return request.POST[QUERY_FIELD]
    return request.POST.urlencode()


@company_page()
@require_POST
def saved_search_save(request: CompanyPageRequest) -> HttpResponse:
    page_key = request.POST.get("page_key", "")
    page = searchable_page(page_key)
    require(request, page.permission)
    name = request.POST.get(NAME_FIELD, "")
    query = _posted_query(request)
    try:
        search = saved_searches.save(
            company=request.company,
            user=acting_user(request),
            page_key=page_key,
            name=name,
            query_string=query,
            params=page.params,
        )
    except DomainError as error:
        if is_htmx(request):
            return _box(request, page_key, name=name, error=error.message)
        messages.error(request, error.message)
        return redirect(_list_url(page_key, request.POST.get(QUERY_FIELD, "")))
    if is_htmx(request):
        return _box(request, page_key)
    messages.success(request, _("Search %(name)s is saved.") % {"name": search.name})
    return redirect(_list_url(page_key, search.query_string))


@company_page()
@require_POST
def saved_search_delete(
    request: CompanyPageRequest, saved_search_id: int
) -> HttpResponse:
    search = saved_searches.delete(
        company=request.company, user=acting_user(request), search_id=saved_search_id
    )
    if search.page_key not in PAGES:
        return redirect("home")
    if is_htmx(request):
        return _box(request, search.page_key)
    messages.success(request, _("Search %(name)s is deleted.") % {"name": search.name})
    return redirect(_list_url(search.page_key, request.POST.get(QUERY_FIELD, "")))
