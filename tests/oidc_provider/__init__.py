"""A real OpenID Connect provider for the sign-in tests: django-oauth-toolkit on loopback."""
