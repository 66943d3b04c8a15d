"""nfp_app: user accounts, sign-in and an admin page as one Reflex app."""
