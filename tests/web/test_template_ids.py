"""Ids printed into pages are never localised: with USE_THOUSAND_SEPARATOR on and Indonesian
as the language, `{{ unit.pk }}` renders 1502 as "1.502" (a select option, a URL or an
htmx target that silently stops working once ids pass 1,000, as the map page once did)."""

from __future__ import annotations

import re
from pathlib import Path

import sigap

TEMPLATES = Path(sigap.__file__).parent
RAW_ID = re.compile(r"\{\{\s*[\w.]*(?:\.pk|\.id|_id)\s*\}\}")


def test_no_template_prints_a_raw_id():
    found = [
        f"{path.relative_to(TEMPLATES)}:{n}: {line.strip()}"
        for path in TEMPLATES.rglob("templates/**/*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_ID.search(line)
    ]
    assert found == [], "use |unlocalize (or |stringformat:'d') for ids:\n" + "\n".join(found)


def test_the_check_catches_a_raw_id():
    assert RAW_ID.search('<option value="{{ unit.pk }}">')
    assert RAW_ID.search("/tpp/{{ row.employee_id }}/")
    assert not RAW_ID.search('<option value="{{ unit.pk|unlocalize }}">')
    assert not RAW_ID.search('<label for="{{ field.id_for_label }}">')
