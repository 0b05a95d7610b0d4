from django.contrib import admin

from aduan.complaints.models import Attachment, Category, Complaint, ComplaintStep


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "code", "unit", "position", "is_active")
    list_editable = ("position", "is_active")
    prepopulated_fields = {"code": ("name",)}


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StepInline(ReadOnlyInline):
    model = ComplaintStep
    fields = (
        "seq",
        "step",
        "role",
        "started_at",
        "decided_at",
        "decided_by",
        "decided_as",
        "decision",
        "next_step",
        "note",
    )


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Read-only: complaints move only through the SOP engine."""

    list_display = (
        "agenda_number",
        "received_at",
        "channel",
        "category",
        "subject",
        "current_step",
        "status",
    )
    list_filter = ("status", "channel", "category", "current_step")
    list_select_related = ("category",)
    search_fields = ("tracking_code", "subject")
    date_hierarchy = "received_at"
    inlines = [StepInline, AttachmentInline]
    # Personal data is read on the desk, where each full view is audited; not here.
    exclude = ("nik", "phone", "email")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
