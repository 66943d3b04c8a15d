"""The end-to-end tests drive the live app in Chromium: the browser fixtures, registered here."""

from tests.support.browser import browser, context, dialogs, new_context, page

__all__ = ["browser", "context", "dialogs", "new_context", "page"]
