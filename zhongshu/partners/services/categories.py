"""Customer categories (客户分类): a flat list of codes customers are
grouped by in lists and reports."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.core import audit
from zhongshu.core.errors import ConflictError
from zhongshu.core.models import Company
from zhongshu.core.services import require_writable
from zhongshu.partners.models import Customer, CustomerCategory
from zhongshu.partners.services.common import (
    Problems,
    add_problem,
    code_problem,
    duplicate,
    raise_problems,
    text_problem,
)


def _cleaned(code: str, name: str) -> tuple[str, str]:
    code, name = code.strip(), name.strip()
    problems: Problems = {}
    add_problem(problems, "code", code_problem(code))
    add_problem(problems, "name", text_problem(name, 100, required=True))
    raise_problems(problems)
    return code, name


def _check_code_free(
    company: Company, code: str, category: CustomerCategory | None
) -> None:
    taken = CustomerCategory.objects.filter(company=company, code=code)
    if category is not None:
        taken = taken.exclude(pk=category.pk)
    if taken.exists():
        raise duplicate(
            "code", _("The category code %(code)s exists.") % {"code": code}
        )


@transaction.atomic
def create_customer_category(
    *, company: Company, actor: User, code: str, name: str
) -> CustomerCategory:
    require_writable(company)
    code, name = _cleaned(code, name)
    _check_code_free(company, code, None)
    category = CustomerCategory.objects.create(company=company, code=code, name=name)
    audit.record(
        company=company,
        actor=actor,
        action="created",
        obj=category,
        changes={"code": code, "name": name},
    )
    return category


@transaction.atomic
def update_customer_category(
    *, category: CustomerCategory, actor: User, code: str, name: str
) -> CustomerCategory:
    company = category.company
    require_writable(company)
    category = CustomerCategory.objects.select_for_update().get(pk=category.pk)
    code, name = _cleaned(code, name)
    _check_code_free(company, code, category)
    before = {"code": category.code, "name": category.name}
    category.code, category.name = code, name
    category.save(update_fields=["code", "name"])
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=category,
        changes=audit.field_changes(before, {"code": code, "name": name}),
    )
    return category


@transaction.atomic
def delete_customer_category(*, category: CustomerCategory, actor: User) -> None:
    """Only a category no customer is in."""
    company = category.company
    require_writable(company)
    category = CustomerCategory.objects.select_for_update().get(pk=category.pk)
    if Customer.objects.filter(company=company, category=category).exists():
        raise ConflictError(
            _("Customers are in this category; move them to another first.")
        )
    audit.record(company=company, actor=actor, action="deleted", obj=category)
    category.delete()
