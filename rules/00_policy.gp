# 屯溪区党建引领网格化治理规则集 — 规则头、五级联动层级
# The Tunxi rule set: header and the five tiers of the five-level linkage (五级联动).
#
# 阅读说明 How to read these files:
#   - 本文件夹按文件名顺序加载：00 规则头 → 10 组织 → 20 字段 → 30 准入清单 → 40 分流 → 50 评价。
#   - 原文（屯溪区经验文章，2024-07-13 转载）写明的事实用 source "…" 标出处；
#     原文没有给出的数值（批次归属与日期、时限、权重、分数线）一律以 assumption "…" 标为假设，
#     多数参照 ../shared/domain/practice.md 中其他地区的公开规定，使用前请按本区实际修改。
#   - Facts from the article carry `source`; every value the article does not give is an
#     `assumption`, never the article's fact.

policy tunxi "屯溪区党建引领网格化治理规则" {
  version "2026.1"
  authority "中共屯溪区委政法委员会", "屯溪区民政局"
  effective 2024-03-01
  routing first
  timezone "Asia/Shanghai"
  district_code "341002"
  unknown_grid reason
  source "《构建高效运行的基层网格化治理体系》（安徽省黄山市屯溪区，2024-07-13 转载）：“区委政法委会同区民政局研究确定网格准入事项，并建立准入事项清单”"
  note "本规则集是屯溪区网格准入、分流（“三办”）与评价（“三评”）的可执行文本。区委政法委可以直接采用，修改日期、部门与数值后运行本区网格。"
  assumption "规则集生效日期 2024-03-01 与第一批承接日期相同；原文未给出日期。"
  note "网格编码以屯溪区行政区划代码 341002 开头；所涉网格中有外区网格的，涉及范围为市级；台账中没有的网格编码写入理由并给出“是否想写”。"
  note "工作日按国务院公布的法定节假日与调休计算（chinese_calendar 收录至 2026 年）；本区另行调整的日期写在 calendar 中。"
}

calendar {
  office_hours "08:30-12:00", "14:30-17:30"
  assumption "办公时间 08:30–12:00、14:30–17:30 为假设（工作时只计办公时间，practice.md §2.5 注）；本区夏季作息调整的，改写此处。"
}

# 五级联动：市—区—街道（镇）—社区—网格。层级越高，级别越大。
# The five-level linkage: city – district – street/town – community – grid.
tier grid "网格" {
  level 1
  source "原文：“统一划定92个城市社区网格党组织，作为推进基层治理的最基本单元”"
  note "一个网格党组织统筹引领 1 个或多个综治网格。"
}
tier community "社区" {
  level 2
  source "原文：“网格党组织内无法解决的问题，提交社区、街道(镇)协调办理”"
}
tier street "街道（镇）" {
  level 3
  source "原文：“提交社区、街道(镇)协调办理”"
}
tier district "区直部门" {
  level 4
  source "原文：“市、区直单位承担主体责任的问题(诉求)，通过市区街居网格‘五级联动’等联动办理”"
}
tier city "市直部门" {
  level 5
  source "原文：“市区街居网格‘五级联动’”；联席会议“联动市委组织部等12个市直部门”"
}
