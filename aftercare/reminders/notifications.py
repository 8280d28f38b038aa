"""The bell: a user's in-app notifications (made by ``delivery``), read and marked read."""

from django.db.models import QuerySet
from django.utils import timezone

from aftercare.models import Notification
from profiles.models import AccessBlock


def _own_notifications(user) -> QuerySet[Notification]:
    """The user's notifications, without those about a client the user has since been
    barred from (they carry the client number and a link)."""
    barred = AccessBlock.objects.filter(user=user).values("client__number")
    return Notification.objects.filter(recipient=user).exclude(client_number__in=barred)


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
