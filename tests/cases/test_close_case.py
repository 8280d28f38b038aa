import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Outcome, Phase


def _url(case):
    return reverse("cases:close", args=[case.reference])


def test_close_records_outcome(case, worker, as_user):
    response = as_user(worker).post(
        _url(case),
        {
            "outcome": "combination",
            "closed_on": timezone.localdate().isoformat(),
            "note": "Werkt nu drie dagen in de zorg.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.outcome == Outcome.COMBINATION and case.closed_on == timezone.localdate()
    assert case.dropout_phase == ""
    page = as_user(worker).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Werkt nu drie dagen in de zorg." in page
    assert "Contactmoment vastleggen" not in page


def test_drop_out_remembers_the_phase(case, worker, as_user):
    case.phase = Phase.EXECUTION
    case.save()
    as_user(worker).post(
        _url(case), {"outcome": "dropped_out", "closed_on": timezone.localdate().isoformat()}
    )
    case.refresh_from_db()
    assert case.dropout_phase == Phase.EXECUTION


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"outcome": ""}, "outcome", "verplicht"),
        ({"closed_on": "BEFORE"}, "closed_on", "vóór de start"),
        ({"closed_on": "FUTURE"}, "closed_on", "toekomst"),
    ],
)
def test_bad_input(case, worker, as_user, fields, field, message):
    values = {"outcome": "other", "closed_on": timezone.localdate().isoformat()}
    values.update(fields)
    if values["closed_on"] == "BEFORE":
        values["closed_on"] = (case.opened_on - datetime.timedelta(days=1)).isoformat()
    if values["closed_on"] == "FUTURE":
        values["closed_on"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = as_user(worker).post(_url(case), values)
    assert message in " ".join(response.context["form"].errors[field])
    case.refresh_from_db()
    assert case.closed_on is None and case.outcome == ""


def test_closing_twice_is_refused(case, worker, as_user):
    http = as_user(worker)
    http.post(_url(case), {"outcome": "other", "closed_on": timezone.localdate().isoformat()})
    response = http.post(
        _url(case), {"outcome": "fully_stopped", "closed_on": timezone.localdate().isoformat()}
    )
    assert "afgesloten" in response.content.decode()
    case.refresh_from_db()
    assert case.outcome == "other"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("coordinator", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("municipal", 404),
    ],
)
def test_access(request, case, who, status, as_user):
    assert as_user(request.getfixturevalue(who)).get(_url(case)).status_code == status
