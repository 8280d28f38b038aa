from django.apps import AppConfig


class DemoConfig(AppConfig):
    # No models, so nothing of it shows in the admin: no verbose name to translate.
    name = "demo"
