"""Cloud avatar services: one plain async httpx client per service, no Qt."""
