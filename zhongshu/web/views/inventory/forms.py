"""Forms of inventory's pages. They only parse: the services validate and
raise DomainError, which goes back onto the fields it names."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, ClassVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongshu.inventory import services
from zhongshu.inventory.models import Location, Warehouse, WarehouseKind
from zhongshu.inventory.selectors import OnHandBy
from zhongshu.web.forms import WebForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WarehouseForm(WebForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=WarehouseKind.choices)
    province = forms.CharField(
        label=_("Province code"),
        max_length=12,
        required=False,
        help_text=_("GB/T 2260, e.g. 310000 for Shanghai."),
    )
    city = forms.CharField(label=_("City code"), max_length=12, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    allow_negative_stock = forms.BooleanField(
        label=_("Allow negative stock"), required=False
    )

    @classmethod
    def of(cls, warehouse: Warehouse, data: Any = None) -> WarehouseForm:
        fields = ("code", "name", "kind", "province", "city", "address")
        initial = {name: getattr(warehouse, name) for name in fields}
        initial["allow_negative_stock"] = warehouse.allow_negative_stock
        return cls(data, initial=initial)

    def warehouse_data(self) -> services.WarehouseData:
        return services.WarehouseData(**self.cleaned_data)


class LocationForm(WebForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    zone = forms.CharField(label=_("Zone"), max_length=20, required=False)
    aisle = forms.CharField(label=_("Aisle"), max_length=20, required=False)
    rack = forms.CharField(label=_("Rack"), max_length=20, required=False)
    level = forms.CharField(label=_("Level"), max_length=20, required=False)
    x = forms.IntegerField(label=_("x (cm)"), required=False)
    y = forms.IntegerField(label=_("y (cm)"), required=False)

    @classmethod
    def of(cls, location: Location, data: Any = None) -> LocationForm:
        fields = ("code", "name", "zone", "aisle", "rack", "level", "x", "y")
        return cls(data, initial={n: getattr(location, n) for n in fields})

    def location_data(self) -> services.LocationData:
        data = dict(self.cleaned_data)
        data["x"] = data["x"] or 0
        data["y"] = data["y"] or 0
        return services.LocationData(**data)


# --- moving stock by hand --------------------------------------------------------


class ManualHeaderForm(WebForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    counter_account = forms.CharField(
        label=_("Counter account"),
        max_length=120,
        required=False,
        help_text=_("The other side of the voucher: type a code or pick one."),
        widget=forms.TextInput(attrs={"list": "inventory-accounts"}),
    )
    memo = forms.CharField(label=_("Memo"), max_length=150, required=False)

    service_fields: ClassVar[Mapping[str, str]] = {"counter": "counter_account"}


class ManualLineForm(WebForm):
    """One line of the grid; a line without a product is left out."""

    product = forms.CharField(
        label=_("Product"),
        max_length=64,
        required=False,
        widget=forms.TextInput(
            attrs={
                "list": "inventory-products",
                "autocomplete": "off",
                "data-cell": "product",
            }
        ),
    )
    warehouse = forms.TypedChoiceField(
        label=_("Warehouse"), coerce=int, required=False, empty_value=None
    )
    location = forms.CharField(label=_("Location"), max_length=40, required=False)
    lot = forms.CharField(label=_("Lot"), max_length=60, required=False)
    expiry_date = forms.DateField(
        label=_("Expiry date"), required=False, widget=DATE_INPUT
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    unit_cost = forms.DecimalField(
        label=_("Unit cost"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    to_warehouse = forms.TypedChoiceField(
        label=_("To warehouse"), coerce=int, required=False, empty_value=None
    )
    to_location = forms.CharField(label=_("To location"), max_length=40, required=False)

    service_fields: ClassVar[Mapping[str, str]] = {
        "from_location": "location",
        "unit": "product",
        "value": "unit_cost",
    }

    def __init__(
        self, *args: Any, warehouses: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("warehouse", "to_warehouse"):
            self.fields[name].choices = [("", "—"), *warehouses]  # type: ignore[attr-defined]
        if warehouses:
            # Most lines come from the first warehouse; Enter skips past it.
            self.fields["warehouse"].initial = warehouses[0][0]

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("product") or "").strip()


class BaseLineFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def __init__(
        self, *args: Any, warehouses: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        self.warehouses = warehouses
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "warehouses": self.warehouses}


ManualLineFormSet = cast(
    type[BaseLineFormSet],
    forms.formset_factory(
        ManualLineForm, formset=BaseLineFormSet, extra=5, max_num=200
    ),
)


# --- report filters --------------------------------------------------------------


def _choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    field.choices = choices  # type: ignore[attr-defined]


class OnHandFilterForm(WebForm):
    warehouse = forms.ChoiceField(label=_("Warehouse"), required=False)
    search = forms.CharField(
        label=_("Product"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Code, name or barcode")}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    by = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (OnHandBy.WAREHOUSE.value, _("Per warehouse")),
            (OnHandBy.LOCATION.value, _("Per location")),
            (OnHandBy.LOT.value, _("Per lot")),
        ],
    )
    include_zero = forms.BooleanField(label=_("Include zero stock"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        warehouses: list[tuple[str, str]],
        categories: list[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        _choices(self.fields["warehouse"], warehouses)
        _choices(self.fields["category"], categories)


class DateRangeForm(WebForm):
    date_from = forms.DateField(label=_("From"), widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class StockLedgerForm(DateRangeForm):
    product = forms.CharField(
        label=_("Product"),
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "list": "inventory-products",
                "placeholder": _("Code or barcode"),
                "autocomplete": "off",
                "autofocus": True,
            }
        ),
    )
    warehouse = forms.ChoiceField(label=_("Warehouse"), required=False)

    def __init__(
        self, data: Any, *, warehouses: list[tuple[str, str]], initial: Any
    ) -> None:
        super().__init__(data, initial=initial)
        _choices(self.fields["warehouse"], warehouses)
        self.order_fields(["product", "warehouse", "date_from", "date_to"])


class MovementSummaryForm(WebForm):
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("Or choose the dates below."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    warehouse = forms.ChoiceField(label=_("Warehouse"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    by_warehouse = forms.BooleanField(label=_("Per warehouse"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        warehouses: list[tuple[str, str]],
        categories: list[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        _choices(self.fields["warehouse"], warehouses)
        _choices(self.fields["category"], categories)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month = (data.get("month") or "").strip()
        if month and not (data.get("date_from") or data.get("date_to")):
            try:
                first = datetime.datetime.strptime(month, "%Y-%m").date()  # noqa: DTZ007
            except ValueError:
                self.add_error("month", _("Enter a month as YYYY-MM."))
                return data
            data["date_from"] = first
            data["date_to"] = _month_end(first)
        if not data.get("date_from") or not data.get("date_to"):
            self.add_error("month", _("Choose a month or a start and end date."))
        elif data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


def _month_end(first: datetime.date) -> datetime.date:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


class ValuationForm(WebForm):
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: now."),
    )
