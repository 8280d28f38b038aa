import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftercare.models import Notification
from aftercare.reminders.delivery import reminders_run
from cases.models import Case
from cases.services import case_reassign
from tests.factories import AftercarePlanFactory

LIST = reverse("aftercare:notifications")
BADGE = reverse("aftercare:notification_badge")


def _notify(user, count=1):
    for _ in range(count):
        plan = AftercarePlanFactory(case__worker=user)
        Notification.objects.create(
            recipient=user,
            source="check_in",
            client_number=plan.case.client.number,
            case=plan.case,
            due_on=timezone.localdate(),
            url=reverse("aftercare:plan", args=[plan.case.reference]),
        )


def test_bell_counts_unread(worker, colleague, as_user):
    _notify(worker, 2)
    _notify(colleague)
    http = as_user(worker)
    assert "2" in http.get(BADGE).content.decode()
    page = http.get(reverse("cases:list")).content.decode()
    assert f'hx-get="{BADGE}"' in page


def test_open_marks_read_and_goes_to_the_page(worker, as_user):
    _notify(worker)
    note = Notification.objects.get()
    http = as_user(worker)
    response = http.post(reverse("aftercare:notification_open", args=[note.pk]))
    assert response.url == note.url
    note.refresh_from_db()
    assert note.read_at is not None
    assert http.get(BADGE).content.decode().strip() == ""


def test_mark_read_stays_on_the_list_and_read_all(worker, as_user):
    _notify(worker, 3)
    http = as_user(worker)
    first = Notification.objects.first()
    response = http.post(reverse("aftercare:notification_open", args=[first.pk]), {"stay": "1"})
    assert response.url == LIST
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    http.post(reverse("aftercare:notifications_read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_list_shows_own_notifications_and_the_heartbeat(worker, colleague, as_user):
    _notify(colleague)
    http = as_user(worker)
    page = http.get(LIST).content.decode()
    assert "Geen meldingen" in page and "nog nooit gecontroleerd" in page
    _notify(worker)
    reminders_run()
    page = http.get(LIST).content.decode()
    assert Notification.objects.filter(recipient=worker).get().client_number in page
    assert "Contactmoment nazorg" in page and "laatst gecontroleerd" in page


def test_list_query_count_does_not_grow(worker, as_user):
    http = as_user(worker)
    _notify(worker, 2)
    with CaptureQueriesContext(connection) as few:
        http.get(LIST)
    _notify(worker, 20)
    with CaptureQueriesContext(connection) as many:
        http.get(LIST)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_someone_elses_notification_is_404(worker, colleague, as_user):
    _notify(colleague)
    note = Notification.objects.get()
    response = as_user(worker).post(reverse("aftercare:notification_open", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.parametrize(
    "url",
    [reverse("aftercare:notification_open", args=[1]), reverse("aftercare:notifications_read_all")],
)
def test_get_on_post_only_is_405(worker, as_user, url):
    assert as_user(worker).get(url).status_code == 405


@pytest.mark.parametrize(
    ("who", "status"), [("worker", 200), ("org_admin", 404), ("municipal", 404)]
)
def test_access(request, who, status, as_user):
    http = as_user(request.getfixturevalue(who))
    assert http.get(LIST).status_code == status
    assert http.get(BADGE).status_code == status


def test_notifications_of_a_case_lost_by_a_change_of_worker_are_hidden(
    worker, colleague, coordinator, as_user
):
    _notify(worker, 2)
    lost, kept = Notification.objects.order_by("id")
    case = Case.objects.get(client__number=lost.client_number)
    case_reassign(case=case, to_worker=colleague, by=coordinator, reason="Verlof")
    http = as_user(worker)
    page = http.get(LIST).content.decode()
    assert lost.client_number not in page and kept.client_number in page
    assert ">1<" in http.get(BADGE).content.decode()
    assert http.post(reverse("aftercare:notification_open", args=[lost.pk])).status_code == 404
