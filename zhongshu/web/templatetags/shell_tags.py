"""Template helpers of the shell: icons and labels of core's codes."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from zhongshu.core.models import Role, SequenceReset
from zhongshu.web import audit_display

register = template.Library()


@register.simple_tag
def icon(name: str, css_class: str = "") -> str:
    """An icon from the sprite in web/_icons.html."""
    return format_html(
        '<svg class="icon {}" aria-hidden="true" focusable="false">'
        '<use href="#i-{}"></use></svg>',
        css_class,
        name,
    )


@register.filter
def role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


@register.filter
def kind_label(kind: str) -> str:
    return audit_display.kind_label(kind)


@register.filter
def action_label(action: str) -> str:
    return audit_display.action_label(action)


@register.filter
def reset_label(reset: str) -> str:
    return str(SequenceReset(reset).label) if reset in SequenceReset.values else reset
