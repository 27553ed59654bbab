from django.contrib import admin

from .models import Transfer


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = ("code", "organization", "kind", "format", "status", "created_at")
    list_filter = ("kind", "format", "status")
    search_fields = ("code", "download_name")
    raw_id_fields = ("organization", "created_by")
    readonly_fields = ("file_name", "size", "started_at", "finished_at")
