"""Domain errors: a stable machine-readable code plus a translatable message.

The API maps every DomainError to a 4xx JSON body ``{code, message, fields}``;
pages show the message. Services raise them before writing anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code: ClassVar[str] = "invalid"
    status: ClassVar[int] = 400
    default_message: ClassVar[str | Promise] = _("The request is not valid.")

    def __init__(
        self, message: str | None = None, *, fields: dict[str, list[str]] | None = None
    ) -> None:
        self.message = str(message if message is not None else self.default_message)
        self.fields = fields or {}
        super().__init__(self.message)


class ValidationError(DomainError):
    code = "validation_error"
    status = 422
    default_message: ClassVar[str | Promise] = _("Some fields are not valid.")


class NotFoundError(DomainError):
    code = "not_found"
    status = 404
    default_message: ClassVar[str | Promise] = _("Not found.")


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    status = 403
    default_message: ClassVar[str | Promise] = _("You are not allowed to do this.")


class CompanyReadOnlyError(DomainError):
    code = "company_read_only"
    status = 403
    default_message: ClassVar[str | Promise] = _(
        "The trial of this company has ended; it is read-only until an "
        "administrator activates it."
    )


class ConflictError(DomainError):
    code = "conflict"
    status = 409
    default_message: ClassVar[str | Promise] = _(
        "The request conflicts with the current state."
    )


class IllegalTransitionError(ConflictError):
    code = "illegal_transition"
    default_message: ClassVar[str | Promise] = _(
        "This action is not allowed in the document's current state."
    )


def _keyed_under(prefix: str, error: DomainError) -> dict[str, list[str]]:
    """``error``'s fields keyed under ``prefix`` (its message when it names
    no field)."""
    fields = error.fields or {"": [error.message]}
    return {f"{prefix}{key}".rstrip("."): messages for key, messages in fields.items()}


@contextmanager
def keyed_under(prefix: str) -> Iterator[None]:
    """An error raised inside keys its fields under ``prefix``
    (``documents.3.``), its message unchanged; no prefix, no change (the
    single entry points beside a batch one)."""
    try:
        yield
    except DomainError as error:
        if prefix:
            error.fields = _keyed_under(prefix, error)
        raise


@contextmanager
def naming_item(collection: str, index: int, label: str | Promise) -> Iterator[None]:
    """A batch call's errors name the item they are about: raised inside, an
    error's fields are keyed ``<collection>.<index>.…`` and its message reads
    "<label> <index + 1>: …", with the same code and status."""
    try:
        yield
    except DomainError as error:
        raise type(error)(
            gettext("%(item)s %(n)d: %(message)s")
            % {"item": label, "n": index + 1, "message": error.message},
            fields=_keyed_under(f"{collection}.{index}.", error),
        ) from error
