"""Status and reminders: the focal-points file."""

from __future__ import annotations

import pytest

from selfassess.errors import DefinitionError
from selfassess.secretariat.status import load_contacts


def test_contacts_problems_are_located() -> None:
    bad = (
        b"country,name,email,language\n"
        b"MX,Ana,ana@example.org,es\n"
        b"ZZZ,Bo,bo@example.org,\n"
        b"FR,Cy,not an address,fr\n"
        b"CA,Di,di@example.org,de\n"
    )
    with pytest.raises(DefinitionError) as info:
        load_contacts(bad)
    assert [p.line for p in info.value.problems] == [3, 4, 5]
    with pytest.raises(DefinitionError, match="first line"):
        load_contacts(b"pays,nom\nMX,Ana\n")
