from django.contrib import admin

from aftercare.models import Reminder, ReminderRun


@admin.register(ReminderRun)
class ReminderRunAdmin(admin.ModelAdmin):
    """The heartbeat: when did the reminder task last run, and what did it do."""

    list_display = ["started_at", "finished_at", "created", "delivered", "failed"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The delivery ledger; rows stuck in "sending" are e-mails that may not have gone out."""

    list_display = ["source", "client_number", "due_on", "recipient", "level", "status", "sent_at"]
    list_filter = ["status", "source", "level"]
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
