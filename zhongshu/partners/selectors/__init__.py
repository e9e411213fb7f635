"""Reads of the partners module, scoped to a company. Other modules call
``get_customer``, ``find_customer`` and ``list_customers``."""

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

__all__ = [
    "find_customer",
    "find_customer_category",
    "find_member",
    "get_address",
    "get_contact",
    "get_customer",
    "get_customer_category",
    "list_addresses",
    "list_contacts",
    "list_customer_categories",
    "list_customers",
    "list_salespeople",
]
