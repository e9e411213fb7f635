"""What the customer and the supplier imports share: reading a row's cells
(texts, numbers, yes/no, a province by code or name), reporting each problem
with its Excel row and column, refusing the whole sheet when any row has
one, and writing the primary contacts of the imported rows in bulk."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zhongshu.core import audit
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import Company
from zhongshu.core.sheets import SheetKind, SheetRow
from zhongshu.partners import regions
from zhongshu.partners.services.common import Problems
from zhongshu.partners.services.contacts import ContactData, contact_problems

CHUNK = 500
_TRUE = {"1", "yes", "y", "true", "是", "√", "✓", "对"}
_FALSE = {"0", "no", "n", "false", "否", "×", "✗", "不"}
_CONTACT_COLUMNS = {"name": "contact_name", "phone": "contact_phone"}

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ImportProblem:
    row: int
    column: str  # the column's key, e.g. "uscc"
    message: str
    # The column's heading in the sheet, in the language of the import.
    label: str = dataclasses.field(default="", compare=False)

    @property
    def column_label(self) -> str:
        return self.label or self.column


class ImportRejectedError(ValidationError):
    """Some rows are wrong: nothing was imported. ``problems`` lists them
    all, by row and then left to right; ``fields`` keys them as
    ``"<row>:<column>"``."""

    code = "import_rejected"

    def __init__(
        self, problems: Sequence[ImportProblem], sheet: SheetKind | None = None
    ) -> None:
        order = {c.key: i for i, c in enumerate(sheet.columns if sheet else ())}
        self.problems = sorted(
            problems, key=lambda p: (p.row, order.get(p.column, 99), p.message)
        )
        rows = len({p.row for p in self.problems})
        message = ngettext(
            "%(count)d row has problems; nothing was imported.",
            "%(count)d rows have problems; nothing was imported.",
            rows,
        ) % {"count": rows}
        fields: dict[str, list[str]] = {}
        for problem in self.problems:
            fields.setdefault(f"{problem.row}:{problem.column}", []).append(
                problem.message
            )
        super().__init__(message, fields=fields)


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportResult:
    created: list[str]  # codes, in sheet order
    updated: list[str]


def chunks(values: Sequence[T]) -> list[Sequence[T]]:
    """Slices small enough for any database's limit on query parameters."""
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def sheet_codes(rows: Sequence[SheetRow]) -> list[str]:
    return sorted({r.values.get("code", "").strip() for r in rows} - {""})


class RowReader:
    """Turns one row's texts into values, noting each problem with its
    column."""

    def __init__(self, row: SheetRow, sheet: SheetKind) -> None:
        self.row = row
        self.sheet = sheet
        self.problems: list[ImportProblem] = []
        for key, message in row.problems.items():
            self.problem(key, message)

    def text(self, key: str) -> str:
        return self.row.values.get(key, "").strip()

    def problem(self, key: str, message: str) -> None:
        self.problems.append(
            ImportProblem(self.row.number, key, message, self.sheet.label(key))
        )

    def report(self, problems: Problems) -> None:
        """A service's problems by field; the province's when a province was
        given are reported already (``province``)."""
        for key, messages in problems.items():
            if key == "province" and self.text("province"):
                continue
            for message in messages:
                self.problem(key, message)

    def decimal(self, key: str) -> Decimal | None:
        text = self.text(key).replace(",", "").replace("，", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.problem(key, _("Enter a number."))
            return None
        return value

    def days(self) -> int:
        value = self.decimal("payment_terms_days")
        if value is None:
            return 0
        if value != value.to_integral_value() or abs(value) > 100_000:
            self.problem("payment_terms_days", _("Enter a whole number of days."))
            return 0
        return int(value)

    def boolean(self, key: str, default: bool) -> bool:
        text = self.text(key).lower()
        if not text:
            return default
        if text in _TRUE or text == _("Yes").lower():
            return True
        if text in _FALSE or text == _("No").lower():
            return False
        self.problem(key, _("Enter yes or no."))
        return default

    def province(self) -> str:
        text = self.text("province")
        found = regions.find_province(text) if text else None
        if text and found is None:
            self.problem(
                "province", _("There is no province %(name)s.") % {"name": text}
            )
        return found.code if found is not None else ""

    def contact(self) -> ContactData | None:
        """The primary contact of the contact columns, if any is filled."""
        if not (self.text("contact_name") or self.text("contact_phone")):
            return None
        data, problems = contact_problems(
            ContactData(
                name=self.text("contact_name"),
                phone=self.text("contact_phone"),
                is_primary=True,
            )
        )
        for key, messages in problems.items():
            for message in messages:
                self.problem(_CONTACT_COLUMNS.get(key, "contact_name"), message)
        return data

    def check_code(self, code: str, first_rows: dict[str, int]) -> None:
        """A code once per sheet; ``first_rows`` remembers where each was."""
        if code and code in first_rows:
            self.problem(
                "code",
                _("The code %(code)s is also on row %(row)d.")
                % {"code": code, "row": first_rows[code]},
            )
        first_rows.setdefault(code, self.row.number)


def read_rows(
    rows: Sequence[SheetRow], read_row: Callable[[SheetRow, dict[str, int]], T]
) -> list[T]:
    """Every row read by ``read_row`` (which raises nothing and notes its
    problems), sharing the codes seen so far."""
    first_rows: dict[str, int] = {}
    return [read_row(row, first_rows) for row in rows]


def record_import(
    company: Company, actor: User, what: str, result: ImportResult
) -> None:
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=company,
        changes={
            f"{what}_imported": {
                "created": len(result.created),
                "updated": len(result.updated),
            }
        },
    )


def write_primary_contacts(
    model: type[models.Model],
    owner: str,
    company: Company,
    wanted: dict[int, ContactData],
) -> None:
    """The primary contact of each owner (``owner`` is the field naming it:
    "customer", "supplier") gets the name and phone of ``wanted``; an owner
    without a primary contact gets one."""
    manager: Any = model._default_manager
    owner_id = f"{owner}_id"
    primary: dict[int, Any] = {}
    for chunk in chunks(list(wanted)):
        found = manager.filter(
            company=company, is_primary=True, **{f"{owner_id}__in": chunk}
        )
        primary.update((getattr(c, owner_id), c) for c in found)
    create, update = [], []
    for pk, data in wanted.items():
        contact = primary.get(pk)
        if contact is None:
            create.append(
                model(
                    company=company,
                    name=data.name,
                    phone=data.phone,
                    is_primary=True,
                    **{owner_id: pk},
                )
            )
        elif (contact.name, contact.phone) != (data.name, data.phone):
            contact.name, contact.phone = data.name, data.phone
            update.append(contact)
    manager.bulk_create(create, batch_size=CHUNK)
    manager.bulk_update(update, ["name", "phone"], batch_size=CHUNK)
