import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import ContactMoment, LifeDomain


def _url(case):
    return reverse("cases:log_contact", args=[case.reference])


def _at(delta):
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


def test_logs_contact_with_domains_and_moves_last_contact(case, worker, as_user):
    housing = LifeDomain.objects.get(code="housing")
    response = as_user(worker).post(
        _url(case),
        {
            "at": _at(-datetime.timedelta(hours=2)),
            "kind": "home_visit",
            "duration_minutes": 60,
            "note": "Woning bekeken.",
            "domains": [housing.pk],
        },
    )
    assert response.status_code == 302
    moment = ContactMoment.objects.get(case=case)
    assert list(moment.domains.all()) == [housing]
    assert moment.worker == worker
    case.refresh_from_db()
    assert case.last_contact_at == moment.at


def test_an_older_contact_does_not_move_last_contact_back(case, worker, as_user):
    http = as_user(worker)
    for delta in (-datetime.timedelta(hours=1), -datetime.timedelta(days=3)):
        http.post(_url(case), {"at": _at(delta), "kind": "phone", "duration_minutes": 10})
    case.refresh_from_db()
    assert case.last_contact_at == ContactMoment.objects.order_by("-at").first().at


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"at": ""}, "at", "verplicht"),
        ({"at": "gisteren"}, "at", "geldige datum"),
        ({"at": "LONG_AGO"}, "at", "vóór de start van het traject"),
        ({"at": "TOMORROW"}, "at", "toekomst"),
        ({"duration_minutes": "0"}, "duration_minutes", "minstens 1"),
        ({"duration_minutes": "9999"}, "duration_minutes", "hoogstens 720"),
        ({"kind": "telepathy"}, "kind", "geldige keuze"),
        ({"note": "x" * 5001}, "note", "niet meer dan 5000 tekens"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(case, worker, as_user, fields, field, message):
    values = {
        "at": _at(-datetime.timedelta(hours=1)),
        "kind": "phone",
        "duration_minutes": "30",
        "note": "Mijn verslag blijft staan.",
    }
    values.update(fields)
    if values["at"] == "LONG_AGO":
        values["at"] = (case.opened_on - datetime.timedelta(days=1)).strftime("%Y-%m-%dT10:00")
    if values["at"] == "TOMORROW":
        values["at"] = _at(datetime.timedelta(days=1))
    response = as_user(worker).post(_url(case), values)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ContactMoment.objects.exists()
    if field != "note":
        assert "Mijn verslag blijft staan." in response.content.decode()


def test_closed_case_takes_no_contact(case, worker, as_user):
    case.closed_on, case.outcome = timezone.localdate(), "fully_stopped"
    case.save()
    response = as_user(worker).post(
        _url(case),
        {"at": _at(-datetime.timedelta(hours=1)), "kind": "phone", "duration_minutes": 5},
    )
    assert "afgesloten" in response.content.decode()
    assert not ContactMoment.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("coordinator", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("municipal", 404),
        ("org_admin", 404),
    ],
)
def test_access(request, case, who, status, as_user):
    assert as_user(request.getfixturevalue(who)).get(_url(case)).status_code == status
