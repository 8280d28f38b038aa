import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Phase, PhaseChange


def _url(case):
    return reverse("cases:change_phase", args=[case.reference])


def test_forward_and_back_are_recorded_with_who_and_note(case, worker, as_user):
    http = as_user(worker)
    http.post(_url(case), {"to": "execution", "note": "Wil aan de slag."})
    http.post(_url(case), {"to": "orientation", "note": "Twijfelt weer."})
    changes = list(case.phase_changes.all())
    assert [(c.from_phase, c.to_phase) for c in changes] == [
        ("", "contact"),
        ("contact", "execution"),
        ("execution", "orientation"),
    ]
    assert changes[-1].by == worker and changes[-1].note == "Twijfelt weer."
    assert changes[-1].is_backward and not changes[1].is_backward
    case.refresh_from_db()
    assert case.phase == Phase.ORIENTATION


def test_same_phase_is_refused(case, worker, as_user):
    response = as_user(worker).post(_url(case), {"to": "contact"})
    assert "al in deze fase" in " ".join(response.context["form"].errors["to"])
    assert PhaseChange.objects.filter(case=case).count() == 1


def test_unknown_phase_and_too_long_note_are_refused(case, worker, as_user):
    http = as_user(worker)
    assert http.post(_url(case), {"to": "done"}).context["form"].errors["to"]
    response = http.post(_url(case), {"to": "orientation", "note": "x" * 2001})
    assert response.context["form"].errors["note"]
    assert PhaseChange.objects.filter(case=case).count() == 1


def test_closed_case_keeps_its_phase(case, worker, as_user):
    case.closed_on, case.outcome = timezone.localdate(), "other"
    case.save()
    as_user(worker).post(_url(case), {"to": "execution"})
    case.refresh_from_db()
    assert case.phase == Phase.CONTACT


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("coordinator", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("outsider_coordinator", 404),
        ("municipal", 404),
    ],
)
def test_access(request, case, who, status, as_user):
    assert as_user(request.getfixturevalue(who)).get(_url(case)).status_code == status
