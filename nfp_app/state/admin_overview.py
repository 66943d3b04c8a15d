"""AdminOverviewState: the console overview on /admin (counters, sign-ins per day).

Regular users see only their own account card there; AuthState.user feeds it.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from nfp_app.infra import db
from nfp_app.services import admin_overview
from nfp_app.state.admin_console import AdminConsoleState
from nfp_app.state.changes import assign_changed

ChartPoint = dict[str, str | int]


def _chart_points(series: list[admin_overview.DaySignIns]) -> list[ChartPoint]:
    return [
        {
            "day": day.day.isoformat(),
            "label": f"{day.day:%b %d}",
            "successes": day.successes,
            "failures": day.failures,
        }
        for day in series
    ]


class AdminOverviewState(AdminConsoleState):
    """The overview's figures, loaded for a live administrator and shown to that tab only."""

    _counters: dict[str, int] = {}  # noqa: RUF012  (Reflex copies state defaults per client)
    _chart: list[ChartPoint] = []  # noqa: RUF012  (Reflex copies state defaults per client)

    def _figure(self, name: str) -> int:
        return self._counters.get(name, 0) if self._console_is_mine() else 0

    @rx.var(cache=False)
    def users_total(self) -> int:
        """Every account."""
        return self._figure("users")

    @rx.var(cache=False)
    def active_sessions(self) -> int:
        """Live sessions of all accounts."""
        return self._figure("active_sessions")

    @rx.var(cache=False)
    def sign_ins(self) -> int:
        """Successful sign-ins of the last 24 hours."""
        return self._figure("sign_ins_24h")

    @rx.var(cache=False)
    def failed_sign_ins(self) -> int:
        """Failed sign-ins of the last 24 hours (throttled attempts not included)."""
        return self._figure("failed_sign_ins_24h")

    @rx.var(cache=False)
    def locked_out(self) -> int:
        """Accounts whose sign-ins are being refused by the throttle right now."""
        return self._figure("locked_out")

    @rx.var(cache=False)
    def chart(self) -> list[ChartPoint]:
        """Sign-ins per UTC day, oldest first: day, label, successes, failures."""
        return self._chart if self._console_is_mine() else []

    @rx.var(cache=False)
    def chart_summary(self) -> str:
        """The chart in words, for screen readers."""
        points = self.chart
        if not points:
            return ""
        successes = sum(int(point["successes"]) for point in points)
        failures = sum(int(point["failures"]) for point in points)
        busiest = max(points, key=lambda point: int(point["successes"]))
        return (
            f"Sign-ins per day from {points[0]['day']} to {points[-1]['day']} (UTC): "
            f"{successes} successful and {failures} failed in total; the busiest day, "
            f"{busiest['day']}, had {busiest['successes']} successful sign-ins."
        )

    def _clear(self) -> None:
        assign_changed(self, _counters={}, _chart=[])

    @rx.event
    async def open_page(self):
        """On load: check the session (or send to /login); load the figures for admins."""
        return await self._load()

    @rx.event
    async def refresh(self):
        """Load the figures again."""
        return await self._load()

    async def _load(self) -> rx.event.EventSpec | None:
        user = await self._require_admin()
        if user is None:
            self._clear()
            return self._not_admin_redirect()
        self._counters = dataclasses.asdict(await db.run(admin_overview.counters))
        self._chart = _chart_points(await db.run(admin_overview.sign_ins_per_day))
        return None
