"""Page routes of catalog."""

from django.urls import URLPattern, URLResolver, path

from zhongshu.web.views.catalog import (
    categories,
    excel,
    prices,
    products,
    settings,
    styles,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("catalog/products/", products.product_list, name="catalog_products"),
    path("catalog/products/new/", products.product_new, name="catalog_product_new"),
    path(
        "catalog/products/<int:product_id>/",
        products.product_edit,
        name="catalog_product",
    ),
    path(
        "catalog/products/<int:product_id>/active/",
        products.product_set_active,
        name="catalog_product_active",
    ),
    path("catalog/categories/", categories.category_list, name="catalog_categories"),
    path(
        "catalog/categories/<int:category_id>/",
        categories.category_edit,
        name="catalog_category",
    ),
    path(
        "catalog/categories/<int:category_id>/delete/",
        categories.category_delete,
        name="catalog_category_delete",
    ),
    path("catalog/styles/", styles.style_list, name="catalog_styles"),
    path("catalog/styles/<int:style_id>/", styles.style_detail, name="catalog_style"),
    path(
        "catalog/styles/<int:style_id>/generate/",
        styles.style_generate,
        name="catalog_style_generate",
    ),
    path(
        "catalog/attributes/<int:attribute_id>/values/",
        styles.attribute_value_add,
        name="catalog_attribute_value_add",
    ),
    path("catalog/price-lists/", prices.price_list_index, name="catalog_price_lists"),
    path(
        "catalog/price-lists/<int:price_list_id>/",
        prices.price_list_detail,
        name="catalog_price_list",
    ),
    path(
        "catalog/prices/<int:price_item_id>/delete/",
        prices.price_item_delete,
        name="catalog_price_item_delete",
    ),
    path("catalog/import/", excel.import_page, name="catalog_import"),
    path(
        "catalog/import/template.xlsx",
        excel.template_download,
        name="catalog_import_template",
    ),
    path("catalog/export.xlsx", excel.export_download, name="catalog_export"),
    path("catalog/settings/", settings.catalog_settings, name="catalog_settings"),
    path("catalog/units/<int:unit_id>/", settings.unit_edit, name="catalog_unit"),
    path(
        "catalog/units/<int:unit_id>/delete/",
        settings.unit_delete,
        name="catalog_unit_delete",
    ),
]
