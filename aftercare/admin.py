from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from aftercare.models import Reminder, ReminderRun, ReminderStatus, stale_before


@admin.register(ReminderRun)
class ReminderRunAdmin(admin.ModelAdmin):
    """The heartbeat: when did the reminder task last run, and what did it do."""

    list_display = [
        "started_at",
        "finished_at",
        "abandoned_at",
        "created",
        "delivered",
        "deferred",
        "failed",
    ]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False


class StaleClaimFilter(admin.SimpleListFilter):
    """Claimed for sending and never finished: the process died; the next run sends again."""

    title = _("vastgelopen")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("Vastgelopen claim (wordt opnieuw verstuurd)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status=ReminderStatus.SENDING, claimed_at__lt=stale_before())
        return queryset


CLIENT_FIELDS = ["client_number", "url"]  # the url holds the case's reference


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The delivery ledger; "sending" rows past the claim timeout are e-mails whose process
    died, and are sent again by the next run.

    Without the client number and the link to the case: a system administrator sees no
    client data. Not deletable: the ledger's rows are what makes a reminder go out once.
    """

    list_display = [
        "source",
        "due_on",
        "recipient",
        "level",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
    ]
    list_filter = [StaleClaimFilter, "status", "source", "level"]
    exclude = CLIENT_FIELDS
    readonly_fields = [f.name for f in Reminder._meta.fields if f.name not in CLIENT_FIELDS]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
