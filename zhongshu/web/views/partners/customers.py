"""Customers: the list (search and filters, pages), and the customer page:
its form, and its contacts and delivery addresses edited in place
(``contacts.py``); deactivating and reactivating."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from zhongshu.core.errors import DomainError
from zhongshu.partners import selectors, services
from zhongshu.partners.models import Customer
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import WebForm, show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.partners.common import (
    MANAGE,
    VIEW,
    category_choices,
    done,
    failed,
    is_htmx,
    may_manage,
    province_choices,
    salesperson_choices,
)
from zhongshu.web.views.partners.forms import (
    AddressForm,
    ContactForm,
    CustomerFilterForm,
    CustomerForm,
)

CUSTOMERS_PER_PAGE = 50
_ACTIVE = {"active": True, "inactive": False}
FORM_TEMPLATE = "web/partners/customer_form.html"


@company_page(permission=VIEW)
@require_safe
def customer_list(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    categories = {c.pk: c for c in selectors.list_customer_categories(company)}
    salespeople = {u.pk: u for u in selectors.list_salespeople(company)}
    form = CustomerFilterForm(
        request.GET or None,
        categories=[(pk, f"{c.code} {c.name}") for pk, c in categories.items()],
        salespeople=[
            (pk, u.get_full_name() or u.username) for pk, u in salespeople.items()
        ],
        provinces=province_choices(),
    )
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    customers = selectors.list_customers(
        company,
        search=filters.get("q") or "",
        category=categories.get(filters.get("category") or 0),
        salesperson=salespeople.get(filters.get("salesperson") or 0),
        province=filters.get("province") or "",
        active=_ACTIVE.get(filters.get("status") or ""),
    )
    page = Paginator(customers, CUSTOMERS_PER_PAGE).get_page(request.GET.get("page"))
    template = "web/partners/customers.html"
    return render(
        request,
        f"{template}#results" if is_htmx(request) else template,
        {"form": form, "page": page, "can_manage": may_manage(request)},
    )


# --- the customer page ----------------------------------------------------------------


@dataclass(slots=True)
class Section:
    """The add form of a section of a customer's or a supplier's page
    (contacts, addresses, products), and the row being edited in place, if
    any."""

    add_form: WebForm
    edit_id: int | None = None
    edit_form: WebForm | None = None
    rows: list[Any] = field(default_factory=list)


def contact_section(
    customer: Customer,
    *,
    add_form: ContactForm | None = None,
    edit_id: int | None = None,
    edit_form: ContactForm | None = None,
) -> Section:
    return Section(
        add_form=add_form or ContactForm(None, prefix="contact"),
        edit_id=edit_id,
        edit_form=edit_form,
        rows=list(selectors.list_contacts(customer)),
    )


def address_section(
    customer: Customer,
    *,
    add_form: AddressForm | None = None,
    edit_id: int | None = None,
    edit_form: AddressForm | None = None,
) -> Section:
    return Section(
        add_form=add_form
        or AddressForm(None, prefix="address", provinces=province_choices()),
        edit_id=edit_id,
        edit_form=edit_form,
        rows=list(selectors.list_addresses(customer)),
    )


def _initial(customer: Customer | None) -> dict[str, Any]:
    if customer is None:
        return {"payment_terms_days": 0}
    names = (
        "code", "name", "short_name", "uscc", "tax_address", "tax_phone",
        "bank_name", "bank_account", "price_group", "payment_terms_days",
        "credit_limit", "province", "city", "memo",
    )  # fmt: skip
    return {
        **{name: getattr(customer, name) for name in names},
        "category": customer.category_id,
        "salesperson": customer.salesperson_id,
    }


def customer_form(
    request: CompanyPageRequest, customer: Customer | None, data: Any = None
) -> CustomerForm:
    company = request.company
    has_default = customer is not None and any(
        a.is_default for a in customer.addresses.all()
    )
    return CustomerForm(
        data,
        categories=category_choices(company),
        salespeople=salesperson_choices(company),
        provinces=province_choices(),
        region_from_address=has_default,
        initial=_initial(customer),
    )


def render_customer_page(
    request: CompanyPageRequest,
    customer: Customer | None,
    *,
    form: CustomerForm | None = None,
    contacts: Section | None = None,
    addresses: Section | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = customer_form(request, customer)
    can_edit = may_manage(request)
    if not can_edit:
        for form_field in form.fields.values():
            form_field.disabled = True
    context: dict[str, Any] = {"customer": customer, "form": form, "can_edit": can_edit}
    if customer is not None:
        context["contacts"] = contacts or contact_section(customer)
        context["addresses"] = addresses or address_section(customer)
    return render(request, FORM_TEMPLATE, context, status=status)


def _customer_data(
    request: CompanyPageRequest, form: CustomerForm
) -> services.CustomerData:
    company = request.company
    data = form.cleaned_data
    category = (
        selectors.get_customer_category(company, data["category"])
        if data["category"]
        else None
    )
    salesperson = next(
        (u for u in selectors.list_salespeople(company) if u.pk == data["salesperson"]),
        None,
    )
    return services.CustomerData(
        code=data["code"],
        name=data["name"],
        short_name=data["short_name"],
        uscc=data["uscc"],
        tax_address=data["tax_address"],
        tax_phone=data["tax_phone"],
        bank_name=data["bank_name"],
        bank_account=data["bank_account"],
        category=category,
        salesperson=salesperson,
        price_group=data["price_group"],
        payment_terms_days=data["payment_terms_days"] or 0,
        credit_limit=data["credit_limit"],
        province=data["province"] or "",
        city=data["city"] or "",
        memo=data["memo"],
    )


def _save(
    request: CompanyPageRequest, form: CustomerForm, customer: Customer | None
) -> Customer | None:
    try:
        data = _customer_data(request, form)
        if customer is None:
            return services.create_customer(
                company=request.company, actor=acting_user(request), data=data
            )
        return services.update_customer(
            customer=customer, actor=acting_user(request), data=data
        )
    except DomainError as error:
        show_domain_error(form, error)
        return None


def _customer_page(
    request: CompanyPageRequest, customer: Customer | None
) -> HttpResponse:
    form = customer_form(request, customer, posted(request))
    if request.method == "POST":
        require(request, MANAGE)
        saved = _save(request, form, customer) if form.is_valid() else None
        if saved is not None:
            done(request, _("Customer %(code)s is saved.") % {"code": saved.code})
            return redirect("partners_customer", customer_id=saved.pk)
    return render_customer_page(request, customer, form=form)


@company_page(permission=MANAGE)
@require_http_methods(["GET", "POST"])
def customer_new(request: CompanyPageRequest) -> HttpResponse:
    return _customer_page(request, None)


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def customer_edit(request: CompanyPageRequest, customer_id: int) -> HttpResponse:
    return _customer_page(request, selectors.get_customer(request.company, customer_id))


@company_page(permission=MANAGE)
@require_POST
def customer_set_active(request: CompanyPageRequest, customer_id: int) -> HttpResponse:
    customer = selectors.get_customer(request.company, customer_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_customer_active(
            customer=customer, actor=acting_user(request), active=active
        )
    except DomainError as error:
        failed(request, error.message)
    else:
        message = (
            _("Customer %(code)s is active again.")
            if active
            else _("Customer %(code)s is deactivated.")
        )
        done(request, message % {"code": customer.code})
    return redirect("partners_customer", customer_id=customer.pk)
