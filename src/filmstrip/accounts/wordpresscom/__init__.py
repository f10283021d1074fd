"""Sign-in with WordPress.com, which django-allauth has no provider for.

WordPress.com speaks plain OAuth2 (authorization code); with the ``auth`` scope the token only
says who the reader is (``/rest/v1/me``) and opens none of their sites. allauth finds the
provider through this app's ``provider`` module, like its own.
"""
