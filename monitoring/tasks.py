from celery import shared_task

from monitoring.services import figures_refresh


@shared_task(ignore_result=True)
def refresh_figures():
    """Every minute: compute the figures of the cases changed since, so that a monitoring
    page rarely has more than a minute's changes to catch up on before it reads."""
    return figures_refresh()
