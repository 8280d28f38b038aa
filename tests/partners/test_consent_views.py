import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Consent
from tests.partners.factories import ConsentFactory, PartnerFactory

TODAY = timezone.localdate


def _add_url(case):
    return reverse("partners:add_consent", args=[case.reference])


def test_record_consent(case, worker, as_user):
    partner = PartnerFactory(name="Schuldhulp Amsterdam")
    response = as_user(worker).post(
        _add_url(case),
        {
            "partner": partner.pk,
            "purpose": "Aanmelding schuldhulp",
            "scope": "Werknaam, telefoon, overzicht schulden",
            "given_on": TODAY().isoformat(),
            "expires_on": (TODAY() + datetime.timedelta(days=180)).isoformat(),
        },
    )
    assert response.url == reverse("cases:detail", args=[case.reference])
    consent = Consent.objects.get()
    assert consent.client == case.client and consent.recorded_by == worker
    page = as_user(worker).get(response.url).content.decode()
    assert "Schuldhulp Amsterdam" in page and "geldig tot en met" in page


def test_expiry_before_given_is_shown_next_to_the_field(case, worker, as_user):
    response = as_user(worker).post(
        _add_url(case),
        {
            "partner": PartnerFactory().pk,
            "purpose": "x",
            "scope": "y",
            "given_on": TODAY().isoformat(),
            "expires_on": (TODAY() - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert "vóór de datum van toestemming" in " ".join(
        response.context["form"].errors["expires_on"]
    )
    assert not Consent.objects.exists()


def test_withdraw(case, worker, as_user):
    consent = ConsentFactory(client=case.client)
    url = reverse("partners:withdraw_consent", args=[case.reference, consent.pk])
    assert as_user(worker).get(url).status_code == 405
    as_user(worker).post(url)
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY()


def test_withdraw_consent_of_another_client_is_404(case, worker, as_user):
    other = ConsentFactory()
    url = reverse("partners:withdraw_consent", args=[case.reference, other.pk])
    assert as_user(worker).post(url).status_code == 404
    other.refresh_from_db()
    assert other.withdrawn_on is None


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
    assert as_user(request.getfixturevalue(who)).get(_add_url(case)).status_code == status
