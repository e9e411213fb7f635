"""Tables of the catalog: categories, units, variant attributes and styles,
products (SKUs) with their alternative units and barcodes, catalog settings
(the company's costing method) and price lists."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongshu.core.fields import PriceField, QuantityField
from zhongshu.core.models import Company


def plain_decimal(value: Decimal, min_places: int = 0) -> str:
    """A stored decimal as people read it: 12.0000 → "12", 2.5000 → "2.5",
    and with ``min_places=2`` 12.000000 → "12.00" (never "1E+1")."""
    whole, _dot, fraction = format(value.normalize(), "f").partition(".")
    fraction = fraction.ljust(min_places, "0")
    return f"{whole}.{fraction}" if fraction else whole


class CostingMethod(models.TextChoices):
    MOVING_AVERAGE = "moving_average", _("Moving weighted average")
    FIFO = "fifo", _("First in, first out")
    MONTHLY_AVERAGE = "monthly_average", _("Monthly weighted average")


class CatalogSettings(models.Model):
    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    costing_method = models.CharField(
        _("costing method"),
        max_length=20,
        choices=CostingMethod.choices,
        default=CostingMethod.MOVING_AVERAGE,
    )

    class Meta:
        verbose_name = _("catalog settings")
        verbose_name_plural = _("catalog settings")

    def __str__(self) -> str:
        return f"catalog settings of {self.company_id}"


class Category(models.Model):
    """A node of the product category tree; may override the costing method."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    costing_method = models.CharField(
        _("costing method"),
        max_length=20,
        choices=CostingMethod.choices,
        blank=True,
        default="",
        help_text=_("Empty: the parent's method, or the company's."),
    )

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering: ClassVar = ["company", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "code"], name="category_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Unit(models.Model):
    """A unit of measure (件, 箱, 千克); ``places`` is how many decimals a
    quantity in it may have (件 0, 千克 3)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=40)
    places = models.PositiveSmallIntegerField(_("decimal places"), default=0)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering: ClassVar = ["company", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "code"], name="unit_code"),
            models.CheckConstraint(
                condition=models.Q(places__lte=4), name="unit_places_at_most_4"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """A variant axis such as colour or size."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering: ClassVar = ["company", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "code"], name="attribute_code")
        ]

    def __str__(self) -> str:
        return self.name


class AttributeValue(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    attribute = models.ForeignKey(
        Attribute, on_delete=models.CASCADE, related_name="values"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        ordering: ClassVar = ["attribute", "sort", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "attribute", "code"], name="attribute_value_code"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Style(models.Model):
    """款式: the template a matrix of variant SKUs is generated from.
    ``axes`` lists the attribute codes in display order (e.g. colour, size)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    axes = models.JSONField(_("attributes"), default=list, blank=True)
    # What every variant generated from the style gets (added in 0002).
    base_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("base unit"),
    )
    brand = models.CharField(_("brand"), max_length=60, blank=True, default="")
    tax_code = models.CharField(
        _("tax classification code"), max_length=19, blank=True, default=""
    )
    vat_rate = models.DecimalField(
        _("VAT rate"), max_digits=5, decimal_places=4, default=Decimal("0.13")
    )

    class Meta:
        verbose_name = _("style")
        verbose_name_plural = _("styles")
        ordering: ClassVar = ["company", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "code"], name="style_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Product(models.Model):
    """A stock-keeping unit. Quantities everywhere are kept in ``base_unit``."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    specification = models.CharField(
        _("specification"), max_length=200, blank=True, default=""
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    style = models.ForeignKey(
        Style, on_delete=models.PROTECT, null=True, blank=True, related_name="variants"
    )
    # {attribute code: value code}, one entry per axis of the style.
    variant = models.JSONField(_("variant"), default=dict, blank=True)
    base_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("base unit")
    )
    brand = models.CharField(_("brand"), max_length=60, blank=True, default="")
    tax_code = models.CharField(
        _("tax classification code"), max_length=19, blank=True, default=""
    )
    vat_rate = models.DecimalField(
        _("VAT rate"), max_digits=5, decimal_places=4, default=Decimal("0.13")
    )
    track_lots = models.BooleanField(_("lot tracking"), default=False)
    track_serials = models.BooleanField(_("serial number tracking"), default=False)
    track_expiry = models.BooleanField(_("expiry tracking"), default=False)
    shelf_life_days = models.PositiveIntegerField(
        _("shelf life (days)"), null=True, blank=True
    )
    allow_negative_stock = models.BooleanField(_("allow negative stock"), default=False)
    image_url = models.URLField(_("image"), blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering: ClassVar = ["company", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "code"], name="product_code"),
            models.CheckConstraint(
                condition=models.Q(vat_rate__gte=0) & models.Q(vat_rate__lt=1),
                name="product_vat_rate_range",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["company", "category"]),
            models.Index(fields=["company", "style"]),
            models.Index(fields=["company", "name"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def vat_percent(self) -> str:
        """The VAT rate as people write it: 13%, 1.5%."""
        return f"{(self.vat_rate * 100).normalize():f}%"


class ProductUnit(models.Model):
    """An alternative unit of a product: one ``unit`` is ``factor`` base units
    (箱 = 12 件)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    factor = QuantityField(_("base units per unit"))

    class Meta:
        verbose_name = _("alternative unit")
        verbose_name_plural = _("alternative units")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "product", "unit"], name="product_unit_key"
            ),
            models.CheckConstraint(
                condition=models.Q(factor__gt=0), name="product_unit_factor_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} = {self.factor}"

    @property
    def factor_text(self) -> str:
        return plain_decimal(self.factor)


class BarcodeKind(models.TextChoices):
    EAN13 = "ean13", "EAN-13"
    EAN8 = "ean8", "EAN-8"
    UPC = "upc", "UPC-A"
    INTERNAL = "internal", _("Internal code")


class Barcode(models.Model):
    """A code a scanner reads; scanning it means one ``unit`` of the product
    (the unit is empty for the base unit)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="barcodes"
    )
    code = models.CharField(_("barcode"), max_length=64)
    kind = models.CharField(_("kind"), max_length=10, choices=BarcodeKind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("barcode")
        verbose_name_plural = _("barcodes")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "code"], name="barcode_code")
        ]

    def __str__(self) -> str:
        return self.code


class PriceListKind(models.TextChoices):
    RETAIL = "retail", _("Retail")
    WHOLESALE = "wholesale", _("Wholesale")
    CUSTOMER_GROUP = "customer_group", _("Customer group")


class PriceList(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=PriceListKind.choices)
    # The partners module's customer category code this list applies to.
    customer_group = models.CharField(
        _("customer group"), max_length=40, blank=True, default=""
    )
    tax_inclusive = models.BooleanField(_("prices include VAT"), default=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=10)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering: ClassVar = ["company", "priority", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "code"], name="price_list_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PriceListItem(models.Model):
    """A price of a product in one unit from ``min_quantity`` up (a quantity
    break), optionally limited to its own validity dates."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    price_list = models.ForeignKey(
        PriceList, on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    min_quantity = QuantityField(_("from quantity"), default=Decimal("0"))
    price = PriceField(_("price"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "price_list", "product", "unit", "min_quantity"],
                name="price_list_item_key",
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="price_not_negative"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["company", "product"])]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.price}"

    @property
    def price_text(self) -> str:
        return plain_decimal(self.price, 2)

    @property
    def min_quantity_text(self) -> str:
        return plain_decimal(self.min_quantity)
