"""Reads of the partners module, scoped to a company. Other modules call
``get_customer``, ``find_customer`` and ``list_customers``, and their
supplier counterparts."""

from zhongshu.partners.selectors.customers import (
    find_customer,
    find_customer_category,
    find_member,
    get_address,
    get_contact,
    get_customer,
    get_customer_category,
    list_addresses,
    list_contacts,
    list_customer_categories,
    list_customers,
    list_salespeople,
)
from zhongshu.partners.selectors.suppliers import (
    find_supplier,
    get_supplier,
    get_supplier_contact,
    list_supplier_contacts,
    list_suppliers,
)

__all__ = [
    "find_customer",
    "find_customer_category",
    "find_member",
    "find_supplier",
    "get_address",
    "get_contact",
    "get_customer",
    "get_customer_category",
    "get_supplier",
    "get_supplier_contact",
    "list_addresses",
    "list_contacts",
    "list_customer_categories",
    "list_customers",
    "list_salespeople",
    "list_supplier_contacts",
    "list_suppliers",
]
