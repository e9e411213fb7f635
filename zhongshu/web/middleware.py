"""Resolves the current company of a page request and guards read-only ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from zhongshu.core import clock, selectors
from zhongshu.web.http import SESSION_COMPANY_KEY, CompanyRequest

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# Writes that stay possible in a read-only company: they change the user's
# session or credentials, not the company's data. Revoking an API token is one
# of them: locking out a leaked key must not wait for an activation.
# Saved searches are a user's own view of the lists, not company data: an
# expired trial may still keep them.
READ_ONLY_EXEMPT_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "signup",
        "set_language",
        "company_switch",
        "token_revoke",
        "saved_search_save",
        "saved_search_delete",
    }
)
# The admin is how an administrator activates a company; it is not a page of it.
READ_ONLY_EXEMPT_NAMESPACES = frozenset({"admin"})


def is_api_path(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def resolve_company(request: HttpRequest) -> None:
    """Set company, roles and read-only state from the session's choice.

    The session's company must still be one of the user's companies (a
    membership may have been removed meanwhile); otherwise the user's first
    company is used, or None for a user without any.
    """
    page_request = cast(CompanyRequest, request)
    page_request.company = None
    page_request.roles = set()
    page_request.company_read_only = False
    page_request.user_companies = []
    if not request.user.is_authenticated:
        return
    companies = list(selectors.list_user_companies(request.user))
    wanted = request.session.get(SESSION_COMPANY_KEY)
    company = next((c for c in companies if c.pk == wanted), None)
    if company is None and companies:
        company = companies[0]
        request.session[SESSION_COMPANY_KEY] = company.pk
    page_request.user_companies = companies
    page_request.company = company
    if company is not None:
        page_request.roles = selectors.user_roles(company, request.user)
        page_request.company_read_only = company.is_read_only_on(clock.today())


def safe_back_url(request: HttpRequest) -> str:
    """The page the user came from, if it is ours; else home."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("home")


class CurrentCompanyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API authenticates by token and resolves its company itself.
        if not is_api_path(request):
            resolve_company(request)
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        # Runs after URL resolution, so unknown URLs still answer 404 and the
        # exemptions can go by URL name instead of by path.
        if request.method in SAFE_METHODS or is_api_path(request):
            return None
        if not getattr(request, "company_read_only", False):
            return None
        match = request.resolver_match
        if match is not None and (
            match.url_name in READ_ONLY_EXEMPT_URL_NAMES
            or READ_ONLY_EXEMPT_NAMESPACES & set(match.namespaces)
        ):
            return None
        messages.error(
            request,
            _(
                "The trial has ended: this company is read-only until an "
                "administrator activates it. Nothing was saved."
            ),
        )
        return HttpResponseRedirect(safe_back_url(request))
