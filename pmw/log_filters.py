import logging


class RouteInsteadOfPath(logging.Filter):
    """``django.request`` names the path of every 4xx and 5xx answer, and paths hold client
    numbers and case references (pseudonyms, still personal data): the route's name is
    logged instead (``cases:detail``), which says as much about where it went wrong."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple) and len(record.args) == 2:
            match = getattr(request, "resolver_match", None)
            record.args = (record.args[0], match.view_name if match else "(no route)")
        return True
