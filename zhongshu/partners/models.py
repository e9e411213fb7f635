"""Tables of the partners module (往来单位): customer categories, customers
with their contacts and delivery addresses; suppliers with their contacts.
What a supplier supplies (product, price, minimum order, lead time) lives in
purchasing, which knows products.

Provinces are named by their GB/T 2260 code (``regions.PROVINCES``, shipped
as product data); the city is free text below the province, because regional
analysis groups by province and by the north/south split."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongshu.core.fields import AmountField
from zhongshu.core.models import Company
from zhongshu.partners import regions


class CustomerCategory(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("customer category")
        verbose_name_plural = _("customer categories")
        ordering: ClassVar = ["company", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "code"], name="customer_category_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Customer(models.Model):
    """A customer: who they are for invoices (税务登记信息), who sells to
    them, on what terms, and how much credit they get."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    # 统一社会信用代码: empty for individuals and walk-in customers; validated
    # (check character) when given.
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, default=""
    )
    tax_address = models.CharField(
        _("registered address"), max_length=200, blank=True, default=""
    )
    tax_phone = models.CharField(
        _("registered phone"), max_length=40, blank=True, default=""
    )
    bank_name = models.CharField(_("bank"), max_length=100, blank=True, default="")
    bank_account = models.CharField(
        _("bank account"), max_length=40, blank=True, default=""
    )
    category = models.ForeignKey(
        CustomerCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("salesperson"),
    )
    # The customer group code price lists of kind "customer group" name.
    price_group = models.CharField(
        _("price group"), max_length=40, blank=True, default=""
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=0
    )
    # None: no limit. Zero: nothing on credit.
    credit_limit = AmountField(_("credit limit"), null=True, blank=True)
    # Copied from the default delivery address so regional reports group
    # without a join per row.
    province = models.CharField(_("province"), max_length=6, blank=True, default="")
    city = models.CharField(_("city"), max_length=60, blank=True, default="")
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering: ClassVar = ["company", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "code"], name="customer_code")
        ]
        indexes: ClassVar = [
            models.Index(fields=["company", "name"]),
            models.Index(fields=["company", "province"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def province_name(self) -> str:
        """广东省 for "440000"; empty without a province."""
        return regions.province_name(self.province)


class Contact(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("position"), max_length=60, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    email = models.CharField(_("email"), max_length=120, blank=True, default="")
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering: ClassVar = ["customer", "-is_primary", "id"]

    def __str__(self) -> str:
        return self.name


class DeliveryAddress(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="addresses"
    )
    province = models.CharField(_("province"), max_length=6)
    city = models.CharField(_("city"), max_length=60, blank=True, default="")
    district = models.CharField(_("district"), max_length=60, blank=True, default="")
    detail = models.CharField(_("street address"), max_length=200)
    receiver = models.CharField(_("receiver"), max_length=60, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    is_default = models.BooleanField(_("default address"), default=False)

    class Meta:
        verbose_name = _("delivery address")
        verbose_name_plural = _("delivery addresses")
        ordering: ClassVar = ["customer", "-is_default", "id"]

    def __str__(self) -> str:
        return f"{self.city}{self.district}{self.detail}"

    @property
    def province_name(self) -> str:
        return regions.province_name(self.province)


class Supplier(models.Model):
    """A supplier (供应商): who they are for invoices and payments, and on
    what terms they are paid."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, default=""
    )
    tax_address = models.CharField(
        _("registered address"), max_length=200, blank=True, default=""
    )
    tax_phone = models.CharField(
        _("registered phone"), max_length=40, blank=True, default=""
    )
    bank_name = models.CharField(_("bank"), max_length=100, blank=True, default="")
    bank_account = models.CharField(
        _("bank account"), max_length=40, blank=True, default=""
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=0
    )
    province = models.CharField(_("province"), max_length=6, blank=True, default="")
    city = models.CharField(_("city"), max_length=60, blank=True, default="")
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering: ClassVar = ["company", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "code"], name="supplier_code")
        ]
        indexes: ClassVar = [models.Index(fields=["company", "name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def province_name(self) -> str:
        return regions.province_name(self.province)


class SupplierContact(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("position"), max_length=60, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    email = models.CharField(_("email"), max_length=120, blank=True, default="")
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("supplier contact")
        verbose_name_plural = _("supplier contacts")
        ordering: ClassVar = ["supplier", "-is_primary", "id"]

    def __str__(self) -> str:
        return self.name
