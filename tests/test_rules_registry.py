"""The rule registry: every rule declared once, under its own name, with a Chinese title."""

from __future__ import annotations

from briefing import rules
from briefing.rules import RULES, Rule


def test_every_rule_keeps_its_own_name_in_the_registry_module() -> None:
    """Two declarations under one name would leave the first rule unreachable by name, and
    the code that imports it would report the second rule's code instead."""
    named = {id(value) for value in vars(rules).values() if isinstance(value, Rule)}
    assert named == {id(rule) for rule in RULES.values()}


def test_codes_are_unique_and_titles_chinese() -> None:
    assert len({rule.code for rule in RULES.values()}) == len(RULES)
    assert all(rule.title and not rule.title.isascii() for rule in RULES.values())
