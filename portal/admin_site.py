"""The Django admin's site: only for staff who passed the second factor in this session.

Its own login page is replaced by the portal's (password, then TOTP), so there is one way in.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login


class SiteAdmin(admin.AdminSite):
    site_header = "Administration du Portail Entreprises"
    site_title = "Administration du portail"

    def has_permission(self, request) -> bool:
        user = request.user
        return super().has_permission(request) and user.is_verified()

    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get("next") or request.get_full_path())
