"""Page routes of partners."""

from django.urls import URLPattern, URLResolver, path

from zhongshu.web.views.partners import categories, contacts, customers, excel

urlpatterns: list[URLPattern | URLResolver] = [
    path("partners/customers/", customers.customer_list, name="partners_customers"),
    path(
        "partners/customers/new/",
        customers.customer_new,
        name="partners_customer_new",
    ),
    path(
        "partners/customers/<int:customer_id>/",
        customers.customer_edit,
        name="partners_customer",
    ),
    path(
        "partners/customers/<int:customer_id>/active/",
        customers.customer_set_active,
        name="partners_customer_active",
    ),
    path(
        "partners/customers/<int:customer_id>/contacts/",
        contacts.contact_add,
        name="partners_contact_add",
    ),
    path(
        "partners/contacts/<int:contact_id>/",
        contacts.contact_edit,
        name="partners_contact",
    ),
    path(
        "partners/contacts/<int:contact_id>/delete/",
        contacts.contact_delete,
        name="partners_contact_delete",
    ),
    path(
        "partners/customers/<int:customer_id>/addresses/",
        contacts.address_add,
        name="partners_address_add",
    ),
    path(
        "partners/addresses/<int:address_id>/",
        contacts.address_edit,
        name="partners_address",
    ),
    path(
        "partners/addresses/<int:address_id>/delete/",
        contacts.address_delete,
        name="partners_address_delete",
    ),
    path("partners/categories/", categories.category_list, name="partners_categories"),
    path(
        "partners/categories/<int:customer_category_id>/",
        categories.category_edit,
        name="partners_category",
    ),
    path(
        "partners/categories/<int:customer_category_id>/delete/",
        categories.category_delete,
        name="partners_category_delete",
    ),
    path("partners/import/", excel.import_page, name="partners_import"),
    path(
        "partners/import/template.xlsx",
        excel.template_download,
        name="partners_import_template",
    ),
    path("partners/export.xlsx", excel.export_download, name="partners_export"),
]
