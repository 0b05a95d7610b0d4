"""Headers every response carries.

Content-Security-Policy: the browser runs only scripts and applies only stylesheets loaded
from this site, never inline ones, so text a citizen or an attacker manages to slip into a
page as a tag or an attribute does nothing. The policy is settings.CONTENT_SECURITY_POLICY;
a view that sets a stricter one of its own (an attachment shown in the browser) keeps it.
"""

from django.conf import settings

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and HEADER not in response:
            response[HEADER] = self.policy
        return response
