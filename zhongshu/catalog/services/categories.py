"""The product category tree: adding, renaming, moving (never under itself)
and deleting empty categories; a category may override the costing method."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.catalog.models import Category, CostingMethod, Product, Style
from zhongshu.catalog.services.common import (
    clean_code,
    clean_text,
    duplicate,
    field_error,
)
from zhongshu.core import audit
from zhongshu.core.errors import ConflictError
from zhongshu.core.models import Company
from zhongshu.core.services import require_writable
from zhongshu.core.tenancy import same_company
from zhongshu.ledger.selectors.vouchers import list_account_roles

# How account roles refined by a category name it (ledger.set_account_role).
CATEGORY_KEY_KIND = "catalog.category"


def _clean_method(costing_method: str) -> str:
    if costing_method and costing_method not in CostingMethod.values:
        raise field_error("costing_method", _("Choose a costing method."))
    return costing_method


def _check_code_free(company: Company, code: str, category: Category | None) -> None:
    taken = Category.objects.filter(company=company, code=code)
    if category is not None:
        taken = taken.exclude(pk=category.pk)
    if taken.exists():
        raise duplicate(
            "code", _("The category code %(code)s exists.") % {"code": code}
        )


@transaction.atomic
def create_category(
    *,
    company: Company,
    actor: User,
    code: str,
    name: str,
    parent: Category | None = None,
    costing_method: str = "",
) -> Category:
    require_writable(company)
    same_company(company, parent)
    code = clean_code(code)
    name = clean_text(name, field="name", max_length=100)
    _check_code_free(company, code, None)
    category = Category.objects.create(
        company=company,
        code=code,
        name=name,
        parent=parent,
        costing_method=_clean_method(costing_method),
    )
    audit.record(company=company, actor=actor, action="created", obj=category)
    return category


def _check_no_cycle(category: Category, parent: Category | None) -> None:
    """The new parent may be neither the category nor one below it."""
    parents = dict(
        Category.objects.filter(company_id=category.company_id).values_list(
            "pk", "parent_id"
        )
    )
    current = parent.pk if parent is not None else None
    while current is not None:
        if current == category.pk:
            raise field_error(
                "parent",
                _("A category cannot be placed under itself or its sub-categories."),
            )
        current = parents.get(current)


@transaction.atomic
def update_category(
    *,
    category: Category,
    actor: User,
    code: str,
    name: str,
    parent: Category | None,
    costing_method: str,
) -> Category:
    company = category.company
    require_writable(company)
    same_company(company, parent)
    category = Category.objects.select_for_update().get(pk=category.pk)
    code = clean_code(code)
    name = clean_text(name, field="name", max_length=100)
    _check_code_free(company, code, category)
    _check_no_cycle(category, parent)
    method = _clean_method(costing_method)
    changed = {
        "code": code,
        "name": name,
        "parent": parent.pk if parent is not None else None,
        "costing_method": method,
    }
    before = {
        "code": category.code,
        "name": category.name,
        "parent": category.parent_id,
        "costing_method": category.costing_method,
    }
    category.code, category.name = code, name
    category.parent, category.costing_method = parent, method
    category.save(update_fields=["code", "name", "parent", "costing_method"])
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=category,
        changes=audit.field_changes(before, changed),
    )
    return category


@transaction.atomic
def delete_category(*, category: Category, actor: User) -> None:
    """Only an empty category: no sub-categories, products, styles, nor an
    account role refined by it."""
    company = category.company
    require_writable(company)
    category = Category.objects.select_for_update().get(pk=category.pk)
    if Category.objects.filter(company=company, parent=category).exists():
        raise ConflictError(_("Move or delete its sub-categories first."))
    if (
        Product.objects.filter(company=company, category=category).exists()
        or Style.objects.filter(company=company, category=category).exists()
    ):
        raise ConflictError(
            _("Products or styles are in this category; move them first.")
        )
    if (
        list_account_roles(company)
        .filter(key_kind=CATEGORY_KEY_KIND, key_id=category.pk)
        .exists()
    ):
        raise ConflictError(
            _("An account role is refined by this category; change it first.")
        )
    audit.record(company=company, actor=actor, action="deleted", obj=category)
    category.delete()
