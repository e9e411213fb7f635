"""A supplier's contacts and the products it supplies, edited in place on
the supplier page: with htmx each action answers the section alone; without
it, the whole page (or a redirect back to it). Contacts need
``partners.manage_suppliers``; products ``purchasing.manage``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.catalog import selectors as catalog_selectors
from zhongshu.core.errors import DomainError, ValidationError
from zhongshu.partners import selectors, services
from zhongshu.partners.models import Supplier, SupplierContact
from zhongshu.purchasing.models import SupplierProduct
from zhongshu.purchasing.selectors import supplier_products
from zhongshu.purchasing.services import supplier_products as product_services
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.partners.common import (
    MANAGE_SUPPLIERS,
    VIEW,
    done,
    failed,
    is_htmx,
)
from zhongshu.web.views.partners.customers import Section
from zhongshu.web.views.partners.forms import ContactForm, SupplierProductForm
from zhongshu.web.views.partners.suppliers import (
    FORM_TEMPLATE,
    MANAGE_PRODUCTS,
    VIEW_PRODUCTS,
    contact_section,
    product_section,
    render_supplier_page,
    section_context,
)


def _answer(
    request: CompanyPageRequest,
    supplier: Supplier,
    name: str,
    section: Section,
    *,
    saved: bool,
) -> HttpResponse:
    """The section (htmx), a redirect to the page (saved), or the page."""
    if is_htmx(request):
        context: dict[str, Any] = {
            "supplier": supplier,
            name: section,
            **section_context(request),
        }
        return render(request, f"{FORM_TEMPLATE}#{name}", context)
    if saved:
        return redirect("partners_supplier", supplier_id=supplier.pk)
    if name == "contacts":
        return render_supplier_page(request, supplier, contacts=section)
    return render_supplier_page(request, supplier, products=section)


# --- contacts -------------------------------------------------------------------------


def _contact_data(form: ContactForm) -> services.ContactData:
    return services.ContactData(**form.cleaned_data)


@company_page(permission=MANAGE_SUPPLIERS)
@require_POST
def supplier_contact_add(request: CompanyPageRequest, supplier_id: int) -> HttpResponse:
    supplier = selectors.get_supplier(request.company, supplier_id)
    form = ContactForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            contact = services.add_supplier_contact(
                supplier=supplier, actor=acting_user(request), data=_contact_data(form)
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            done(request, _("Contact %(name)s is added.") % {"name": contact.name})
            return _answer(
                request, supplier, "contacts", contact_section(supplier), saved=True
            )
    section = contact_section(supplier, add_form=form)
    return _answer(request, supplier, "contacts", section, saved=False)


def _contact_initial(contact: SupplierContact) -> dict[str, Any]:
    names = ("name", "title", "phone", "email", "is_primary")
    return {name: getattr(contact, name) for name in names}


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def supplier_contact_edit(
    request: CompanyPageRequest, supplier_contact_id: int
) -> HttpResponse:
    """GET: the row as a form; POST: save it."""
    contact = selectors.get_supplier_contact(request.company, supplier_contact_id)
    supplier = selectors.get_supplier(request.company, contact.supplier_id)
    form = ContactForm(
        posted(request),
        prefix=f"contact-{contact.pk}",
        initial=_contact_initial(contact),
    )
    if request.method == "POST":
        require(request, MANAGE_SUPPLIERS)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_supplier_contact(
                contact=contact, actor=acting_user(request), data=_contact_data(form)
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return _answer(
                request, supplier, "contacts", contact_section(supplier), saved=True
            )
    section = contact_section(supplier, edit_id=contact.pk, edit_form=form)
    return _answer(request, supplier, "contacts", section, saved=False)


@company_page(permission=MANAGE_SUPPLIERS)
@require_POST
def supplier_contact_delete(
    request: CompanyPageRequest, supplier_contact_id: int
) -> HttpResponse:
    contact = selectors.get_supplier_contact(request.company, supplier_contact_id)
    supplier = selectors.get_supplier(request.company, contact.supplier_id)
    try:
        services.remove_supplier_contact(contact=contact, actor=acting_user(request))
    except DomainError as error:
        failed(request, error.message)
    else:
        done(request, _("Contact %(name)s is removed.") % {"name": contact.name})
    return _answer(request, supplier, "contacts", contact_section(supplier), saved=True)


# --- products -------------------------------------------------------------------------


def _product_data(
    request: CompanyPageRequest,
    supplier: Supplier,
    form: SupplierProductForm,
    row: SupplierProduct | None,
) -> product_services.SupplierProductData:
    data = form.cleaned_data
    if row is not None:
        product = row.product
    else:
        found = catalog_selectors.find_product(request.company, data["product"])
        if found is None:
            message = _("There is no product %(code)s.") % {"code": data["product"]}
            raise ValidationError(message, fields={"product": [message]})
        product = found
    return product_services.SupplierProductData(
        supplier=supplier,
        product=product,
        supplier_code=data["supplier_code"],
        unit_price=data["unit_price"],
        minimum_quantity=data["minimum_quantity"] or Decimal(0),
        order_multiple=data["order_multiple"] or Decimal(0),
        lead_time_days=data["lead_time_days"] or 0,
        is_preferred=data["is_preferred"],
    )


def _save_product(
    request: CompanyPageRequest,
    supplier: Supplier,
    form: SupplierProductForm,
    row: SupplierProduct | None = None,
) -> SupplierProduct | None:
    try:
        return product_services.set_supplier_product(
            company=request.company,
            actor=acting_user(request),
            data=_product_data(request, supplier, form, row),
        )
    except DomainError as error:
        show_domain_error(form, error)
        return None


@company_page(permission=MANAGE_PRODUCTS)
@require_POST
def supplier_product_add(request: CompanyPageRequest, supplier_id: int) -> HttpResponse:
    supplier = selectors.get_supplier(request.company, supplier_id)
    form = SupplierProductForm(request.POST, prefix="product")
    saved = _save_product(request, supplier, form) if form.is_valid() else None
    if saved is not None:
        done(
            request,
            _("Product %(code)s is saved for this supplier.")
            % {"code": saved.product.code},
        )
        return _answer(
            request, supplier, "products", product_section(supplier), saved=True
        )
    section = product_section(supplier, add_form=form)
    return _answer(request, supplier, "products", section, saved=False)


def _product_initial(row: SupplierProduct) -> dict[str, Any]:
    names = ("supplier_code", "unit_price", "minimum_quantity", "order_multiple",
             "lead_time_days", "is_preferred")  # fmt: skip
    return {name: getattr(row, name) for name in names}


@company_page(permission=VIEW_PRODUCTS)
@require_http_methods(["GET", "POST"])
def supplier_product_edit(
    request: CompanyPageRequest, supplier_product_id: int
) -> HttpResponse:
    """GET: the row as a form; POST: save it."""
    row = supplier_products.get_supplier_product(request.company, supplier_product_id)
    supplier = selectors.get_supplier(request.company, row.supplier_id)
    form = SupplierProductForm(
        posted(request),
        prefix=f"product-{row.pk}",
        with_product=False,
        initial=_product_initial(row),
    )
    if request.method == "POST":
        require(request, MANAGE_PRODUCTS)
        if form.is_valid() and _save_product(request, supplier, form, row):
            return _answer(
                request, supplier, "products", product_section(supplier), saved=True
            )
    section = product_section(supplier, edit_id=row.pk, edit_form=form)
    return _answer(request, supplier, "products", section, saved=False)


@company_page(permission=MANAGE_PRODUCTS)
@require_POST
def supplier_product_delete(
    request: CompanyPageRequest, supplier_product_id: int
) -> HttpResponse:
    row = supplier_products.get_supplier_product(request.company, supplier_product_id)
    supplier = selectors.get_supplier(request.company, row.supplier_id)
    try:
        product_services.remove_supplier_product(
            supplier_product=row, actor=acting_user(request)
        )
    except DomainError as error:
        failed(request, error.message)
    else:
        done(
            request,
            _("Product %(code)s is removed from this supplier.")
            % {"code": row.product.code},
        )
    return _answer(request, supplier, "products", product_section(supplier), saved=True)
