"""`p3sim schema scenario` is a valid JSON Schema (draft 2020-12) that agrees with p3sim's own
validator on the golden corpora, and `p3sim validate` reports as documented.

Run by ctest with P3SIM_BINARY, P3SIM_SOURCE_DIR and P3SIM_TEST_DATA set; falls back to the
default build tree when run by hand from the repository.
"""
import json
import os
import pathlib
import subprocess

import jsonschema
import pytest

SOURCE = pathlib.Path(os.environ.get("P3SIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
DATA = pathlib.Path(os.environ.get("P3SIM_TEST_DATA", SOURCE / "tests" / "data"))
BINARY = os.environ.get("P3SIM_BINARY", str(SOURCE / "build" / "p3sim"))

# Fail files that a generic JSON Schema validator rejects too (the others fail p3sim's semantic
# checks, which a schema cannot express, or are not JSON at all).
SCHEMA_REJECTS = [
    "enum_values.json",
    "range_values.json",
    "type_errors.json",
    "unknown_key_deep.json",
    "required_missing.json",
    "size_empty_organizations.json",
    "size_too_many_organizations.json",
    "empty_names.json",
    "type_cooperation.json",
]


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def schema():
    result = run("schema", "scenario")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def validator(schema):
    return jsonschema.Draft202012Validator(schema)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def test_schema_is_valid_draft_2020_12(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_output_is_pretty_printed_with_two_spaces():
    out = run("schema", "scenario").stdout
    assert out.startswith("{\n  \"")


def test_every_property_is_described(schema):
    def walk(node, path):
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                assert "description" in sub or "$ref" in sub, f"{path}/{key} has no description"
            for key, sub in node.items():
                walk(sub, f"{path}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{path}/{i}")

    walk(schema, "")


@pytest.mark.parametrize("path", sorted((DATA / "pass").glob("*.json")), ids=lambda p: p.name)
def test_pass_files_validate(validator, path):
    errors = [e.message for e in validator.iter_errors(load(path))]
    assert errors == []


def bundled_scenarios():
    return [p for p in sorted((SOURCE / "scenarios").glob("*.json")) if "organizations" in load(p)]


def test_bundled_scenarios_exist():
    assert any(p.name == "tiny_partnership.json" for p in bundled_scenarios())


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.name)
def test_bundled_scenarios_validate(validator, path):
    errors = [e.message for e in validator.iter_errors(load(path))]
    assert errors == []


@pytest.mark.parametrize("name", SCHEMA_REJECTS)
def test_fail_files_are_rejected_by_the_schema(validator, name):
    assert list(validator.iter_errors(load(DATA / "fail" / name))), name


def test_validate_ok_files_exit_zero():
    files = [str(p) for p in sorted((DATA / "pass").glob("*.json"))]
    result = run("validate", *files)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{f}: ok" for f in files]


def test_validate_reports_every_error_and_exits_two():
    good = str(DATA / "pass" / "minimal.json")
    bad = str(DATA / "fail" / "many_errors.json")
    result = run("validate", good, bad)
    assert result.returncode == 2
    assert result.stdout.splitlines() == [f"{good}: ok"]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(load(DATA / "fail" / "expectations.json")["many_errors.json"])
    assert f'{bad}: /governance/lead: error[unknown_reference]: expected the name of an organization, ' \
           f'found "Minstry" (did you mean "Ministry"?)' in lines


def test_validate_syntax_error_has_line_and_column():
    bad = str(DATA / "fail" / "syntax_trailing_comma_object.json")
    result = run("validate", bad)
    assert result.returncode == 2
    assert result.stderr.strip() == \
        f"{bad}:6:1: error[syntax]: expected a quoted object key, found '}}' (remove the trailing comma)"


def test_schema_of_unknown_format_is_bad_input():
    result = run("schema", "scenaro")
    assert result.returncode == 2
    assert 'did you mean "scenario"?' in result.stderr
