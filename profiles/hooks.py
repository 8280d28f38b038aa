"""Where apps built on profiles take part in its work (see ``pmw.hooks``)."""

from pmw.hooks import Hook

CLIENT_ANONYMISE_STEPS = Hook(
    "client anonymise steps",
    """Blank the identifying text an app built on profiles holds about a client (case notes,
    referral notes, aftercare). Called as ``step(client=...)`` by
    ``profiles.services.client_anonymise``, in its transaction.""",
)

CLIENT_EXPORT_SECTIONS = Hook(
    "client export sections",
    """A section of the GDPR export from an app built on profiles. Called as
    ``section(client)``; returns ``(title, data)``.""",
)
