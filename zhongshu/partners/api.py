"""The partners REST endpoints, mounted at /api/v1/partners: customers and
suppliers, their contacts, customer categories, provinces and Excel.

Thin: parse, authorize, one service or selector, schema out. Objects named by
id in the path go through ``selectors``, which answer 404 for another
company's ids; rows named in bodies and queries are named by code or user
name, which only ever find the request's company's rows (an unknown one is a
422 on its field). Writes run in the API's transaction, so a refused request
writes nothing (``zhongshu.api.pipeline``).
"""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from zhongshu.core.apikit import api_context, require, response_not_stored
from zhongshu.core.downloads import attachment
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import Company
from zhongshu.partners import excel, permissions, regions, selectors, services
from zhongshu.partners.models import (
    Contact,
    Customer,
    CustomerCategory,
    DeliveryAddress,
    Supplier,
    SupplierContact,
)
from zhongshu.partners.regions import Province
from zhongshu.partners.schemas import (
    ActiveIn,
    AddressIn,
    AddressOut,
    ContactIn,
    ContactOut,
    CustomerCategoryIn,
    CustomerCategoryOut,
    CustomerFilter,
    CustomerIn,
    CustomerOut,
    ImportOut,
    ProvinceOut,
    SupplierFilter,
    SupplierIn,
    SupplierOut,
)

router = Router(tags=["partners"])

VIEW = permissions.VIEW_PARTNERS.code
MANAGE = permissions.MANAGE_PARTNERS.code
MANAGE_SUPPLIERS = permissions.MANAGE_SUPPLIERS.code


# --- names in bodies and queries ------------------------------------------------------


