"""Forms of the sales pages. They only parse: the sales services validate
and raise DomainError, which goes back onto the fields it names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongshu.sales.models import PaymentMethod
from zhongshu.web.forms import WebForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", **attrs}
    )


def _set_choices(field: forms.Field, choices: list[tuple[Any, Any]]) -> None:
    field.choices = choices  # type: ignore[attr-defined]


# --- lists ---------------------------------------------------------------------------


class DocumentFilterForm(WebForm):
    """The filters every document list offers (those that apply to it)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Number or customer")}),
    )
    customer = forms.CharField(
        label=_("Customer"),
        required=False,
        max_length=120,
        widget=forms.TextInput(
            attrs={"list": "sales-customers", "autocomplete": "off"}
        ),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    warehouse = forms.TypedChoiceField(
        label=_("Warehouse"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        data: Any,
        *,
        states: list[tuple[str, Any]] | None,
        warehouses: list[tuple[str, str]] | None,
    ) -> None:
        super().__init__(data)
        if states is None:
            del self.fields["state"]
        else:
            _set_choices(self.fields["state"], [("", _("All states")), *states])
        if warehouses is None:
            del self.fields["warehouse"]
        else:
            _set_choices(
                self.fields["warehouse"], [("", _("All warehouses")), *warehouses]
            )


# --- quotations and orders -----------------------------------------------------------


class DocumentForm(WebForm):
    """The header of a quotation or an order (``kind``)."""

    customer = forms.CharField(
        label=_("Customer"),
        max_length=120,
        widget=forms.TextInput(
            attrs={
                "list": "sales-customers",
                "autocomplete": "off",
                "placeholder": _("Code or name"),
            }
        ),
    )
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    warehouse = forms.TypedChoiceField(
        label=_("Warehouse"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Where the lines are delivered from unless a line says."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DATE_INPUT
    )
    delivery_date = forms.DateField(
        label=_("Delivery date"), required=False, widget=DATE_INPUT
    )
    delivery_address = forms.CharField(
        label=_("Delivery address"), max_length=300, required=False
    )
    prices_include_tax = forms.BooleanField(
        label=_("Prices include VAT"), required=False
    )
    discount = forms.DecimalField(
        label=_("Order discount"),
        required=False,
        widget=_number_input(),
        help_text=_("An amount off the whole document, spread over the lines."),
    )
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)

    def __init__(
        self,
        data: Any,
        *,
        kind: str,
        warehouses: list[tuple[str, str]],
        initial: Mapping[str, Any],
    ) -> None:
        super().__init__(data, initial=initial)
        if kind == "quotation":
            for name in ("warehouse", "delivery_date", "delivery_address"):
                del self.fields[name]
        else:
            del self.fields["valid_until"]
            _set_choices(self.fields["warehouse"], [("", "—"), *warehouses])


class LineForm(WebForm):
    """One line of the grid; a line without a product is left out."""

    product = forms.CharField(
        label=_("Product"),
        max_length=64,
        required=False,
        widget=forms.TextInput(
            attrs={
                "list": "sales-products",
                "autocomplete": "off",
                "data-cell": "product",
                "placeholder": _("Code or barcode"),
            }
        ),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), required=False, widget=_number_input()
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 4}),
    )
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        required=False,
        widget=_number_input(placeholder=_("Price list")),
    )
    discount_rate = forms.DecimalField(
        label=_("Discount %"), required=False, widget=_number_input(size=4)
    )
    warehouse = forms.TypedChoiceField(
        label=_("Warehouse"), coerce=int, required=False, empty_value=None
    )

    service_fields: ClassVar[Mapping[str, str]] = {"order_line": "product"}

    def __init__(
        self, *args: Any, warehouses: list[tuple[str, str]] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if warehouses is None:
            del self.fields["warehouse"]
        else:
            _set_choices(self.fields["warehouse"], [("", "—"), *warehouses])

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("product") or "").strip()


class BaseLineFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def __init__(
        self, *args: Any, warehouses: list[tuple[str, str]] | None, **kwargs: Any
    ) -> None:
        self.warehouses = warehouses
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "warehouses": self.warehouses}


LineFormSet = cast(
    type[BaseLineFormSet],
    forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=3, max_num=300),
)


class ConfirmForm(WebForm):
    override_reason = forms.CharField(
        label=_("Reason to exceed the credit limit"),
        max_length=200,
        required=False,
        help_text=_("Only a manager may confirm beyond the limit; the reason is kept."),
    )


class ConvertForm(WebForm):
    date = forms.DateField(label=_("Order date"), required=False, widget=DATE_INPUT)


# --- deliveries, returns, invoices ---------------------------------------------------


class DateMemoForm(WebForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)


class ReturnForm(WebForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class QuantityLineForm(WebForm):
    """One line of a delivery (per order line) or a return (per delivery
    line): how much, and for a delivery from which warehouse."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.DecimalField(
        label=_("Quantity"), required=False, widget=_number_input()
    )
    warehouse = forms.TypedChoiceField(
        label=_("Warehouse"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, *args: Any, warehouses: list[tuple[str, str]] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if warehouses is None:
            del self.fields["warehouse"]
        else:
            _set_choices(self.fields["warehouse"], warehouses)


QuantityFormSet = cast(
    type[BaseLineFormSet],
    forms.formset_factory(
        QuantityLineForm, formset=BaseLineFormSet, extra=0, max_num=300
    ),
)


class InvoiceForm(WebForm):
    customer = forms.CharField(
        label=_("Customer"),
        max_length=120,
        widget=forms.TextInput(
            attrs={"list": "sales-customers", "autocomplete": "off"}
        ),
    )
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    deliveries = forms.TypedMultipleChoiceField(
        label=_("Deliveries to invoice"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    service_fields: ClassVar[Mapping[str, str]] = {}

    def __init__(
        self, data: Any, *, deliveries: list[tuple[int, str]], initial: Any
    ) -> None:
        super().__init__(data, initial=initial)
        _set_choices(self.fields["deliveries"], deliveries)


# --- receipts ------------------------------------------------------------------------


class ReceiptForm(WebForm):
    customer = forms.CharField(
        label=_("Customer"),
        max_length=120,
        widget=forms.TextInput(
            attrs={"list": "sales-customers", "autocomplete": "off"}
        ),
    )
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.choices)
    account = forms.CharField(
        label=_("Account"),
        max_length=120,
        required=False,
        help_text=_("Empty: cash on hand for cash, the bank for everything else."),
        widget=forms.TextInput(attrs={"list": "sales-accounts", "autocomplete": "off"}),
    )
    amount = forms.DecimalField(label=_("Amount"), widget=_number_input())
    bank_charge = forms.DecimalField(
        label=_("Bank charge"), required=False, widget=_number_input()
    )
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)

    service_fields: ClassVar[Mapping[str, str]] = {"allocations": "amount"}


class ApplyAdvanceForm(WebForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)


class WriteOffForm(WebForm):
    date = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        widget=_number_input(),
        help_text=_("Empty: all that is open."),
    )
