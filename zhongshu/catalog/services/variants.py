"""Variants: attributes (colour, size) with their values, styles (款式) and
the SKU matrix generated from a style — one product per combination of the
chosen values, coded STYLE-COLOUR-SIZE."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from zhongshu.catalog.models import (
    Attribute,
    AttributeValue,
    Category,
    Product,
    Style,
    Unit,
)
from zhongshu.catalog.services.common import (
    clean_code,
    clean_text,
    code_problem,
    duplicate,
    field_error,
    places,
)
from zhongshu.catalog.services.products import RATE_PLACES, TAX_CODE
from zhongshu.core import audit
from zhongshu.core.errors import ConflictError
from zhongshu.core.models import Company
from zhongshu.core.services import require_writable
from zhongshu.core.tenancy import same_company

MAX_AXES = 3
MAX_COMBINATIONS = 500
PRODUCT_CODE_LENGTH = 40


# --- attributes -----------------------------------------------------------------------


@transaction.atomic
def create_attribute(
    *,
    company: Company,
    actor: User,
    code: str,
    name: str,
    values: Sequence[tuple[str, str]] = (),
) -> Attribute:
    """An attribute with its values ``(code, name)`` in display order."""
    require_writable(company)
    code = clean_code(code)
    name = clean_text(name, field="name", max_length=60)
    if Attribute.objects.filter(company=company, code=code).exists():
        raise duplicate(
            "code", _("The attribute code %(code)s exists.") % {"code": code}
        )
    attribute = Attribute.objects.create(company=company, code=code, name=name)
    audit.record(company=company, actor=actor, action="created", obj=attribute)
    for value_code, value_name in values:
        add_attribute_value(
            attribute=attribute, actor=actor, code=value_code, name=value_name
        )
    return attribute


@transaction.atomic
def add_attribute_value(
    *,
    attribute: Attribute,
    actor: User,
    code: str,
    name: str,
    sort: int | None = None,
) -> AttributeValue:
    """A value shown after the existing ones unless ``sort`` says otherwise."""
    company = attribute.company
    require_writable(company)
    code = clean_code(code, field="value_code")
    name = clean_text(name, field="value_name", max_length=60)
    values = AttributeValue.objects.filter(company=company, attribute=attribute)
    if values.filter(code=code).exists():
        raise duplicate(
            "value_code",
            _("%(attribute)s already has the value %(code)s.")
            % {"attribute": attribute.name, "code": code},
        )
    if sort is None:
        last = values.aggregate(last=Max("sort"))["last"]
        sort = 10 if last is None else last + 10
    value = AttributeValue.objects.create(
        company=company, attribute=attribute, code=code, name=name, sort=sort
    )
    audit.record(company=company, actor=actor, action="created", obj=value)
    return value


# --- styles ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class StyleData:
    code: str
    name: str
    axes: tuple[str, ...]  # attribute codes, in display order
    base_unit: Unit
    category: Category | None = None
    brand: str = ""
    tax_code: str = ""
    vat_rate: Decimal = Decimal("0.13")


def _clean_style(company: Company, data: StyleData) -> StyleData:
    same_company(company, data.base_unit, data.category)
    code = clean_code(data.code)
    name = clean_text(data.name, field="name", max_length=100)
    brand = clean_text(data.brand, field="brand", max_length=60, required=False)
    tax_code = data.tax_code.strip()
    if tax_code and not TAX_CODE.match(tax_code):
        raise field_error("tax_code", _("A tax classification code has 19 digits."))
    rate = data.vat_rate
    if not (Decimal("0") <= rate < Decimal("1")) or places(rate) > RATE_PLACES:
        raise field_error(
            "vat_rate",
            _("Enter a VAT rate from 0 to below 1 with at most 4 places, e.g. 0.13."),
        )
    axes = tuple(a.strip() for a in data.axes)
    if not 1 <= len(axes) <= MAX_AXES or len(set(axes)) != len(axes):
        raise field_error(
            "axes",
            _("Choose one to %(count)d different attributes.") % {"count": MAX_AXES},
        )
    known = set(
        Attribute.objects.filter(company=company, code__in=axes).values_list(
            "code", flat=True
        )
    )
    unknown = [a for a in axes if a not in known]
    if unknown:
        raise field_error(
            "axes",
            _("There is no attribute %(codes)s.") % {"codes": ", ".join(unknown)},
        )
    return StyleData(
        code=code,
        name=name,
        axes=axes,
        base_unit=data.base_unit,
        category=data.category,
        brand=brand,
        tax_code=tax_code,
        vat_rate=rate,
    )


def _style_values(data: StyleData) -> dict[str, object]:
    return {
        "code": data.code,
        "name": data.name,
        "axes": list(data.axes),
        "base_unit": data.base_unit,
        "category": data.category,
        "brand": data.brand,
        "tax_code": data.tax_code,
        "vat_rate": data.vat_rate,
    }


@transaction.atomic
def create_style(*, company: Company, actor: User, data: StyleData) -> Style:
    require_writable(company)
    data = _clean_style(company, data)
    if Style.objects.filter(company=company, code=data.code).exists():
        raise duplicate(
            "code", _("The style code %(code)s exists.") % {"code": data.code}
        )
    style = Style.objects.create(company=company, **_style_values(data))
    audit.record(company=company, actor=actor, action="created", obj=style)
    return style


@transaction.atomic
def update_style(*, style: Style, actor: User, data: StyleData) -> Style:
    """Change a style. Its code and attributes stay once it has variants
    (their codes and values are made of them); unit, category and tax apply to
    variants generated from now on — existing variants are products in their
    own right and are changed as products."""
    company = style.company
    require_writable(company)
    style = Style.objects.select_for_update().get(pk=style.pk)
    data = _clean_style(company, data)
    has_variants = Product.objects.filter(company=company, style=style).exists()
    if has_variants and (data.code != style.code or list(data.axes) != style.axes):
        raise ConflictError(
            _("The code and attributes of a style with variants cannot change."),
            fields={"axes": [_("The style has variants.")]},
        )
    if (
        Style.objects.filter(company=company, code=data.code)
        .exclude(pk=style.pk)
        .exists()
    ):
        raise duplicate(
            "code", _("The style code %(code)s exists.") % {"code": data.code}
        )
    values = _style_values(data)
    before = {name: getattr(style, name) for name in values}
    for name, value in values.items():
        setattr(style, name, value)
    style.save(update_fields=list(values))
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=style,
        changes=audit.field_changes(before, values),
    )
    return style


# --- the SKU matrix -------------------------------------------------------------------


def _chosen_values(
    style: Style, values: Mapping[str, Sequence[str]]
) -> list[list[AttributeValue]]:
    """For each axis of the style, the values chosen, in the order given."""
    if set(values) != set(style.axes):
        raise field_error(
            "values",
            _("Choose values for exactly the style's attributes: %(axes)s.")
            % {"axes": ", ".join(style.axes)},
        )
    chosen: list[list[AttributeValue]] = []
    for axis in style.axes:
        codes = list(dict.fromkeys(c.strip() for c in values[axis]))
        found = {
            v.code: v
            for v in AttributeValue.objects.filter(
                company_id=style.company_id, attribute__code=axis, code__in=codes
            )
        }
        missing = [c for c in codes if c not in found]
        if not codes or missing:
            raise field_error(
                "values",
                _("Choose existing values of %(axis)s; unknown: %(codes)s.")
                % {"axis": axis, "codes": ", ".join(missing) or "—"},
            )
        chosen.append([found[c] for c in codes])
    return chosen


def _variant(style: Style, combination: tuple[AttributeValue, ...]) -> Product:
    code = "-".join([style.code, *(v.code for v in combination)])
    problem = code_problem(code, PRODUCT_CODE_LENGTH)
    if problem is not None:
        raise field_error(
            "values",
            _("The variant code %(code)s is too long or not valid.") % {"code": code},
        )
    return Product(
        company_id=style.company_id,
        code=code,
        name=" ".join([style.name, *(v.name for v in combination)])[:200],
        category_id=style.category_id,
        style=style,
        variant={axis: v.code for axis, v in zip(style.axes, combination, strict=True)},
        base_unit=style.base_unit,
        brand=style.brand,
        tax_code=style.tax_code,
        vat_rate=style.vat_rate,
    )


@transaction.atomic
def generate_variants(
    *, style: Style, actor: User, values: Mapping[str, Sequence[str]]
) -> list[Product]:
    """One product per combination of the chosen values (colour × size),
    coded ``STYLE-RED-M`` and named ``T恤 红色 M``, with the style's category,
    unit, brand and tax. Combinations the style already has are skipped, so
    running it again with a new size adds only that size's variants.
    Answers the products created."""
    company = style.company
    require_writable(company)
    style = Style.objects.select_for_update().get(pk=style.pk)
    if style.base_unit_id is None:
        raise field_error("base_unit", _("Give the style a base unit first."))
    chosen = _chosen_values(style, values)
    combinations = list(itertools.product(*chosen))
    if len(combinations) > MAX_COMBINATIONS:
        raise field_error(
            "values",
            _("At most %(count)d variants at a time.") % {"count": MAX_COMBINATIONS},
        )
    have = {
        tuple(str(p.variant.get(axis, "")) for axis in style.axes)
        for p in Product.objects.filter(company=company, style=style).only("variant")
    }
    new = [
        _variant(style, combination)
        for combination in combinations
        if tuple(v.code for v in combination) not in have
    ]
    _check_codes_free(company, [p.code for p in new])
    Product.objects.bulk_create(new)
    created = list(
        Product.objects.filter(
            company=company, code__in=[p.code for p in new]
        ).order_by("code")
    )
    if created:
        audit.record(
            company=company,
            actor=actor,
            action="changed",
            obj=style,
            changes={"variants_added": [p.code for p in created]},
        )
    return created


def _check_codes_free(company: Company, codes: list[str]) -> None:
    taken = sorted(
        Product.objects.filter(company=company, code__in=codes).values_list(
            "code", flat=True
        )
    )
    if taken:
        message = _("Products with the codes %(codes)s exist already.") % {
            "codes": ", ".join(taken)
        }
        raise ConflictError(message, fields={"values": [message]})
