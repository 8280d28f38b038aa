"""GDPR: export everything about a client; erase identifying data, keep the statistics."""

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aftercare.models import CheckIn
from cases.models import AssessmentKind, Case, ContactMoment, MatrixVersion
from cases.services import assessment_record, case_close, retention_enforce
from cases.tasks import enforce_retention
from profiles.models import AccessBlock, Client
from profiles.services import client_anonymise
from tests.factories import (
    AftercarePlanFactory,
    ClientFactory,
    ContactMomentFactory,
    NeedFactory,
)
from tests.partners.factories import ConsentFactory, ReferralFactory


def test_export_json_and_page_hold_everything(case, coordinator, as_user):
    client = case.client
    client.legal_name = "Officiële Naam"
    client.shelter_location = "Opvang X"
    client.save()
    ContactMomentFactory(case=case, note="Verslag voor de inzage")
    http = as_user(coordinator)
    data = json.loads(http.get(reverse("profiles:export_json", args=[client.number])).content)
    assert data["client"]["legal_name"] == "Officiële Naam"
    assert data["client"]["shelter_location"] == "Opvang X"
    notes = [m["note"] for m in data["cases"][0]["contact_moments"]]
    assert "Verslag voor de inzage" in notes
    assert any(entry["action"] == "export" for entry in data["access_log"])
    page = http.get(reverse("profiles:export", args=[client.number])).content.decode()
    assert "Verslag voor de inzage" in page and "Officiële Naam" in page


def test_export_holds_the_network_and_aftercare_too(coordinator, worker, as_user):
    plan = AftercarePlanFactory(case__worker=worker)
    case = plan.case
    CheckIn.objects.create(
        plan=plan,
        on=timezone.localdate(),
        kind="phone",
        result="good",
        note="Belronde nazorg",
        by=worker,
    )
    need = NeedFactory(case=case)
    ReferralFactory(need=need, note="Graag snel contact")
    ConsentFactory(client=case.client, purpose="Aanmelding schuldhulp")
    http = as_user(coordinator)
    data = json.loads(http.get(reverse("profiles:export_json", args=[case.client.number])).content)
    assert data["network"]["referrals"][0]["note"] == "Graag snel contact"
    assert data["network"]["referrals"][0]["events"]
    assert data["network"]["consents"][0]["purpose"] == "Aanmelding schuldhulp"
    assert data["aftercare"]["plans"][0]["check_ins"][0]["note"] == "Belronde nazorg"
    page = http.get(reverse("profiles:export", args=[case.client.number])).content.decode()
    assert "Graag snel contact" in page and "Belronde nazorg" in page


def test_anonymise_keeps_rows_and_codes_but_no_identity(case, worker, coordinator, as_user):
    ContactMomentFactory(case=case, note="Zeer persoonlijk verslag")
    client = case.client
    client.legal_name = "Echte Naam"
    client.phone = "0612345678"
    client.save()
    http = as_user(coordinator)
    url = reverse("profiles:anonymise", args=[client.number])
    response = http.post(url, {"confirm": client.number})
    assert "lopende trajecten" in response.content.decode()  # an open case: refused
    case_close(case=case, by=worker, outcome="fully_stopped", closed_on=timezone.localdate())
    assert http.post(url, {"confirm": "verkeerd"}).status_code == 200
    assert Client.objects.get(pk=client.pk).anonymised_at is None
    assert http.post(url, {"confirm": client.number}).status_code == 302
    client.refresh_from_db()
    assert client.anonymised_at and client.legal_name == "" and client.phone == ""
    assert client.working_name == "—" and client.birth_year == 1990  # the year stays for ages
    case.refresh_from_db()
    assert (case.phase, case.outcome, case.contact_route) == ("contact", "fully_stopped", "self")
    moment = ContactMoment.objects.get(case=case)
    assert moment.note == "" and moment.duration_minutes == 30


def test_anonymise_is_refused_while_a_case_is_open(case):
    with pytest.raises(ValidationError):
        client_anonymise(client=case.client)


@pytest.fixture
def closed_case(case, worker, settings):
    settings.RETENTION_DAYS = {"contact_note": 30, "case_text": 60, "client_identity": 90}
    ContactMomentFactory(case=case, note="Oud verslag")
    case_close(
        case=case,
        by=worker,
        outcome="combination",
        closed_on=timezone.localdate(),
        note="Afsluitende toelichting",
    )
    return case


