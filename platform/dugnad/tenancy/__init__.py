"""Municipalities (tenants), the tenant context and the rules that keep their data apart."""

from dugnad.tenancy.context import (
    CrossTenantWrite,
    TenantContextMissing,
    current_tenant_id,
    in_region_scope,
    region_scope,
    tenant_context,
)
from dugnad.tenancy.models import Tenant, TenantPlugin, TenantScoped, tenant_fk

__all__ = [
    "CrossTenantWrite",
    "Tenant",
    "TenantContextMissing",
    "TenantPlugin",
    "TenantScoped",
    "current_tenant_id",
    "in_region_scope",
    "region_scope",
    "tenant_context",
    "tenant_fk",
]
