"""The messages nfp_app sends: plain text and simple HTML, from templates in templates/."""
