"""Scaled-integer money fields: exact storage, lookups and sums on both databases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.core import exceptions
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import ExpressionWrapper, F, Q, Value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhongshu.core.fields import (
    AmountField,
    PriceField,
    QuantityField,
    sum_amount,
    sum_price,
    sum_quantity,
)
from zhongshu.core.models import Company
from zhongshu.core.tests.fieldsapp.models import MoneyRow

pytestmark = pytest.mark.django_db

ScaledField = AmountField[Any, Any] | PriceField[Any, Any] | QuantityField[Any, Any]


def _row(company: Company, **values: object) -> MoneyRow:
    return MoneyRow.objects.create(company=company, **values)


def _raw_columns(row: MoneyRow) -> tuple[int, int, int]:
    table = MoneyRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT amount, price, quantity FROM {table} WHERE id = %s",  # noqa: S608
            [row.pk],
        )
        amount, price, quantity = cursor.fetchone()
    return amount, price, quantity


# --- storage -------------------------------------------------------------------


def test_values_are_stored_as_scaled_integers(company: Company) -> None:
    # given
    row = _row(
        company,
        amount=Decimal("1234.56"),
        price=Decimal("0.123456"),
        quantity=Decimal("2.5"),
    )
    # when
    raw = _raw_columns(row)
    # then the columns hold integers ×10², ×10⁶, ×10⁴
    assert raw == (123456, 123456, 25000)


def test_values_read_back_as_decimals_with_the_fields_places(company: Company) -> None:
    # given values written with fewer places than the fields keep
    row = _row(company, amount=Decimal("12.3"), price=Decimal("7"), quantity=3)
    # when
    row.refresh_from_db()
    # then
    assert str(row.amount) == "12.30"
    assert str(row.price) == "7.000000"
    assert str(row.quantity) == "3.0000"


def test_zero_reads_with_the_right_exponent(company: Company) -> None:
    # given
    row = _row(company, amount=Decimal(0), price=Decimal(0), quantity=Decimal(0))
    # when
    row.refresh_from_db()
    # then
    assert row.amount.as_tuple() == Decimal("0.00").as_tuple()
    assert row.price.as_tuple() == Decimal("0.000000").as_tuple()
    assert row.quantity.as_tuple() == Decimal("0.0000").as_tuple()


def test_negative_and_extreme_values_round_trip(company: Company) -> None:
    # given the largest and smallest amounts a BIGINT holds
    top, bottom = Decimal("92233720368547758.07"), Decimal("-92233720368547758.08")
    first = _row(company, amount=top)
    second = _row(company, amount=bottom, quantity=Decimal("-0.0001"))
    # when
    first.refresh_from_db()
    second.refresh_from_db()
    # then
    assert first.amount == top
    assert second.amount == bottom
    assert second.quantity == Decimal("-0.0001")


def test_null_round_trips(company: Company) -> None:
    # given
    row = _row(company, discount=None)
    # when
    row.refresh_from_db()
    # then
    assert row.discount is None


def test_values_given_as_str_and_int_are_accepted(company: Company) -> None:
    # given
    row = _row(company, amount="0.10", quantity=2)
    # when
    row.refresh_from_db()
    # then
    assert row.amount == Decimal("0.10")
    assert row.quantity == Decimal("2.0000")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", Decimal("1.005")),
        ("price", Decimal("0.0000001")),
        ("quantity", Decimal("0.00001")),
        ("amount", "0.001"),
    ],
)
def test_saving_a_value_that_would_lose_precision_is_refused(
    company: Company, field: str, value: object
) -> None:
    # given a value with more places than the field keeps
    # when / then
    with pytest.raises(ValueError, match=rf"MoneyRow\.{field}: .* decimal places"):
        _row(company, **{field: value})


def test_saving_a_float_is_refused(company: Company) -> None:
    # given / when / then
    with pytest.raises(TypeError, match=r"MoneyRow\.amount"):
        _row(company, amount=0.1)


def test_saving_a_value_beyond_bigint_is_refused(company: Company) -> None:
    # given / when / then
    with pytest.raises(ValueError, match="too large"):
        _row(company, amount=Decimal("92233720368547758.08"))


def test_update_with_plain_values_is_scaled(company: Company) -> None:
    # given
    row = _row(company, amount=Decimal("1.00"))
    # when
    MoneyRow.objects.filter(pk=row.pk).update(amount=Decimal("2.50"))
    # then
    row.refresh_from_db()
    assert row.amount == Decimal("2.50")
    assert _raw_columns(row)[0] == 250


def test_update_with_f_expression_and_typed_value_stays_exact(company: Company) -> None:
    # given
    row = _row(company, amount=Decimal("1.10"))
    # when
    MoneyRow.objects.filter(pk=row.pk).update(
        amount=F("amount") + Value(Decimal("0.20"), output_field=AmountField())
    )
    # then
    row.refresh_from_db()
    assert row.amount == Decimal("1.30")


def test_bulk_create_is_scaled(company: Company) -> None:
    # given
    rows = [MoneyRow(company=company, amount=Decimal(f"{n}.01")) for n in range(3)]
    # when
    MoneyRow.objects.bulk_create(rows)
    # then
    amounts = sorted(MoneyRow.objects.values_list("amount", flat=True))
    assert amounts == [Decimal("0.01"), Decimal("1.01"), Decimal("2.01")]


# --- lookups -------------------------------------------------------------------


@pytest.fixture
def three_rows(company: Company) -> list[MoneyRow]:
    return [
        _row(company, label="low", amount=Decimal("10.49")),
        _row(company, label="mid", amount=Decimal("10.50")),
        _row(company, label="high", amount=Decimal("10.51")),
    ]


def _labels(**lookup: object) -> list[str]:
    return sorted(MoneyRow.objects.filter(**lookup).values_list("label", flat=True))


@pytest.mark.usefixtures("three_rows")
@pytest.mark.parametrize(
    ("lookup", "expected"),
    [
        ({"amount__gt": Decimal("10.50")}, ["high"]),
        ({"amount__gte": Decimal("10.50")}, ["high", "mid"]),
        ({"amount__lt": Decimal("10.50")}, ["low"]),
        ({"amount__lte": Decimal("10.5")}, ["low", "mid"]),
        ({"amount": Decimal("10.5")}, ["mid"]),
        ({"amount": "10.50"}, ["mid"]),
        ({"amount__in": [Decimal("10.49"), Decimal("10.51")]}, ["high", "low"]),
        ({"amount__range": (Decimal("10.49"), Decimal("10.50"))}, ["low", "mid"]),
        ({"amount__gt": 10}, ["high", "low", "mid"]),
        ({"amount__lt": 11}, ["high", "low", "mid"]),
        ({"discount__isnull": True}, ["high", "low", "mid"]),
        # Beyond the BIGINT range: Django's overflow handling still applies.
        ({"amount__lt": Decimal("-92233720368547758.08")}, []),
        ({"amount__gte": Decimal("-92233720368547758.08")}, ["high", "low", "mid"]),
    ],
)
def test_lookups_compare_decimals(
    lookup: dict[str, object], expected: list[str]
) -> None:
    # given three rows around 10.50 / when / then
    assert _labels(**lookup) == expected


@pytest.mark.usefixtures("three_rows")
@pytest.mark.parametrize(
    "lookup", ["amount", "amount__gt", "amount__gte", "amount__lt", "amount__lte"]
)
def test_lookups_refuse_floats(lookup: str) -> None:
    # given a float, which IntegerField's >= and < would round up to an int
    # when / then
    with pytest.raises(TypeError):
        _labels(**{lookup: 10.5})


@pytest.mark.usefixtures("three_rows")
def test_lookup_with_more_places_than_stored_is_refused() -> None:
    # given / when / then
    with pytest.raises(ValueError, match="decimal places"):
        _labels(amount__gt=Decimal("10.505"))


# --- validation, forms, migrations ---------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (AmountField(), "12.3", "12.30"),
        (AmountField(), Decimal("-0"), "0.00"),
        (AmountField(), 5, "5.00"),
        (PriceField(), "1.5", "1.500000"),
        (QuantityField(), Decimal("0.25"), "0.2500"),
    ],
)
def test_to_python_returns_decimals_with_the_fields_places(
    field: ScaledField, value: object, expected: str
) -> None:
    # given / when / then
    assert str(field.to_python(value)) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1.005", "precision"),
        (0.5, "float"),
        ("abc", "invalid"),
        ("92233720368547758.08", "range"),
    ],
)
def test_to_python_raises_djangos_validation_error(value: object, code: str) -> None:
    # given / when
    with pytest.raises(exceptions.ValidationError) as info:
        AmountField().to_python(value)
    # then
    assert info.value.code == code


def test_full_clean_reports_precision_on_the_field(company: Company) -> None:
    # given
    row = MoneyRow(company=company, amount=Decimal("1.005"))
    # when
    with pytest.raises(exceptions.ValidationError) as info:
        row.full_clean()
    # then
    assert set(info.value.message_dict) == {"amount"}


def test_full_clean_accepts_a_large_amount(company: Company) -> None:
    # given an amount above 2^63 / 100 fen would be refused, but this one fits;
    # IntegerField's own min/max validators (on the unscaled value) are not used
    row = MoneyRow(company=company, amount=Decimal("90000000000000000.00"))
    # when / then
    row.full_clean()


def test_empty_input_is_none() -> None:
    # given / when / then
    assert AmountField(null=True).to_python("") is None
    assert AmountField(null=True).to_python(None) is None


@pytest.mark.parametrize(
    ("field", "places"), [(AmountField(), 2), (PriceField(), 6), (QuantityField(), 4)]
)
def test_formfield_is_a_decimal_field(field: ScaledField, places: int) -> None:
    # given / when
    form_field = field.formfield()
    # then
    assert isinstance(form_field, forms.DecimalField)
    assert form_field.decimal_places == places


def test_form_refuses_too_many_places() -> None:
    # given
    form_field = AmountField().formfield()
    assert form_field is not None
    # when / then
    with pytest.raises(exceptions.ValidationError):
        form_field.clean("1.005")
    assert form_field.clean("1.5") == Decimal("1.5")


@pytest.mark.parametrize(
    ("field", "path"),
    [
        (AmountField(), "zhongshu.core.fields.AmountField"),
        (PriceField(), "zhongshu.core.fields.PriceField"),
        (QuantityField(), "zhongshu.core.fields.QuantityField"),
    ],
)
def test_fields_deconstruct_without_extra_kwargs(field: ScaledField, path: str) -> None:
    # given / when
    _name, deconstructed_path, args, kwargs = field.deconstruct()
    # then
    assert deconstructed_path == path
    assert args == []
    assert kwargs == {}


def test_deconstruct_keeps_only_given_options() -> None:
    # given / when
    _name, _path, _args, kwargs = AmountField(
        null=True, default=Decimal("1.00")
    ).deconstruct()
    # then
    assert kwargs == {"null": True, "default": Decimal("1.00")}


def test_test_app_migration_is_up_to_date() -> None:
    # given the generated 0001 migration / when / then: nothing new to generate
    call_command(
        "makemigrations", "core_fieldsapp", check=True, dry_run=True, verbosity=0
    )


# --- sums ------------------------------------------------------------------------


def test_sum_amount_is_exact(company: Company) -> None:
    # given
    for amount in ("0.10", "0.20", "1234567890.05", "-0.35"):
        _row(company, amount=Decimal(amount))
    # when
    total = MoneyRow.objects.aggregate(total=sum_amount("amount"))["total"]
    # then
    assert str(total) == "1234567890.00"


def test_sum_over_no_rows_is_zero_with_places() -> None:
    # given no rows / when
    totals = MoneyRow.objects.aggregate(
        amount=sum_amount("amount"),
        price=sum_price("price"),
        quantity=sum_quantity("quantity"),
    )
    # then
    assert {k: str(v) for k, v in totals.items()} == {
        "amount": "0.00",
        "price": "0.000000",
        "quantity": "0.0000",
    }


def test_sum_skips_nulls(company: Company) -> None:
    # given
    _row(company, discount=Decimal("1.25"))
    _row(company, discount=None)
    # when
    total = MoneyRow.objects.aggregate(total=sum_amount("discount"))["total"]
    # then
    assert total == Decimal("1.25")


def test_sum_price_and_quantity_are_exact(company: Company) -> None:
    # given
    _row(company, price=Decimal("0.000001"), quantity=Decimal("0.0001"))
    _row(company, price=Decimal("99.999999"), quantity=Decimal("2.9999"))
    # when
    totals = MoneyRow.objects.aggregate(
        p=sum_price("price"), q=sum_quantity("quantity")
    )
    # then
    assert str(totals["p"]) == "100.000000"
    assert str(totals["q"]) == "3.0000"


def test_sum_with_filter_and_group_by(company: Company, other_company: Company) -> None:
    # given two companies
    _row(company, label="a", amount=Decimal("1.11"))
    _row(company, label="b", amount=Decimal("2.22"))
    _row(other_company, label="a", amount=Decimal("5.55"))
    # when
    per_company = dict(
        MoneyRow.objects.values("company")
        .annotate(total=sum_amount("amount", filter=Q(label="a")))
        .values_list("company", "total")
    )
    # then
    assert per_company == {
        company.pk: Decimal("1.11"),
        other_company.pk: Decimal("5.55"),
    }
    assert all(
        str(v).count(".") == 1 and len(str(v).split(".")[1]) == 2
        for v in per_company.values()
    )


def test_sum_of_amount_arithmetic_stays_exact(company: Company) -> None:
    # given
    _row(company, amount=Decimal("0.10"), discount=Decimal("0.03"))
    _row(company, amount=Decimal("0.20"), discount=Decimal("0.07"))
    # when
    totals = MoneyRow.objects.aggregate(
        net=sum_amount(F("amount") - F("discount")),
        doubled=sum_amount(F("amount") + F("amount")),
        tripled=sum_amount(F("amount") * 3),
        negated=sum_amount(-F("amount")),
        shifted=sum_amount(
            F("amount") + Value(Decimal("1.00"), output_field=AmountField())
        ),
        wrapped=sum_amount(
            ExpressionWrapper(F("amount") * 2, output_field=AmountField())
        ),
    )
    # then
    assert {k: str(v) for k, v in totals.items()} == {
        "net": "0.20",
        "doubled": "0.60",
        "tripled": "0.90",
        "negated": "-0.30",
        "shifted": "2.30",
        "wrapped": "0.60",
    }


@pytest.mark.parametrize(
    "expression",
    [
        F("price") * F("quantity"),  # a product of two scales
        F("amount") * F("quantity"),
        F("amount") + F("price"),  # different scales
        F("amount") + Decimal("1.00"),  # a bare literal is not scaled
        F("amount") * Decimal("0.13"),
        "price",
        "label",
    ],
)
def test_sum_amount_refuses_mixed_scales(expression: object) -> None:
    # given an expression whose integers are not amounts ×10²
    # when / then the query is refused while it is built
    with pytest.raises(TypeError, match="Cannot sum"):
        MoneyRow.objects.aggregate(total=sum_amount(expression))  # type: ignore[arg-type]


def test_annotated_arithmetic_needs_an_output_field(company: Company) -> None:
    # given
    _row(company, amount=Decimal("1.25"))
    # when the product keeps AmountField as its declared output field
    row = MoneyRow.objects.annotate(
        doubled=ExpressionWrapper(F("amount") * 2, output_field=AmountField())
    ).get()
    # then it reads back as an amount
    assert str(row.doubled) == "2.50"


def test_many_dimes_sum_exactly_where_floats_drift(company: Company) -> None:
    # given 1,000 rows of 0.10, the classic float trap
    MoneyRow.objects.bulk_create(
        [MoneyRow(company=company, amount=Decimal("0.10")) for _ in range(1000)]
    )
    # when
    total = MoneyRow.objects.aggregate(total=sum_amount("amount"))["total"]
    # then the database total is exact, while the same sum in floats is not
    assert str(total) == "100.00"
    assert sum(0.1 for _ in range(1000)) != 100.0


def test_sum_of_values_near_the_float_mantissa_limit_is_exact(company: Company) -> None:
    # given amounts whose fen total exceeds 2^53, where doubles lose the last fen
    big = Decimal("90071992547409.93")  # 2^53 + 1 fen
    _row(company, amount=big)
    _row(company, amount=Decimal("0.01"))
    # when
    total = MoneyRow.objects.aggregate(total=sum_amount("amount"))["total"]
    # then
    assert total == Decimal("90071992547409.94")
    assert float(9007199254740993) + 1 != 9007199254740994


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(
    amounts=st.lists(
        st.decimals(
            min_value=Decimal("-1000000000000"),
            max_value=Decimal("1000000000000"),
            places=2,
            allow_nan=False,
            allow_infinity=False,
        ),
        min_size=100,
        max_size=400,
    )
)
def test_property_sum_amount_equals_python_sum(
    company: Company, amounts: list[Decimal]
) -> None:
    # given random 2-place amounts within ±10^12, inserted in one savepoint
    # that is rolled back so every example starts from an empty table
    with transaction.atomic():
        MoneyRow.objects.bulk_create(
            [MoneyRow(company=company, amount=a) for a in amounts]
        )
        # when
        total = MoneyRow.objects.aggregate(total=sum_amount("amount"))["total"]
        stored = list(MoneyRow.objects.order_by("pk").values_list("amount", flat=True))
        transaction.set_rollback(True)
    # then the database agrees with Python's exact Decimal arithmetic
    assert total == sum(amounts, Decimal("0.00"))
    assert total.as_tuple().exponent == -2
    assert stored == amounts