def test_retention_per_record_type_counted_from_closure(closed_case):
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(days=30)):
        assert retention_enforce() == {"contact_note": 0, "case_text": 0, "client_identity": 0}
    with time_machine.travel(start + datetime.timedelta(days=31)):
        assert retention_enforce()["contact_note"] == 1
    assert ContactMoment.objects.get(case=closed_case).note == ""
    assert Case.objects.get(pk=closed_case.pk).closing_note == "Afsluitende toelichting"
    with time_machine.travel(start + datetime.timedelta(days=61)):
        assert retention_enforce()["case_text"] >= 1
    assert Case.objects.get(pk=closed_case.pk).closing_note == ""
    assert Client.objects.get(pk=closed_case.client_id).anonymised_at is None
    with time_machine.travel(start + datetime.timedelta(days=91)):
        enforce_retention()  # the Celery task, run in-process
    assert Client.objects.get(pk=closed_case.client_id).anonymised_at is not None


def test_open_cases_are_never_touched(case, settings):
    settings.RETENTION_DAYS = {"contact_note": 1, "case_text": 1, "client_identity": 1}
    ContactMomentFactory(case=case, note="Lopend verslag")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3650)):
        retention_enforce()
    assert ContactMoment.objects.get(case=case).note == "Lopend verslag"


def test_the_task_is_scheduled(settings):
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "cases.tasks.enforce_retention" in tasks


def test_anonymise_reaches_referrals_and_aftercare(worker, coordinator):
    from aftercare.models import AftercarePlan
    from partners.models import Referral
    from tests.factories import AftercarePlanFactory, NeedFactory
    from tests.partners.factories import ReferralFactory

    plan = AftercarePlanFactory(case__worker=worker, intensity_reason="Kent haar ex nog")
    case = plan.case
    referral = ReferralFactory(need=NeedFactory(case=case), note="Verwijsnotitie met naam")
    case_close(case=case, by=worker, outcome="fully_stopped", closed_on=timezone.localdate())
    client_anonymise(client=case.client, by=coordinator)
    assert Referral.objects.get(pk=referral.pk).note == ""
    assert AftercarePlan.objects.get(pk=plan.pk).intensity_reason == ""


def _assessment(case, worker, kind, note):
    version = MatrixVersion.objects.get(is_current=True)
    return assessment_record(
        case=case,
        kind=kind,
        assessed_on=timezone.localdate(),
        scores={},
        version=version,
        note=note,
        by=worker,
    )


def test_anonymise_blanks_assessment_notes_consent_texts_and_block_reasons(
    case, worker, coordinator, colleague
):
    assessment = _assessment(case, worker, AssessmentKind.INTAKE, "Woont bij haar zus in Zwolle")
    consent = ConsentFactory(
        client=case.client, purpose="Schuldhulp via zus", scope="Naam, adres zus"
    )
    block = AccessBlock.objects.create(
        client=case.client, user=colleague, reason="Is haar buurvrouw", created_by=coordinator
    )
    case_close(case=case, by=worker, outcome="fully_stopped", closed_on=timezone.localdate())
    client_anonymise(client=case.client, by=coordinator)
    assessment.refresh_from_db()
    consent.refresh_from_db()
    block.refresh_from_db()
    assert assessment.note == "" and assessment.kind == AssessmentKind.INTAKE
    assert (consent.purpose, consent.scope) == ("", "") and consent.partner_id
    assert block.reason == "" and block.user == colleague  # the block still works


def test_retention_blanks_assessment_notes_with_the_case_texts(closed_case, worker):
    assessment = _assessment(
        closed_case, worker, AssessmentKind.EXIT, "Gaat terug naar haar ouders"
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=61)):
        retention_enforce()
    assessment.refresh_from_db()
    assert assessment.note == ""


def test_a_client_who_never_had_a_case_is_anonymised_after_the_identity_period(worker, settings):
    settings.RETENTION_DAYS = {"contact_note": 30, "case_text": 60, "client_identity": 90}
    registered = ClientFactory(created_by=worker, phone="0612345678")
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(days=89)):
        assert retention_enforce()["client_identity"] == 0
    with time_machine.travel(start + datetime.timedelta(days=92)):
        assert retention_enforce()["client_identity"] == 1
    registered.refresh_from_db()
    assert registered.anonymised_at and registered.phone == ""
