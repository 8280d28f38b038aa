"""Where apps built on cases take part in its work (see ``pmw.hooks``)."""

from pmw.hooks import Hook

CASE_CLOSE_STEPS = Hook(
    "case close steps",
    """Close a case's open work in an app built on cases (referrals, aftercare).
    Called as ``step(case=..., by=...)`` by ``cases.services.case_close``, in its transaction,
    so closing a case stays one visible service call.""",
)

CASE_PAGE_SECTIONS = Hook(
    "case page sections",
    """A section of the case page from an app built on cases (partners: referrals, consent,
    transfer). Called as ``section(request, case, needs)``; returns ``{"template": ...,
    **context}``. The case page stays one view and cases never imports the app.""",
)
