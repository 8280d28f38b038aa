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

CLIENT_ACCESS_PATHS = Hook(
    "client access paths",
    """Ways a worker reaches a client other than having registered them (cases: the worker's
    own cases and the shares that run). Called as ``path(user, write=...)``; returns a ``Q``
    on ``Client``. ``write=True`` asks for the paths that allow changes. Without any
    registered path a worker sees only whom they registered: the rule fails closed.""",
)

CLIENT_PAGE_SECTIONS = Hook(
    "client page sections",
    """A section of the client page from an app built on profiles (cases: the client's
    cases). Called as ``section(request, client)``; returns ``{"template": ..., **context}``.""",
)
