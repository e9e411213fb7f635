"""Switching the current company."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhongshu.core import selectors
from zhongshu.core.errors import NotFoundError
from zhongshu.web.http import SESSION_COMPANY_KEY, acting_user


def _page_after_switch(request: HttpRequest) -> str:
    """Stay on the same page unless it shows one object: that object belongs
    to the previous company, so its URL would only give a 404."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return reverse("home")
    try:
        match = resolve(target.split("?", 1)[0])
    except Resolver404:
        return reverse("home")
    return reverse("home") if match.kwargs else target


@login_required
@require_POST
def company_switch(request: HttpRequest) -> HttpResponse:
    try:
        company = selectors.get_user_company(
            acting_user(request), int(request.POST.get("company_id", ""))
        )
    except (ValueError, NotFoundError):
        raise Http404 from None
    request.session[SESSION_COMPANY_KEY] = company.pk
    return redirect(_page_after_switch(request))
