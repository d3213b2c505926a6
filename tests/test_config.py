"""The one settings schema: docs, model defaults, scaffold and validation all come from it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing import config
from briefing.check import check_workspace
from briefing.cli import app
from briefing.config import ISSUE_SCHEMA, SETTINGS_SCHEMA, format_problem, scaffold_yaml
from briefing.load import load_settings
from briefing.model import CheckSettings, Fonts, Issue, Layout, Numbering, Settings
from briefing.numbering import chinese_number, issue_label
from briefing.rules import Reporter
from briefing.yamldoc import parse_mapping, validate
from tests.conftest import BASE_CONFIG, GOOD_ARTICLE, issue_yaml

REPO = Path(__file__).resolve().parents[1]


def test_docs_config_md_is_generated_from_the_schema() -> None:
    assert (REPO / "docs" / "config.md").read_text(encoding="utf-8") == config.config_markdown(), (
        "regenerate with: python -m briefing.config > docs/config.md"
    )


def test_every_setting_is_described() -> None:
    for schema in (SETTINGS_SCHEMA, ISSUE_SCHEMA):
        for path, spec in config._walk(schema):
            assert spec.doc, path
            assert spec.kind in config.KIND_NAMES, path


@pytest.mark.parametrize(
    ("group", "model"),
    [("numbering", Numbering), ("fonts", Fonts), ("layout", Layout), ("checks", CheckSettings)],
)
def test_model_defaults_are_the_schema_defaults(group: str, model: type) -> None:
    fields = {f.name: f for f in dataclasses.fields(model)}
    assert set(fields) == set(SETTINGS_SCHEMA[group].fields)
    instance = model()
    for name, spec in SETTINGS_SCHEMA[group].fields.items():
        if spec.kind in ("map", "levels"):
            continue
        assert getattr(instance, name) == config.default(f"{group}.{name}"), name


def test_settings_and_issue_fields_match_the_schema() -> None:
    settings = {f.name for f in dataclasses.fields(Settings)} - {"root", "positions"}
    assert settings == set(SETTINGS_SCHEMA)
    issue = {f.name for f in dataclasses.fields(Issue)} - {"id", "dir", "positions"}
    assert issue == set(ISSUE_SCHEMA)
    for model, schema in ((Settings, SETTINGS_SCHEMA), (Issue, ISSUE_SCHEMA)):
        for f in dataclasses.fields(model):
            spec = schema.get(f.name)
            if spec is None or spec.kind == "map" or f.default is dataclasses.MISSING:
                continue
            assert f.default == config.default(f.name, schema), f.name


def test_colour_default_is_stored_without_hash() -> None:
    assert SETTINGS_SCHEMA["layout"].fields["masthead_color"].default == "#FF0000"
    assert Layout().masthead_color == "FF0000"


def test_scaffold_loads_cleanly_and_keeps_the_values(tmp_path: Path) -> None:
    text = scaffold_yaml(
        {"name": "甲: 乙", "issuer": '丙"丁', "credits": (("编辑", "李明"),), "copies": 3}
    )
    (tmp_path / "briefing.yaml").write_text(text, encoding="utf-8")
    reporter = Reporter()
    settings = load_settings(tmp_path, reporter)
    assert reporter.diagnostics == []
    assert (settings.name, settings.issuer, settings.copies) == ("甲: 乙", '丙"丁', 3)
    assert settings.credits == (("编辑", "李明"),)
    assert settings.numbering == Numbering()
    assert "# previous: {year: 2018" in text and "docs/config.md" not in text
    assert text.startswith("# 简报设置：运行 briefing settings 查看每一项的说明")


def test_settings_keep_their_positions(tmp_path: Path) -> None:
    (tmp_path / "briefing.yaml").write_text(BASE_CONFIG, encoding="utf-8")
    settings = load_settings(tmp_path, Reporter())
    assert settings.positions["numbering.format"] == (5, 11)
    assert settings.positions["copies"] == (13, 9)


# --------------------------------------------------------------------------- validation


def _check(make_workspace, config_text: str, issue: str | None = None):  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue or issue_yaml(),
            "issues/2018-028/01.md": GOOD_ARTICLE,
        },
        config=config_text,
    )
    return root, check_workspace(root).diagnostics


BAD_SETTINGS = [
    ("layout:\n  masthead_size: .nan\n", "layout.masthead_size", "有限的数字"),
    ("layout:\n  masthead_size: .inf\n", "layout.masthead_size", "有限的数字"),
    ("layout:\n  masthead_size: 1000\n", "layout.masthead_size", "16 到 80"),
    ("layout:\n  masthead_color: red\n", "layout.masthead_color", "#RRGGBB"),
    ('layout:\n  masthead_color: "FF0000\\"/><w:b/>"\n', "layout.masthead_color", "#RRGGBB"),
    ("copies: -5\n", "copies", "1 到"),
    ("copies: 0\n", "copies", "1 到"),
    ("checks:\n  max_title_length: 0\n", "checks.max_title_length", "1 到"),
    ("copies: " + "9" * 4000 + "\n", "copies", "共 4000 位"),
]


@pytest.mark.parametrize(("extra", "key", "words"), BAD_SETTINGS)
def test_bad_setting_is_a_located_error(make_workspace, extra: str, key: str, words: str) -> None:  # type: ignore[no-untyped-def]
    text = BASE_CONFIG.replace("copies: 120\n", "") + extra
    root, found = _check(make_workspace, text)
    [problem] = [d for d in found if key in d.message]
    assert words in problem.message
    assert problem.path == root / "briefing.yaml"
    assert problem.line == text.splitlines().index(text.splitlines()[-1]) + 1


HOSTILE_FORMATS = [
    "{number.__class__}",
    "{number.__class__.__mro__}",
    "{number.foo}",
    "{number[0]}",
    "{number:>3000000000}",
    "{number!r}",
    "{number:{total}}",
    "{numbr}",
    "第{number期",
    "{label:=5}",
]


@pytest.mark.parametrize("template", HOSTILE_FORMATS)
def test_hostile_number_format_is_a_located_error(make_workspace, template: str) -> None:  # type: ignore[no-untyped-def]
    text = BASE_CONFIG.replace('"第{number_cn}期（总第{total}期）"', repr(template))
    root, found = _check(make_workspace, text)
    [problem] = [d for d in found if "numbering.format" in d.message]
    assert (problem.path, problem.line, problem.column) == (root / "briefing.yaml", 5, 11)
    runner = CliRunner()
    for command in (["list"], ["build", "--format", "html", "--out", str(root / "out")]):
        result = runner.invoke(app, ["-C", str(root), *command])
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "<class" not in result.output and "object>" not in result.output


def test_small_padding_is_allowed() -> None:
    assert format_problem("{year}-{number:0>3}") is None
    issue = Issue("x", Path("."), 2018, 28, dt.date(2018, 12, 20), total=646)
    assert issue_label(Numbering(format="{year}-{number:0>3}"), issue) == "2018-028"
    assert issue_label(Numbering(format="{year}-{number:04d}"), issue) == "2018-0028"
    assert format_problem("{number:03}") is None
    assert format_problem("{year}年第{number:02d}期") is None
    assert format_problem("{total:d}") is not None  # empty for specials: would not format
    assert format_problem("{number_cn:d}") is not None
    assert format_problem("第{{特}}{number_cn}期") is None


@pytest.mark.parametrize(
    ("issue", "key"),
    [
        (issue_yaml(total=-3), "total"),
        (issue_yaml(number=0), "number"),
        (issue_yaml(number=int("9" * 4000)), "number"),
        (issue_yaml().replace("number: 28", "number: " + "9" * 5000), "number"),
        (issue_yaml() + "copies: -5\n", "copies"),
    ],
    ids=["negative-total", "zero-number", "4000-digits", "5000-digits", "negative-copies"],
)
def test_bad_issue_numbers_are_located_errors(make_workspace, issue: str, key: str) -> None:  # type: ignore[no-untyped-def]
    root, found = _check(make_workspace, BASE_CONFIG, issue)
    path = root / "issues" / "2018-028" / "issue.yaml"
    [problem] = [d for d in found if d.path == path and f"“{key}”" in d.message]
    assert problem.line == next(
        i for i, line in enumerate(issue.splitlines(), 1) if line.startswith(f"{key}:")
    )
    result = CliRunner().invoke(app, ["-C", str(root), "list"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output


def test_chinese_numerals_refuse_huge_numbers_without_recursion() -> None:
    with pytest.raises(ValueError, match="out of range"):
        chinese_number(int("9" * 4000))
    assert chinese_number(99_999_999) == "九千九百九十九万九千九百九十九"


@pytest.mark.parametrize(
    ("bounds", "value", "words"),
    [
        ({"minimum": 1, "maximum": 9}, "42", "应在 1 到 9 之间，现在是 42"),
        ({"minimum": 1}, "-5", "应不小于 1，现在是 -5"),
        ({"maximum": 9.5}, "42", "应不大于 9.5，现在是 42"),
    ],
)
def test_a_number_out_of_range_says_which_bound(
    bounds: dict[str, float], value: str, words: str
) -> None:
    path = Path("briefing.yaml")
    reporter = Reporter()
    values = parse_mapping(f"n: {value}\n", path, reporter)
    assert values is not None
    validate(values, {"n": config.Spec("int", "测试", **bounds)}, path, reporter)
    [problem] = reporter.diagnostics
    assert problem.message == f"字段“n”{words}"
    assert (problem.line, problem.column) == (1, 4)
