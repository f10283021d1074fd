from oauth2_provider.oauth2_validators import OAuth2Validator

# Set through /tamper/ by a test that wants to see a wrong ID token refused.
TAMPER = {"audience": None}


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "website": "profile"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "name": user.get_full_name(),
            "preferred_username": user.username,
            "email": user.email,
            "email_verified": True,
            "website": user.last_name and f"https://{user.username}.example.org/",
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        if TAMPER["audience"]:
            claims["aud"] = TAMPER["audience"]
        return claims, expiration
