"""The command line: ``python3 -m p3sim_analysis {report,summary,design} ...``.

Problems the user can fix (a missing or foreign file, a bad argument) print one line
``p3sim_analysis: error: ...`` on stderr and exit with code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import sys

from . import __version__
from .errors import ResultFileError


def _range(text: str):
    """``/pointer=min:max`` or ``/pointer=min:max:integer`` -> (pointer, (min, max[, "integer"]))."""
    pointer, sep, span = text.partition("=")
    parts = span.split(":")
    if not sep or not pointer.startswith("/") or len(parts) not in (2, 3) or parts[2:] not in ([], ["integer"]):
        raise argparse.ArgumentTypeError(f"expected /json/pointer=MIN:MAX[:integer], got {text!r}")
    try:
        low, high = float(parts[0]), float(parts[1])
    except ValueError:
        raise argparse.ArgumentTypeError(f"MIN and MAX must be numbers in {text!r}") from None
    if not low < high:
        raise argparse.ArgumentTypeError(f"MIN must be below MAX in {text!r}")
    return pointer, (low, high, *parts[2:])


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its three subcommands."""
    parser = argparse.ArgumentParser(
        prog="python3 -m p3sim_analysis",
        description="Analyse p3sim HDF5 result files: HTML report, summaries, sensitivity designs.")
    parser.add_argument("--version", action="version", version=f"p3sim_analysis {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    report = sub.add_parser("report", help="write a self-contained HTML report of a result file",
                            description="Write one self-contained HTML file (images embedded) with the "
                                        "figures and tables that fit the result file.")
    report.add_argument("file", help="p3sim result file (p3sim run -o, sweep, compare -o) or posterior file "
                                     "(p3sim calibrate -o)")
    report.add_argument("-o", "--output", default="report.html", help="HTML file to write (default: report.html)")
    report.add_argument("--svg", action="store_true", help="embed SVG instead of PNG images")
    report.add_argument("--metric", default="outcome", help="final metric of the sensitivity section (default: outcome)")
    report.add_argument("--run", type=int, help="run for the story and trust network (default: first done run)")
    report.add_argument("--quiet", action="store_true", help="no progress lines on stderr")

    summary = sub.add_parser("summary", help="print the design, excluded runs and key metrics with 95%% intervals",
                             description="Print what the file holds and, over done runs, each key final "
                                         "metric estimated by its kind with a 95%% interval: shares with Wilson "
                                         "intervals, time to goal as the share reached, the Kaplan-Meier median "
                                         "and the restricted mean within the horizon (docs/estimators.md). For a "
                                         "posterior file of p3sim calibrate: the posterior of each parameter and "
                                         "the posterior predictive check.")
    summary.add_argument("file")
    summary.add_argument("--by", help="group by this runs-table column, e.g. governance.mode or pitfalls")
    summary.add_argument("--metric", action="append", help="final metric (repeatable; default: key metrics)")

    design = sub.add_parser("design", help="write a sweep file for a Saltelli or Morris sensitivity design",
                            description="Write a sweep file whose points follow a Saltelli (Sobol' indices) or "
                                        "Morris (elementary effects) design; run it with p3sim sweep, then "
                                        "report on the result.")
    design.add_argument("kind", choices=("saltelli", "morris"))
    design.add_argument("scenario", help="base scenario JSON file")
    design.add_argument("--param", type=_range, action="append", required=True, metavar="/POINTER=MIN:MAX[:integer]",
                        help="a numeric parameter and its range (repeatable)")
    design.add_argument("-n", "--samples", type=int, default=64,
                        help="Saltelli: base samples N (runs N(k+2) points); Morris: trajectories (k+1 points each)")
    design.add_argument("--levels", type=int, default=4, help="Morris grid levels (even; default 4)")
    design.add_argument("--design-seed", type=int, default=0, help="seed of the design points")
    design.add_argument("--replications", type=int, default=1)
    design.add_argument("--seed", type=int, default=0, help="the sweep's master seed")
    design.add_argument("--steps", type=int, help="steps per run (default: the scenario's)")
    design.add_argument("-o", "--output", required=True, help="sweep JSON file to write")
    return parser


def _report(args) -> int:
    from .report import build_report

    fmt = "svg" if args.svg else "png"
    out = build_report(args.file, args.output, fmt=fmt, metric=args.metric, run=args.run,
                       argv=["python3 -m p3sim_analysis", *sys.argv[1:]], quiet=args.quiet)
    if not args.quiet:
        print(f"report: wrote {out}", file=sys.stderr)
    return 0


#: what ``summary`` says each kind of metric is estimated by (docs/estimators.md)
KIND_TEXT = {
    "share": "share of runs, Wilson interval",
    "time": "months until it happened, censored at the horizon of {horizon}: Kaplan-Meier median, restricted mean",
    "bounded": "mean, t interval within [0, 1]",
    "amount": "mean, t interval",
    "conditional": "mean over the runs where it is defined, t interval",
}


