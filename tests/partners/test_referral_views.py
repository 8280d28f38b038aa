import pytest
from django.urls import reverse

from partners.models import Referral, ReferralStatus
from pmw.models import AccessLog
from tests.factories import NeedFactory
from tests.partners.factories import (
    ConsentFactory,
    ContactPersonFactory,
    PartnerFactory,
    ReferralFactory,
)

S = ReferralStatus


@pytest.fixture
def referral(case):
    return ReferralFactory(need=NeedFactory(case=case))


def _url(name, referral):
    return reverse(f"partners:{name}", args=[referral.reference])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("coordinator", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("outsider_coordinator", 404),
        ("org_admin", 404),
        ("municipal", 404),
    ],
)
def test_detail_access(request, referral, who, status, as_user):
    response = as_user(request.getfixturevalue(who)).get(_url("referral", referral))
    assert response.status_code == status


def test_detail_is_logged_once(referral, worker, as_user):
    as_user(worker).get(_url("referral", referral))
    assert AccessLog.objects.filter(record_type="referral").count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("coordinator", 200), ("worker", 403), ("colleague", 404), ("outsider_coordinator", 404)],
)
def test_assign_page_is_for_coordinators(request, referral, who, status, as_user):
    response = as_user(request.getfixturevalue(who)).get(_url("assign", referral))
    assert response.status_code == status


def test_assign_with_another_partner(referral, coordinator, as_user):
    other = PartnerFactory(name="Werkplein Zuid")
    response = as_user(coordinator).post(_url("assign", referral), {"partner": other.pk})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.ASSIGNED and referral.partner == other


@pytest.mark.parametrize("name", ["move", "approve"])
def test_post_only_views(referral, coordinator, as_user, name):
    assert as_user(coordinator).get(_url(name, referral)).status_code == 405


def test_worker_cannot_approve_in_one_step(referral, worker, as_user):
    assert as_user(worker).post(_url("approve", referral)).status_code == 403
    referral.refresh_from_db()
    assert referral.status == S.REQUESTED


def test_request_from_the_case_page(case, worker, as_user):
    need = NeedFactory(case=case)
    partner = PartnerFactory()
    response = as_user(worker).post(
        reverse("partners:request_referral", args=[case.reference]),
        {"need": need.pk, "partner": partner.pk, "warm_handover": "on"},
    )
    referral = Referral.objects.get()
    assert response.url == _url("referral", referral)
    assert referral.warm_handover and referral.requested_by == worker


@pytest.mark.parametrize(("who", "status"), [("colleague", 404), ("municipal", 404)])
def test_request_access(request, case, who, status, as_user):
    url = reverse("partners:request_referral", args=[case.reference])
    assert as_user(request.getfixturevalue(who)).get(url).status_code == status


def test_send_without_consent_shows_why(referral, worker, as_user):
    referral.status = S.ASSIGNED
    referral.save()
    response = as_user(worker).post(_url("move", referral), {"to": "sent"}, follow=True)
    assert "geen geldige toestemming" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == S.ASSIGNED


def test_send_with_consent_then_partner_answers(referral, worker, as_user):
    referral.status = S.ASSIGNED
    referral.save()
    ConsentFactory(client=referral.case.client, partner=referral.partner)
    http = as_user(worker)
    http.post(_url("move", referral), {"to": "sent"})
    http.post(_url("move", referral), {"to": "waitlisted"})
    http.post(_url("decline", referral), {"reason": "Geen plek dit jaar."})
    referral.refresh_from_db()
    assert referral.status == S.DECLINED and referral.decline_reason == "Geen plek dit jaar."
    page = http.get(_url("referral", referral)).content.decode()
    assert "Geen plek dit jaar." in page


def test_worker_cannot_assign_through_the_move_view(referral, worker, as_user):
    response = as_user(worker).post(_url("move", referral), {"to": "assigned"}, follow=True)
    assert "Toewijzen doet een coördinator" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == S.REQUESTED


def test_illegal_move_is_refused_with_a_message(referral, worker, as_user):
    response = as_user(worker).post(_url("move", referral), {"to": "completed"}, follow=True)
    assert "kan niet naar" in response.content.decode()


def test_contact_options_follow_the_partner(worker, as_user):
    partner = PartnerFactory()
    ContactPersonFactory(partner=partner, name="Anouk Dekker")
    ContactPersonFactory(name="Iemand Anders")
    url = reverse("partners:contact_options")
    page = as_user(worker).get(url, {"partner": partner.pk}).content.decode()
    assert "Anouk Dekker" in page and "Iemand Anders" not in page
    assert "<option" in page and "<html" not in page
    assert "Anouk" not in as_user(worker).get(url, {"partner": "x"}).content.decode()


@pytest.mark.parametrize("who", ["municipal", "org_admin"])
def test_contact_options_only_for_casework(request, who, as_user):
    url = reverse("partners:contact_options")
    assert as_user(request.getfixturevalue(who)).get(url).status_code == 404


def test_request_form_offers_contacts_of_the_chosen_partner_only(case, worker, as_user):
    need = NeedFactory(case=case)
    partner = PartnerFactory()
    stranger = ContactPersonFactory()
    response = as_user(worker).post(
        reverse("partners:request_referral", args=[case.reference]),
        {"need": need.pk, "partner": partner.pk, "contact_person": stranger.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["contact_person"]
    assert not Referral.objects.exists()
