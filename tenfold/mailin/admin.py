from django.contrib import admin

from .models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    """The whole log, including messages whose reply address could not be verified (those
    belong to no organization and appear on no organization's page)."""

    list_display = ("received_at", "status", "reason", "organization", "user", "sender", "subject")
    list_filter = ("status", "reason", "via")
    search_fields = ("message_id", "sender", "subject")
    readonly_fields = [field.name for field in InboundMessage._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
