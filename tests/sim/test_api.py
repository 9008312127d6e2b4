"""The public API names of the issues: ``sim.simulate``, ``sim.compare``, ``sim.staffing``,
``sim.pilot``, ``sim.sweep`` and ``sim.calibrate`` are callable, and the modules behind them
stay importable (``sim.staffing.Targets``)."""

from __future__ import annotations

import sim


def test_planning_tools_are_callable_and_modules_stay_reachable():
    for name in ("staffing", "pilot", "sweep", "calibrate"):
        module = getattr(sim, name)
        assert callable(module)
        assert module.__name__ == f"sim.{name}"
    assert sim.Targets is sim.staffing.Targets
    assert sim.compare is sim.roi.compare
    assert sim.staffing.__call__.__doc__ == sim.staffing.staffing.__doc__


def test_calling_the_module_calls_the_function(monkeypatch):
    seen = {}

    def fake(*args, **kwargs):
        seen["args"], seen["kwargs"] = args, kwargs
        return "plan"

    monkeypatch.setattr(sim.staffing, "staffing", fake, raising=True)
    # The module delegates to the function it was made callable with, not a later rebinding:
    # the real one runs; prove it by a cheap bad call that the real function rejects.
    import pytest

    with pytest.raises(sim.staffing.StaffingError):
        sim.staffing(sim.scenario_from_dict({
            "name": "x", "inbound": {"calls_per_day": 1},
            "destinations": [{"name": "a", "producers": 1}],
        }), sim.Targets(transfer_completion=None))  # fmt: skip
    assert not seen


def test_unknown_attribute():
    import pytest

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = sim.nope


def test_import_sim_stays_light():
    """``import sim`` loads neither the role-play lab nor the dashboard's or the store's
    libraries (they are optional extras): checked in a fresh interpreter."""
    import subprocess
    import sys

    heavy = ("roleplay", "dashboards", "streamlit", "plotly", "faker", "sqlalchemy")
    code = f"import sys, sim; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def _volume(calls_per_day: float, days: int):
    return sim.scenario_from_dict({
        "name": "volume", "days": days, "inbound": {"calls_per_day": calls_per_day},
        "destinations": [{"name": "a", "producers": 1}],
    })  # fmt: skip


class _Started(Exception):
    """Raised in place of running the replications: the run got past its checks."""


def test_every_simulate_entry_checks_the_run_limit_once(monkeypatch):
    """``sim.simulate`` and ``sim.results.simulate`` (which the CLI and the planning tools call)
    refuse a run over ``MAX_CALLS_PER_RUN`` before anything runs, each checking once: 1,000
    calls a day over 5 days is 5,000 calls a replication (by hand), so the limit allows exactly
    ``MAX_CALLS_PER_RUN / 5,000`` replications and refuses one more."""
    import pytest

    import sim.results
    from sim import limits
    from sim.options import RunOptions

    checks: list[int] = []

    def counted(scenario, replications, option="--replications"):
        checks.append(replications)
        return limits.check_run(scenario, replications, option)

    def started(*args, **kwargs):
        raise _Started

    monkeypatch.setattr(sim.results, "check_run", counted)
    monkeypatch.setattr(sim.results, "run_tasks", started)
    scenario = _volume(1_000, 5)
    allowed = limits.MAX_CALLS_PER_RUN // 5_000
    for entry in (sim.simulate, sim.results.simulate):
        checks.clear()
        for call in (
            lambda e=entry: e(scenario, replications=allowed),
            lambda e=entry: e(scenario, allowed),
        ):
            with pytest.raises(_Started):
                call()
        for call in (
            lambda e=entry: e(scenario, replications=allowed + 1),
            lambda e=entry: e(scenario, allowed + 1),
            lambda e=entry: e(scenario, options=RunOptions(replications=allowed + 1)),
        ):
            over = r"limit is 5,000,000 calls per run"
            with pytest.raises(limits.LimitError, match=over) as info:
                call()  # refused: never reaches the replications
            assert isinstance(info.value, ValueError)
            assert str(info.value).startswith("replications:")
        assert checks == [allowed, allowed, allowed + 1, allowed + 1, allowed + 1]  # once each


def test_simulate_from_python_refuses_too_many_replications_naming_the_limit():
    import pytest

    from sim import limits

    with pytest.raises(limits.LimitError, match=f"{limits.MAX_REPLICATIONS:,} \\(the limit\\)"):
        sim.simulate(_volume(1, 1), replications=limits.MAX_REPLICATIONS + 1)


def test_simulate_within_the_limit_runs_as_before():
    from sim.results import simulate

    scenario = sim.load_scenario("minimal_queue")
    assert sim.simulate(scenario, replications=2, seed=3).kpis.equals(
        simulate(scenario, replications=2, seed=3).kpis
    )


def test_staffing_names_stay_importable_from_sim_staffing():
    """The plan's types live in sim.staffing_plan; every public name of sim.staffing is still
    there, the same objects."""
    import sim.staffing_plan

    assert set(sim.staffing.__all__) == {*sim.staffing_plan.__all__, "staffing"}
    for name in sim.staffing_plan.__all__:
        assert getattr(sim.staffing, name) is getattr(sim.staffing_plan, name)
