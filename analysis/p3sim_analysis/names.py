"""Names a reader knows, in place of the codes of the result file.

A governance mode is named by its governance model (``backbone`` is Collective Impact with a
backbone organization, ``network`` the Innovation in Partnerships network), a pitfall by its title
and its one-sentence description (the scenario's own ``/pitfalls`` first, then what ``p3sim
list`` says of the built-in ones), a parameter by what it changes (``organizations.*.disclosure``
is "disclosure of every organization"), a metric by its name and unit (the outcome's unit from the
scenario, e.g. "groups of 20 PNIS families").

:class:`Names` gathers this for one result file; the report uses it for every heading, table and
figure label.
"""
from __future__ import annotations

import re
import subprocess

from .plotting import METRIC_LABELS, metric_label

#: The governance models behind the five modes (README.md, docs/scenario.md, MODEL.md section 8).
GOVERNANCE_NAMES = {
    "isolated": "isolated action",
    "constellation": "Constellation model",
    "backbone": "Collective Impact (backbone organization)",
    "hierarchy": "unified hierarchy",
    "network": "Innovation in Partnerships network",
}
#: What a governance mode means, in one phrase (docs/scenario.md, "Governance presets").
GOVERNANCE_GLOSS = {
    "isolated": "every organization acts alone",
    "constellation": "self-organizing working groups with light coordination",
    "backbone": "a neutral backbone organization coordinates and measures",
    "hierarchy": "the lead commands; strong central control and sanctions",
    "network": "light hierarchy, public commitments and shared credit",
}
BASELINE_SET = "baseline"
#: Readable names of the columns the runs table adds to the varied parameters.
COLUMN_NAMES = {"governance.mode": "governance structure", "pitfalls": "pitfall", "replicate": "replicate",
                "variant": "variant", "group": "group", "all": "all runs"}


def humanize(code: str) -> str:
    """``no_shared_measurement`` -> ``no shared measurement``."""
    return str(code).replace("_", " ")


