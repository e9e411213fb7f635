"""Units of measure: adding, renaming, and deleting unused ones."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from zhongshu.catalog.models import (
    Barcode,
    PriceListItem,
    Product,
    ProductUnit,
    Style,
    Unit,
)
from zhongshu.catalog.services.common import (
    clean_code,
    clean_text,
    duplicate,
    field_error,
)
from zhongshu.core import audit
from zhongshu.core.errors import ConflictError
from zhongshu.core.models import Company
from zhongshu.core.money import QUANTITY_PLACES
from zhongshu.core.services import require_writable


def _clean_places(places: int) -> int:
    if isinstance(places, bool) or not 0 <= places <= QUANTITY_PLACES:
        raise field_error(
            "places",
            _("A unit has 0 to %(count)d decimal places.") % {"count": QUANTITY_PLACES},
        )
    return places


def unit_in_use(unit: Unit) -> bool:
    company_id = unit.company_id
    return (
        Product.objects.filter(company_id=company_id, base_unit=unit).exists()
        or ProductUnit.objects.filter(company_id=company_id, unit=unit).exists()
        or Barcode.objects.filter(company_id=company_id, unit=unit).exists()
        or PriceListItem.objects.filter(company_id=company_id, unit=unit).exists()
        or Style.objects.filter(company_id=company_id, base_unit=unit).exists()
    )


@transaction.atomic
def create_unit(
    *, company: Company, actor: User, code: str, name: str, places: int = 0
) -> Unit:
    require_writable(company)
    code = clean_code(code, max_length=20)
    name = clean_text(name, field="name", max_length=40)
    if Unit.objects.filter(company=company, code=code).exists():
        raise duplicate("code", _("The unit code %(code)s exists.") % {"code": code})
    unit = Unit.objects.create(
        company=company, code=code, name=name, places=_clean_places(places)
    )
    audit.record(company=company, actor=actor, action="created", obj=unit)
    return unit


@transaction.atomic
def update_unit(*, unit: Unit, actor: User, name: str, places: int) -> Unit:
    """Rename any unit; change its decimal places only while nothing uses it
    (quantities already kept in it would no longer fit)."""
    require_writable(unit.company)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    name = clean_text(name, field="name", max_length=40)
    places = _clean_places(places)
    if places != unit.places and unit_in_use(unit):
        raise ConflictError(
            _("The decimal places of a unit in use cannot change."),
            fields={"places": [_("The unit is in use.")]},
        )
    before = {"name": unit.name, "places": unit.places}
    unit.name, unit.places = name, places
    unit.save(update_fields=["name", "places"])
    audit.record(
        company=unit.company,
        actor=actor,
        action="changed",
        obj=unit,
        changes=audit.field_changes(before, {"name": name, "places": places}),
    )
    return unit


@transaction.atomic
def delete_unit(*, unit: Unit, actor: User) -> None:
    """Only a unit nothing uses (products, barcodes, prices, styles, and
    whatever higher modules keep in it)."""
    company = unit.company
    require_writable(company)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    in_use = ConflictError(_("The unit %(code)s is in use.") % {"code": unit.code})
    if unit_in_use(unit):
        raise in_use
    audit.record(company=company, actor=actor, action="deleted", obj=unit)
    try:
        with transaction.atomic():
            unit.delete()
    except ProtectedError as error:
        raise in_use from error
