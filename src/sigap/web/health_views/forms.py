"""Forms of the health pages: the declaration checklist and a test result."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.health.models import Symptom, TestKind, TestResult

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeclarationForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms today"),
        choices=Symptom.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    temperature_c = forms.DecimalField(
        label=_("Temperature (°C), optional"),
        min_value=Decimal("34.0"),
        max_value=Decimal("43.0"),
        decimal_places=1,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=500, required=False, widget=forms.TextInput
    )


class TestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Test"), choices=TestKind.choices)
    taken_on = forms.DateField(label=_("Taken on"), widget=DATE_INPUT)
    result = forms.ChoiceField(label=_("Result"), choices=TestResult.choices)
    document = forms.FileField(
        label=_("Result document (PDF, JPEG or PNG, at most 5 MB)"), required=False
    )
