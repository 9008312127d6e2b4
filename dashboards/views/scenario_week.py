"""The Scenario page's week (``[hours.weekdays]``), edited in a table, and a read-only summary
of each producer group's roster by weekday; the state both tables of the page share.

**The week** is one row per weekday, Monday first: opening and closing time, calls relative to
a default day, closed, and the intraday profile (read-only). A cell shows what the engine runs
(the default day's hours where the file leaves them out); only the cells a person edits are
written back, so an untouched Monday keeps following the default day's hours. Clearing a time
or the volume returns it to the default day's; closing a day drops its other keys.

A scenario without a week shows "Add a weekly pattern": a starting week that keeps the
scenario's (``hours.days_per_week`` open days from ``hours.first_weekday``, the others closed),
added as an edit and applied with the rest of the form. Apply validates the whole scenario in
``sim`` (one source of truth); a problem is shown under the table naming the weekday and the
column. An editor's edits live in its widget state, which a failed Apply leaves untouched; a
new scenario, Discard or an added table start a fresh editor (its key carries a generation).

**Rosters per weekday** are shown, not edited: a weekday's counts are edited in the scenario
file or planned on the Staffing page.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any, Protocol

import pandas as pd
import streamlit as st

from dashboards.common import code_label, plain
from sim.weekdays import WEEKDAYS

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Session keys: tables added on the page but not applied yet, and the editors' generation.
DRAFTS = "table_drafts"
GENERATION = "table_generation"
TABLES = ("weekdays", "segments")

WEEK_COLUMNS = {
    "weekday": "Weekday",
    "closed": "Closed",
    "opens": "Opens (HH:MM)",
    "closes": "Closes (HH:MM)",
    "volume": "Calls (× a default day)",
    "profile": "Intraday profile",
}
# A problem's key below a weekday → the column that shows it.
WEEK_KEYS = {"closed": "closed", "open": "opens", "close": "closes", "volume": "volume",
             "profile": "profile"}  # fmt: skip
_POSSESSIVE = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)'s\b")


class Problems(Protocol):
    """The page's problems not shown yet (``(key, message)``, see the page's ``_Problems``)."""

    left: list[tuple[str, str]]


def day_name(weekday: str) -> str:
    """A weekday key for people: "sat" is "Saturday"."""
    return DAY_NAMES[WEEKDAYS.index(weekday)]


# --- state ------------------------------------------------------------------------------------


def reset() -> None:
    """Drop tables added but not applied and start fresh editors (a new scenario, Discard)."""
    st.session_state[DRAFTS] = {}
    for table in TABLES:
        fresh_editor(table)


def drafts() -> dict[str, Any]:
    """The tables added on the page but not applied yet, by name."""
    return st.session_state.setdefault(DRAFTS, {})


def fresh_editor(table: str) -> None:
    """Start ``table``'s editor afresh (its edits dropped: the key changes)."""
    key = GENERATION + table
    st.session_state[key] = st.session_state.get(key, 0) + 1


def editor_key(table: str) -> str:
    """The session key of ``table``'s editor now."""
    return f"{table}_editor.{st.session_state.get(GENERATION + table, 0)}"


def edits(table: str) -> dict[str, Any]:
    """``table``'s editor's edits (``edited_rows``, ``added_rows``, ``deleted_rows``)."""
    state = st.session_state.get(editor_key(table))
    return state if isinstance(state, dict) else {}


