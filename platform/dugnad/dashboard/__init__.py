"""The front door and the municipality's dashboard (the pages; the web shell they are
rendered and routed by is ``dugnad.web``)."""
