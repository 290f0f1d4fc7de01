"""Relationships: one rule for what is a part of the package."""

from __future__ import annotations

from selfassess.office.ooxml import internal_relationships
from selfassess.safety.package import parse_xml

RELS = b"""<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="r1" Type="t/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="r2" Type="t/custom" Target="/docProps/custom.xml"/>
<Relationship Id="r3" Type="t/link" Target="http://example.org/x" TargetMode="External"/>
<Relationship Id="r4" Type="t/link" Target="file:///etc/passwd" TargetMode=" external "/>
</Relationships>"""


def test_an_external_target_in_any_case_is_never_a_part() -> None:
    """The readers resolve parts by the package check's rule: a hand-made
    "external" is external too, not a part name built from a URL."""
    assert list(internal_relationships(parse_xml(RELS), "xl")) == [
        ("r1", "t/worksheet", "xl/worksheets/sheet1.xml"),
        ("r2", "t/custom", "docProps/custom.xml"),
    ]
