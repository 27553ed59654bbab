from django.contrib import admin

from .models import DataSource


@admin.register(DataSource)
class DataSourceAdmin(admin.ModelAdmin):
    list_display = ("code", "organization", "kind", "enabled", "last_status", "last_sync_at")
    list_filter = ("kind", "enabled", "last_status")
    raw_id_fields = ("organization", "key_result", "created_by")
    # Secrets stay out of the admin as they stay out of every other screen.
    exclude = ("token_digest", "headers", "connection")
