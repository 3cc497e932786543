"""perfledger benchmark: how long a command takes to start, against ``python -c pass`` in the same run.

    python bench/bench_startup.py [--runs 20] [--warmup 2] [--code DIR] [--db URL] [--no-compile]

Each command runs as a user runs it, in a fresh interpreter (``python -c "from commands.cli
import main; main()" ARGS``, what the ``perfledger`` script does), timed from start to exit with
``time.perf_counter`` around ``subprocess.run``: ``--version``, ``--help``, ``report --help``,
``return --help``, and two reads on a demo ledger (``indicator show 'NI 192'`` and ``return list
'NI 192'``). The baseline is ``python -c pass`` with the same interpreter, measured in the same
rounds: the commands and the baseline take turns, so a burst of load on a shared machine falls on
all of them. It prints hyperfine-style figures (mean +- standard deviation, min, max over RUNS
runs) and each mean as a multiple of the baseline's; hyperfine itself is not needed.

``--code DIR`` measures another checkout of the code (put first on PYTHONPATH), e.g. an older
commit: ``git archive 75575bc | tar -x -C /tmp/before`` and ``--code /tmp/before``. The demo
ledger is built by the code measured (``perfledger demo``, about 4 s) unless ``--db`` names one.
The code's packages are byte-compiled first (``compileall``), as an installed package is: with
``PYTHONDONTWRITEBYTECODE`` set, as on this machine, every run would otherwise compile every
module it imports again (about 0.1 s more per read). ``--no-compile`` skips that.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("commands", "ledger", "policies", "projections")
RUN = "import sys; sys.argv[0] = 'perfledger'; from commands.cli import main; main()"
COMMANDS: list[tuple[str, list[str]]] = [
    ("--version", ["--version"]),
    ("--help", ["--help"]),
    ("report --help", ["report", "--help"]),
    ("return --help", ["return", "--help"]),
    ("indicator show 'NI 192'", ["indicator", "show", "NI 192"]),
    ("return list 'NI 192'", ["return", "list", "NI 192"]),
]


def environment(code: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERFLEDGER_")}
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code), *filter(None, [env.get("PYTHONPATH")])])
    return env


def perfledger(args: list[str]) -> list[str]:
    """The command line that runs perfledger ARGS (none: the baseline, ``python -c pass``)."""
    return [sys.executable, "-c", RUN, *args] if args else [sys.executable, "-c", "pass"]


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[3:])} failed (exit {done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each command (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument("--code", type=Path, help="the checkout of perfledger to measure (default: this one)")
    parser.add_argument("--db", help="a demo ledger's URL (default: build one with perfledger demo)")
    parser.add_argument("--no-compile", action="store_true", help="do not byte-compile the code first")
    options = parser.parse_args()
    code = options.code.resolve() if options.code else None
    env = environment(code)
    tree = code or ROOT
    if not options.no_compile:
        for package in PACKAGES:
            compileall.compile_dir(tree / package, quiet=1)
    with tempfile.TemporaryDirectory(prefix="perfledger-startup-") as folder:
        work = Path(folder)
        db = options.db
        if db is None:
            db = f"sqlite:///{work / 'demo.db'}"
            print(f"building the demo ledger ({db}) with {tree} ...", file=sys.stderr)
            subprocess.run([sys.executable, "-c", RUN, "demo", "--db", db], cwd=work, env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs: list[tuple[str, list[str]]] = [("python -c pass (baseline)", [])]
        for name, args in COMMANDS:
            reads = args[0] in {"indicator", "return"} and "--help" not in args
            runs.append((name, ["--db", db, *args] if reads else args))
        times: dict[str, list[float]] = {name: [] for name, _ in runs}
        for round_ in range(options.warmup + options.runs):
            for name, args in runs:
                elapsed = timed(perfledger(args), work, env)
                if round_ >= options.warmup:
                    times[name].append(elapsed)
    print(f"code: {tree}   python: {sys.version.split()[0]}   runs: {options.runs} "
          f"(+{options.warmup} warm-up)   compiled: {'no' if options.no_compile else 'yes'}")
    base = statistics.mean(times[runs[0][0]])
    print(f"{'command':28s} {'mean':>9s} {'± sd':>8s} {'min':>9s} {'max':>9s} {'x baseline':>11s}")
    for name, _ in runs:
        values = times[name]
        mean = statistics.mean(values)
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        print(f"{name:28s} {mean * 1000:7.1f}ms {sd * 1000:6.1f}ms {min(values) * 1000:7.1f}ms "
              f"{max(values) * 1000:7.1f}ms {mean / base:10.1f}x")


if __name__ == "__main__":
    main()
