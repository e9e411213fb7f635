"""The saved-searches box of a list page: ``{% saved_searches "sales_orders" %}``."""

from __future__ import annotations

from typing import Any, cast

from django import template

from zhongshu.web.http import CompanyPageRequest
from zhongshu.web.views.saved_searches import TEMPLATE, box_context

register = template.Library()


@register.inclusion_tag(TEMPLATE, takes_context=True)
def saved_searches(context: template.Context, page_key: str) -> dict[str, Any]:
    """The current user's saved searches of the list ``page_key`` (its URL
    name), and the form that saves the list's current filter."""
    request = cast(CompanyPageRequest, context["request"])
    return {**box_context(request, page_key), "csrf_token": context.get("csrf_token")}
