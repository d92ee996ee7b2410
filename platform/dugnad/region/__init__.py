"""The region's side of the platform: its pages for the municipalities (creating, renaming,
suspending them, switching plugins on, inviting their first admin), a municipality's
settings page, and the manifests (``dugnad tenants sync``) that do the same from files.

The isolation kernel these build on — the tenant model, the tenant context, scoping and
row-level security — is ``dugnad.tenancy``, which knows nothing of pages."""
