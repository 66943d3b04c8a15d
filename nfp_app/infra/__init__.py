"""Infrastructure: settings, the database, thread pools, addresses and HTTP middleware."""
