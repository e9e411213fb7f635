"""Writes of the partners module (往来单位): customer categories, customers
with their contacts and delivery addresses, and the Excel import.

Every service checks the company is writable, validates before it writes,
runs in one transaction and leaves an audit entry. Events published: none.
"""

from zhongshu.partners.services.categories import (
    create_customer_category,
    delete_customer_category,
    update_customer_category,
)
from zhongshu.partners.services.contacts import (
    AddressData,
    ContactData,
    add_address,
    add_contact,
    remove_address,
    remove_contact,
    update_address,
    update_contact,
)
from zhongshu.partners.services.customers import (
    CustomerData,
    create_customer,
    customer_problems,
    set_customer_active,
    update_customer,
)
from zhongshu.partners.services.imports import (
    ImportProblem,
    ImportRejectedError,
    ImportResult,
    import_customers,
)

__all__ = [
    "AddressData",
    "ContactData",
    "CustomerData",
    "ImportProblem",
    "ImportRejectedError",
    "ImportResult",
    "add_address",
    "add_contact",
    "create_customer",
    "create_customer_category",
    "customer_problems",
    "delete_customer_category",
    "import_customers",
    "remove_address",
    "remove_contact",
    "set_customer_active",
    "update_address",
    "update_contact",
    "update_customer",
    "update_customer_category",
]
