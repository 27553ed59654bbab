from django.contrib import admin

from .models import AlertState, ChatChannel


@admin.register(ChatChannel)
class ChatChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "provider", "unit", "organization", "active", "last_sent_at")
    list_filter = ("provider", "active")
    search_fields = ("name", "code", "unit__name")
    readonly_fields = ("code", "last_sent_at", "last_error", "last_error_at")


@admin.register(AlertState)
class AlertStateAdmin(admin.ModelAdmin):
    list_display = ("key_result", "last_status", "owed", "changed_at")
    list_filter = ("last_status",)
