"""A company's catalog: its settings and default units, and the costing
method (company-wide; categories override it)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.catalog.models import CatalogSettings, CostingMethod, Unit
from zhongshu.catalog.services.common import field_error
from zhongshu.core import audit
from zhongshu.core.models import Company
from zhongshu.core.services import require_writable

# (code, name, decimal places): what a Chinese shop counts and weighs in.
DEFAULT_UNITS: tuple[tuple[str, str, int], ...] = (
    ("件", "件", 0),
    ("个", "个", 0),
    ("箱", "箱", 0),
    ("千克", "千克", 3),
    ("米", "米", 2),
)


def catalog_settings_of(company: Company) -> CatalogSettings:
    """The company's catalog settings, setting the catalog up on first use."""
    settings = CatalogSettings.objects.filter(company=company).first()
    return settings if settings is not None else ensure_catalog(company=company)


@transaction.atomic
def ensure_catalog(*, company: Company) -> CatalogSettings:
    """Settings and the default units for a company. Idempotent: units are
    added only with the settings, so a unit deleted later stays deleted."""
    settings, created = CatalogSettings.objects.get_or_create(company=company)
    if created:
        Unit.objects.bulk_create(
            [
                Unit(company=company, code=code, name=name, places=places)
                for code, name, places in DEFAULT_UNITS
            ],
            ignore_conflicts=True,
        )
    return settings


@transaction.atomic
def set_costing_method(
    *, company: Company, actor: User, costing_method: str
) -> CatalogSettings:
    """The company's costing method; inventory values moves by it (see
    ``selectors.costing_method_of`` for the category override)."""
    require_writable(company)
    if costing_method not in CostingMethod.values:
        raise field_error("costing_method", _("Choose a costing method."))
    catalog_settings_of(company)
    settings = CatalogSettings.objects.select_for_update().get(company=company)
    before = {"costing_method": settings.costing_method}
    settings.costing_method = costing_method
    settings.save(update_fields=["costing_method"])
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=settings,
        changes=audit.field_changes(before, {"costing_method": costing_method}),
    )
    return settings
