from django.contrib import admin

from .models import ChecklistItem, Programme, Sandbox


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("organization", "pilot_unit", "first_cycle_defaults", "started_at")
    raw_id_fields = ("organization", "pilot_unit", "first_cycle")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ("code", "organization", "key", "title", "owner", "due", "done_at")
    raw_id_fields = ("organization", "programme", "owner", "done_by")


@admin.register(Sandbox)
class SandboxAdmin(admin.ModelAdmin):
    list_display = ("code", "organization", "person", "home", "built_at", "build_seconds")
    raw_id_fields = ("organization", "person", "home")
