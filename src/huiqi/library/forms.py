"""The search form of the regulation library; its choices come from the loaded documents."""

from __future__ import annotations

from django import forms

from huiqi.law.library import STAGES

from .models import LawDocument

QUERY_MAX = 100


class SearchForm(forms.Form):
    q = forms.CharField(
        label="检索词",
        required=False,
        max_length=QUERY_MAX,
        help_text="多个检索词以空格分隔，须同时出现；一两个字（如“投诉”“税”）也可检索。",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": "检索词不能超过 %(limit_value)d 个字。"},
    )
    jurisdiction = forms.ChoiceField(label="行政区划", required=False)
    stage = forms.ChoiceField(label="阶段", required=False)
    doc = forms.ChoiceField(label="文件", required=False)

    def __init__(self, *args, documents: list[LawDocument], **kwargs):
        super().__init__(*args, **kwargs)
        invalid = "没有“%(value)s”这一选项，请从列表中选择。"
        places = {d.jurisdiction: d.jurisdiction_full_name for d in documents}
        stages = {d.stage for d in documents}
        self.fields["jurisdiction"].choices = [("", "全部"), *places.items()]
        self.fields["stage"].choices = [("", "全部"), *((s, s) for s in STAGES if s in stages)]
        self.fields["doc"].choices = [
            ("", "全部文件"),
            *((d.id, d.display_title) for d in documents),
        ]
        for name in ("jurisdiction", "stage", "doc"):
            self.fields[name].error_messages["invalid_choice"] = invalid
