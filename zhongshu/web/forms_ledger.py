"""Forms of the ledger's pages. Like the shell's forms they only parse input:
the ledger's services validate it and raise DomainError, which the views put
back next to the field or voucher line it names."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from zhongshu.core.errors import DomainError
from zhongshu.ledger.kernel import LineInput
from zhongshu.ledger.models import AccountCategory, Dimension, Period, VoucherState
from zhongshu.web.forms import WebForm, WebFormRenderer

# The voucher line's dimension inputs, in the order the entry grid shows them.
DIMENSIONS: tuple[str, ...] = tuple(Dimension.values)
ZERO = Decimal("0.00")


def period_key(period: Period) -> str:
    """How a period travels in query strings: ``2026-03``, as people say it."""
    return f"{period.year}-{period.number:02d}"


def period_choices(periods: Iterable[Period]) -> list[tuple[str, str]]:
    return [(period_key(p), period_key(p)) for p in periods]


class AmountField(forms.CharField):
    """An amount as typed: thousands separators and a ¥ sign are allowed.

    Only the number is parsed here; the ledger refuses more than two decimal
    places itself, in the words of its own rule."""

    default_error_messages: ClassVar[dict[str, Any]] = {
        "invalid": _("Enter an amount, e.g. 1280.50."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = str(super().clean(value) or "")
        text = text.replace(",", "").replace("，", "").replace("¥", "").strip()
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from None
        if not amount.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


def account_code(text: str) -> str:
    """The code in an account cell: ``"1002 银行存款"`` → ``"1002"``."""
    parts = text.split()
    return parts[0] if parts else ""


# --- voucher entry ------------------------------------------------------------


class VoucherHeaderForm(WebForm):
    word = forms.ChoiceField(label=_("Voucher word"))
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    attachments = forms.IntegerField(
        label=_("Attachments"), min_value=0, max_value=999, initial=0
    )

    def __init__(self, data: Any = None, *, words: str, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["word"].choices = [(w, w) for w in words]  # type: ignore[attr-defined]


class VoucherLineForm(forms.Form):
    """One row of the entry grid. A row without account and amounts is blank
    and skipped, so spare rows at the bottom do not matter."""

    summary = forms.CharField(label=_("Summary"), required=False, max_length=200)
    account = forms.CharField(label=_("Account"), required=False, max_length=160)
    debit = AmountField(label=_("Debit"))
    credit = AmountField(label=_("Credit"))
    customer = forms.IntegerField(label=_("Customer"), required=False, min_value=1)
    supplier = forms.IntegerField(label=_("Supplier"), required=False, min_value=1)
    employee = forms.IntegerField(label=_("Employee"), required=False, min_value=1)
    department = forms.IntegerField(label=_("Department"), required=False, min_value=1)
    project = forms.IntegerField(label=_("Project"), required=False, min_value=1)
    product = forms.IntegerField(label=_("Inventory item"), required=False, min_value=1)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return (
            not data.get("account") and not data.get("debit") and not data.get("credit")
        )

    def line_input(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(
            summary=data.get("summary") or "",
            account=account_code(data.get("account") or ""),
            debit=data.get("debit") or ZERO,
            credit=data.get("credit") or ZERO,
            dimensions={kind: data[kind] for kind in DIMENSIONS if data.get(kind)},
        )

    def dimension_fields(self) -> list[forms.BoundField]:
        return [self[kind] for kind in DIMENSIONS]


class BaseVoucherLineFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    default_renderer = WebFormRenderer()


VoucherLineFormSet = formset_factory(
    VoucherLineForm,
    formset=BaseVoucherLineFormSet,
    extra=0,
    max_num=200,
    absolute_max=200,
    validate_max=True,
)
LINES_PREFIX = "lines"
# Rows a new voucher starts with; the grid adds more as they fill up.
EMPTY_ROWS = 4


class VoucherEntry:
    """The entry page's header form and line grid, parsed together."""

    def __init__(
        self,
        data: Any,
        *,
        words: str,
        header: Mapping[str, Any],
        lines: Sequence[Mapping[str, Any]],
    ) -> None:
        self.header = VoucherHeaderForm(data, words=words, initial=dict(header))
        rows = list(lines) + [{}] * max(EMPTY_ROWS - len(lines), 1)
        self.lines = VoucherLineFormSet(
            data, prefix=LINES_PREFIX, initial=None if data is not None else rows
        )
        # Index in the service's line list → row of the grid.
        self._rows: list[int] = []

    def is_valid(self) -> bool:
        return self.header.is_valid() and self.lines.is_valid()

    def line_inputs(self) -> list[LineInput]:
        """The non-blank rows as the ledger takes them. An empty summary
        repeats the one above, as on paper (the grid's script does the same
        while typing)."""
        inputs: list[LineInput] = []
        self._rows = []
        for row, form in enumerate(self.lines.forms):
            if form.is_blank():
                continue
            self._rows.append(row)
            line = form.line_input()
            if not line.summary.strip() and inputs:
                line = dataclasses.replace(line, summary=inputs[-1].summary)
            inputs.append(line)
        return inputs

    @property
    def date(self) -> datetime.date:
        value: datetime.date = self.header.cleaned_data["date"]
        return value

    @property
    def word(self) -> str:
        return str(self.header.cleaned_data["word"])

    @property
    def attachments(self) -> int:
        return int(self.header.cleaned_data["attachments"] or 0)

    def show_error(self, error: DomainError) -> None:
        """Each message next to its line, or the header field, or on top."""
        placed = False
        for name, messages in error.fields.items():
            placed = self._place(name, [str(m) for m in messages]) or placed
        if not placed:
            self.header.add_error(None, error.message)

    def _place(self, name: str, messages: list[str]) -> bool:
        target: forms.Form | None = None
        field: str | None = None
        if name.startswith("lines."):
            index = int(name.split(".")[1]) if name.split(".")[1].isdigit() else -1
            if 0 <= index < len(self._rows):
                target = self.lines.forms[self._rows[index]]
        elif name == "lines":
            target = self.header
        elif name in self.header.fields:
            target, field = self.header, name
        if target is None:
            return False
        for message in messages:
            target.add_error(field, message)
        return True


