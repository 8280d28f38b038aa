"""Technical logs carry no client data: a whole journey at DEBUG, then look for canaries."""

import datetime
import logging

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Case, CaseShare
from profiles.models import Client
from tests.factories import PASSWORD

WORKING_NAME = "Kanariewerknaam"
LEGAL_NAME = "Kanarie Officieel"
NOTE = "Kanarie-verslag over de opvang"
SHELTER = "Kanarie-opvangadres 12"


def test_journey_leaves_no_client_data_in_log_records(worker, colleague, caplog, as_user):
    caplog.set_level(logging.DEBUG)  # the root logger: every logger propagates here
    device = TOTPDevice.objects.create(user=worker, name="app", confirmed=True)
    http = HttpClient()
    http.post(reverse("login"), {"username": "worker", "password": PASSWORD})
    http.post(reverse("otp_verify"), {"token": f"{TOTP(device.bin_key).token():06d}"})
    http.post(
        reverse("profiles:register"),
        {
            "working_name": WORKING_NAME,
            "legal_name": LEGAL_NAME,
            "shelter_location": SHELTER,
            "safety_flag": "on",
            "gender": "woman",
            "licensing": "licensed",
            "how_started": "financial",
            "profile": "exploitation",
            "living_situation": "shelter",
        },
    )
    client = Client.objects.get(working_name=WORKING_NAME)
    http.post(
        reverse("cases:open", args=[client.number]),
        {"worker": worker.pk, "contact_route": "ggd", "opened_on": timezone.localdate()},
    )
    case = Case.objects.get(client=client)
    http.post(
        reverse("cases:log_contact", args=[case.reference]),
        {
            "at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "kind": "phone",
            "duration_minutes": 20,
            "note": NOTE,
        },
    )
    http.post(reverse("cases:list"), {"q": WORKING_NAME}, follow=True)
    http.get(reverse("cases:detail", args=[case.reference]))
    http.get(reverse("profiles:detail", args=[client.number]))
    # Failures are where logs get chatty: a denied colleague, a bad form, a 404.
    other = HttpClient()
    other.post(reverse("login"), {"username": "colleague", "password": "wrong-" + WORKING_NAME})
    http.post(reverse("cases:log_contact", args=[case.reference]), {"note": NOTE})
    http.get(reverse("cases:detail", args=["does-not-exist"]))
    # A colleague without access: 404s on the client's and the case's own addresses.
    outsider = as_user(colleague)
    for url in (
        reverse("profiles:detail", args=[client.number]),
        reverse("cases:detail", args=[case.reference]),
    ):
        assert outsider.get(url).status_code == 404
    # A read-only share: may look, not change (403 on the client's own address).
    CaseShare.objects.create(
        case=case,
        user=colleague,
        can_write=False,
        expires_on=timezone.localdate() + datetime.timedelta(days=7),
        created_by=worker,
    )
    assert outsider.post(reverse("profiles:edit", args=[client.number])).status_code == 403
    # A form posted without its CSRF token (an old tab, a forged post).
    strict = as_user(worker)
    strict.handler.enforce_csrf_checks = True
    response = strict.post(reverse("cases:log_contact", args=[case.reference]), {"note": NOTE})
    assert response.status_code == 403
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "Permission denied" in logged and "CSRF" in logged  # both failures were logged
    assert caplog.records, (
        "the journey should have logged something (else this test proves nothing)"
    )
    for record in caplog.records:
        text = record.getMessage() + " " + " ".join(str(a) for a in (record.args or ()))
        for canary in (WORKING_NAME, LEGAL_NAME, NOTE, SHELTER, client.number, case.reference):
            assert canary not in text, f"{record.name} logged client data: {canary}"
