import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import LifeDomain
from partners.models import Partner
from pmw.models import Region
from tests.partners.factories import ContactPersonFactory, PartnerFactory

URL = reverse("partners:directory")


def test_filter_by_region_domain_and_search(worker, as_user):
    arnhem = Region.objects.get(code="arnhem")
    debt = LifeDomain.objects.get(code="debt")
    PartnerFactory(name="Woonstichting Noord")
    PartnerFactory(name="Schuldhulp Oost", regions=[arnhem], domains=[debt])
    ContactPersonFactory(partner=PartnerFactory(name="Werkplein"), name="Anouk Dekker")
    http = as_user(worker)
    page = http.get(URL, {"region": arnhem.pk}).content.decode()
    assert "Schuldhulp Oost" in page and "Woonstichting Noord" not in page
    page = http.get(URL, {"domain": debt.pk}).content.decode()
    assert "Schuldhulp Oost" in page and "Werkplein" not in page
    page = http.get(URL, {"q": "anouk"}).content.decode()
    assert "Werkplein" in page and "Schuldhulp Oost" not in page
    assert "Geen partners gevonden" in http.get(URL, {"q": "niemand"}).content.decode()


def test_paginated_with_constant_queries(worker, settings, as_user):
    settings.PARTNER_PAGE_SIZE = 10
    http = as_user(worker)
    for _ in range(3):
        PartnerFactory()
    with CaptureQueriesContext(connection) as few:
        http.get(URL)
    for _ in range(20):
        ContactPersonFactory(partner=PartnerFactory())
    with CaptureQueriesContext(connection) as many:
        response = http.get(URL)
    assert len(few.captured_queries) == len(many.captured_queries)
    assert "Pagina 1 van 3" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("worker", 200), ("coordinator", 200), ("org_admin", 404), ("municipal", 404)],
)
def test_directory_access(request, who, status, as_user):
    assert as_user(request.getfixturevalue(who)).get(URL).status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("coordinator", 200), ("worker", 403), ("municipal", 404)]
)
def test_only_coordinators_edit(request, who, status, as_user):
    http = as_user(request.getfixturevalue(who))
    partner = PartnerFactory()
    assert http.get(reverse("partners:edit", args=[partner.pk])).status_code == status
    assert http.get(reverse("partners:add_contact", args=[partner.pk])).status_code == status
    assert http.get(reverse("partners:create")).status_code == status


def test_coordinator_adds_partner_contact_and_agreement(coordinator, as_user):
    http = as_user(coordinator)
    response = http.post(
        reverse("partners:create"),
        {
            "name": "Werkplein Zuid",
            "type": "social_services",
            "regions": [Region.objects.get(code="amsterdam").pk],
            "domains": [LifeDomain.objects.get(code="work_income").pk],
            "sex_work_expertise": "on",
            "is_active": "on",
        },
    )
    partner = Partner.objects.get()
    assert response.url == reverse("partners:detail", args=[partner.pk])
    http.post(
        reverse("partners:add_contact", args=[partner.pk]),
        {"name": "Anouk", "role": "klantmanager"},
    )
    http.post(
        reverse("partners:add_agreement", args=[partner.pk]),
        {"kind": "fast_income", "valid_from": "2026-01-01", "text": "Binnen twee weken."},
    )
    page = http.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    assert "Anouk (klantmanager)" in page and "Binnen twee weken." in page


def test_agreement_end_before_start_is_refused(coordinator, as_user):
    partner = PartnerFactory()
    response = as_user(coordinator).post(
        reverse("partners:add_agreement", args=[partner.pk]),
        {"kind": "other", "valid_from": "2026-02-01", "valid_to": "2026-01-01", "text": "x"},
    )
    assert "vóór de begindatum" in " ".join(response.context["form"].errors["valid_to"])
    assert not partner.agreements.exists()
