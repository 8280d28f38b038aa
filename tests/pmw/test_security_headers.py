"""Headers on every page: CSP without inline script or third-party hosts, HSTS, no-store."""

from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse


def test_csp_allows_only_our_own_origin(worker, as_user):
    response = as_user(worker).get(reverse("cases:list"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    assert "frame-ancestors 'none'" in csp


def test_pages_with_client_data_are_not_stored(case, worker, as_user):
    response = as_user(worker).get(reverse("cases:detail", args=[case.reference]))
    assert response["Cache-Control"] == "no-store"


def test_no_inline_scripts_or_style_attributes_in_pages(case, worker, as_user):
    http = as_user(worker)
    for url in [
        reverse("cases:list"),
        reverse("cases:detail", args=[case.reference]),
        reverse("profiles:detail", args=[case.client.number]),
        reverse("profiles:edit", args=[case.client.number]),
    ]:
        page = http.get(url).content.decode()
        assert "<script>" not in page and " style=" not in page and "onclick" not in page, url


@override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=31536000)
def test_hsts_on_https(db):
    response = HttpClient().get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
