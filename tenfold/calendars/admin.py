from django.contrib import admin

from .models import CalendarKey


@admin.register(CalendarKey)
class CalendarKeyAdmin(admin.ModelAdmin):
    list_display = ("organization", "unit", "user", "updated_at")
    readonly_fields = ("key",)
