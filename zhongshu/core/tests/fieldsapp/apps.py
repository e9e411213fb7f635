"""A test-only app whose table exercises the scaled-integer money fields.

Installed only under pytest (see settings.py), so production databases never
get its table.
"""

from django.apps import AppConfig


class FieldsAppConfig(AppConfig):
    name = "zhongshu.core.tests.fieldsapp"
    label = "core_fieldsapp"
    default_auto_field = "django.db.models.BigAutoField"
