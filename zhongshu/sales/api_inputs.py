"""Inputs of the sales API to rows: customers, products, units, warehouses,
locations, accounts and salespeople are named by code (username), which only
ever finds the calling company's row; an unknown one is a 422 on its field."""

import datetime

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from zhongshu.catalog.models import Product, Unit
from zhongshu.catalog.selectors import products as catalog
from zhongshu.core import clock
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import Company
from zhongshu.inventory import selectors as inventory
from zhongshu.inventory.models import Location, Warehouse
from zhongshu.ledger.models import Account
from zhongshu.ledger.selectors import vouchers as ledger
from zhongshu.partners.models import Customer
from zhongshu.partners.selectors import customers as partners
from zhongshu.sales import services
from zhongshu.sales.schemas import DocumentIn


def invalid(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def customer(company: Company, code: str, field: str = "customer") -> Customer:
    customer = partners.find_customer(company, code)
    if customer is None:
        raise invalid(field, _("There is no customer %(code)s.") % {"code": code})
    return customer


def product(company: Company, code: str, field: str) -> Product:
    product = inventory.find_product(company, code)
    if product is None:
        raise invalid(field, _("There is no product %(code)s.") % {"code": code})
    return product


def warehouse(company: Company, code: str, field: str) -> Warehouse | None:
    if not code.strip():
        return None
    warehouse = inventory.find_warehouse(company, code)
    if warehouse is None:
        raise invalid(field, _("There is no warehouse %(code)s.") % {"code": code})
    return warehouse


def location(
    company: Company, warehouse: Warehouse, code: str, field: str
) -> Location | None:
    if not code.strip():
        return None
    location = inventory.find_location(company, warehouse, code)
    if location is None:
        raise invalid(
            field,
            _("There is no location %(code)s in warehouse %(warehouse)s.")
            % {"code": code, "warehouse": warehouse.code},
        )
    return location


def unit(company: Company, code: str, field: str) -> Unit | None:
    if not code.strip():
        return None
    unit = catalog.find_unit(company, code)
    if unit is None:
        raise invalid(field, _("There is no unit %(code)s.") % {"code": code})
    return unit


def account(company: Company, code: str) -> Account | None:
    if not code.strip():
        return None
    account = ledger.find_account(company, code)
    if account is None:
        raise invalid("account", _("There is no account %(code)s.") % {"code": code})
    return account


def salesperson(company: Company, username: str) -> User | None:
    if not username.strip():
        return None
    user = partners.find_member(company, username)
    if user is None:
        raise invalid(
            "salesperson",
            _("%(username)s is not a member of this company.") % {"username": username},
        )
    return user


def day(value: datetime.date | None) -> datetime.date:
    return value or clock.today()


def order_data(company: Company, payload: DocumentIn) -> services.OrderData:
    lines = []
    for index, line in enumerate(payload.lines):
        lines.append(
            services.LineData(
                product=product(company, line.product, f"lines.{index}.product"),
                quantity=line.quantity,
                unit=unit(company, line.unit, f"lines.{index}.unit"),
                unit_price=line.unit_price,
                discount_rate=line.discount_rate,
                warehouse=warehouse(
                    company, line.warehouse, f"lines.{index}.warehouse"
                ),
                memo=line.memo,
            )
        )
    return services.OrderData(
        customer=customer(company, payload.customer),
        date=payload.date,
        lines=lines,
        warehouse=warehouse(company, payload.warehouse, "warehouse"),
        prices_include_tax=payload.prices_include_tax,
        discount=payload.discount,
        delivery_date=payload.delivery_date,
        delivery_address=payload.delivery_address,
        valid_until=payload.valid_until,
        salesperson=salesperson(company, payload.salesperson),
        memo=payload.memo,
    )