def week_base(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The weekday table the editor starts from (an added one, or the scenario's), or None."""
    drafted = drafts().get("weekdays")
    if drafted is not None:
        return drafted
    return data["hours"].get("weekdays") or None


def starting_week(hours: Mapping[str, Any]) -> dict[str, Any]:
    """A weekly pattern that keeps the scenario's week: its ``days_per_week`` open days from
    ``first_weekday``, the other weekdays closed."""
    first = WEEKDAYS.index(hours.get("first_weekday", "mon"))
    per_week = int(hours.get("days_per_week", 5))
    open_days = {WEEKDAYS[(first + k) % 7] for k in range(per_week)}
    week = {name: {"closed": True} for name in WEEKDAYS if name not in open_days}
    return week or {WEEKDAYS[first]: {}}


def add_week(data: Mapping[str, Any]) -> None:
    """Callback of "Add a weekly pattern"."""
    drafts()["weekdays"] = starting_week(data["hours"])
    fresh_editor("weekdays")


# --- the week ---------------------------------------------------------------------------------


def _profile_text(own: Mapping[str, Any], default: Any) -> str:
    if own.get("closed"):
        return "—"
    if own.get("profile") is not None:
        return f"Own: {len(own['profile'])} weights"
    if isinstance(default, str):
        return f"Default ({code_label(default)})"
    return f"Default ({len(default)} weights)"


def week_frame(hours: Mapping[str, Any], weekdays: Mapping[str, Any], profile: Any) -> pd.DataFrame:
    """The week as the editor shows it: every weekday, the default day's values filled in."""
    rows = []
    for name, day_name in zip(WEEKDAYS, DAY_NAMES, strict=True):
        own = weekdays.get(name, {})
        closed = bool(own.get("closed", False))
        rows.append({
            "weekday": day_name,
            "closed": closed,
            "opens": "—" if closed else own.get("open") or hours["open"],
            "closes": "—" if closed else own.get("close") or hours["close"],
            "volume": 0.0 if closed else float(own.get("volume", 1.0)),
            "profile": _profile_text(own, profile),
        })  # fmt: skip
    return pd.DataFrame(rows)


def edited_weekdays(weekdays: Mapping[str, Any], edits: Mapping[str, Any]) -> dict[str, Any]:
    """The weekday table with an editor's cell edits (``edited_rows`` by row: Monday is 0)."""
    out = copy.deepcopy(dict(weekdays))
    for row, changes in sorted((int(r), c) for r, c in edits.get("edited_rows", {}).items()):
        name = WEEKDAYS[row]
        day = dict(out.get(name, {}))
        was_closed = bool(day.get("closed"))
        if "closed" in changes:
            if changes["closed"]:
                day = {"closed": True}
            else:
                day.pop("closed", None)
                if was_closed:
                    day.pop("volume", None)  # a closed day's volume is the default's
        closed = bool(day.get("closed"))
        for column, key in (("opens", "open"), ("closes", "close")):
            if column in changes:
                text = str(changes[column] or "").strip()
                if text in ("", "—"):
                    day.pop(key, None)
                else:
                    day[key] = text
        if "volume" in changes:
            volume = changes["volume"]
            if volume is None or (closed and volume == 0):
                day.pop("volume", None)  # (0 calls on a closed day: what it shows)
            else:
                day["volume"] = volume
        if day.get("closed") is False:
            day.pop("closed")
        if not day or day == {"volume": 1.0}:
            out.pop(name, None)
        else:
            out[name] = day
    if weekdays and not out:  # every weekday back to the default: keep the calendar
        out = {WEEKDAYS[0]: {}}
    return out


def draw_week(data: Mapping[str, Any], problems: Problems) -> None:
    """The week's table (or the button adding one) and its problems."""
    weekdays = week_base(data)
    mine = take(problems, ("hours.weekdays", "hours.days_per_week", "hours.first_weekday"))
    st.markdown("**The week**")
    if weekdays is None:
        st.caption(
            "Every simulated day is the default day above. A weekly pattern gives each weekday "
            "its own hours and calls, or closes it; simulated days then count calendar days, "
            "closed ones included."
        )
        st.form_submit_button("Add a weekly pattern", on_click=add_week, args=(data,),
                              icon=":material/calendar_month:")  # fmt: skip
    else:
        if "weekdays" in drafts():
            st.info("A weekly pattern is added: press Apply to use it.", icon=":material/info:")
        frame = week_frame(data["hours"], weekdays, data["inbound"]["profile"])
        st.data_editor(
            frame,
            key=editor_key("weekdays"),
            hide_index=True,
            num_rows="fixed",
            disabled=["weekday", "profile"],
            width="stretch",
            column_config={
                "weekday": st.column_config.TextColumn(WEEK_COLUMNS["weekday"]),
                "closed": st.column_config.CheckboxColumn(
                    WEEK_COLUMNS["closed"], help="No calls, no producers, no dials that day."
                ),
                "opens": st.column_config.TextColumn(
                    WEEK_COLUMNS["opens"],
                    help="Local time the day opens; clear it for the default day's.",
                    max_chars=5,
                ),
                "closes": st.column_config.TextColumn(
                    WEEK_COLUMNS["closes"],
                    help="Local time the day closes, after it opens (24:00 allowed); clear it "
                    "for the default day's.",
                    max_chars=5,
                ),
                "volume": st.column_config.NumberColumn(
                    WEEK_COLUMNS["volume"],
                    help="Inbound calls that day relative to the calls per day above "
                    "(0.4: 40% of a default day's).",
                    min_value=0.0,
                    step=0.05,
                    format="%.2f ×",
                ),
                "profile": st.column_config.TextColumn(
                    WEEK_COLUMNS["profile"],
                    help="The day's shape of calls through its hours: the default profile "
                    "stretched to the day's hours, or the day's own weights (edited in the file).",
                ),
            },
        )
        st.caption(
            "A cell left as loaded follows the default day above; simulated days are calendar "
            "days from the first weekday, closed ones included."
        )
    for key, message in mine:
        st.error(plain(say(key, message)), icon=":material/error:")


# --- rosters by weekday (read-only) -----------------------------------------------------------


def roster_frame(scenario: Any) -> pd.DataFrame:
    """Producers on shift per group and weekday, from the applied scenario: "3 to 5 (own)" for a
    weekday's own roster, "(default)" for the group's default roster, "Closed"."""
    from sim.weekdays import roster_counts, week

    plan = week(scenario)
    rows = []
    for i, dest in enumerate(scenario.destinations):
        row = {"group": dest.name}
        for day, day_name in zip(plan, DAY_NAMES, strict=True):
            counts = roster_counts(scenario, i, day.weekday)
            if day.closed:
                text = "Closed"
            elif counts is None:
                text = f"{dest.producers} all day"
            else:
                own = day.name in dest.roster.weekdays
                span = f"{min(counts)}" if min(counts) == max(counts) else (
                    f"{min(counts)} to {max(counts)}")  # fmt: skip
                text = f"{span} ({'own' if own else 'default'})"
            row[day_name] = text
        rows.append(row)
    return pd.DataFrame(rows)


def draw_rosters(scenario: Any, problems: Problems) -> None:
    """Each group's producers by weekday, read-only, and the rosters' weekday problems."""
    mine = take(problems, tuple(f"destinations.{i}.roster" for i in
                                 range(len(scenario.destinations))))  # fmt: skip
    if scenario.hours.by_weekday:
        st.markdown("**Producers on shift by weekday** (read-only)")
        st.dataframe(
            roster_frame(scenario),
            hide_index=True,
            width="stretch",
            column_config={"group": st.column_config.TextColumn("Producer group")},
        )
        st.caption(
            "Fewest to most producers on shift through the day. Rosters are not edited here: "
            "edit a weekday's counts in the scenario file, or plan them on the Staffing page. "
            "A weekday whose hours change needs a roster of that day's length."
        )
    for key, message in mine:
        st.error(plain(say(key, message)), icon=":material/error:")


# --- Apply ------------------------------------------------------------------------------------


def apply_week(data: Mapping[str, Any], edited: dict[str, Any]) -> None:
    """Put the week's editor into ``edited`` (the scenario table Apply validates)."""
    weekdays = week_base(data)
    if weekdays is not None:
        edited["hours"]["weekdays"] = edited_weekdays(weekdays, edits("weekdays"))
        edited["hours"].pop("days_per_week", None)  # derived from the open weekdays


# --- problems in words ----------------------------------------------------------------------------


def take(problems: Problems, prefixes: tuple[str, ...]) -> list[tuple[str, str]]:
    def mine(key: str) -> bool:
        return any(key == p or key.startswith(p + ".") for p in prefixes)

    taken = [(k, m) for k, m in problems.left if mine(k)]
    problems.left = [p for p in problems.left if p not in taken]
    return taken


def _words(message: str) -> str:
    return _POSSESSIVE.sub(lambda m: f"{DAY_NAMES[WEEKDAYS.index(m.group(1))]}'s", message)


def say(key: str, message: str) -> str:
    """A problem of the week or the rosters, naming the row and the column:
    "Saturday · Closes (HH:MM): Saturday's opening time 09:00 must be before …"."""
    message = _words(message)
    parts = key.split(".")
    if key.startswith("hours.weekdays.") and parts[2] in WEEKDAYS:
        day = DAY_NAMES[WEEKDAYS.index(parts[2])]
        column = WEEK_KEYS.get(parts[3]) if len(parts) > 3 else None
        where = f"{day} · {WEEK_COLUMNS[column]}" if column else day
        return f"{where}: {message}"
    if key.startswith("hours."):
        return f"The week: {message}"
    if key.startswith("destinations."):
        where = f"Group {int(parts[1]) + 1} roster"
        if len(parts) > 4 and parts[4] in WEEKDAYS:
            where += f" · {DAY_NAMES[WEEKDAYS.index(parts[4])]}"
        return f"{where}: {message}"
    return f"{key}: {message}" if key else message