def builtin_pitfalls(binary) -> dict:
    """``{name: description}`` of the built-in pitfalls as ``p3sim list`` prints them (its
    "Pitfalls" block, one ``name  description`` line each), or ``{}`` when there is no binary or it
    cannot say."""
    if not binary:
        return {}
    try:
        done = subprocess.run([binary, "list"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    found, inside = {}, False
    for line in done.stdout.splitlines() if done.returncode == 0 else []:
        if not line.startswith(" "):
            inside = line.startswith("Pitfalls")
            continue
        name, _, description = line.strip().partition(" ")
        if inside and name and description.strip() and not description.strip().startswith("["):  # another scenario's
            found[name] = description.strip()
    return found


class Names:
    """The readable names of one result file's codes.

    Args:
        scenario: the resolved scenario (``scenario_json``): the outcome's unit, its pitfalls.
        parameters: the file's varied parameters (:meth:`ResultFile.parameters`).
        binary: a p3sim binary for the built-in pitfalls' descriptions (optional).
    """

    def __init__(self, scenario: dict, parameters=(), binary=None):
        self.scenario = scenario or {}
        self.pointers = {p.dataset: getattr(p, "pointer", None) or "" for p in parameters}
        own = self.scenario.get("pitfalls") or {}
        self.descriptions = builtin_pitfalls(binary)
        if isinstance(own, dict):
            for name, body in own.items():
                if isinstance(body, dict) and body.get("description"):
                    self.descriptions[name] = str(body["description"])

    @property
    def title(self) -> str:
        """The scenario's name in words, capitalized (``Colombia crop substitution``)."""
        name = humanize(self.scenario.get("name", "the scenario"))
        return name[:1].upper() + name[1:]

    # --- levels -------------------------------------------------------------------------------
    def mode(self, code) -> str:
        return GOVERNANCE_NAMES.get(str(code), str(code))

    def pitfall(self, name: str) -> str:
        """A pitfall's title: its name in words (``payment delays``)."""
        return humanize(name)

    def pitfall_description(self, name: str) -> str:
        return self.descriptions.get(name, "")

    def pitfall_set(self, label: str) -> str:
        """A pitfall set of the runs table (``baseline`` or names joined by ``+``) in words."""
        if label == BASELINE_SET:
            return "no pitfall (baseline)"
        return " + ".join(self.pitfall(part) for part in str(label).split("+"))

    def level(self, column: str, value) -> str:
        """One value of a runs-table column in words."""
        if column == "governance.mode" or self.pointers.get(column) == "/governance/mode":
            return self.mode(value)
        if column == "pitfalls":
            return self.pitfall_set(str(value))
        if column.startswith("pitfall."):
            return "on" if str(value) in ("1", "1.0", "on", "True") else "off"
        return str(value)

    def prose(self, text: str, metrics=()) -> str:
        """``text`` (a note written by a scenario's author) with the codes it quotes in words:
        pitfall names, ``metrics`` and ``governance.mode``."""
        codes = {name: self.pitfall(name) for name in self.descriptions}
        codes.update({m: self.metric(m) for m in metrics})
        codes["governance.mode"] = "governance structure"
        if self.scenario.get("name"):
            codes[str(self.scenario["name"])] = self.title
        pieces = text.split("`")  # odd pieces are `quoted` (commands, names to type): kept as they are
        for k in range(0, len(pieces), 2):
            for code in sorted(codes, key=len, reverse=True):
                if "_" in code or "." in code:
                    pieces[k] = re.sub(rf"(?<![\w.]){re.escape(code)}(?![\w])", codes[code], pieces[k])
        return "`".join(pieces)

    # --- columns and metrics ------------------------------------------------------------------
    def column(self, column: str) -> str:
        """A varied parameter or runs-table column in words."""
        if column in COLUMN_NAMES:
            return COLUMN_NAMES[column]
        if column.startswith("pitfall."):
            return f"pitfall {self.pitfall(column[len('pitfall.'):])}"
        if column.startswith("u."):
            return f"{self.column(column[2:])} (unit-cube coordinate)"
        parts = [p for p in (self.pointers.get(column) or "/" + column.replace(".", "/")).split("/") if p]
        if not parts:
            return column
        what = humanize(parts[-1])
        owner = parts[:-1]
        if len(owner) >= 2 and owner[0] == "organizations":
            who = "every organization" if owner[1] == "*" else self._organization(owner[1])
            return f"{what} of {who}"
        if len(owner) >= 2 and owner[0] == "sectors":
            sector = "every sector" if owner[1] == "*" else f"the {humanize(owner[1])} sector"
            detail = " ".join(humanize(p) for p in owner[2:])
            return f"{detail + ' ' if detail else ''}{what} of {sector}".strip()
        if len(owner) >= 2 and owner[0] == "shocks" and owner[1].isdigit():
            shocks = self.scenario.get("shocks") or []
            k = int(owner[1])
            kind = humanize(shocks[k].get("kind", "shock")) if k < len(shocks) and isinstance(shocks[k], dict) else "shock"
            step = shocks[k].get("step") if k < len(shocks) and isinstance(shocks[k], dict) else None
            return f"{what} of the {kind}{f' at month {step}' if step is not None else ''}"
        return " ".join([*(humanize(p) for p in owner), what])  # /goal/target -> goal target

    def _organization(self, key: str) -> str:
        organizations = self.scenario.get("organizations") or []
        if key.isdigit() and int(key) < len(organizations):
            return str(organizations[int(key)].get("name", key))
        return key

    def metric(self, metric: str) -> str:
        """The metric's name without unit (``cost per outcome``)."""
        return METRIC_LABELS.get(metric, (humanize(metric), ""))[0]

    def metric_with_unit(self, metric: str) -> str:
        return metric_label(metric, self.scenario)

    def unit(self, metric: str) -> str:
        label = self.metric_with_unit(metric)
        return label[len(self.metric(metric)) + 2:-1] if label.endswith(")") and " (" in label else ""
