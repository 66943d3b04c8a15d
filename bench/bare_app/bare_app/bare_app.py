"""One page, one state, one cheap event: what Reflex costs before any app code."""

import reflex as rx


class BareState(rx.State):
    """A counter, so that the cheap event sends a delta back as ours does."""

    clicks: int = 0

    @rx.event
    def click(self) -> None:
        """The cheap event: no I/O, one var changed."""
        self.clicks += 1


def index() -> rx.Component:
    """A heading and a button."""
    return rx.container(
        rx.heading("Bare Reflex app"),
        rx.button("Click", on_click=BareState.click),
        rx.text(BareState.clicks),
    )


app = rx.App()
app.add_page(index, route="/")
