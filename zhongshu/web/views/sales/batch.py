"""Batch actions on the lists (批量审核、批量出库、批量开票): the orders ticked
on the order list are confirmed or delivered, the deliveries ticked on the
delivery list invoiced, each through the sales batch services — all of them
or none, dated today. The list comes back with what was done, or with why
nothing was (the message names the document at fault)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from zhongshu.core import clock
from zhongshu.core.errors import DomainError, NotFoundError
from zhongshu.sales import services
from zhongshu.sales.models import Delivery, SalesInvoice, SalesOrder
from zhongshu.sales.selectors import documents
from zhongshu.web.decorators import company_page, require
from zhongshu.web.http import CompanyPageRequest, acting_user
from zhongshu.web.views.sales.common import DELIVER, INVOICE, SELL, VIEW, done, failed

# More than a page of the lists never reaches a batch.
MAX_TICKED = 200

M = TypeVar("M", bound=Model)


def _back(request: CompanyPageRequest, list_url: str) -> HttpResponse:
    """To the list the rows were ticked on, with its filters."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect(list_url)


def _ticked(request: CompanyPageRequest, rows: QuerySet[M]) -> list[M]:
    """The ticked rows of the company, in the order of the page; an id of
    another company is a 404."""
    try:
        ids = list(dict.fromkeys(int(v) for v in request.POST.getlist("ids")))
    except ValueError:
        raise NotFoundError() from None
    if len(ids) > MAX_TICKED:
        raise NotFoundError()
    return documents.in_order(rows, ids)


def _numbers(documents: Sequence[SalesOrder | Delivery | SalesInvoice]) -> str:
    numbers = [d.number for d in documents]
    return numbers[0] if len(numbers) == 1 else f"{numbers[0]} … {numbers[-1]}"


@company_page(permission=VIEW)
@require_POST
def order_batch(request: CompanyPageRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    if action not in ("confirm", "deliver"):
        raise NotFoundError()
    require(request, SELL if action == "confirm" else DELIVER)
    company, actor = request.company, acting_user(request)
    orders = _ticked(request, SalesOrder.objects.filter(company=company))
    if not orders:
        failed(request, _("Tick the orders first."))
        return _back(request, "sales_orders")
    try:
        if action == "confirm":
            confirmed = services.confirm_orders(
                company=company, actor=actor, orders=orders
            )
            message = ngettext(
                "%(count)d order confirmed: %(numbers)s.",
                "%(count)d orders confirmed: %(numbers)s.",
                len(confirmed),
            ) % {"count": len(confirmed), "numbers": _numbers(confirmed)}
        else:
            deliveries = services.deliver_orders(
                company=company, actor=actor, orders=orders, date=clock.today()
            )
            message = ngettext(
                "%(count)d order delivered: %(numbers)s.",
                "%(count)d orders delivered: %(numbers)s.",
                len(deliveries),
            ) % {"count": len(deliveries), "numbers": _numbers(deliveries)}
    except DomainError as error:
        failed(request, error)
    else:
        done(request, message)
    return _back(request, "sales_orders")


@company_page(permission=VIEW)
@require_POST
def delivery_batch(request: CompanyPageRequest) -> HttpResponse:
    require(request, INVOICE)
    company = request.company
    deliveries = _ticked(request, Delivery.objects.filter(company=company))
    if not deliveries:
        failed(request, _("Tick the deliveries first."))
        return _back(request, "sales_deliveries")
    try:
        invoices = services.invoice_each(
            company=company,
            actor=acting_user(request),
            deliveries=deliveries,
            date=clock.today(),
        )
    except DomainError as error:
        failed(request, error)
    else:
        done(
            request,
            ngettext(
                "%(count)d invoice made: %(numbers)s.",
                "%(count)d invoices made: %(numbers)s.",
                len(invoices),
            )
            % {"count": len(invoices), "numbers": _numbers(invoices)},
        )
    return _back(request, "sales_deliveries")
