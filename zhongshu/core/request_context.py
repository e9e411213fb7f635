"""Who is acting and from where, for the audit trail.

The request's IP address is not a business argument, so services do not take
it; the middleware puts it here and ``core.audit`` reads it. Background tasks
and commands leave it empty.
"""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
