"""django-ninja schemas of core's API: separate input and output classes.

Inputs forbid unknown fields (a typo must not be silently ignored) and carry
the column lengths, so a too-long value is a 422 and never a database error
on PostgreSQL.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar, Literal

from django.contrib.auth.models import User
from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

from zhongshu.core import clock
from zhongshu.core.models import (
    AccountingStandard,
    AuditEntry,
    Company,
    Role,
    SequenceReset,
    TaxpayerType,
)

_INPUT = ConfigDict(extra="forbid")


class UserOut(Schema):
    id: int
    username: str
    email: str
    full_name: str

    @staticmethod
    def resolve_full_name(obj: User) -> str:
        return obj.get_full_name()


class CompanyOut(Schema):
    id: int
    code: str
    name: str
    uscc: str
    taxpayer_type: str
    base_currency: str
    accounting_standard: str
    fiscal_year_start_month: int
    is_trial: bool
    trial_ends_on: datetime.date | None
    activated_at: datetime.datetime | None
    read_only: bool = Field(
        description="The trial has ended: reads work, writes answer 403."
    )
    created_at: datetime.datetime

    @staticmethod
    def resolve_read_only(obj: Company) -> bool:
        return obj.is_read_only_on(clock.today())


class CompanyIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "ACME",
                    "name": "示例商贸有限公司",
                    "uscc": "91350100M000100Y43",
                    "taxpayer_type": "general",
                    "accounting_standard": "small_enterprise",
                    "fiscal_year_start_month": 1,
                }
            ]
        },
    )

    code: str = Field(max_length=32)
    name: str = Field(max_length=200)
    # Longer than 18: full-width characters and spaces are normalized away.
    uscc: str = Field("", max_length=64)
    taxpayer_type: TaxpayerType = TaxpayerType.GENERAL
    accounting_standard: AccountingStandard = AccountingStandard.SMALL_ENTERPRISE
    fiscal_year_start_month: int = 1


class CompanyPatch(Schema):
    """Only the fields sent are changed; ``null`` means "leave as is"."""

    model_config: ClassVar[ConfigDict] = _INPUT

    code: str | None = Field(None, max_length=32)
    name: str | None = Field(None, max_length=200)
    uscc: str | None = Field(None, max_length=64)
    taxpayer_type: TaxpayerType | None = None
    accounting_standard: AccountingStandard | None = None
    fiscal_year_start_month: int | None = None


class MeOut(Schema):
    user: UserOut
    company: CompanyOut
    roles: list[str]
    permissions: list[str]
    authenticated_by: Literal["token", "session"]


class AuditFilter(Schema):
    object_kind: str | None = None
    object_id: str | None = None
    action: str | None = None
    actor_id: int | None = None


class AuditEntryOut(Schema):
    id: int
    at: datetime.datetime
    action: str
    object_kind: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    ip_address: str | None
    actor_id: int | None
    actor: str | None

    @staticmethod
    def resolve_actor(obj: AuditEntry) -> str | None:
        return obj.actor.get_username() if obj.actor is not None else None


class TokenIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"name": "ERP sync", "expires_at": "2030-01-01T00:00:00+08:00"}
            ]
        },
    )

    name: str = Field(max_length=100)
    # Aware only: a naive time would be read in the server's zone, silently.
    expires_at: AwareDatetime | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    last_used_at: datetime.datetime | None


class TokenCreatedOut(TokenOut):
    key: str = Field(
        description="The secret key, shown only in this response: store it now."
    )


class MemberOut(Schema):
    user_id: int
    username: str
    email: str
    roles: list[str]


class RolesIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"roles": ["accountant"]}]}
    )

    roles: list[Role] = Field(
        description="The member's complete set of roles; empty removes the member."
    )


class NumberingRowOut(Schema):
    key: str
    label: str
    pattern: str
    reset: str
    next_number: str


class NumberingRuleIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"pattern": "SO-{year}-{seq:06d}", "reset": "yearly"}]
        },
    )

    pattern: str = Field(max_length=64)
    reset: SequenceReset = SequenceReset.YEARLY
