"""The one page for "a form that runs a service", used by every app's views."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def form_page(  # noqa: PLR0913 — the page's parts, all keyword-only
    request,
    form,
    save,
    *,
    heading,
    submit_label,
    back_url: str,
    case=None,
    intro: str = "",
    intro_template: str = "",
    danger: bool = False,
):
    """Show ``form``; on a valid POST call ``save(cleaned_data)`` and go where it returns
    (anything ``redirect`` takes), or back to ``back_url`` when it returns None.

    The service's ValidationErrors land next to the fields (or above the form) and nothing is
    saved: each service is one transaction. With a ``case`` the page sits in the case's
    layout (name, phase, tabs); ``back_url`` is where "Annuleren" goes."""
    if request.method == "POST" and form.is_valid():
        try:
            target = save(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(target or back_url)
    return render(
        request,
        "form_page.html",
        {
            "base_template": "cases/base_case.html" if case else "base.html",
            "form": form,
            "case": case,
            "client": case.client if case else None,
            "heading": heading,
            "submit_label": submit_label,
            "back_url": back_url,
            "intro": intro,
            "intro_template": intro_template,
            "danger": danger,
        },
    )
