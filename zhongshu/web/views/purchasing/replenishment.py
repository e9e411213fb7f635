"""The replenishment page (智能补货): the suggestions of the last run with
the figures each was reasoned from, a button to run again now, and one
action that turns the ticked lines into draft purchase orders, one per
supplier and warehouse."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from zhongshu.core import clock
from zhongshu.core.errors import DomainError
from zhongshu.purchasing.selectors import replenishment as selectors
from zhongshu.purchasing.services import replenishment
from zhongshu.web.decorators import company_page
from zhongshu.web.http import CompanyPageRequest, acting_user
from zhongshu.web.views.purchasing.common import BUY, VIEW
from zhongshu.web.views.sales.common import done, failed, may


@company_page(permission=VIEW)
@require_safe
def suggestions(request: CompanyPageRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    rows = selectors.list_suggestions(request.company, only_positive=not show_all)
    return render(
        request,
        "web/purchasing/replenishment.html",
        {"rows": rows, "show_all": show_all, "may_buy": may(request, BUY)},
    )


@company_page(permission=BUY)
@require_POST
def rebuild(request: CompanyPageRequest) -> HttpResponse:
    try:
        made = replenishment.rebuild_suggestions(
            company=request.company, on_date=clock.today()
        )
    except DomainError as error:
        failed(request, error)
    else:
        done(
            request,
            _("Suggestions worked out again: %(count)d products to order.")
            % {"count": sum(1 for row in made if row.quantity > 0)},
        )
    return redirect("purchasing_replenishment")


@company_page(permission=BUY)
@require_POST
def accept(request: CompanyPageRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
    if not ids:
        failed(request, DomainError(_("Tick the suggestions to order.")))
        return redirect("purchasing_replenishment")
    try:
        orders = replenishment.accept_suggestions(
            company=request.company,
            actor=acting_user(request),
            suggestion_ids=ids,
            on_date=clock.today(),
        )
    except DomainError as error:
        failed(request, error)
        return redirect("purchasing_replenishment")
    done(
        request,
        _("%(count)d draft purchase orders are made from the suggestions.")
        % {"count": len(orders)},
    )
    return redirect("purchasing_orders")
