"""Reads of variant attributes and styles, and the variant matrix: a style's
SKUs pivoted by two of its attributes (rows colour, columns size), each cell
carrying a number the caller supplies (inventory passes stock on hand)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from zhongshu.catalog.models import Attribute, AttributeValue, Product, Style
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.models import Company

Number = Decimal | int
CellValues = Callable[[Product], Number | None] | Mapping[int, Number | None]


def list_attributes(company: Company) -> QuerySet[Attribute]:
    """Attributes by code, each with its values in display order."""
    return (
        Attribute.objects.filter(company=company)
        .prefetch_related(
            Prefetch("values", queryset=AttributeValue.objects.order_by("sort", "code"))
        )
        .order_by("code")
    )


def get_attribute(company: Company, attribute_id: int) -> Attribute:
    attribute = list_attributes(company).filter(pk=attribute_id).first()
    if attribute is None:
        raise NotFoundError()
    return attribute


def find_attribute(company: Company, code: str) -> Attribute | None:
    return list_attributes(company).filter(code=code.strip()).first()


def list_styles(company: Company) -> QuerySet[Style]:
    return (
        Style.objects.filter(company=company)
        .select_related("category", "base_unit")
        .order_by("code")
    )


def get_style(company: Company, style_id: int) -> Style:
    style = list_styles(company).filter(pk=style_id).first()
    if style is None:
        raise NotFoundError()
    return style


def find_style(company: Company, code: str) -> Style | None:
    return list_styles(company).filter(code=code.strip()).first()


def style_variants(style: Style) -> QuerySet[Product]:
    return (
        Product.objects.filter(company_id=style.company_id, style=style)
        .select_related("base_unit")
        .order_by("code")
    )


# --- the matrix -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AxisValue:
    """One row or column heading: an attribute value (or "—" when the style
    has fewer than two axes)."""

    code: str
    name: str
    sort: int = 0


@dataclass(frozen=True, slots=True)
class MatrixCell:
    products: tuple[Product, ...]
    # The caller's number, summed over the cell's products when the style
    # has more axes than the two pivoted; None without numbers.
    value: Number | None

    @property
    def product(self) -> Product | None:
        return self.products[0] if len(self.products) == 1 else None


@dataclass(frozen=True, slots=True)
class MatrixRow:
    heading: AxisValue
    cells: list[MatrixCell]
    total: Number | None


@dataclass(frozen=True, slots=True)
class VariantMatrix:
    style: Style
    row_axis: Attribute | None
    column_axis: Attribute | None
    columns: list[AxisValue]
    rows: list[MatrixRow]
    column_totals: list[Number | None]
    total: Number | None


NO_AXIS = AxisValue(code="", name="—")


def variant_matrix(
    company: Company,
    style: Style,
    *,
    row_axis: str | None = None,
    column_axis: str | None = None,
    values: CellValues | None = None,
) -> VariantMatrix:
    """The style's variants, rows by ``row_axis`` and columns by
    ``column_axis`` (attribute codes; by default the style's first and second
    axes). ``values`` gives each variant's number, as a function of the
    product or a mapping by product id; cells, rows and columns add them up.

    Headings are the attribute values in use, in the attributes' display
    order. Three queries whatever the size of the style."""
    if style.company_id != company.pk:
        raise NotFoundError()
    axes = list(style.axes)
    row_code = row_axis or (axes[0] if axes else None)
    column_code = column_axis or (axes[1] if len(axes) > 1 else None)
    for code in (row_code, column_code):
        if code is not None and code not in axes:
            message = _("%(code)s is not an attribute of style %(style)s.") % {
                "code": code,
                "style": style.code,
            }
            raise ValidationError(message, fields={"axis": [message]})
    attributes = {a.code: a for a in list_attributes(company).filter(code__in=axes)}
    variants = list(style_variants(style))
    row_headings = _headings(attributes.get(row_code or ""), row_code, variants)
    column_headings = _headings(
        attributes.get(column_code or ""), column_code, variants
    )
    grouped: dict[tuple[str, str], list[Product]] = {}
    for product in variants:
        key = (
            str(product.variant.get(row_code, "")) if row_code else "",
            str(product.variant.get(column_code, "")) if column_code else "",
        )
        grouped.setdefault(key, []).append(product)
    number = _number_of(values)
    rows = []
    for heading in row_headings:
        cells = [
            _cell(grouped.get((heading.code, column.code), []), number)
            for column in column_headings
        ]
        rows.append(MatrixRow(heading, cells, _sum(c.value for c in cells)))
    column_totals = [
        _sum(row.cells[index].value for row in rows)
        for index in range(len(column_headings))
    ]
    return VariantMatrix(
        style=style,
        row_axis=attributes.get(row_code or ""),
        column_axis=attributes.get(column_code or ""),
        columns=column_headings,
        rows=rows,
        column_totals=column_totals,
        total=_sum(row.total for row in rows),
    )


def _headings(
    attribute: Attribute | None, code: str | None, variants: list[Product]
) -> list[AxisValue]:
    if code is None:
        return [NO_AXIS]
    used = {str(p.variant.get(code, "")) for p in variants}
    known = {
        value.code: AxisValue(value.code, value.name, value.sort)
        for value in (attribute.values.all() if attribute is not None else [])
    }
    headings = [known.get(c, AxisValue(c, c or "—", 2**31)) for c in used]
    return sorted(headings, key=lambda h: (h.sort, h.code))


def _number_of(values: CellValues | None) -> Callable[[Product], Number | None]:
    if values is None:
        return lambda product: None
    if callable(values):
        return values
    mapping = values
    return lambda product: mapping.get(product.pk)


def _cell(
    products: list[Product], number: Callable[[Product], Number | None]
) -> MatrixCell:
    return MatrixCell(tuple(products), _sum(number(p) for p in products))


def _sum(numbers: Iterable[Number | None]) -> Number | None:
    """The sum of the numbers given, None when there is none."""
    present = [n for n in numbers if n is not None]
    if not present:
        return None
    total: Number = 0
    for n in present:
        total += n
    return total
