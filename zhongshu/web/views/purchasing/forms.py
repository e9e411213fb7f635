"""Forms of the purchasing pages. They only parse: the purchasing services
validate and raise DomainError, which goes back onto the fields it names."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongshu.core.aging import Basis
from zhongshu.purchasing.models import PurchaseOrderLine
from zhongshu.web.forms import WebForm
from zhongshu.web.views.sales.forms import BaseLineFormSet

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SUPPLIERS = "purchasing-suppliers"
PRODUCTS = "purchasing-products"
ACCOUNTS = "purchasing-accounts"


def number_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", **attrs}
    )


def picker(datalist: str, **attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"list": datalist, "autocomplete": "off", **attrs})


def set_choices(field: forms.Field, choices: Sequence[tuple[Any, Any]]) -> None:
    field.choices = choices  # type: ignore[attr-defined]


def supplier_field(**kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=_("Supplier"),
        max_length=120,
        widget=picker(SUPPLIERS, placeholder=_("Code or name")),
        **kwargs,
    )


# --- lists ---------------------------------------------------------------------------


class DocumentFilterForm(WebForm):
    """The filters every document list offers (those that apply to it)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Number or supplier")}),
    )
    supplier = forms.CharField(
        label=_("Supplier"),
        required=False,
        max_length=120,
        widget=picker(SUPPLIERS),
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
        has_supplier: bool,
        states: Sequence[tuple[str, Any]] | None,
        warehouses: Sequence[tuple[str, str]] | None,
    ) -> None:
        super().__init__(data)
        if not has_supplier:
            del self.fields["supplier"]
            self.fields["q"].widget.attrs["placeholder"] = _("Document no.")
        if states is None:
            del self.fields["state"]
        else:
            set_choices(self.fields["state"], [("", _("All states")), *states])
        if warehouses is None:
            del self.fields["warehouse"]
        else:
            set_choices(
                self.fields["warehouse"], [("", _("All warehouses")), *warehouses]
            )


# --- requisitions --------------------------------------------------------------------


class RequisitionForm(WebForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    warehouse = forms.TypedChoiceField(
        label=_("Warehouse"),
        coerce=int,
        help_text=_("Where the goods are needed."),
    )
    needed_by = forms.DateField(label=_("Needed by"), required=False, widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(
        self, data: Any, *, warehouses: Sequence[tuple[str, str]], initial: Any
    ) -> None:
        super().__init__(data, initial=initial)
        set_choices(self.fields["warehouse"], [("", "—"), *warehouses])


class LineFormBase(WebForm):
    """A row of a grid; a row without a product is left out."""

    product = forms.CharField(
        label=_("Product"),
        max_length=64,
        required=False,
        widget=picker(PRODUCTS, placeholder=_("Code"), **{"data-cell": "product"}),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), required=False, widget=number_input()
    )

    def __init__(
        self, *args: Any, warehouses: Sequence[tuple[str, str]] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if "warehouse" in self.fields:
            set_choices(self.fields["warehouse"], [("", "—"), *(warehouses or [])])

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("product") or "").strip()


class RequisitionLineForm(LineFormBase):
    supplier = forms.CharField(
        label=_("Supplier"),
        max_length=120,
        required=False,
        widget=picker(SUPPLIERS, placeholder=_("Preferred")),
    )
    unit_price = forms.DecimalField(
        label=_("Estimated price"),
        required=False,
        widget=number_input(placeholder=_("Supplier price")),
    )


class OrderLineForm(LineFormBase):
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        required=False,
        widget=number_input(placeholder=_("Supplier price")),
    )
    warehouse = forms.TypedChoiceField(
        label=_("Warehouse"), coerce=int, required=False, empty_value=None
    )

    service_fields: ClassVar[Mapping[str, str]] = {"unit": "quantity"}


RequisitionLineFormSet = cast(
    type[BaseLineFormSet],
    forms.formset_factory(
        RequisitionLineForm, formset=BaseLineFormSet, extra=3, max_num=300
    ),
)
OrderLineFormSet = cast(
    type[BaseLineFormSet],
    forms.formset_factory(OrderLineForm, formset=BaseLineFormSet, extra=3, max_num=300),
)


# --- purchase orders -----------------------------------------------------------------


