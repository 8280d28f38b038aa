def test_health_checks_database_and_broker(client, tmp_path, settings, db):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
    }
    settings.CELERY_BROKER_URL = "filesystem://"
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["broker"]) == (True, True)
    # the reminder task's report (aftercare, through pmw.hooks.HEALTH_REPORTS)
    assert body["reminders"] == {
        "alive": False,
        "last_run": None,
        "stale_claims": 0,
        "waiting_for_mail_server": 0,
    }


def test_health_reports_unreachable_broker(client, settings, db):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert (body["database"], body["broker"]) == (True, False)
