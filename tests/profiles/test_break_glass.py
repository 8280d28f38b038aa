"""A flagged client's shelter location: fixed worker and coordinator only, or break the glass."""

import datetime

from django.urls import reverse
from django.utils import timezone

from cases.services import case_share_grant
from pmw.models import AccessLog

SHELTER = "Opvanghuis De Linde, kamer 4"


def _flagged(case):
    client = case.client
    client.safety_flag = True
    client.shelter_location = SHELTER
    client.save()
    return client


def _share(case, colleague, can_write=False):
    case_share_grant(
        case=case,
        user=colleague,
        expires_on=timezone.localdate() + datetime.timedelta(days=3),
        can_write=can_write,
        by=case.worker,
    )


def test_fixed_worker_and_coordinator_see_the_shelter(case, worker, coordinator, as_user):
    client = _flagged(case)
    for user in (worker, coordinator):
        page = as_user(user).get(reverse("profiles:detail", args=[client.number])).content
        assert SHELTER in page.decode()


def test_others_must_break_the_glass_with_a_reason(case, colleague, coordinator, as_user):
    client = _flagged(case)
    _share(case, colleague)
    http = as_user(colleague)
    page = http.get(reverse("profiles:detail", args=[client.number])).content.decode()
    assert SHELTER not in page and "Noodtoegang" in page
    response = http.post(reverse("profiles:break_glass", args=[client.number]), {"reason": ""})
    assert SHELTER not in response.content.decode()
    assert response.context["break_glass_form"].errors["reason"]
    response = http.post(
        reverse("profiles:break_glass", args=[client.number]),
        {"reason": "Politie belt: acute dreiging"},
    )
    assert SHELTER in response.content.decode()
    entry = AccessLog.objects.get(action="break_glass")
    assert (entry.username, entry.client_number, entry.detail) == (
        "colleague",
        client.number,
        "Politie belt: acute dreiging",
    )
    # Shown to the coordinator; the next visit asks again.
    listing = as_user(coordinator).get(reverse("profiles:break_glass_list")).content.decode()
    assert "Politie belt: acute dreiging" in listing and "colleague" in listing
    assert (
        SHELTER not in http.get(reverse("profiles:detail", args=[client.number])).content.decode()
    )


def test_a_write_share_cannot_read_or_overwrite_the_shelter_via_the_edit_form(
    case, colleague, as_user
):
    client = _flagged(case)
    _share(case, colleague, can_write=True)
    page = as_user(colleague).get(reverse("profiles:edit", args=[client.number]))
    assert "shelter_location" not in page.context["form"].fields
    assert SHELTER not in page.content.decode()


def test_without_safety_flag_no_glass_to_break(case, colleague, as_user):
    client = case.client
    client.shelter_location = "Eigen woning"
    client.save()
    _share(case, colleague)
    page = as_user(colleague).get(reverse("profiles:detail", args=[client.number])).content
    assert "Eigen woning" in page.decode()