class OrderForm(WebForm):
    supplier = supplier_field()
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    warehouse = forms.TypedChoiceField(
        label=_("Warehouse"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Where the goods go unless a line says; empty: the default."),
    )
    expected_date = forms.DateField(
        label=_("Expected date"), required=False, widget=DATE_INPUT
    )
    prices_include_tax = forms.BooleanField(
        label=_("Prices include VAT"), required=False
    )
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)

    def __init__(
        self, data: Any, *, warehouses: Sequence[tuple[str, str]], initial: Any
    ) -> None:
        super().__init__(data, initial=initial)
        set_choices(self.fields["warehouse"], [("", "—"), *warehouses])


class NoteForm(WebForm):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class SupplierConfirmationForm(WebForm):
    """The supplier's reference and a delivery date per order line
    (``line_<line number>``); empty dates are left as they are."""

    reference = forms.CharField(
        label=_("Supplier's reference"), max_length=60, required=False
    )

    def __init__(
        self, data: Any, *, lines: Sequence[PurchaseOrderLine], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        for line in lines:
            self.fields[f"line_{line.line_no}"] = forms.DateField(
                label=f"{line.line_no}. {line.product.code} {line.product.name}",
                required=False,
                widget=DATE_INPUT,
                initial=line.confirmed_date,
            )

    def dates(self) -> list[tuple[int, datetime.date]]:
        """(line number, date) of the dates filled in, in line order."""
        return [
            (int(name.removeprefix("line_")), value)
            for name, value in self.cleaned_data.items()
            if name.startswith("line_") and value is not None
        ]


# --- receipts, returns ---------------------------------------------------------------


class ReceiveForm(WebForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)


class ReturnForm(WebForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class QuantityLineForm(WebForm):
    """One line of a receipt (per order line) or a return (per receipt
    line), in the product's base unit."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        required=False,
        widget=number_input(**{"aria-label": _("Quantity")}),
    )

    service_fields: ClassVar[Mapping[str, str]] = {
        "order_line": "quantity",
        "receipt_line": "quantity",
    }


QuantityFormSet = forms.formset_factory(QuantityLineForm, extra=0, max_num=300)


# --- supplier invoices ---------------------------------------------------------------


class InvoiceForm(WebForm):
    supplier = supplier_field()
    invoice_number = forms.CharField(
        label=_("Invoice number"),
        max_length=40,
        required=False,
        help_text=_("The number printed on the supplier's VAT invoice."),
    )
    date = forms.DateField(label=_("Invoice date"), widget=DATE_INPUT)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: the supplier's payment terms."),
    )
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)


class InvoiceLineForm(WebForm):
    """One order line billed: the quantity in the base unit and the price
    per base unit as the invoice says."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        required=False,
        widget=number_input(**{"aria-label": _("Quantity")}),
    )
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        required=False,
        widget=number_input(**{"aria-label": _("Unit price")}),
    )

    service_fields: ClassVar[Mapping[str, str]] = {"order_line": "quantity"}


InvoiceLineFormSet = forms.formset_factory(InvoiceLineForm, extra=0, max_num=500)


# --- payments ------------------------------------------------------------------------


class PaymentForm(WebForm):
    supplier = supplier_field()
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    account = forms.CharField(
        label=_("Paid from"),
        max_length=120,
        required=False,
        help_text=_("Empty: the bank account."),
        widget=picker(ACCOUNTS),
    )
    amount = forms.DecimalField(label=_("Amount"), widget=number_input())
    discount = forms.DecimalField(
        label=_("Discount"),
        required=False,
        widget=number_input(),
        help_text=_("A discount the supplier granted for paying early."),
    )
    is_prepayment = forms.BooleanField(
        label=_("Prepayment"),
        required=False,
        help_text=_("What settles no open item waits as a prepayment."),
    )
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)

    service_fields: ClassVar[Mapping[str, str]] = {"allocations": "amount"}


class DateForm(WebForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)


# --- payables reports ----------------------------------------------------------------

BASIS_CHOICES = [
    (Basis.DUE_DATE.value, _("Days past the due date")),
    (Basis.DATE.value, _("Days since the document date")),
]


class AgingForm(WebForm):
    as_of = forms.DateField(label=_("As of"), widget=DATE_INPUT)
    basis = forms.ChoiceField(label=_("Age by"), choices=BASIS_CHOICES)
    supplier = forms.CharField(
        label=_("Supplier"), max_length=120, required=False, widget=picker(SUPPLIERS)
    )


class StatementForm(WebForm):
    supplier = supplier_field()
    date_from = forms.DateField(label=_("From"), widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", _("The end comes before the start."))
        return data
