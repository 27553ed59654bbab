from django.contrib import admin

from .models import DigestRun, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "organization", "unit", "active", "include_names", "created_at")
    list_filter = ("active", "include_names")
    search_fields = ("email", "name", "code")
    raw_id_fields = ("organization", "unit", "created_by")


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ("organization", "period", "sent", "started_at", "finished_at")
    search_fields = ("period",)
    raw_id_fields = ("organization",)
