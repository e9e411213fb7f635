from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhongshu.core.navigation import NavItem

# Permission codes as declared in permissions.py (which imports models, so it
# cannot be imported while the app registry loads).
VIEW_CATALOG = "catalog.view"
MANAGE_CATALOG = "catalog.manage"
GROUP = _("Catalog")


class CatalogConfig(AppConfig):
    name = "zhongshu.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    navigation = (
        NavItem(
            label=_("Products"),
            url_name="catalog_products",
            permission=VIEW_CATALOG,
            icon="hash",
            group=GROUP,
            description=_("SKUs with units, barcodes and tax classification"),
        ),
        NavItem(
            label=_("Categories"),
            url_name="catalog_categories",
            permission=VIEW_CATALOG,
            icon="filter",
            group=GROUP,
            description=_("The product category tree and costing overrides"),
        ),
        NavItem(
            label=_("Styles and variants"),
            url_name="catalog_styles",
            permission=VIEW_CATALOG,
            icon="dot",
            group=GROUP,
            description=_("Colour × size matrices generated from a style"),
        ),
        NavItem(
            label=_("Price lists"),
            url_name="catalog_price_lists",
            permission=VIEW_CATALOG,
            icon="check",
            group=GROUP,
            description=_("Retail, wholesale and customer group prices"),
        ),
        NavItem(
            label=_("Import products"),
            url_name="catalog_import",
            permission=MANAGE_CATALOG,
            icon="arrow",
            group=GROUP,
            description=_("From an Excel sheet, all or nothing"),
        ),
        NavItem(
            label=_("Catalog settings"),
            url_name="catalog_settings",
            permission=VIEW_CATALOG,
            icon="key",
            group=GROUP,
            description=_("Units of measure and the costing method"),
        ),
    )

    def ready(self) -> None:
        # Registers the catalog's permissions and its reaction to new companies.
        from zhongshu.catalog import handlers, permissions  # noqa: F401
