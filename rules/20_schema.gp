# 事项字段：上报的问题（issue）和部门下派的任务（task）都按这些字段描述
# The item schema. The envelope (id, kind, matter, reported_at, grid) is fixed by the runtime.

field urgency "紧急程度" {
  type enum
  values normal "一般", urgent "紧急", emergency "特急（突发事件）"
  default normal
  note "emergency：自然灾害、事故灾难、公共卫生、社会安全等突发事件（《突发事件应对法》四类）。"
  assumption "三档划分参照蚌埠 12345“一般应急 / 重大应急”与天阙网格平台 urgent / isEmergency 标记（practice.md §2.9），原文未分级。"
}

field emergency_level "突发事件等级" {
  type enum
  values general "一般（Ⅳ级）",
      serious "较大（Ⅲ级）",
      major "重大（Ⅱ级）",
      extraordinary "特别重大（Ⅰ级）"
  default general
  note "上报时未定级的按一般（Ⅳ级）先行报告，核定后按核定等级续报。"
  assumption "分级依《突发事件应对法》“特别重大、重大、较大、一般”四级（practice.md §2.7）；天阙网格平台上报事件必填重大紧急等级（practice.md §4.3）。原文未分级。"
}

field scope "涉及范围" {
  type tier
  from grids
  default grid
  note "问题涉及的最大范围：本网格（grid）、跨网格（community）、跨社区（street）、跨街道（district）、跨区（city）。事项列出所涉网格（grids）的，由网格台账推算；事项自己填写的优先。"
}

field needs "所需能力" {
  type set
  values law_enforcement "行政执法",
      industry_supervision "行业监管",
      professional "专业技术",
      certification "执业资格或持证作业",
      special_equipment "专用设备或设施",
      funding "专项经费或物资",
      coordination "跨部门协调"
  source "原文：网格承接“除行政执法和行业监管之外的相关工作”"
  note "列出办理这件事所需的能力；排除标准和分流规则据此判断。"
}

field channel "受理渠道" {
  type enum
  values phone "电话", online "网络（含省热线平台、人民网留言）"
  default phone
  source "practice.md §2.2：淮北 12345 按来源分为省热线、人民网留言、电话和“互联网+政务服务”留言"
  assumption "电话工单 5 个工作日、网络和省平台工单 3 个工作日，参照蚌埠 12345（practice.md §2.6）。"
}

field responsible_department "主责部门" {
  type department
  note "对该问题（诉求）承担主体责任的市、区直部门；没有则不填。"
  source "原文：“市、区直单位承担主体责任的问题(诉求)，通过市区街居网格‘五级联动’等联动办理”"
}

field source "来源" {
  type enum
  values patrol "网格巡查",
      hotline "12345 热线",
      resident "居民反映",
      enterprise "企业反映",
      department "部门下派"
  source "原文：“对网格党组织内摸排发现的问题和收集的诉求”"
}

field followup "回访结果" {
  type enum
  values satisfied "满意", basically_satisfied "基本满意", dissatisfied "不满意"
  note "办结回访的结果；未回访时不填。"
  source "原文：“办结回访问效”；“组织居民(企业)对问题办理情况进行满意度评价”"
}

field handled_tier "原办理层级" {
  type tier
  note "回访时填写：这件事上一次由哪一级办理。"
}

field summary "问题描述" {
  type text
  note "供人阅读；规则不据此判断。"
}