def _unknown(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def _category(company: Company, code: str | None) -> CustomerCategory | None:
    if not code:
        return None
    category = selectors.find_customer_category(company, code)
    if category is None:
        raise _unknown(
            "category", _("There is no customer category %(code)s.") % {"code": code}
        )
    return category


def _salesperson(company: Company, username: str | None) -> User | None:
    if not username:
        return None
    user = selectors.find_member(company, username)
    if user is None:
        raise _unknown(
            "salesperson",
            _("%(name)s is not a user of this company.") % {"name": username},
        )
    return user


def _province(text: str | None) -> str:
    if not text:
        return ""
    province = regions.find_province(text)
    if province is None:
        raise _unknown("province", _("There is no province %(name)s.") % {"name": text})
    return province.code


# --- provinces and categories ---------------------------------------------------------


@router.get("/provinces", response=list[ProvinceOut])
@require(VIEW)
def list_provinces(request: HttpRequest) -> list[Province]:
    """The provinces of China by GB/T 2260 code, with region and north/south."""
    return list(regions.provinces().values())


@router.get("/categories", response=list[CustomerCategoryOut])
@require(VIEW)
def list_categories(request: HttpRequest) -> QuerySet[CustomerCategory]:
    return selectors.list_customer_categories(api_context(request).company)


@router.post("/categories", response={201: CustomerCategoryOut})
@require(MANAGE)
def create_category(
    request: HttpRequest, payload: CustomerCategoryIn
) -> Status[CustomerCategory]:
    context = api_context(request)
    category = services.create_customer_category(
        company=context.company,
        actor=context.user,
        code=payload.code,
        name=payload.name,
    )
    return Status(201, category)


@router.put("/categories/{customer_category_id}", response=CustomerCategoryOut)
@require(MANAGE)
def update_category(
    request: HttpRequest, customer_category_id: int, payload: CustomerCategoryIn
) -> CustomerCategory:
    context = api_context(request)
    return services.update_customer_category(
        category=selectors.get_customer_category(context.company, customer_category_id),
        actor=context.user,
        code=payload.code,
        name=payload.name,
    )


@router.delete("/categories/{customer_category_id}", response={204: None})
@require(MANAGE)
def delete_category(request: HttpRequest, customer_category_id: int) -> Status[None]:
    """Only a category no customer is in (409 otherwise)."""
    context = api_context(request)
    services.delete_customer_category(
        category=selectors.get_customer_category(context.company, customer_category_id),
        actor=context.user,
    )
    return Status(204, None)


# --- customers ------------------------------------------------------------------------


def _customer_data(company: Company, payload: CustomerIn) -> services.CustomerData:
    """The payload with its names resolved; every unknown one is reported."""
    problems: dict[str, list[str]] = {}
    category = salesperson = None
    province = ""
    try:
        category = _category(company, payload.category)
    except ValidationError as error:
        problems.update(error.fields)
    try:
        salesperson = _salesperson(company, payload.salesperson)
    except ValidationError as error:
        problems.update(error.fields)
    try:
        province = _province(payload.province)
    except ValidationError as error:
        problems.update(error.fields)
    if problems:
        raise ValidationError(next(iter(problems.values()))[0], fields=problems)
    return services.CustomerData(
        **payload.model_dump(exclude={"category", "salesperson", "province"}),
        category=category,
        salesperson=salesperson,
        province=province,
    )


@router.get("/customers", response=list[CustomerOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_customers(
    request: HttpRequest, filters: Query[CustomerFilter]
) -> QuerySet[Customer]:
    """Customers by code. ``search`` matches code, name, short name or USCC;
    ``category`` is a code, ``salesperson`` a user name, ``province`` a
    code or name."""
    company = api_context(request).company
    salesperson = _salesperson(company, filters.salesperson)
    return selectors.list_customers(
        company,
        search=filters.search,
        category=_category(company, filters.category),
        salesperson=salesperson,
        province=_province(filters.province),
        active=filters.active,
    )


@router.get("/customers/{customer_id}", response=CustomerOut)
@require(VIEW)
def get_customer(request: HttpRequest, customer_id: int) -> Customer:
    return selectors.get_customer(api_context(request).company, customer_id)


@router.post("/customers", response={201: CustomerOut})
@require(MANAGE)
def create_customer(request: HttpRequest, payload: CustomerIn) -> Status[Customer]:
    """A customer; 422 lists every problem by field, 409 a taken code."""
    context = api_context(request)
    customer = services.create_customer(
        company=context.company,
        actor=context.user,
        data=_customer_data(context.company, payload),
    )
    return Status(201, selectors.get_customer(context.company, customer.pk))


@router.put("/customers/{customer_id}", response=CustomerOut)
@require(MANAGE)
def update_customer(
    request: HttpRequest, customer_id: int, payload: CustomerIn
) -> Customer:
    """Replace the customer's data (not its contacts and addresses). With a
    default address, the province and city stay that address's."""
    context = api_context(request)
    customer = selectors.get_customer(context.company, customer_id)
    services.update_customer(
        customer=customer,
        actor=context.user,
        data=_customer_data(context.company, payload),
    )
    return selectors.get_customer(context.company, customer_id)


@router.post("/customers/{customer_id}/active", response=CustomerOut)
@require(MANAGE)
def set_customer_active(
    request: HttpRequest, customer_id: int, payload: ActiveIn
) -> Customer:
    """Deactivate (``is_active: false``: no new documents for it, its history
    stays) or reactivate."""
    context = api_context(request)
    services.set_customer_active(
        customer=selectors.get_customer(context.company, customer_id),
        actor=context.user,
        active=payload.is_active,
    )
    return selectors.get_customer(context.company, customer_id)


# --- contacts -------------------------------------------------------------------------


def _contact_data(payload: ContactIn) -> services.ContactData:
    return services.ContactData(**payload.model_dump())


@router.get("/customers/{customer_id}/contacts", response=list[ContactOut])
@require(VIEW)
def list_contacts(request: HttpRequest, customer_id: int) -> QuerySet[Contact]:
    company = api_context(request).company
    return selectors.list_contacts(selectors.get_customer(company, customer_id))


@router.post("/customers/{customer_id}/contacts", response={201: ContactOut})
@require(MANAGE)
def add_contact(
    request: HttpRequest, customer_id: int, payload: ContactIn
) -> Status[Contact]:
    """The first contact becomes the primary one; a new primary one demotes
    the others."""
    context = api_context(request)
    contact = services.add_contact(
        customer=selectors.get_customer(context.company, customer_id),
        actor=context.user,
        data=_contact_data(payload),
    )
    return Status(201, contact)


@router.put("/contacts/{contact_id}", response=ContactOut)
@require(MANAGE)
def update_contact(
    request: HttpRequest, contact_id: int, payload: ContactIn
) -> Contact:
    context = api_context(request)
    return services.update_contact(
        contact=selectors.get_contact(context.company, contact_id),
        actor=context.user,
        data=_contact_data(payload),
    )


@router.delete("/contacts/{contact_id}", response={204: None})
@require(MANAGE)
def remove_contact(request: HttpRequest, contact_id: int) -> Status[None]:
    context = api_context(request)
    services.remove_contact(
        contact=selectors.get_contact(context.company, contact_id),
        actor=context.user,
    )
    return Status(204, None)


# --- delivery addresses ---------------------------------------------------------------


def _address_data(payload: AddressIn) -> services.AddressData:
    values = payload.model_dump()
    values["province"] = _province(payload.province) or payload.province
    return services.AddressData(**values)


@router.get("/customers/{customer_id}/addresses", response=list[AddressOut])
@require(VIEW)
def list_addresses(request: HttpRequest, customer_id: int) -> QuerySet[DeliveryAddress]:
    company = api_context(request).company
    return selectors.list_addresses(selectors.get_customer(company, customer_id))


@router.post("/customers/{customer_id}/addresses", response={201: AddressOut})
@require(MANAGE)
def add_address(
    request: HttpRequest, customer_id: int, payload: AddressIn
) -> Status[DeliveryAddress]:
    """The first address becomes the default; the default one's province and
    city are copied to the customer."""
    context = api_context(request)
    address = services.add_address(
        customer=selectors.get_customer(context.company, customer_id),
        actor=context.user,
        data=_address_data(payload),
    )
    return Status(201, address)


@router.put("/addresses/{address_id}", response=AddressOut)
@require(MANAGE)
def update_address(
    request: HttpRequest, address_id: int, payload: AddressIn
) -> DeliveryAddress:
    context = api_context(request)
    return services.update_address(
        address=selectors.get_address(context.company, address_id),
        actor=context.user,
        data=_address_data(payload),
    )


@router.delete("/addresses/{address_id}", response={204: None})
@require(MANAGE)
def remove_address(request: HttpRequest, address_id: int) -> Status[None]:
    context = api_context(request)
    services.remove_address(
        address=selectors.get_address(context.company, address_id),
        actor=context.user,
    )
    return Status(204, None)


# --- Excel ----------------------------------------------------------------------------


@router.get("/excel/template")
@require(VIEW)
def import_template(request: HttpRequest) -> HttpResponse:
    """The .xlsx template of the customer import, with a sheet of notes."""
    return attachment(
        excel.template_xlsx(), "customers-template.xlsx", excel.XLSX_CONTENT_TYPE
    )


@router.get("/excel/customers")
@require(VIEW)
def export_customers(request: HttpRequest) -> HttpResponse:
    """Every customer of the company as .xlsx, in the template's columns."""
    customers = selectors.list_customers(api_context(request).company)
    return attachment(
        excel.customers_xlsx(customers.iterator(chunk_size=500)),
        "customers.xlsx",
        excel.XLSX_CONTENT_TYPE,
    )


@router.post("/excel/customers", response={200: ImportOut})
@require(MANAGE)
@response_not_stored
def import_customers(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """Import customers from an uploaded .xlsx (multipart field ``file``), all
    or nothing: a row whose code exists updates that customer, others add
    one; a 422 ``import_rejected`` lists every problem in ``fields`` keyed
    ``"<row>:<column>"``. Safe to retry: the same sheet twice changes
    nothing more."""
    context = api_context(request)
    excel.check_file_size(file.size)
    result = services.import_customers(
        company=context.company,
        actor=context.user,
        rows=excel.read_customer_rows(file),
    )
    return {"created": result.created, "updated": result.updated}


# --- suppliers ------------------------------------------------------------------------


def _supplier_data(payload: SupplierIn) -> services.SupplierData:
    return services.SupplierData(
        **payload.model_dump(exclude={"province"}),
        province=_province(payload.province),
    )


@router.get("/suppliers", response=list[SupplierOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_suppliers(
    request: HttpRequest, filters: Query[SupplierFilter]
) -> QuerySet[Supplier]:
    """Suppliers by code. ``search`` matches code, name, short name or USCC;
    ``province`` is a code or name."""
    return selectors.list_suppliers(
        api_context(request).company,
        search=filters.search,
        province=_province(filters.province),
        active=filters.active,
    )


@router.get("/suppliers/{supplier_id}", response=SupplierOut)
@require(VIEW)
def get_supplier(request: HttpRequest, supplier_id: int) -> Supplier:
    return selectors.get_supplier(api_context(request).company, supplier_id)


@router.post("/suppliers", response={201: SupplierOut})
@require(MANAGE_SUPPLIERS)
def create_supplier(request: HttpRequest, payload: SupplierIn) -> Status[Supplier]:
    """A supplier; 422 lists every problem by field, 409 a taken code."""
    context = api_context(request)
    supplier = services.create_supplier(
        company=context.company, actor=context.user, data=_supplier_data(payload)
    )
    return Status(201, selectors.get_supplier(context.company, supplier.pk))


@router.put("/suppliers/{supplier_id}", response=SupplierOut)
@require(MANAGE_SUPPLIERS)
def update_supplier(
    request: HttpRequest, supplier_id: int, payload: SupplierIn
) -> Supplier:
    """Replace the supplier's data (not its contacts)."""
    context = api_context(request)
    services.update_supplier(
        supplier=selectors.get_supplier(context.company, supplier_id),
        actor=context.user,
        data=_supplier_data(payload),
    )
    return selectors.get_supplier(context.company, supplier_id)


@router.post("/suppliers/{supplier_id}/active", response=SupplierOut)
@require(MANAGE_SUPPLIERS)
def set_supplier_active(
    request: HttpRequest, supplier_id: int, payload: ActiveIn
) -> Supplier:
    """Deactivate (``is_active: false``: no new purchases from it, its
    history stays) or reactivate."""
    context = api_context(request)
    services.set_supplier_active(
        supplier=selectors.get_supplier(context.company, supplier_id),
        actor=context.user,
        active=payload.is_active,
    )
    return selectors.get_supplier(context.company, supplier_id)


@router.get("/suppliers/{supplier_id}/contacts", response=list[ContactOut])
@require(VIEW)
def list_supplier_contacts(
    request: HttpRequest, supplier_id: int
) -> QuerySet[SupplierContact]:
    company = api_context(request).company
    return selectors.list_supplier_contacts(
        selectors.get_supplier(company, supplier_id)
    )


@router.post("/suppliers/{supplier_id}/contacts", response={201: ContactOut})
@require(MANAGE_SUPPLIERS)
def add_supplier_contact(
    request: HttpRequest, supplier_id: int, payload: ContactIn
) -> Status[SupplierContact]:
    """The first contact becomes the primary one; a new primary one demotes
    the others."""
    context = api_context(request)
    contact = services.add_supplier_contact(
        supplier=selectors.get_supplier(context.company, supplier_id),
        actor=context.user,
        data=_contact_data(payload),
    )
    return Status(201, contact)


@router.put("/supplier-contacts/{supplier_contact_id}", response=ContactOut)
@require(MANAGE_SUPPLIERS)
def update_supplier_contact(
    request: HttpRequest, supplier_contact_id: int, payload: ContactIn
) -> SupplierContact:
    context = api_context(request)
    return services.update_supplier_contact(
        contact=selectors.get_supplier_contact(context.company, supplier_contact_id),
        actor=context.user,
        data=_contact_data(payload),
    )


@router.delete("/supplier-contacts/{supplier_contact_id}", response={204: None})
@require(MANAGE_SUPPLIERS)
def remove_supplier_contact(
    request: HttpRequest, supplier_contact_id: int
) -> Status[None]:
    context = api_context(request)
    services.remove_supplier_contact(
        contact=selectors.get_supplier_contact(context.company, supplier_contact_id),
        actor=context.user,
    )
    return Status(204, None)


@router.get("/excel/supplier-template")
@require(VIEW)
def supplier_import_template(request: HttpRequest) -> HttpResponse:
    """The .xlsx template of the supplier import, with a sheet of notes."""
    return attachment(
        excel.supplier_template_xlsx(),
        "suppliers-template.xlsx",
        excel.XLSX_CONTENT_TYPE,
    )


@router.get("/excel/suppliers")
@require(VIEW)
def export_suppliers(request: HttpRequest) -> HttpResponse:
    """Every supplier of the company as .xlsx, in the template's columns."""
    suppliers = selectors.list_suppliers(api_context(request).company)
    return attachment(
        excel.suppliers_xlsx(suppliers.iterator(chunk_size=500)),
        "suppliers.xlsx",
        excel.XLSX_CONTENT_TYPE,
    )


@router.post("/excel/suppliers", response={200: ImportOut})
@require(MANAGE_SUPPLIERS)
@response_not_stored
def import_suppliers(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """Import suppliers from an uploaded .xlsx (multipart field ``file``), all
    or nothing, as the customer import: a 422 ``import_rejected`` lists every
    problem in ``fields`` keyed ``"<row>:<column>"``. Safe to retry."""
    context = api_context(request)
    excel.check_file_size(file.size)
    result = services.import_suppliers(
        company=context.company,
        actor=context.user,
        rows=excel.read_supplier_rows(file),
    )
    return {"created": result.created, "updated": result.updated}
