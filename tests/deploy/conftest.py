"""The deploy tests sign in through the bundled app in Chromium: the browser fixtures, here."""

from tests.support.browser import browser, context, dialogs, new_context, page

__all__ = ["browser", "context", "dialogs", "new_context", "page"]
