import pytest
from django.urls import reverse

LINKS = {
    "queue": reverse("partners:queue"),
    "transfers": reverse("partners:transfers"),
    "directory": reverse("partners:directory"),
    "coverage": reverse("partners:coverage"),
}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("coordinator", {"queue", "transfers", "directory"}),
        ("worker", {"directory"}),
        ("municipal", {"coverage"}),
        ("org_admin", set()),
    ],
)
def test_navbar_links_per_role(request, who, expected, as_user):
    page = as_user(request.getfixturevalue(who)).get(reverse("home"), follow=True)
    nav = page.content.decode().split("</nav>")[0]
    assert {name for name, url in LINKS.items() if f'href="{url}"' in nav} == expected
