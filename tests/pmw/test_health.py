def test_health_checks_database_and_broker(client, tmp_path, settings, db):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
    }
    settings.CELERY_BROKER_URL = "filesystem://"
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"database": True, "broker": True}


def test_health_reports_unreachable_broker(client, settings, db):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"database": True, "broker": False}
