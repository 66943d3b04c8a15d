"""Background tasks the app runs next to its requests (Reflex lifespan tasks)."""