# --- chart of accounts --------------------------------------------------------


def _dimensions_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Auxiliary dimensions"),
        choices=Dimension.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Postings to the account must name one of each."),
    )


class AddAccountForm(WebForm):
    parent = forms.ChoiceField(label=_("Parent account"))
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    dimensions = _dimensions_field()

    def __init__(
        self, data: Any = None, *, parents: Iterable[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["parent"].choices = list(parents)  # type: ignore[attr-defined]


class EditAccountForm(WebForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    dimensions = _dimensions_field()


class AccountRoleForm(WebForm):
    role = forms.CharField(widget=forms.HiddenInput)
    key_kind = forms.CharField(widget=forms.HiddenInput, required=False)
    key_id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    account = forms.TypedChoiceField(label=_("Account"), coerce=int)

    def __init__(
        self, data: Any = None, *, accounts: Iterable[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["account"].choices = list(accounts)  # type: ignore[attr-defined]


CATEGORY_TABS: tuple[str, ...] = tuple(AccountCategory.values)


# --- lists and reports --------------------------------------------------------


class VoucherFilterForm(WebForm):
    period = forms.ChoiceField(label=_("Period"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    word = forms.ChoiceField(label=_("Voucher word"), required=False)

    def __init__(
        self, data: Any, *, periods: Iterable[tuple[str, str]], words: str
    ) -> None:
        super().__init__(data)
        everything = ("", _("All"))
        self.fields["period"].choices = [everything, *periods]  # type: ignore[attr-defined]
        self.fields["state"].choices = [everything, *VoucherState.choices]  # type: ignore[attr-defined]
        self.fields["word"].choices = [everything, *((w, w) for w in words)]  # type: ignore[attr-defined]

    def value(self, name: str) -> str:
        """A filter's value, or "" for none or a stale choice in a link."""
        if not self.is_bound or not self.is_valid():
            return ""
        return str(self.cleaned_data.get(name) or "")


class PeriodRangeForm(WebForm):
    """From and to period; the trial balance adds level and zero rows."""

    from_period = forms.ChoiceField(label=_("From period"))
    to_period = forms.ChoiceField(label=_("To period"))

    def __init__(
        self,
        data: Any,
        *,
        periods: Iterable[tuple[str, str]],
        initial: Mapping[str, Any],
    ) -> None:
        # Missing filters take the defaults, so a bare URL shows a report.
        merged = {**initial, **(data.dict() if data is not None else {})}
        super().__init__(merged)
        choices = list(periods)
        self.fields["from_period"].choices = choices  # type: ignore[attr-defined]
        self.fields["to_period"].choices = choices  # type: ignore[attr-defined]


class TrialBalanceForm(PeriodRangeForm):
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All levels")), *((n, n) for n in range(1, 5))],
    )
    include_zero = forms.BooleanField(label=_("Show zero rows"), required=False)


class AccountRangeForm(PeriodRangeForm):
    account = forms.TypedChoiceField(label=_("Account"), coerce=int)

    def __init__(
        self,
        data: Any,
        *,
        periods: Iterable[tuple[str, str]],
        accounts: Iterable[tuple[int, str]],
        initial: Mapping[str, Any],
    ) -> None:
        super().__init__(data, periods=periods, initial=initial)
        self.fields["account"].choices = list(accounts)  # type: ignore[attr-defined]


class YearAccountForm(WebForm):
    account = forms.TypedChoiceField(label=_("Account"), coerce=int)
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)

    def __init__(
        self,
        data: Any,
        *,
        accounts: Iterable[tuple[int, str]],
        years: Iterable[int],
        initial: Mapping[str, Any],
    ) -> None:
        merged = {**initial, **(data.dict() if data is not None else {})}
        super().__init__(merged)
        self.fields["account"].choices = list(accounts)  # type: ignore[attr-defined]
        self.fields["year"].choices = [(y, y) for y in years]  # type: ignore[attr-defined]


class PeriodForm(WebForm):
    period = forms.ChoiceField(label=_("Period"))

    def __init__(
        self,
        data: Any,
        *,
        periods: Iterable[tuple[str, str]],
        initial: Mapping[str, Any],
    ) -> None:
        merged = {**initial, **(data.dict() if data is not None else {})}
        super().__init__(merged)
        self.fields["period"].choices = list(periods)  # type: ignore[attr-defined]


class DimensionBalanceForm(AccountRangeForm):
    """Account, dimension and period range of the 辅助核算余额表."""

    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices)


# --- opening balances and periods -----------------------------------------------

OPENING_SIDES = ("debit", "credit", "ytd_debit", "ytd_credit")


class OpeningBalancesForm(WebForm):
    """One amount field per leaf account and column, named ``<code>-<side>``;
    which columns an account gets is the page's choice (see the view)."""

    def __init__(
        self, data: Any = None, *, cells: Iterable[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        for code, side in cells:
            self.fields[f"{code}-{side}"] = AmountField(label=f"{code} {side}")

    def balances(self) -> dict[str, dict[str, Decimal]]:
        """The typed figures by account code and column."""
        figures: dict[str, dict[str, Decimal]] = {}
        for name, value in self.cleaned_data.items():
            code, side = name.rsplit("-", 1)
            figures.setdefault(code, {})[side] = value or ZERO
        return figures


# Blank lines offered below a dimension's stored values, and the most lines
# one split form takes per dimension.
SPLIT_SPARE_ROWS = 5
SPLIT_MAX_ROWS = 2000


class OpeningSplitForm(WebForm):
    """One account's opening figures and their split by each dimension it
    requires (辅助核算期初): ``account-<side>``, and for each of ``rows[d]``
    lines of dimension d, ``<d>-<n>-value`` (the customer's, supplier's ...
    id) and ``<d>-<n>-<side>``. Whether the split adds up is the ledger's
    rule, not the form's."""

    def __init__(
        self,
        data: Any = None,
        *,
        sides: Sequence[str],
        rows: Mapping[str, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.sides = tuple(sides)
        self.rows = {d: min(max(n, 0), SPLIT_MAX_ROWS) for d, n in rows.items()}
        for side in self.sides:
            self.fields[f"account-{side}"] = AmountField(label=side)
        for dimension, count in self.rows.items():
            for n in range(count):
                self.fields[f"{dimension}-{n}-value"] = forms.IntegerField(
                    label=Dimension(dimension).label,
                    required=False,
                    min_value=1,
                    max_value=2**63 - 1,
                )
                for side in self.sides:
                    self.fields[f"{dimension}-{n}-{side}"] = AmountField(label=side)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for dimension, count in self.rows.items():
            seen: set[int] = set()
            for n in range(count):
                name = f"{dimension}-{n}-value"
                value = data.get(name)
                if value is None:
                    if any(data.get(f"{dimension}-{n}-{s}") for s in self.sides):
                        self.add_error(name, _("Enter whose amounts these are."))
                elif value in seen:
                    self.add_error(
                        name, _("%(value)s is entered twice.") % {"value": value}
                    )
                else:
                    seen.add(value)
        return data

    def account_figures(self) -> dict[str, Decimal]:
        return {
            side: self.cleaned_data.get(f"account-{side}") or ZERO
            for side in self.sides
        }

    def splits(self) -> dict[str, dict[int, dict[str, Decimal]]]:
        """The figures by value id, per dimension (every dimension of the
        form, so a dimension left empty clears its split)."""
        result: dict[str, dict[int, dict[str, Decimal]]] = {}
        for dimension, count in self.rows.items():
            values = result.setdefault(dimension, {})
            for n in range(count):
                value = self.cleaned_data.get(f"{dimension}-{n}-value")
                if value is not None:
                    values[value] = {
                        side: self.cleaned_data.get(f"{dimension}-{n}-{side}") or ZERO
                        for side in self.sides
                    }
        return result

    def lines(self, dimension: str) -> list[list[forms.BoundField]]:
        """The bound fields of each line of a dimension: the id, then the
        amounts."""
        return [
            [
                self[f"{dimension}-{n}-value"],
                *(self[f"{dimension}-{n}-{side}"] for side in self.sides),
            ]
            for n in range(self.rows.get(dimension, 0))
        ]


class FirstPeriodForm(WebForm):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=1900, max_value=2999)
    period = forms.TypedChoiceField(
        label=_("First period"),
        coerce=int,
        choices=[(n, n) for n in range(1, 13)],
    )


class LedgerSettingsForm(WebForm):
    voucher_words = forms.CharField(
        label=_("Voucher words"),
        max_length=20,
        help_text=_("The words new vouchers may use, e.g. 记 or 收付转."),
    )
    auto_post = forms.BooleanField(
        label=_("Post generated vouchers directly"),
        required=False,
        help_text=_(
            "Vouchers from sales, purchasing, inventory and payroll post at once; "
            "untick to have them wait for review."
        ),
    )
