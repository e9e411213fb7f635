"""A customer's contacts and delivery addresses, edited in place on the
customer page: with htmx each action answers the section alone; without it,
the whole page (or a redirect back to it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.core.errors import DomainError
from zhongshu.partners import selectors, services
from zhongshu.partners.models import Contact, Customer, DeliveryAddress
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.partners.common import (
    MANAGE,
    VIEW,
    done,
    failed,
    is_htmx,
    may_manage,
    province_choices,
)
from zhongshu.web.views.partners.customers import (
    FORM_TEMPLATE,
    Section,
    address_section,
    contact_section,
    render_customer_page,
)
from zhongshu.web.views.partners.forms import AddressForm, ContactForm


def _answer(
    request: CompanyPageRequest,
    customer: Customer,
    name: str,
    section: Section,
    *,
    saved: bool,
) -> HttpResponse:
    """The section (htmx), a redirect to the page (saved), or the page."""
    if is_htmx(request):
        context: dict[str, Any] = {
            "customer": customer,
            name: section,
            "can_edit": may_manage(request),
        }
        return render(request, f"{FORM_TEMPLATE}#{name}", context)
    if saved:
        return redirect("partners_customer", customer_id=customer.pk)
    if name == "contacts":
        return render_customer_page(request, customer, contacts=section)
    return render_customer_page(request, customer, addresses=section)


# --- contacts -------------------------------------------------------------------------


def _contact_data(form: ContactForm) -> services.ContactData:
    return services.ContactData(**form.cleaned_data)


@company_page(permission=MANAGE)
@require_POST
def contact_add(request: CompanyPageRequest, customer_id: int) -> HttpResponse:
    customer = selectors.get_customer(request.company, customer_id)
    form = ContactForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            contact = services.add_contact(
                customer=customer, actor=acting_user(request), data=_contact_data(form)
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            done(request, _("Contact %(name)s is added.") % {"name": contact.name})
            return _answer(
                request, customer, "contacts", contact_section(customer), saved=True
            )
    section = contact_section(customer, add_form=form)
    return _answer(request, customer, "contacts", section, saved=False)


def _contact_initial(contact: Contact) -> dict[str, Any]:
    names = ("name", "title", "phone", "email", "is_primary")
    return {name: getattr(contact, name) for name in names}


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def contact_edit(request: CompanyPageRequest, contact_id: int) -> HttpResponse:
    """GET: the row as a form; POST: save it."""
    contact = selectors.get_contact(request.company, contact_id)
    customer = selectors.get_customer(request.company, contact.customer_id)
    form = ContactForm(
        posted(request),
        prefix=f"contact-{contact.pk}",
        initial=_contact_initial(contact),
    )
    if request.method == "POST":
        require(request, MANAGE)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact(
                contact=contact, actor=acting_user(request), data=_contact_data(form)
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return _answer(
                request, customer, "contacts", contact_section(customer), saved=True
            )
    section = contact_section(customer, edit_id=contact.pk, edit_form=form)
    return _answer(request, customer, "contacts", section, saved=False)


@company_page(permission=MANAGE)
@require_POST
def contact_delete(request: CompanyPageRequest, contact_id: int) -> HttpResponse:
    contact = selectors.get_contact(request.company, contact_id)
    customer = selectors.get_customer(request.company, contact.customer_id)
    try:
        services.remove_contact(contact=contact, actor=acting_user(request))
    except DomainError as error:
        failed(request, error.message)
    else:
        done(request, _("Contact %(name)s is removed.") % {"name": contact.name})
    return _answer(request, customer, "contacts", contact_section(customer), saved=True)


# --- delivery addresses ---------------------------------------------------------------


def _address_data(form: AddressForm) -> services.AddressData:
    return services.AddressData(**form.cleaned_data)


@company_page(permission=MANAGE)
@require_POST
def address_add(request: CompanyPageRequest, customer_id: int) -> HttpResponse:
    customer = selectors.get_customer(request.company, customer_id)
    form = AddressForm(request.POST, prefix="address", provinces=province_choices())
    if form.is_valid():
        try:
            services.add_address(
                customer=customer, actor=acting_user(request), data=_address_data(form)
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            done(request, _("The delivery address is added."))
            return _answer(
                request, customer, "addresses", address_section(customer), saved=True
            )
    section = address_section(customer, add_form=form)
    return _answer(request, customer, "addresses", section, saved=False)


def _address_initial(address: DeliveryAddress) -> dict[str, Any]:
    names = ("province", "city", "district", "detail", "receiver", "phone",
             "is_default")  # fmt: skip
    return {name: getattr(address, name) for name in names}


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def address_edit(request: CompanyPageRequest, address_id: int) -> HttpResponse:
    """GET: the row as a form; POST: save it."""
    address = selectors.get_address(request.company, address_id)
    customer = selectors.get_customer(request.company, address.customer_id)
    form = AddressForm(
        posted(request),
        prefix=f"address-{address.pk}",
        provinces=province_choices(),
        initial=_address_initial(address),
    )
    if request.method == "POST":
        require(request, MANAGE)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_address(
                address=address, actor=acting_user(request), data=_address_data(form)
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return _answer(
                request, customer, "addresses", address_section(customer), saved=True
            )
    section = address_section(customer, edit_id=address.pk, edit_form=form)
    return _answer(request, customer, "addresses", section, saved=False)


@company_page(permission=MANAGE)
@require_POST
def address_delete(request: CompanyPageRequest, address_id: int) -> HttpResponse:
    address = selectors.get_address(request.company, address_id)
    customer = selectors.get_customer(request.company, address.customer_id)
    try:
        services.remove_address(address=address, actor=acting_user(request))
    except DomainError as error:
        failed(request, error.message)
    else:
        done(request, _("The delivery address is removed."))
    return _answer(
        request, customer, "addresses", address_section(customer), saved=True
    )
