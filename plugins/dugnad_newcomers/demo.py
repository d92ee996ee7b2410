def load(tenant):
    return []
