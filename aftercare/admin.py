from django.contrib import admin

from aftercare.models import Reminder, ReminderRun


@admin.register(ReminderRun)
class ReminderRunAdmin(admin.ModelAdmin):
    """The heartbeat: when did the reminder task last run, and what did it do."""

    list_display = ["started_at", "finished_at", "created", "delivered", "failed"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False


CLIENT_FIELDS = ["client_number", "url"]  # the url holds the case's reference


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The delivery ledger; rows stuck in "sending" are e-mails that may not have gone out.

    Without the client number and the link to the case: a system administrator sees no
    client data. Not deletable: the ledger's rows are what makes a reminder go out once.
    """

    list_display = ["source", "due_on", "recipient", "level", "status", "sent_at"]
    list_filter = ["status", "source", "level"]
    exclude = CLIENT_FIELDS
    readonly_fields = [f.name for f in Reminder._meta.fields if f.name not in CLIENT_FIELDS]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
