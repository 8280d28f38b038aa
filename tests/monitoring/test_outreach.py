"""Outreach registration: log, list, edit and delete sessions with anonymous counts."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import OutreachCount, OutreachSession
from monitoring.services import outreach_session_create
from pmw.models import AccessLog, Municipality, Region

LIST = reverse("monitoring:outreach_list")
CREATE = reverse("monitoring:outreach_create")


def _form(**overrides):
    amsterdam = Municipality.objects.get(name="Amsterdam")
    data = {
        "held_on": "2026-03-02",
        "kind": "field_licensed",
        "region": amsterdam.region_id,
        "municipality": amsterdam.pk,
        "with_ggd": "on",
        "venues_visited": "4",
        "messages_sent": "0",
        "replies": "0",
        "people_spoken": "11",
        "count_gender_woman": "7",
        "count_gender_trans_woman": "2",
        "count_sector_window": "9",
        "count_language_cee": "5",
    }
    data.update(overrides)
    return data


def _session(user, **overrides):
    region = Region.objects.get(code="amsterdam")
    data = {
        "region": region,
        "municipality": None,
        "held_on": datetime.date(2026, 3, 1),
        "kind": "walk_in",
        "with_ggd": False,
        "venues_visited": 0,
        "messages_sent": 0,
        "replies": 0,
        "people_spoken": 5,
        "counts": {},
    }
    data.update(overrides)
    return outreach_session_create(by=user, **data)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)):
        yield


def test_worker_logs_a_session_with_counts_and_unknown_remainder(worker, as_user):
    response = as_user(worker).post(CREATE, _form())
    assert response.status_code == 302
    session = OutreachSession.objects.get()
    assert session.organisation == worker.organisation
    assert session.created_by == worker
    counts = {
        (c.dimension, c.category): c.count for c in OutreachCount.objects.filter(session=session)
    }
    assert counts == {
        ("gender", "woman"): 7,
        ("gender", "trans_woman"): 2,
        ("gender", "unknown"): 2,
        ("sector", "window"): 9,
        ("sector", "unknown"): 2,
        ("language", "cee"): 5,
        ("language", "unknown"): 6,
    }


def test_counts_above_people_spoken_are_refused_next_to_the_field(worker, as_user):
    response = as_user(worker).post(CREATE, _form(count_gender_woman="10"))
    assert response.status_code == 200
    assert "people_spoken" in response.context["form"].errors
    assert not OutreachSession.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_on": "2026-04-01"}, "held_on"),
        ({"region": "arnhem"}, "region"),
        ({"kind": "field_online", "messages_sent": "5", "replies": "6"}, "replies"),
        ({"messages_sent": "5"}, "messages_sent"),
    ],
)
def test_rules_are_checked(worker, as_user, overrides, field):
    if overrides.get("region") == "arnhem":
        overrides["region"] = Region.objects.get(code="arnhem").pk
        overrides["municipality"] = ""
    response = as_user(worker).post(CREATE, _form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not OutreachSession.objects.exists()


def test_municipality_must_be_in_the_region(worker, as_user):
    arnhem = Municipality.objects.get(name="Arnhem")
    worker.organisation.regions.add(arnhem.region)
    response = as_user(worker).post(CREATE, _form(municipality=arnhem.pk))
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors


def test_the_form_has_no_free_text_field(worker, as_user):
    form = as_user(worker).get(CREATE).context["form"]
    assert all(
        type(field).__name__
        in ("DateField", "ChoiceField", "ModelChoiceField", "BooleanField", "IntegerField")
        for field in form.fields.values()
    )


def test_list_shows_own_organisation_only(worker, colleague, outsider, as_user):
    _session(worker, people_spoken=17)
    _session(colleague, people_spoken=23)
    outsider.organisation.regions.add(Region.objects.get(code="amsterdam"))
    _session(outsider, people_spoken=99)
    response = as_user(worker).get(LIST)
    spoken = sorted(s.people_spoken for s in response.context["page"].object_list)
    assert spoken == [17, 23]


def test_list_is_paginated_and_queries_do_not_grow(worker, settings, as_user):
    settings.MONITORING_OUTREACH_PAGE_SIZE = 50
    http = as_user(worker)
    for _ in range(2):
        _session(worker)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert http.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(20):
        _session(worker, municipality=Municipality.objects.get(name="Amsterdam"))
    assert count() == few
    settings.MONITORING_OUTREACH_PAGE_SIZE = 10
    assert "Pagina 1 van 3" in http.get(LIST).content.decode()


def test_empty_list_says_what_to_do(worker, as_user):
    assert "Er is nog geen outreach vastgelegd" in as_user(worker).get(LIST).content.decode()


@pytest.mark.parametrize("who", ["municipal", "org_admin"])
def test_no_outreach_pages_without_casework(request, who, as_user):
    http = as_user(request.getfixturevalue(who))
    assert http.get(LIST).status_code == 404
    assert http.get(CREATE).status_code == 404


def test_creator_edits_and_the_counts_are_replaced(worker, as_user):
    session = _session(worker, counts={"gender": {"woman": 5}})
    url = reverse("monitoring:outreach_edit", args=[session.reference])
    http = as_user(worker)
    form = http.get(url).context["form"]
    assert form.initial["count_gender_woman"] == 5
    response = http.post(
        url,
        _form(
            people_spoken="3",
            count_gender_woman="1",
            count_gender_trans_woman="",
            count_sector_window="",
            count_language_cee="",
        ),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.people_spoken == 3
    assert {(c.dimension, c.category): c.count for c in session.counts.all()} == {
        ("gender", "woman"): 1,
        ("gender", "unknown"): 2,
        ("sector", "unknown"): 3,
        ("language", "unknown"): 3,
    }


def test_coordinator_may_edit_a_colleague_gets_403_outsider_404(
    worker, colleague, coordinator, outsider, municipal, as_user
):
    session = _session(worker)
    for name in ("monitoring:outreach_edit", "monitoring:outreach_delete"):
        url = reverse(name, args=[session.reference])
        assert as_user(coordinator).get(url).status_code == 200
        assert as_user(colleague).get(url).status_code == 403
        assert as_user(outsider).get(url).status_code == 404
        assert as_user(municipal).get(url).status_code == 404
        assert as_user(colleague).post(url, _form()).status_code == 403
    assert OutreachSession.objects.filter(pk=session.pk).exists()


def test_delete_asks_for_confirmation_then_deletes(worker, as_user):
    session = _session(worker)
    url = reverse("monitoring:outreach_delete", args=[session.reference])
    http = as_user(worker)
    page = http.get(url)
    assert "Weet u zeker" in page.content.decode()
    assert OutreachSession.objects.filter(pk=session.pk).exists()
    assert http.post(url).status_code == 302
    assert not OutreachSession.objects.filter(pk=session.pk).exists()
    assert not OutreachCount.objects.filter(session_id=session.pk).exists()
    assert AccessLog.objects.filter(record_type="outreach", action="delete").count() == 1


def test_each_access_is_logged_once_and_denials_too(worker, colleague, as_user):
    session = _session(worker)
    url = reverse("monitoring:outreach_edit", args=[session.reference])
    as_user(worker).get(url)
    as_user(colleague).get(url)
    as_user(worker).get(reverse("monitoring:outreach_edit", args=["bestaat-niet"]))
    actions = list(
        AccessLog.objects.filter(record_type="outreach")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["view", "denied", "denied"]
