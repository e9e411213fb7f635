"""The home page: the current company at a glance and the way into its modules."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from zhongshu.core import clock
from zhongshu.core.models import Role
from zhongshu.web.http import CompanyRequest
from zhongshu.web.shell import trial_of, visible_items


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    page_request = cast(CompanyRequest, request)
    company = page_request.company
    if company is None:
        # Signed in but in no company (yet): say so instead of a 403.
        return render(request, "web/home_no_company.html")
    modules = [
        item for item in visible_items(page_request.roles) if item.url_name != "home"
    ]
    roles = [role for role in Role.values if role in page_request.roles]
    return render(
        request,
        "web/home.html",
        {
            "company": company,
            "roles": roles,
            "modules": modules,
            "trial": trial_of(company, clock.today()),
        },
    )
