"""Products: the list (search, category filter, pages), and the form with
alternative units and barcodes; deactivating and reactivating."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.forms import BaseFormSet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from zhongshu.catalog import selectors, services
from zhongshu.catalog.models import Category, Product, Unit
from zhongshu.core.errors import DomainError, ValidationError
from zhongshu.core.models import Company
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.catalog.common import (
    MANAGE,
    VIEW,
    category_choices,
    done,
    failed,
    is_htmx,
    may_manage,
    unit_choices,
)
from zhongshu.web.views.catalog.forms import (
    AltUnitFormSet,
    BarcodeFormSet,
    ProductFilterForm,
    ProductForm,
)

PRODUCTS_PER_PAGE = 50
_ACTIVE = {"active": True, "inactive": False}


@company_page(permission=VIEW)
@require_safe
def product_list(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    tree = selectors.category_tree(company)
    form = ProductFilterForm(request.GET or None, categories=category_choices(tree))
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    category = next(
        (n.category for n in tree if n.category.pk == filters.get("category")), None
    )
    products = selectors.list_products(
        company,
        search=filters.get("q") or "",
        category=category,
        active=_ACTIVE.get(filters.get("status") or ""),
    )
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    template = "web/catalog/products.html"
    return render(
        request,
        f"{template}#results" if is_htmx(request) else template,
        {"form": form, "page": page, "can_manage": may_manage(request)},
    )


# --- the form -------------------------------------------------------------------------


@dataclass(slots=True)
class ProductForms:
    form: ProductForm
    units: BaseFormSet[Any]
    barcodes: BaseFormSet[Any]
    # Which formset rows the service's ``units.N`` and ``barcodes.N`` are.
    unit_rows: list[int]
    barcode_rows: list[int]

    def is_valid(self) -> bool:
        return all(
            [self.form.is_valid(), self.units.is_valid(), self.barcodes.is_valid()]
        )


def _initial(product: Product | None) -> dict[str, Any]:
    if product is None:
        return {}
    return {
        "code": product.code,
        "name": product.name,
        "specification": product.specification,
        "category": product.category_id,
        "base_unit": product.base_unit_id,
        "brand": product.brand,
        "tax_code": product.tax_code,
        "vat_rate": product.vat_rate,
        "track_lots": product.track_lots,
        "track_serials": product.track_serials,
        "track_expiry": product.track_expiry,
        "shelf_life_days": product.shelf_life_days,
        "allow_negative_stock": product.allow_negative_stock,
        "image_url": product.image_url,
    }


def _forms(request: CompanyPageRequest, product: Product | None) -> ProductForms:
    company = request.company
    units = unit_choices(company)
    data = posted(request)
    categories = category_choices(selectors.category_tree(company))
    return ProductForms(
        form=ProductForm(
            data, categories=categories, units=units, initial=_initial(product)
        ),
        units=AltUnitFormSet(
            data,
            prefix="units",
            form_kwargs={"units": units},
            initial=[
                {"unit": u.unit_id, "factor": u.factor_text}
                for u in (product.units.all() if product else [])
            ],
        ),
        barcodes=BarcodeFormSet(
            data,
            prefix="barcodes",
            form_kwargs={"units": units},
            initial=[
                {"code": b.code, "kind": b.kind, "unit": b.unit_id}
                for b in (product.barcodes.all() if product else [])
            ],
        ),
        unit_rows=[],
        barcode_rows=[],
    )


def _product_data(company: Company, forms: ProductForms) -> services.ProductData:
    units = {u.pk: u for u in selectors.list_units(company)}
    categories: dict[int, Category] = {
        c.pk: c for c in selectors.list_categories(company)
    }
    data = forms.form.cleaned_data
    alternatives = []
    for index, row in enumerate(forms.units.cleaned_data):
        if row.get("unit"):
            forms.unit_rows.append(index)
            alternatives.append(
                services.AltUnit(unit=units[row["unit"]], factor=row["factor"])
            )
    barcodes = []
    for index, row in enumerate(forms.barcodes.cleaned_data):
        if row.get("code"):
            forms.barcode_rows.append(index)
            unit: Unit | None = units[row["unit"]] if row.get("unit") else None
            barcodes.append(
                services.BarcodeInput(code=row["code"], kind=row["kind"], unit=unit)
            )
    return services.ProductData(
        code=data["code"],
        name=data["name"],
        specification=data["specification"],
        category=categories.get(data["category"]) if data["category"] else None,
        base_unit=units[data["base_unit"]],
        brand=data["brand"],
        tax_code=data["tax_code"],
        vat_rate=data["vat_rate"],
        track_lots=data["track_lots"],
        track_serials=data["track_serials"],
        track_expiry=data["track_expiry"],
        shelf_life_days=data["shelf_life_days"],
        allow_negative_stock=data["allow_negative_stock"],
        image_url=data["image_url"],
        units=tuple(alternatives),
        barcodes=tuple(barcodes),
    )


def _show_error(forms: ProductForms, error: DomainError) -> None:
    """Row errors go to their formset row, the rest to the product form."""
    rest: dict[str, list[str]] = {}
    for key, messages in error.fields.items():
        head, _dot, tail = key.partition(".")
        index, _dot, part = tail.partition(".")
        if head == "units" and index.isdigit():
            row = forms.units.forms[forms.unit_rows[int(index)]]
            for message in messages:
                row.add_error(part if part in ("unit", "factor") else None, message)
        elif head == "barcodes" and index.isdigit():
            row = forms.barcodes.forms[forms.barcode_rows[int(index)]]
            for message in messages:
                row.add_error("code", message)
        else:
            rest[key] = messages
    if rest or not error.fields:
        show_domain_error(forms.form, ValidationError(error.message, fields=rest))


def _save(
    request: CompanyPageRequest, forms: ProductForms, product: Product | None
) -> Product | None:
    company = request.company
    try:
        data = _product_data(company, forms)
        if product is None:
            return services.create_product(
                company=company, actor=acting_user(request), data=data
            )
        return services.update_product(
            product=product, actor=acting_user(request), data=data
        )
    except DomainError as error:
        _show_error(forms, error)
        return None


def _product_page(request: CompanyPageRequest, product: Product | None) -> HttpResponse:
    forms = _forms(request, product)
    if request.method == "POST":
        require(request, MANAGE)
        saved = _save(request, forms, product) if forms.is_valid() else None
        if saved is not None:
            done(request, _("Product %(code)s is saved.") % {"code": saved.code})
            return redirect("catalog_product", product_id=saved.pk)
    can_edit = may_manage(request)
    return render(
        request,
        "web/catalog/product_form.html",
        {
            "product": product,
            "form": forms.form,
            "units": forms.units,
            "barcodes": forms.barcodes,
            "can_edit": can_edit,
        },
    )


@company_page(permission=MANAGE)
@require_http_methods(["GET", "POST"])
def product_new(request: CompanyPageRequest) -> HttpResponse:
    return _product_page(request, None)


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def product_edit(request: CompanyPageRequest, product_id: int) -> HttpResponse:
    return _product_page(request, selectors.get_product(request.company, product_id))


@company_page(permission=MANAGE)
@require_POST
def product_set_active(request: CompanyPageRequest, product_id: int) -> HttpResponse:
    product = selectors.get_product(request.company, product_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_product_active(
            product=product, actor=acting_user(request), active=active
        )
    except DomainError as error:
        failed(request, error.message)
    else:
        message = (
            _("Product %(code)s is active again.")
            if active
            else _("Product %(code)s is deactivated.")
        )
        done(request, message % {"code": product.code})
    return redirect("catalog_product", product_id=product.pk)
