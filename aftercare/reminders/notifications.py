"""The bell: a user's in-app notifications (made by ``delivery``), read and marked read."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from aftercare.models import Notification
from cases.selectors import cases_visible_to
from profiles.selectors import clients_visible_to


def _own_notifications(user) -> QuerySet[Notification]:
    """The user's notifications that the user can still open: not those about a case lost
    by a change of worker, a transfer or a share that ended, nor about a client the user has
    since been barred from (they carry the client number and a link that would answer 404)."""
    return Notification.objects.filter(recipient=user).filter(
        Q(case__isnull=True) | Q(case__in=cases_visible_to(user).values("pk")),
        Q(client_number="") | Q(client_number__in=clients_visible_to(user).values("number")),
    )


def notifications_for(user) -> QuerySet[Notification]:
    return _own_notifications(user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return _own_notifications(user).filter(read_at__isnull=True).count()


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
