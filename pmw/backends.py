from django.contrib.auth.backends import ModelBackend


class UserWithScopeBackend(ModelBackend):
    """Django's model backend, loading the user's organisation and region with the user:
    the navigation and every scoped queryset read them on each page."""

    def get_user(self, user_id):
        from pmw.models import User

        try:
            user = User._default_manager.select_related("organisation", "region").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
