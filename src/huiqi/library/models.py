"""The regulation library in the platform's database: the bundled documents, every node of
their text, and the search index of their articles (长春 条例 第三十五条: publish, classify and
search laws and policies).

The rows are made by :func:`huiqi.library.services.load_library` from
:func:`huiqi.law.bundled`; nothing else writes them.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.urls import reverse

from huiqi.law.header import EVENT_NAMES


class Status(models.TextChoices):
    """Where a document stands, for grouping: 现行有效, 草案, 已被修订."""

    CURRENT = "current", "现行有效"
    DRAFT = "draft", "草案"
    SUPERSEDED = "superseded", "已被修订"


class NodeKind(models.TextChoices):
    """Levels of a legal text (:class:`huiqi.law.model.Kind`)."""

    PART = "part", "编"
    CHAPTER = "chapter", "章"
    SECTION = "section", "节"
    ARTICLE = "article", "条"
    PARAGRAPH = "paragraph", "款"
    ITEM = "item", "项"
    SUBITEM = "subitem", "目"


DIVISION_KINDS = (NodeKind.PART, NodeKind.CHAPTER, NodeKind.SECTION)


class LawDocumentQuerySet(models.QuerySet):
    def versions_of(self, doc: LawDocument) -> list[LawDocument]:
        """The versions linked to ``doc`` through ``version_of``, both directions, ``doc``
        included, in library order (earliest first)."""
        docs = {d.id: d for d in self.defer("export")}
        linked, todo = {doc.id}, [doc.id]
        while todo:
            current = docs.get(todo.pop())
            if current is None:
                continue
            neighbours = {d.id for d in docs.values() if d.version_of_id == current.id}
            if current.version_of_id:
                neighbours.add(current.version_of_id)
            todo.extend(neighbours - linked)
            linked |= neighbours
        return sorted((docs[i] for i in linked if i in docs), key=lambda d: d.position)


class LawDocument(models.Model):
    """One document of the library (a version of a work), as the manifest describes it."""

    id = models.CharField("编号", max_length=100, primary_key=True)
    position = models.PositiveIntegerField("排序", help_text="在法规库清单中的位置。")
    work = models.CharField("作品", max_length=100, db_index=True)
    title = models.CharField("标题", max_length=200)
    display_title = models.CharField(
        "显示标题", max_length=220, help_text="草案在标题后注明阶段，如（征求意见稿）。"
    )
    short = models.CharField("简称", max_length=100)
    jurisdiction = models.CharField("行政区划代码", max_length=12, db_index=True)
    jurisdiction_name = models.CharField("行政区划", max_length=50)
    jurisdiction_full_name = models.CharField(
        "行政区划全称", max_length=100, help_text="含上级行政区划，如吉林省长春市。"
    )
    type = models.CharField("类别", max_length=20)
    stage = models.CharField("阶段", max_length=20)
    status = models.CharField("效力状态", max_length=12, choices=Status.choices)
    latest = models.BooleanField("最新版本", help_text="法规库中没有该作品更晚的版本。")
    dates = models.JSONField("日期", default=dict, help_text="通过、公布、施行等日期（ISO）。")
    version_date = models.DateField("版本日期", null=True, blank=True)
    version_of = models.ForeignKey(
        "self",
        verbose_name="前一版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="later_versions",
    )
    issuer = models.CharField("制定机关", max_length=100, blank=True)
    number = models.CharField("文号", max_length=100, blank=True)
    note = models.TextField("说明", blank=True)
    export = models.JSONField("JSON 导出", help_text="huiqi.law 的 JSON 导出（schema 1）。")
    articles = models.PositiveIntegerField("条数")
    content_hash = models.CharField("内容散列", max_length=64)

    objects = LawDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "法规文件"
        verbose_name_plural = "法规文件"
        ordering = ("position",)

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("library:document", args=[self.id])

    def date_list(self) -> list[tuple[str, date]]:
        """The dates of the manifest in time order, named in Chinese: (通过, 2024-12-26) …"""
        named = [(EVENT_NAMES.get(k, k), date.fromisoformat(v)) for k, v in self.dates.items()]
        return sorted(named, key=lambda pair: pair[1])


class Provision(models.Model):
    """One node of a document's text: 编/章/节, 条, 款, 项 or 目, in document order.

    ``node`` is the library's id (``art_43``, ``art_12/para_1/item_3``, ``part_1/chp_2``);
    ``text`` the node's own text, ``full_text`` with everything below it."""

    doc = models.ForeignKey(
        LawDocument, verbose_name="文件", on_delete=models.CASCADE, related_name="provisions"
    )
    node = models.CharField("节点编号", max_length=200)
    kind = models.CharField("层级", max_length=10, choices=NodeKind.choices)
    num = models.PositiveIntegerField("序号")
    suffix = models.PositiveIntegerField("之几", default=0, help_text="第十条之一为 1。")
    label = models.CharField("序号文字", max_length=50, help_text="如 第四十三条、第二款。")
    path_label = models.CharField(
        "条款序号", max_length=200, help_text="如 第十二条第一款第（三）项；编章节为其序号。"
    )
    heading = models.CharField("条旨或名称", max_length=300, blank=True)
    text = models.TextField("本级文字", blank=True)
    full_text = models.TextField("全文", blank=True)
    citation = models.CharField("引用", max_length=400)
    division = models.CharField(
        "所在编章节", max_length=300, blank=True, help_text="如 第三章 服务保障。"
    )
    article = models.CharField("所在条", max_length=100, blank=True)
    parent = models.CharField("上级节点", max_length=200, blank=True)
    depth = models.PositiveSmallIntegerField("层深")
    order = models.PositiveIntegerField("顺序")

    class Meta:
        verbose_name = "条文"
        verbose_name_plural = "条文"
        ordering = ("doc__position", "order")
        constraints = (
            models.UniqueConstraint(fields=("doc", "node"), name="library_provision_doc_node"),
        )
        indexes = (models.Index(fields=("doc", "order"), name="library_provision_order"),)

    def __str__(self) -> str:
        return self.citation

    @property
    def is_division(self) -> bool:
        return self.kind in DIVISION_KINDS

    def get_absolute_url(self) -> str:
        if self.is_division:
            return reverse("library:document", args=[self.doc_id]) + f"#{self.node}"
        return reverse("library:article", args=[self.doc_id, self.node])


class SearchEntry(models.Model):
    """An article's search tokens (:mod:`huiqi.law.tokens`), space-joined: bigrams of the
    heading and of the text, and jieba words. SQLite indexes them in the FTS5 table
    ``library_search_fts`` (kept in step by triggers), PostgreSQL in generated ``tsvector``
    columns with GIN indexes (migration 0002)."""

    provision = models.OneToOneField(
        Provision,
        verbose_name="条文",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
    )
    heading = models.TextField("条旨词元", blank=True)
    body = models.TextField("正文词元")
    words = models.TextField("分词", blank=True)

    class Meta:
        verbose_name = "检索条目"
        verbose_name_plural = "检索条目"
