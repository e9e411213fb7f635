"""Core's own consistency checks, run by ``zhongshu check``."""

from __future__ import annotations

from zhongshu.core.consistency import register
from zhongshu.core.models import Company, Role


@register("core.memberships")
def every_company_has_an_owner() -> list[str]:
    """A company without an owner could never be administered again."""
    orphans = Company.objects.exclude(memberships__role=Role.OWNER)
    return [f"company {c.code} has no owner" for c in orphans]
