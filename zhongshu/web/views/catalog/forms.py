"""Forms of the catalog's pages. They only parse input; the catalog's
services validate it and raise DomainError, shown back on the form."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongshu.catalog.models import BarcodeKind, CostingMethod, PriceListKind
from zhongshu.web.forms import WebForm

Choices = Sequence[tuple[Any, str]]


def _blank(
    choices: Iterable[tuple[Any, str]], label: Any = "—"
) -> list[tuple[Any, Any]]:
    return [("", label), *choices]


class ProductFilterForm(WebForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Inactive"))],
    )

    def __init__(self, data: Any, *, categories: Choices) -> None:
        super().__init__(data)
        self.fields["category"].choices = _blank(categories, _("All categories"))  # type: ignore[attr-defined]


class ProductForm(WebForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    specification = forms.CharField(
        label=_("Specification"), max_length=200, required=False
    )
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    base_unit = forms.TypedChoiceField(label=_("Base unit"), coerce=int)
    brand = forms.CharField(label=_("Brand"), max_length=60, required=False)
    tax_code = forms.CharField(
        label=_("Tax classification code"),
        max_length=19,
        required=False,
        help_text=_("The 19-digit code of the goods on e-invoices."),
    )
    vat_rate = forms.DecimalField(
        label=_("VAT rate"), max_digits=5, decimal_places=4, initial=Decimal("0.13")
    )
    track_lots = forms.BooleanField(label=_("Lot tracking"), required=False)
    track_serials = forms.BooleanField(
        label=_("Serial number tracking"), required=False
    )
    track_expiry = forms.BooleanField(label=_("Expiry tracking"), required=False)
    shelf_life_days = forms.IntegerField(
        label=_("Shelf life (days)"), required=False, min_value=1, max_value=100_000
    )
    allow_negative_stock = forms.BooleanField(
        label=_("Allow negative stock"), required=False
    )
    image_url = forms.URLField(
        label=_("Image URL"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url"}),
    )

    def __init__(
        self, data: Any, *, categories: Choices, units: Choices, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["category"].choices = _blank(categories)  # type: ignore[attr-defined]
        self.fields["base_unit"].choices = _blank(units)  # type: ignore[attr-defined]


class AltUnitForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=_("Unit"), required=False, coerce=int, empty_value=None
    )
    factor = forms.DecimalField(
        label=_("Base units per unit"), required=False, max_digits=16, decimal_places=4
    )

    def __init__(self, *args: Any, units: Choices = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _blank(units)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("unit") and data.get("factor") is None:
            self.add_error("factor", _("Give the conversion factor of the unit."))
        if data.get("factor") is not None and not data.get("unit"):
            self.add_error("unit", _("Name the unit of this factor."))
        return data


class BarcodeForm(forms.Form):
    code = forms.CharField(label=_("Barcode"), required=False, max_length=64)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Detect")), *BarcodeKind.choices],
    )
    unit = forms.TypedChoiceField(
        label=_("Unit"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, units: Choices = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _blank(units, _("Base unit"))  # type: ignore[attr-defined]


AltUnitFormSet = forms.formset_factory(AltUnitForm, extra=2, max_num=20)
BarcodeFormSet = forms.formset_factory(BarcodeForm, extra=2, max_num=50)


class CategoryForm(WebForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    parent = forms.TypedChoiceField(
        label=_("Parent category"), required=False, coerce=int, empty_value=None
    )
    costing_method = forms.ChoiceField(
        label=_("Costing method"),
        required=False,
        choices=[("", _("As the parent or the company")), *CostingMethod.choices],
    )

    def __init__(self, data: Any, *, parents: Choices, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["parent"].choices = _blank(parents, _("None (top level)"))  # type: ignore[attr-defined]


class CostingMethodForm(WebForm):
    costing_method = forms.ChoiceField(
        label=_("Costing method"),
        choices=CostingMethod.choices,
        help_text=_("Categories may override it."),
    )


class UnitForm(WebForm):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=40)
    places = forms.IntegerField(
        label=_("Decimal places"), min_value=0, max_value=4, initial=0
    )


class UnitEditForm(WebForm):
    name = forms.CharField(label=_("Name"), max_length=40)
    places = forms.IntegerField(label=_("Decimal places"), min_value=0, max_value=4)


class AttributeForm(WebForm):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("e.g. colour"))
    name = forms.CharField(label=_("Name"), max_length=60)
    values = forms.CharField(
        label=_("Values"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: code and name, e.g. RED 红色."),
    )

    def value_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for line in str(self.cleaned_data.get("values", "")).splitlines():
            code, _space, name = line.strip().partition(" ")
            if code:
                pairs.append((code, name.strip() or code))
        return pairs


class AttributeValueForm(WebForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=60)

    service_fields: ClassVar[dict[str, str]] = {
        "value_code": "code",
        "value_name": "name",
    }


class StyleForm(WebForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    axes = forms.MultipleChoiceField(
        label=_("Attributes"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The first is the rows of the matrix, the second its columns."),
    )
    base_unit = forms.TypedChoiceField(label=_("Base unit"), coerce=int)
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    brand = forms.CharField(label=_("Brand"), max_length=60, required=False)
    tax_code = forms.CharField(
        label=_("Tax classification code"), max_length=19, required=False
    )
    vat_rate = forms.DecimalField(
        label=_("VAT rate"), max_digits=5, decimal_places=4, initial=Decimal("0.13")
    )

    def __init__(
        self,
        data: Any,
        *,
        attributes: Choices,
        units: Choices,
        categories: Choices,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["axes"].choices = list(attributes)  # type: ignore[attr-defined]
        self.fields["base_unit"].choices = _blank(units)  # type: ignore[attr-defined]
        self.fields["category"].choices = _blank(categories)  # type: ignore[attr-defined]


class PriceListForm(WebForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=PriceListKind.choices)
    customer_group = forms.CharField(
        label=_("Customer group"),
        max_length=40,
        required=False,
        help_text=_("Only for a customer group list."),
    )
    tax_inclusive = forms.BooleanField(
        label=_("Prices include VAT"), required=False, initial=True
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_to = forms.DateField(
        label=_("Valid to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    priority = forms.IntegerField(
        label=_("Priority"),
        min_value=0,
        max_value=32767,
        initial=10,
        help_text=_("Lower numbers are tried first."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class PriceForm(WebForm):
    product = forms.CharField(
        label=_("Product code"), max_length=40, help_text=_("Or scan its barcode.")
    )
    unit = forms.TypedChoiceField(
        label=_("Unit"), required=False, coerce=int, empty_value=None
    )
    min_quantity = forms.DecimalField(
        label=_("From quantity"), max_digits=16, decimal_places=4, initial=Decimal("0")
    )
    price = forms.DecimalField(label=_("Price"), max_digits=16, decimal_places=6)
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_to = forms.DateField(
        label=_("Valid to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, data: Any, *, units: Choices, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["unit"].choices = _blank(units, _("Base unit"))  # type: ignore[attr-defined]


class ImportForm(WebForm):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class QuoteForm(WebForm):
    product = forms.CharField(label=_("Product code or barcode"), max_length=64)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=16, decimal_places=4, initial=1
    )
    unit = forms.TypedChoiceField(
        label=_("Unit"), required=False, coerce=int, empty_value=None
    )
    customer_group = forms.CharField(
        label=_("Customer group"), max_length=40, required=False
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
