from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The log, to read: nobody adds, changes or deletes an event here, superusers included."""

    list_display = ("created_at", "organization", "actor", "verb", "object_type", "object_repr")
    list_select_related = ("organization", "actor")
    search_fields = ("verb", "object_code", "objective_code", "object_repr")
    date_hierarchy = "created_at"
    show_full_result_count = False  # a count of millions of rows on every page is not worth it

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
