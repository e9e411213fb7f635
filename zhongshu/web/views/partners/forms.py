"""Forms of the partners pages. They only parse input; the partners
services validate it and raise DomainError, shown back on the form."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongshu.web.forms import WebForm

Choices = Sequence[tuple[Any, str]]


def _blank(
    choices: Iterable[tuple[Any, str]], label: Any = "—"
) -> list[tuple[Any, Any]]:
    return [("", label), *choices]


class CustomerFilterForm(WebForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Code, name, short name or unified social credit code."),
    )
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    salesperson = forms.TypedChoiceField(
        label=_("Salesperson"), required=False, coerce=int, empty_value=None
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Inactive"))],
    )

    def __init__(
        self,
        data: Any,
        *,
        categories: Choices,
        salespeople: Choices,
        provinces: Choices,
    ) -> None:
        super().__init__(data)
        self.fields["category"].choices = _blank(categories, _("All categories"))  # type: ignore[attr-defined]
        self.fields["salesperson"].choices = _blank(salespeople, _("Everyone"))  # type: ignore[attr-defined]
        self.fields["province"].choices = _blank(provinces, _("All provinces"))  # type: ignore[attr-defined]


class CustomerForm(WebForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        required=False,
        help_text=_("18 characters; leave empty for an individual."),
    )
    tax_address = forms.CharField(
        label=_("Registered address"), max_length=200, required=False
    )
    tax_phone = forms.CharField(
        label=_("Registered phone"), max_length=40, required=False
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)
    bank_account = forms.CharField(
        label=_("Bank account"), max_length=40, required=False
    )
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    salesperson = forms.TypedChoiceField(
        label=_("Salesperson"), required=False, coerce=int, empty_value=None
    )
    price_group = forms.CharField(
        label=_("Price group"),
        max_length=40,
        required=False,
        help_text=_("The customer group that price lists name."),
    )
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"), required=False, initial=0
    )
    credit_limit = forms.DecimalField(
        label=_("Credit limit"),
        required=False,
        max_digits=16,
        decimal_places=2,
        help_text=_("Empty: no limit. 0: nothing on credit."),
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    city = forms.CharField(label=_("City"), max_length=60, required=False)
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)

    def __init__(
        self,
        data: Any,
        *,
        categories: Choices,
        salespeople: Choices,
        provinces: Choices,
        region_from_address: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["category"].choices = _blank(categories)  # type: ignore[attr-defined]
        self.fields["salesperson"].choices = _blank(salespeople)  # type: ignore[attr-defined]
        self.fields["province"].choices = _blank(provinces)  # type: ignore[attr-defined]
        if region_from_address:
            for name in ("province", "city"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("From the default delivery address.")


class ContactForm(WebForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    title = forms.CharField(label=_("Position"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("Email"), max_length=120, required=False)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)


class AddressForm(WebForm):
    province = forms.ChoiceField(label=_("Province"))
    city = forms.CharField(label=_("City"), max_length=60, required=False)
    district = forms.CharField(label=_("District"), max_length=60, required=False)
    detail = forms.CharField(label=_("Street address"), max_length=200)
    receiver = forms.CharField(label=_("Receiver"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    is_default = forms.BooleanField(label=_("Default address"), required=False)

    def __init__(self, data: Any, *, provinces: Choices, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["province"].choices = _blank(provinces)  # type: ignore[attr-defined]


class SupplierFilterForm(WebForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Code, name, short name or unified social credit code."),
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Inactive"))],
    )

    def __init__(self, data: Any, *, provinces: Choices) -> None:
        super().__init__(data)
        self.fields["province"].choices = _blank(provinces, _("All provinces"))  # type: ignore[attr-defined]


class SupplierForm(WebForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        required=False,
        help_text=_("18 characters; leave empty for an individual."),
    )
    tax_address = forms.CharField(
        label=_("Registered address"), max_length=200, required=False
    )
    tax_phone = forms.CharField(
        label=_("Registered phone"), max_length=40, required=False
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)
    bank_account = forms.CharField(
        label=_("Bank account"), max_length=40, required=False
    )
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"), required=False, initial=0
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    city = forms.CharField(label=_("City"), max_length=60, required=False)
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)

    def __init__(self, data: Any, *, provinces: Choices, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["province"].choices = _blank(provinces)  # type: ignore[attr-defined]


class SupplierProductForm(WebForm):
    """What the supplier supplies of one product; the product by code when
    adding (``with_product``), fixed when changing."""

    product = forms.CharField(
        label=_("Product code"), max_length=40, help_text=_("The product's code.")
    )
    supplier_code = forms.CharField(
        label=_("Supplier's item code"), max_length=60, required=False
    )
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        max_digits=19,
        help_text=_("Per base unit, as the company's purchase prices are."),
    )
    minimum_quantity = forms.DecimalField(
        label=_("Minimum order quantity"), max_digits=19, required=False
    )
    order_multiple = forms.DecimalField(
        label=_("Order multiple"), max_digits=19, required=False
    )
    lead_time_days = forms.IntegerField(
        label=_("Lead time (days)"), required=False, initial=0
    )
    is_preferred = forms.BooleanField(label=_("Preferred supplier"), required=False)

    def __init__(self, data: Any, *, with_product: bool = True, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        if not with_product:
            del self.fields["product"]


class CustomerCategoryForm(WebForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)

    service_fields: ClassVar[dict[str, str]] = {}


class ImportForm(WebForm):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