def _calibration_summary(args) -> int:
    """``summary`` of a posterior file: the run of the calibration, the posterior of each parameter
    and the posterior predictive check, as text."""
    from .calibration import PosteriorFile, describe_targets, format_number

    if args.by or args.metric:
        raise ValueError(f"{args.file}: --by and --metric apply to result files, not to a calibration file")
    with PosteriorFile(args.file) as pf:
        prov = pf.provenance()
        targets, generations = pf.targets(), pf.generations()
        print(f"{pf.path}: calibration of scenario {pf.scenario.get('name', '?')}, "
              f"{len(pf.parameters)} parameters, {len(targets)} target components, "
              f"p3sim {prov.get('p3sim_version', '?')}, created {prov.get('created_utc', '?')}")
        print(f"targets: {describe_targets(targets)}")
        state = "stopped" if pf.complete else "not complete"
        print(f"{state}: {pf.stop_reason_text}; {len(generations)} generations of {pf.particle_count} particles, "
              f"{int(generations['simulations'].sum()):,} simulations")
        if generations.empty:
            print("no generation is complete yet: no posterior")
            return 0
        last = generations.iloc[-1]
        print(f"last generation {int(last['generation'])}: tolerance {format_number(last['tolerance'])}, "
              f"acceptance rate {last['acceptance_rate']:.3g}, ESS {last['ess']:.1f}")
        summary = pf.posterior_summary()
        width = max([len(p.name) for p in pf.parameters] + [12])
        print("\nposterior: weighted median [95% equal-tailed credible interval] (prior: 95% interval); "
              "weighted mean and sd")
        for parameter in pf.parameters:
            rows = summary[summary["parameter"] == parameter.name]
            if parameter.kind == "categorical":
                levels = ", ".join(f"{r.level} {r.probability:.2f} (prior {r.prior_probability:.2f})"
                                   for r in rows.itertuples())
                print(f"  {parameter.name:<{width}}  {levels}")
            else:
                row = rows.iloc[0]
                print(f"  {parameter.name:<{width}}  {row['summary']}  mean {format_number(row['mean'])} "
                      f"sd {format_number(row['sd'])}")
        check = pf.predictive_check()
        width = max([len(t) for t in check["target"]] + [12])
        print("\nposterior predictive check (the accepted particles' statistics: ABC predictive with tolerance): "
              "observed, weighted median [95% interval], z = (observed - median) / scale")
        for row in check.itertuples():
            print(f"  {row.target:<{width}}  observed {format_number(row.observed)}  median "
                  f"{format_number(row.median)} [{format_number(row.low)}, {format_number(row.high)}]  "
                  f"z {row.z:+.2f}  {row.fit}")
        poor = check[check["fit"] == "poor"]
        print(f"\n{len(poor)} of {len(check)} target components fit poorly"
              + (f": {', '.join(poor['target'])}" if len(poor) else ""))
    return 0


def _summary(args) -> int:
    from .calibration import is_calibration_file
    from .loading import ResultFile
    from .plotting import KEY_METRICS
    from .report import numeric_summary

    if is_calibration_file(args.file):
        return _calibration_summary(args)
    with ResultFile(args.file) as rf:
        prov = rf.provenance()
        print(f"{rf.path}: {rf.design_type()} design, {rf.run_count} runs, p3sim {prov.get('p3sim_version', '?')}, "
              f"created {prov.get('created_utc', '?')}")
        print(rf.exclusion_note())
        varied = [f"{p.dataset} ({p.kind}{': ' + ', '.join(p.levels) if p.levels else ''})" for p in rf.parameters()]
        print("varied: " + ("; ".join(varied) if varied else "nothing"))
        table = numeric_summary(rf, args.by, args.metric or KEY_METRICS)
        print("95% intervals; the estimator depends on the metric (docs/estimators.md)")
        group = args.by or "all"
        width = max([len(str(v)) for v in table[group]] + [12]) if len(table) else 12
        for metric, rows in table.groupby("metric", sort=False):
            kind = rows["kind"].iloc[0]
            print(f"\n{metric}  ({KIND_TEXT[kind].format(horizon=f'{rf.horizon:g}')})")
            for _, row in rows.iterrows():
                print(f"  {str(row[group]):<{width}} {int(row['n']):>5}  {row['summary']}")
    return 0


def _design(args) -> int:
    from .point_sweeps import write_sweep
    from .sensitivity import morris_sweep, saltelli_sweep

    ranges = dict(args.param)
    options = {"replications": args.replications, "seed": args.seed, "steps": args.steps}
    if args.kind == "saltelli":
        sweep = saltelli_sweep(args.scenario, ranges, args.samples, design_seed=args.design_seed, **options)
    else:
        sweep = morris_sweep(args.scenario, ranges, args.samples, args.levels, design_seed=args.design_seed, **options)
    write_sweep(sweep, args.output)
    points = len(next(iter(sweep["parameters"].values())))
    print(f"wrote {args.output}: {args.kind} design, {points} points x {args.replications} replications = "
          f"{points * args.replications} runs; run it with: p3sim sweep {args.output} -o OUT.h5", file=sys.stderr)
    return 0


def main(argv=None) -> int:
    """Run the command line; returns the exit code (0 success, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"report": _report, "summary": _summary, "design": _design}
    try:
        return handlers[args.command](args)
    except (ResultFileError, ValueError, OSError) as error:
        print(f"p3sim_analysis: error: {error}", file=sys.stderr)
        return 2
