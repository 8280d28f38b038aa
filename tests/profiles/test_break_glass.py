"""A flagged client's shelter location: fixed worker and coordinator only, or break the glass."""

import datetime

from django.urls import reverse
from django.utils import timezone

from cases.services import case_share_grant
from pmw.models import AccessLog, Role
from profiles.models import AccessBlock
from tests.factories import UserFactory

SHELTER = "Opvanghuis De Linde, kamer 4"


def _flagged(case):
    client = case.client
    client.safety_flag = True
    client.shelter_location = SHELTER
    client.save()
    return client


def _edit_form(client, **fields):
    """The client's edit form as posted with the safety flag unticked."""
    unknown = ["gender", "licensing", "how_started", "profile", "living_situation"]
    return {"working_name": client.working_name, **dict.fromkeys(unknown, "unknown"), **fields}


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


def test_a_write_share_cannot_clear_the_safety_flag_to_see_the_shelter(case, colleague, as_user):
    client = _flagged(case)
    _share(case, colleague, can_write=True)
    http = as_user(colleague)
    url = reverse("profiles:edit", args=[client.number])
    assert "safety_flag" not in http.get(url).context["form"].fields
    # The whole form posted without the flag, as a browser does for an unticked box.
    response = http.post(url, _edit_form(client))
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.safety_flag and client.shelter_location == SHELTER
    page = http.get(reverse("profiles:detail", args=[client.number])).content.decode()
    assert SHELTER not in page and "Noodtoegang" in page


def test_the_fixed_worker_can_clear_the_safety_flag(case, worker, as_user):
    client = _flagged(case)
    response = as_user(worker).post(
        reverse("profiles:edit", args=[client.number]),
        _edit_form(client, shelter_location=SHELTER),
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert not client.safety_flag


def test_the_list_leaves_out_clients_the_coordinator_is_barred_from_and_is_logged(
    case, colleague, coordinator, as_user
):
    client = _flagged(case)
    _share(case, colleague)
    as_user(colleague).post(
        reverse("profiles:break_glass", args=[client.number]), {"reason": "Acute dreiging"}
    )
    other = UserFactory(organisation=coordinator.organisation, role=Role.COORDINATOR)
    AccessBlock.objects.create(client=client, user=coordinator, reason="kent", created_by=other)
    listing = as_user(coordinator).get(reverse("profiles:break_glass_list")).content.decode()
    assert "Acute dreiging" not in listing and client.number not in listing
    assert (
        "Acute dreiging"
        in as_user(other).get(reverse("profiles:break_glass_list")).content.decode()
    )
    views = AccessLog.objects.filter(record_type="break_glass_list")
    assert sorted(views.values_list("username", flat=True)) == sorted(
        [coordinator.username, other.username]
    )


def test_without_safety_flag_no_glass_to_break(case, colleague, as_user):
    client = case.client
    client.shelter_location = "Eigen woning"
    client.save()
    _share(case, colleague)
    page = as_user(colleague).get(reverse("profiles:detail", args=[client.number])).content
    assert "Eigen woning" in page.decode()
