"""The Django admin's app config, on a site that requires the second factor (portal.admin_site).

Kept out of portal/apps.py: Django picks the one AppConfig of that module for the "portal" app.
"""

from django.contrib.admin.apps import AdminConfig


class AdminPortailConfig(AdminConfig):
    default_site = "portal.admin_site.SiteAdmin"
