"""The admin pages for what the core records: the audit log and the outbox, a municipality's
own and the region's. The records themselves are ``dugnad.audit`` and ``dugnad.notifications``,
which need no pages to work."""
