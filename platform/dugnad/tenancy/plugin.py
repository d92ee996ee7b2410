"""Tenancy as a default plugin: the municipality's tables. Its pages are ``dugnad.region``."""

from dugnad.hookspecs import hookimpl
from dugnad.tenancy.models import Tenant, TenantPlugin


@hookimpl
def register_models():
    return [Tenant, TenantPlugin]
