"""Enterprise names for the synthetic registry: 行政区划 + 字号 + 行业 + 组织形式, as in
《企业名称登记管理规定》 (长春市华信科技有限公司, 吉林省瑞丰农业有限公司, 鸿达商贸（长春）有限公司).

The 字号 are random combinations of the syllables below; a name that happens to match a real
enterprise is a coincidence. Names are unique within a generated registry.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from huiqi.rules.industries import ancestors

from .cities import City

SYLLABLES = "".join(
    dict.fromkeys(
        "华信达鑫盛源泰恒瑞祥宏宇金龙凯博德远通诚嘉安永兴昌隆丰利新天海蓝星辰光明润泽和益众合创智"
        "腾飞翔鹏卓越欣悦晟旭阳东方正吉亚汇聚宝峰成辉晨弘启航锦程尚品佳优美乐康健铭睿思瀚云霖林森"
        "竹梅兰松柏雅致鸿运福顺兆佰万千百文武立仁义礼轩宁静英豪杰俊彩虹广大友邦银铁钢力强"
    )
)
"""The syllables of 字号, each once."""

# Industry words by GB/T 4754 code (class, division or section; the most specific applies).
WORDS: dict[str, tuple[str, ...]] = {
    "A": ("农业", "农业发展", "种植"),
    "01": ("农业", "种植", "农业科技", "果蔬"),
    "02": ("林业", "苗木"),
    "03": ("牧业", "养殖", "畜牧"),
    "04": ("渔业", "水产养殖"),
    "05": ("农机服务", "农业服务"),
    "B": ("矿业", "矿产", "砂石"),
    "C": ("制造", "实业", "工业"),
    "13": ("粮油", "米业", "农副产品加工"),
    "14": ("食品", "乳业"),
    "15": ("酒业", "饮品"),
    "17": ("纺织",),
    "18": ("服装", "服饰"),
    "19": ("皮革", "鞋业"),
    "20": ("木业",),
    "21": ("家具",),
    "22": ("纸业", "包装"),
    "23": ("印刷", "印务"),
    "24": ("文体用品", "工艺"),
    "25": ("石化", "能源"),
    "26": ("化工", "化学"),
    "27": ("药业", "制药", "生物制药"),
    "28": ("化纤",),
    "29": ("橡塑", "塑业"),
    "30": ("建材", "新型建材", "陶瓷"),
    "31": ("钢铁", "冶金"),
    "32": ("铝业", "有色金属"),
    "33": ("金属制品", "五金"),
    "34": ("机械", "机械设备", "机械制造"),
    "35": ("装备", "专用设备"),
    "36": ("汽车零部件", "汽车部件", "汽车配件"),
    "37": ("轨道交通装备", "客车配件"),
    "38": ("电气", "电器", "电力设备"),
    "39": ("电子", "光电", "电子科技"),
    "40": ("仪器仪表", "光学仪器"),
    "42": ("再生资源",),
    "43": ("设备维修", "机电维修"),
    "D": ("电力", "新能源", "热力"),
    "45": ("燃气",),
    "46": ("水务",),
    "E": ("建筑工程", "建设工程", "建筑"),
    "48": ("市政工程", "路桥工程", "水利工程"),
    "49": ("安装工程", "电力工程"),
    "50": ("装饰工程", "建筑装饰"),
    "F": ("商贸",),
    "51": ("商贸", "贸易", "经贸", "物资", "供应链"),
    "52": ("商店", "超市", "百货", "商贸", "药房"),
    "G": ("运输", "物流"),
    "54": ("运输", "物流", "客运"),
    "58": ("货运代理", "国际货运代理"),
    "59": ("仓储", "储运"),
    "60": ("快递", "速递"),
    "H": ("餐饮",),
    "61": ("酒店", "宾馆"),
    "62": ("餐饮", "餐饮管理", "饭店"),
    "I": ("信息技术",),
    "63": ("通信", "网络"),
    "64": ("网络科技", "互联网"),
    "65": ("软件", "科技", "信息技术", "数字科技", "智能科技"),
    "J": ("投资",),
    "66": ("金融服务",),
    "67": ("资本管理",),
    "68": ("保险代理",),
    "69": ("融资担保", "小额贷款", "融资租赁", "投资管理"),
    "K": ("房地产",),
    "7010": ("房地产开发", "置业"),
    "7020": ("物业服务", "物业管理"),
    "7030": ("房地产经纪", "房屋中介"),
    "L": ("商务服务",),
    "71": ("租赁", "设备租赁", "汽车租赁"),
    "72": ("企业管理", "商务咨询", "广告", "人力资源", "会展服务"),
    "M": ("科技",),
    "73": ("科技", "生物科技", "技术研究"),
    "74": ("工程设计", "检测", "技术服务", "勘察设计"),
    "75": ("科技", "技术开发", "科技服务", "农业科技"),
    "N": ("环境工程",),
    "77": ("环保科技", "环境工程", "生态"),
    "78": ("园林绿化", "市政服务"),
    "O": ("服务",),
    "80": ("家政服务", "婚庆服务", "美容美发"),
    "81": ("汽车维修", "家电维修"),
    "P": ("教育科技", "教育咨询", "培训"),
    "Q": ("医疗", "健康管理", "医院管理"),
    "85": ("养老服务", "康养"),
    "R": ("文化",),
    "86": ("文化传媒", "出版"),
    "87": ("影视", "传媒"),
    "88": ("文化艺术", "文化旅游"),
    "89": ("体育", "健身"),
    "90": ("娱乐",),
}

FORMS = ("有限公司", "有限责任公司", "股份有限公司", "集团有限公司")
_FORM_WEIGHTS = np.array(  # by size rank, micro to large
    [
        (0.78, 0.20, 0.02, 0.0),
        (0.75, 0.20, 0.05, 0.0),
        (0.65, 0.20, 0.13, 0.02),
        (0.45, 0.15, 0.25, 0.15),
    ]
)
# Where the place name goes: 长春市…, 长春…, 吉林省…, 农安县… or 长春市南关区…, …（长春）有限公司.
_CITY, _SHORT, _PROVINCE, _DISTRICT, _BRACKET = range(5)
_STYLE_WEIGHTS = np.array([0.45, 0.15, 0.15, 0.15, 0.10])
_MAX_ROUNDS = 20


def enterprise_names(
    rng: np.random.Generator,
    city: City,
    district: np.ndarray,
    classes: tuple[str, ...],
    industry: np.ndarray,
    size_rank: np.ndarray,
) -> pl.Series:
    """One unique name per enterprise. ``district`` indexes ``city.districts``, ``industry``
    indexes ``classes`` (GB/T 4754 class codes) and ``size_rank`` is 0 (micro) to 3 (large)."""
    n = len(district)
    words, offsets, counts = _word_table(classes)
    word = offsets[industry] + (rng.random(n) * counts[industry]).astype(np.int64)
    form = _pick(rng, _FORM_WEIGHTS[size_rank])
    style = _pick(rng, np.broadcast_to(_STYLE_WEIGHTS, (n, len(_STYLE_WEIGHTS))))
    # prefixes: city, short, province, none (for the bracket style), then one per district
    prefixes = (city.name, city.short, city.province, "", *map(city.prefix, city.districts))
    prefix = np.select([style == _DISTRICT, style == _BRACKET], [4 + district, 3], style)
    head = pl.Series(prefixes).gather(prefix)
    form_text = pl.Series(FORMS).gather(form)
    form_text = (f"（{city.short}）" + form_text).zip_with(pl.Series(style == _BRACKET), form_text)
    tail = pl.Series(words).gather(word) + form_text
    trade = _trade_names(rng, np.where(rng.random(n) < 0.15, 3, 2))
    names = head + trade + tail
    for round_ in range(_MAX_ROUNDS):  # a repeated name gets a longer 字号
        repeated = np.flatnonzero(~names.is_first_distinct().to_numpy())
        if not len(repeated):
            return names.rename("name")
        longer = np.full(len(repeated), min(4, 3 + round_))
        trade = trade.scatter(repeated, _trade_names(rng, longer))
        names = head + trade + tail
    raise RuntimeError("enterprise names did not become unique")


def _trade_names(rng: np.random.Generator, lengths: np.ndarray) -> pl.Series:
    """字号 of 2 to 4 syllables."""
    picks = rng.integers(0, len(SYLLABLES), size=(len(lengths), 4))
    syllables = pl.Series(list(SYLLABLES))
    parts = [syllables.gather(picks[:, i]) for i in range(4)]
    out = parts[0] + parts[1]
    for i in (2, 3):
        out = (out + parts[i]).zip_with(pl.Series(lengths > i), out)
    return out


def _word_table(classes: tuple[str, ...]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """All industry words, and for each class the offset and count of its own."""
    words: list[str] = []
    offsets, counts = [], []
    for code in classes:
        chain = [a.code for a in ancestors(code)]
        own = next(WORDS[c] for c in chain if c in WORDS)
        offsets.append(len(words))
        counts.append(len(own))
        words.extend(own)
    return words, np.array(offsets), np.array(counts)


def _pick(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One index per row of ``weights`` (each row sums to 1)."""
    cumulative = np.cumsum(weights, axis=1)
    u = rng.random(len(weights))[:, None]
    return np.minimum((u >= cumulative).sum(axis=1), weights.shape[1] - 1)
