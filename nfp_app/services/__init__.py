"""The service layer: plain functions on a database session; no reflex, no fastapi."""
