"""Writes of the partners module (往来单位): customer categories, customers
with their contacts and delivery addresses, suppliers with their contacts,
and the Excel imports.

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
from zhongshu.partners.services.imports import import_customers
from zhongshu.partners.services.sheet_import import (
    ImportProblem,
    ImportRejectedError,
    ImportResult,
)
from zhongshu.partners.services.supplier_contacts import (
    add_supplier_contact,
    remove_supplier_contact,
    update_supplier_contact,
)
from zhongshu.partners.services.supplier_imports import import_suppliers
from zhongshu.partners.services.suppliers import (
    SupplierData,
    create_supplier,
    set_supplier_active,
    supplier_problems,
    update_supplier,
)

__all__ = [
    "AddressData",
    "ContactData",
    "CustomerData",
    "ImportProblem",
    "ImportRejectedError",
    "ImportResult",
    "SupplierData",
    "add_address",
    "add_contact",
    "add_supplier_contact",
    "create_customer",
    "create_customer_category",
    "create_supplier",
    "customer_problems",
    "delete_customer_category",
    "import_customers",
    "import_suppliers",
    "remove_address",
    "remove_contact",
    "remove_supplier_contact",
    "set_customer_active",
    "set_supplier_active",
    "supplier_problems",
    "update_address",
    "update_contact",
    "update_customer",
    "update_customer_category",
    "update_supplier",
    "update_supplier_contact",
]
