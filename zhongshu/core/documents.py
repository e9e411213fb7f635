"""Document states: one StateFlow per document type, one door for transitions.

A module declares its flow next to its model and registers it for the model's
``state`` field::

    ORDER_FLOW = documents.register_flow(SalesOrder, StateFlow({
        OrderState.DRAFT: {OrderState.CONFIRMED, OrderState.CANCELLED},
        OrderState.CONFIRMED: {OrderState.DONE, OrderState.CANCELLED},
    }))

The service named for the verb checks ``ORDER_FLOW.require(...)`` and then
calls ``change_state``, which stamps ``<state>_at``/``<state>_by`` when the model
has them, writes one audit entry and saves. A system check refuses a model
with a ``state`` field and no registered flow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.utils.translation import gettext as _

from zhongshu.core import audit, clock
from zhongshu.core.bulk import update_many
from zhongshu.core.errors import IllegalTransitionError


class StateFlow:
    def __init__(self, transitions: Mapping[str, Set[str]]) -> None:
        self.transitions = {
            str(k): frozenset(map(str, v)) for k, v in transitions.items()
        }

    def allows(self, current: str, target: str) -> bool:
        return target in self.transitions.get(str(current), frozenset())

    def require(self, current: str, target: str) -> None:
        if not self.allows(current, target):
            raise IllegalTransitionError(
                _("A document in state %(current)s cannot become %(target)s.")
                % {"current": current, "target": target}
            )


_flows: dict[type[models.Model], StateFlow] = {}


def register_flow(model: type[models.Model], flow: StateFlow) -> StateFlow:
    _flows[model] = flow
    return flow


def flow_for(model: type[models.Model]) -> StateFlow | None:
    return _flows.get(model)


def _stamp(
    document: models.Model,
    target: str,
    actor: User | AnonymousUser | None,
    extra_fields: tuple[str, ...],
) -> tuple[str, list[str]]:
    """Check the transition and set the state and its stamps in memory;
    returns the state left and the fields to save."""
    flow = flow_for(type(document))
    if flow is None:
        raise LookupError(f"No StateFlow registered for {type(document).__name__}.")
    current = str(document.state)  # type: ignore[attr-defined]
    flow.require(current, target)
    document.state = target  # type: ignore[attr-defined]
    fields = ["state", *extra_fields]
    field_names = {f.name for f in document._meta.get_fields()}
    if f"{target}_at" in field_names:
        setattr(document, f"{target}_at", clock.now())
        fields.append(f"{target}_at")
    if f"{target}_by" in field_names and isinstance(actor, User):
        setattr(document, f"{target}_by", actor)
        fields.append(f"{target}_by")
    return current, fields


def change_states(
    documents: Sequence[models.Model],
    target: str,
    *,
    actor: User | AnonymousUser | None,
    extra_fields: tuple[str, ...] = (),
) -> None:
    """``change_state`` for many documents of one type and company, all in
    the same state: one UPDATE round trip and one audit insert."""
    if not documents:
        return
    states = set()
    fields: list[str] = []
    for document in documents:
        current, fields = _stamp(document, target, actor, extra_fields)
        states.add(current)
    if len(states) > 1:
        raise ValueError("change_states moves documents of one state at a time")
    update_many(documents, fields)
    audit.record_many(
        company=getattr(documents[0], "company", None),
        actor=actor,
        action=target,
        objects=documents,
        changes={"state": [states.pop(), target]},
    )


def change_state(
    document: models.Model,
    target: str,
    *,
    actor: User | AnonymousUser | None,
    extra_fields: tuple[str, ...] = (),
) -> None:
    """Move ``document`` to ``target`` through its registered flow and audit it."""
    current, fields = _stamp(document, target, actor, extra_fields)
    document.save(update_fields=fields)
    audit.record(
        company=getattr(document, "company", None),
        actor=actor,
        action=target,
        obj=document,
        changes={"state": [current, target]},
    )
