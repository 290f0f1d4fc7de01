"""Strict element access for tests: a missing element is a failed assertion, not a None."""

from __future__ import annotations

from lxml import etree


def child(element: etree._Element, path: str) -> etree._Element:
    """``element.find(path)``, which the test expects to exist."""
    found = element.find(path)
    assert found is not None, f"no {path} in <{etree.QName(element).localname}>"
    return found


def parent(element: etree._Element) -> etree._Element:
    found = element.getparent()
    assert found is not None, f"<{etree.QName(element).localname}> has no parent"
    return found
