"""The site administrator's read-mostly view of catalogs across companies.
Business users change the catalog through its pages and API, which go
through the services (validation, audit); the admin is for support."""

from __future__ import annotations

from django.contrib import admin

from zhongshu.catalog.models import (
    Attribute,
    AttributeValue,
    Barcode,
    CatalogSettings,
    Category,
    PriceList,
    PriceListItem,
    Product,
    ProductUnit,
    Style,
    Unit,
)


class ProductUnitInline(admin.TabularInline[ProductUnit, Product]):
    model = ProductUnit
    extra = 0
    raw_id_fields = ("unit",)


class BarcodeInline(admin.TabularInline[Barcode, Product]):
    model = Barcode
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    list_display = ("code", "name", "company", "category", "base_unit", "is_active")
    list_filter = ("is_active", "track_lots")
    search_fields = ("code", "name", "specification", "barcodes__code")
    list_select_related = ("company", "category", "base_unit")
    raw_id_fields = ("company", "category", "style", "base_unit")
    inlines = (ProductUnitInline, BarcodeInline)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ("code", "name", "company", "parent", "costing_method")
    search_fields = ("code", "name")
    raw_id_fields = ("company", "parent")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ("code", "name", "places", "company")
    search_fields = ("code", "name")
    raw_id_fields = ("company",)


class AttributeValueInline(admin.TabularInline[AttributeValue, Attribute]):
    model = AttributeValue
    extra = 0
    raw_id_fields = ("company",)


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin[Attribute]):
    list_display = ("code", "name", "company")
    raw_id_fields = ("company",)
    inlines = (AttributeValueInline,)


@admin.register(Style)
class StyleAdmin(admin.ModelAdmin[Style]):
    list_display = ("code", "name", "company", "axes")
    search_fields = ("code", "name")
    raw_id_fields = ("company", "category", "base_unit")


class PriceListItemInline(admin.TabularInline[PriceListItem, PriceList]):
    model = PriceListItem
    extra = 0
    raw_id_fields = ("company", "product", "unit")


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin[PriceList]):
    list_display = ("code", "name", "kind", "customer_group", "priority", "is_active")
    list_filter = ("kind", "is_active")
    raw_id_fields = ("company",)
    inlines = (PriceListItemInline,)


@admin.register(CatalogSettings)
class CatalogSettingsAdmin(admin.ModelAdmin[CatalogSettings]):
    list_display = ("company", "costing_method")
    raw_id_fields = ("company",)
