"""What a person sees on a page, and the checks it must pass (issue 11, "What people see").

:func:`problems` walks everything a rendered page (a ``streamlit.testing`` AppTest) shows:
titles, captions, alerts, metric labels, values, deltas and tooltips, widget labels, options and
help, tab and expander labels, every table's headers (the column config's label where one is
set, as the browser shows it) and cells, every chart's titles, axis titles, legend entries,
annotations and category labels. :func:`text_problems` applies the same checks to any text, such
as a page's text in the browser. A page fails on

- a snake_case word (``week_binomial_low``) in prose, a header or a cell (``tagged
  pricing_question``);
- a table header that starts in lower case (``part``, ``why``): headers are capitalised;
- a float with more than 4 decimals (``0.674512``);
- a Python repr (``<… object at``, ``Store('…')``, ``PosixPath(``, ``np.float64(``) or a raw
  ``True`` / ``False`` / ``None`` / ``nan`` as a table cell;
- an internal dotted name (``sim.staffing``, ``roleplay.export_csv``,
  ``outcomes.repeat_explain_rate``).

File names (``small_agency.toml``, ``staffing_plan.csv``) and paths are what a person types or
opens, so they are not words to judge; code blocks (the TOML preview) show a file as it is.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

import pandas as pd

SNAKE = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/-])")
LONG_FLOAT = re.compile(r"(?<![\d.])\d+\.\d{5,}(?![\d.])")
REPR = re.compile(
    r"<[\w.]+ object at|\b(?:Store|PosixPath|WindowsPath|Path|Scenario|Results|datetime|"
    r"Timestamp|Decimal)\(|\bnp\.\w+\(|\bnumpy\.\w+\(|\b[A-Z]\w*\(['\"]|\b[A-Z]\w*\(\w+="
)
DOTTED = re.compile(
    r"\b(?:sim|roleplay|dashboards|st|pd|np)\.[A-Za-z_]\w*"  # a module's name
    r"|\b[a-z]+\.[a-z][a-z0-9]*_[a-z0-9_]+\b"  # a scenario key path: outcomes.repeat_explain_rate
)
RAW_CELL = {"True", "False", "None", "nan", "NaN", "NaT", "<NA>"}
# A file name or a path: what a person types or opens, not a word on the page.
FILE_OR_PATH = re.compile(
    r"\S*/\S*|\b[\w.-]+\.(?:toml|csv|json|sqlite3?|db|wav|png|py)\b|\bsqlite:\S*"
)


def text_problems(text: str, where: str = "") -> list[str]:
    """Every rule one piece of text breaks, each a line naming the rule and the text."""
    found = []
    text = re.sub(r"\\(.)", r"\1", text)  # as read: user text is backslash-escaped Markdown
    words = FILE_OR_PATH.sub(" ", text)
    context = f"{where}: {text[:160]!r}" if where else repr(text[:160])
    for snake in SNAKE.findall(words):
        found.append(f"snake_case word {snake!r} in {context}")
    for number in LONG_FLOAT.findall(words):
        found.append(f"a float with more than 4 decimals {number!r} in {context}")
    if REPR.search(text):
        found.append(f"a Python repr in {context}")
    for name in DOTTED.findall(words):
        found.append(f"an internal name {name!r} in {context}")
    return found


# --- what a page shows ---------------------------------------------------------------------------

# Proto fields that hold what a person reads (labels, bodies, tooltips, options, deltas).
TEXT_FIELDS = {"label", "body", "help", "options", "delta", "placeholder", "text", "caption",
               "default_value", "value", "title", "formatted_value"}  # fmt: skip
# Elements shown as the file they are (the TOML preview) or not text at all.
NOT_PROSE = {"code", "arrow_data_frame", "dataframe", "table", "arrow_table", "plotly_chart",
             "download_button_data", "audio", "audio_input", "empty", "html",
             "file_uploader_state"}  # fmt: skip


def _nodes(at) -> Iterator[Any]:
    yield from (node for node in at._tree if getattr(node, "proto", None) is not None)


def _proto_strings(proto, prefix: str = "") -> Iterator[tuple[str, str]]:
    for descriptor, value in proto.ListFields():
        name = descriptor.name
        items = [value] if isinstance(value, str) or hasattr(value, "ListFields") else value
        if descriptor.message_type is not None:
            for item in items:
                if hasattr(item, "ListFields"):
                    yield from _proto_strings(item, f"{prefix}{name}.")
        elif name in TEXT_FIELDS and not isinstance(value, int | float | bool | bytes):
            for item in items:
                if isinstance(item, str) and item:
                    yield f"{prefix}{name}", item


def shown_texts(at) -> list[tuple[str, str]]:
    """``(where, text)`` for every text a page shows outside tables and charts."""
    out = []
    for node in _nodes(at):
        if node.type in NOT_PROSE:
            continue
        if node.type == "json":
            out += [(f"json {k}", k) for k in _json_keys(json.loads(node.proto.body))]
            continue
        out += [(f"{node.type} {where}", text) for where, text in _proto_strings(node.proto)]
    return out


def _json_keys(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from _json_keys(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_keys(value)


def table_headers(element) -> list[str]:
    """A table's headers as the browser shows them: the column config's label, else the name."""
    config = json.loads(getattr(element.proto, "columns", "") or "{}")
    labels = {}
    for key, spec in config.items():
        name = key.removeprefix("name:") if key.startswith("name:") else key
        if isinstance(spec, dict) and spec.get("label"):
            labels[name] = spec["label"]
    hidden = {
        k.removeprefix("name:") for k, v in config.items() if v is None or v == {"hidden": True}
    }
    return [labels.get(str(c), str(c)) for c in element.value.columns if str(c) not in hidden]


def _formatted(element) -> set[str]:
    """Columns whose column config formats or draws the values (a number format, a checkbox)."""
    config = json.loads(getattr(element.proto, "columns", "") or "{}")
    out = set()
    for key, spec in config.items():
        if not isinstance(spec, dict):
            continue
        kind = (spec.get("type_config") or {}).get("type")
        fmt = (spec.get("type_config") or {}).get("format")
        if fmt or kind in ("checkbox", "progress"):
            out.add(key.removeprefix("name:"))
    return out


def table_problems(element, where: str) -> list[str]:
    found = []
    frame: pd.DataFrame = element.value
    for header in table_headers(element):
        if "_" in header:
            found.append(f"snake_case header {header!r} in {where}")
        elif header[:1].islower():
            found.append(f"a header in lower case {header!r} in {where}")
        found += text_problems(header, f"{where} header")
    formatted = _formatted(element)
    for column in frame.columns:
        drawn = str(column) in formatted
        for value in frame[column].astype(object):
            if isinstance(value, bool) and not drawn:
                found.append(f"raw {value} in column {column!r} of {where}")
            elif value is None or (isinstance(value, float) and math.isnan(value)):
                found.append(f"an empty cell shown as None in column {column!r} of {where}")
            elif isinstance(value, float) and not drawn and LONG_FLOAT.search(repr(value)):
                found.append(
                    f"a float with more than 4 decimals {value!r} in {column!r} of {where}"
                )
            elif isinstance(value, str):
                if value.strip() in RAW_CELL:
                    found.append(f"raw {value!r} in column {column!r} of {where}")
                if SNAKE.fullmatch(value.strip()):
                    found.append(f"raw code {value!r} in column {column!r} of {where}")
                    continue
                found += text_problems(value, f"{where} cell")
    return found


def chart_texts(spec: dict) -> list[str]:
    """The texts a plotly figure shows: titles, axis titles, legend entries, annotations,
    category labels and tick labels."""
    out: list[str] = []
    layout = spec.get("layout", {})

    def title(obj) -> None:
        t = (obj or {}).get("title")
        if isinstance(t, dict):
            t = t.get("text")
        if isinstance(t, str):
            out.append(t)

    title(layout)
    title(layout.get("legend"))
    for key, axis in layout.items():
        if re.fullmatch(r"[xy]axis\d*|coloraxis", key) and isinstance(axis, dict):
            title(axis)
            out += [str(t) for t in axis.get("ticktext", []) or []]
            title(axis.get("colorbar"))
    out += [a.get("text", "") for a in layout.get("annotations", []) if isinstance(a, dict)]
    for trace in spec.get("data", []):
        if trace.get("showlegend", True) is not False and isinstance(trace.get("name"), str):
            out.append(trace["name"])
        for axis in ("x", "y", "labels", "text"):
            values = trace.get(axis)
            if isinstance(values, list):
                out += [v for v in values if isinstance(v, str)]
        node = trace.get("node")
        if isinstance(node, dict):
            out += [v for v in node.get("label", []) if isinstance(v, str)]
        title(trace.get("colorbar"))
    return [re.sub(r"<[^>]+>", " ", t) for t in out if t]


def problems(at) -> list[str]:
    """Every rule the page ``at`` breaks (empty: it shows people text)."""
    found = []
    for where, text in shown_texts(at):
        found += text_problems(text, where)
    for i, element in enumerate([*at.dataframe, *at.table]):
        found += table_problems(element, f"table {i + 1} ({', '.join(table_headers(element))})")
    for i, chart in enumerate(at.get("plotly_chart")):
        spec = json.loads(chart.proto.spec)
        for text in chart_texts(spec):
            found += text_problems(text, f"chart {i + 1}")
    return found
