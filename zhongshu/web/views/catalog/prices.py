"""Price lists: the lists, one list with its prices, and a price check that
shows which price a sale would get (``selectors.price_for``)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.catalog import selectors, services
from zhongshu.catalog.errors import UnknownBarcodeError
from zhongshu.catalog.models import PriceList, Product, plain_decimal
from zhongshu.catalog.selectors import PriceQuote
from zhongshu.core import clock
from zhongshu.core.errors import DomainError, ValidationError
from zhongshu.core.models import Company
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.catalog.common import (
    MANAGE,
    VIEW,
    done,
    failed,
    may_manage,
    unit_choices,
)
from zhongshu.web.views.catalog.forms import PriceForm, PriceListForm, QuoteForm


def _product(company: Company, text: str) -> Product:
    """A product by code, else by one of its barcodes."""
    product = selectors.find_product(company, text)
    if product is not None:
        return product
    try:
        return selectors.find_by_barcode(company, text).product
    except UnknownBarcodeError:
        message = _("There is no product %(code)s.") % {"code": text}
        raise ValidationError(message, fields={"product": [message]}) from None


def _quote(request: CompanyPageRequest, form: QuoteForm) -> PriceQuote | None:
    company = request.company
    data = form.cleaned_data
    try:
        product = _product(company, data["product"])
        unit = selectors.get_unit(company, data["unit"]) if data["unit"] else None
        return selectors.price_for(
            company,
            product,
            data["quantity"],
            data["date"] or clock.today(),
            unit=unit,
            customer_group=data["customer_group"].strip(),
        )
    except DomainError as error:
        show_domain_error(form, error)
        return None


def _list_data(form: PriceListForm) -> services.PriceListData:
    return services.PriceListData(**form.cleaned_data)


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def price_list_index(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    form = PriceListForm(posted(request))
    if request.method == "POST":
        require(request, MANAGE)
        if form.is_valid():
            try:
                price_list = services.create_price_list(
                    company=company, actor=acting_user(request), data=_list_data(form)
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(
                    request,
                    _("Price list %(code)s is added.") % {"code": price_list.code},
                )
                return redirect("catalog_price_list", price_list_id=price_list.pk)
    quote_form = QuoteForm(request.GET if "product" in request.GET else None)
    quote_form.fields["unit"].choices = [("", _("Base unit")), *unit_choices(company)]  # type: ignore[attr-defined]
    checked = quote_form.is_bound and quote_form.is_valid()
    quote = _quote(request, quote_form) if checked else None
    return render(
        request,
        "web/catalog/price_lists.html",
        {
            "price_lists": selectors.list_price_lists(company),
            "form": form,
            "quote_form": quote_form,
            "checked": checked and not quote_form.errors,
            "quote": quote,
            "quote_price": plain_decimal(quote.price, 2) if quote else "",
            "can_manage": may_manage(request),
        },
    )


def _initial(price_list: PriceList) -> dict[str, object]:
    return {
        name: getattr(price_list, name)
        for name in (
            "code", "name", "kind", "customer_group", "tax_inclusive", "valid_from",
            "valid_to", "priority", "is_active",
        )
    }  # fmt: skip


def _set_price(
    request: CompanyPageRequest, price_list: PriceList, form: PriceForm
) -> bool:
    company = request.company
    data = form.cleaned_data
    try:
        product = _product(company, data["product"])
        services.set_price(
            price_list=price_list,
            actor=acting_user(request),
            data=services.PriceData(
                product=product,
                unit=selectors.get_unit(company, data["unit"])
                if data["unit"]
                else None,
                price=data["price"],
                min_quantity=data["min_quantity"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            ),
        )
    except DomainError as error:
        show_domain_error(form, error)
        return False
    done(request, _("The price of %(code)s is saved.") % {"code": product.code})
    return True


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def price_list_detail(request: CompanyPageRequest, price_list_id: int) -> HttpResponse:
    """One list: its settings and its prices; a form adds or changes a price."""
    company = request.company
    price_list = selectors.get_price_list(company, price_list_id)
    action = request.POST.get("action") if request.method == "POST" else None
    form = PriceListForm(
        request.POST if action == "list" else None, initial=_initial(price_list)
    )
    price_form = PriceForm(
        request.POST if action == "price" else None,
        units=unit_choices(company),
        prefix="price",
    )
    if request.method == "POST":
        require(request, MANAGE)
        if action == "list" and form.is_valid():
            try:
                services.update_price_list(
                    price_list=price_list,
                    actor=acting_user(request),
                    data=_list_data(form),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(
                    request,
                    _("Price list %(code)s is saved.") % {"code": price_list.code},
                )
                return redirect("catalog_price_list", price_list_id=price_list.pk)
        if (
            action == "price"
            and price_form.is_valid()
            and _set_price(request, price_list, price_form)
        ):
            return redirect("catalog_price_list", price_list_id=price_list.pk)
    can_edit = may_manage(request)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "web/catalog/price_list.html",
        {
            "price_list": price_list,
            "items": selectors.list_price_items(price_list),
            "form": form,
            "price_form": price_form,
            "can_edit": can_edit,
            "today": clock.today(),
        },
    )


@company_page(permission=MANAGE)
@require_POST
def price_item_delete(request: CompanyPageRequest, price_item_id: int) -> HttpResponse:
    item = selectors.get_price_item(request.company, price_item_id)
    try:
        services.delete_price(item=item, actor=acting_user(request))
    except DomainError as error:
        failed(request, error.message)
    else:
        done(request, _("The price is deleted."))
    return redirect("catalog_price_list", price_list_id=item.price_list_id)
