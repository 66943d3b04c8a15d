"""One module per page: UI only, wired to its state."""
