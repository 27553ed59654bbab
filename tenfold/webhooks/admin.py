from django.contrib import admin

from .models import Webhook, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("code", "organization", "name", "active", "consecutive_failures", "created_at")
    list_filter = ("active",)
    raw_id_fields = ("organization", "created_by")
    exclude = ("secret", "previous_secret")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("code", "webhook", "event_type", "status", "attempts", "response_status")
    list_filter = ("status",)
    raw_id_fields = ("organization", "webhook")
