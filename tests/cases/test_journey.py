"""The journey of issue 2: a worker registers a client and walks a case to aftercare."""

import datetime

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Case, Phase
from profiles.models import Client
from tests.factories import PASSWORD


def test_worker_journey_from_first_contact_to_aftercare(worker):
    http = HttpClient()
    response = http.post(reverse("login"), {"username": "worker", "password": PASSWORD})
    assert response.status_code == 302
    # First login: the second factor is enrolled before anything else opens.
    response = http.get(reverse("profiles:register"))
    assert response.url.startswith(reverse("otp_setup"))
    assert http.get(response.url).status_code == 200
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    response = http.post(reverse("otp_setup"), {"token": TOTP(device.bin_key).token()})
    assert response.status_code == 200 and "back-upcodes" in response.content.decode()

    response = http.post(
        reverse("profiles:register"),
        {
            "working_name": "Roxy",
            "gender": "woman",
            "licensing": "licensed",
            "how_started": "financial",
            "profile": "multiple_needs",
            "living_situation": "own_home",
            "sectors": ["window"],
            "talents": ["negotiating"],
            "safe_channels": "WhatsApp",
        },
    )
    client = Client.objects.get(working_name="Roxy")
    assert response.url == reverse("cases:open", args=[client.number])

    opened_on = timezone.localdate() - datetime.timedelta(days=10)
    response = http.post(
        reverse("cases:open", args=[client.number]),
        {
            "worker": worker.pk,
            "contact_route": "ggd",
            "opened_on": opened_on.isoformat(),
            "stop_reasons": ["debts", "pregnancy"],
        },
    )
    case = Case.objects.get(client=client)
    assert response.url == reverse("cases:detail", args=[case.reference])

    for days_ago, note in [(9, "Eerste gesprek over inkomen."), (2, "Samen naar het Werkplein.")]:
        at = timezone.localtime() - datetime.timedelta(days=days_ago)
        response = http.post(
            reverse("cases:log_contact", args=[case.reference]),
            {
                "at": at.strftime("%Y-%m-%dT%H:%M"),
                "kind": "face_to_face",
                "duration_minutes": 45,
                "note": note,
            },
        )
        assert response.status_code == 302

    path = [Phase.ORIENTATION, Phase.EXECUTION, Phase.ORIENTATION, Phase.EXECUTION]
    for to in path:
        response = http.post(
            reverse("cases:change_phase", args=[case.reference]), {"to": to, "note": f"Naar {to}"}
        )
        assert response.status_code == 302

    # The generic form no longer offers aftercare: the case page leads to the aftercare form.
    response = http.post(
        reverse("cases:change_phase", args=[case.reference]), {"to": Phase.AFTERCARE}
    )
    assert response.status_code == 200 and response.context["form"].errors["to"]
    page = http.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert reverse("aftercare:start", args=[case.reference]) in page
    response = http.post(
        reverse("aftercare:start", args=[case.reference]),
        {
            "intensity": "active",  # suggested for multiple needs: no reason needed
            "responsible": worker.pk,
            "starts_on": timezone.localdate().isoformat(),
            "note": "Naar aftercare",
        },
    )
    assert response.url == reverse("aftercare:plan", args=[case.reference])
    path.append(Phase.AFTERCARE)
    assert case.aftercare_plan.check_in_interval_days == 30

    page = http.get(reverse("cases:timeline", args=[case.reference])).content.decode()
    assert "Eerste gesprek over inkomen." in page
    assert "Samen naar het Werkplein." in page
    assert page.count("Van Uitvoeringsfase naar Oriëntatiefase") == 1
    assert page.count("Van Oriëntatiefase naar Uitvoeringsfase") == 2
    assert "Van Uitvoeringsfase naar Nazorgfase" in page
    assert 'aria-current="step">Nazorgfase' in page
    case.refresh_from_db()
    assert case.phase == Phase.AFTERCARE
    assert [c.to_phase for c in case.phase_changes.all()] == [Phase.CONTACT, *path]
    assert [c.is_backward for c in case.phase_changes.all()] == [
        False,
        False,
        False,
        True,
        False,
        False,
    ]
    assert sorted(case.stop_reasons.values_list("reason", flat=True)) == ["debts", "pregnancy"]
