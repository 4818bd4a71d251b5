# 屯溪区网格准入与分流规则（最小可运行版本，完整规则集见 issue 3）
policy tunxi "屯溪区网格化服务管理规则" {
  version "2026.1"
  authority "中共屯溪区委政法委员会", "屯溪区民政局"
  effective 2024-01-01
  routing first
  source "《屯溪区党建引领网格治理》（../shared/seed）"
}

tier grid "网格" { level 1 }
tier community "社区" { level 2 }
tier street "街道（镇）" { level 3 }
tier district "区直部门" { level 4 }
tier city "市直部门" { level 5 }

department zhengfawei "区委政法委" { tier district }
department minzheng "区民政局" { tier district }
department shijianju "区市场监督管理局" { tier district }

role grid_leader "网格长（网格党支部书记）" { category leader }
role grid_worker "综治网格员" { category staff assigned_by zhengfawei }

field urgency "紧急程度" {
  type enum
  values normal "一般", urgent "紧急", emergency "特急"
  default normal
}
field scope "涉及范围" {
  type tier
  default grid
}
field needs "所需能力" {
  type set
  values law_enforcement "行政执法", industry_supervision "行业监管", professional "专业技术"
}
field responsible_department "主责部门" { type department }

criterion professional "专业性较强" {
  when professional in needs
}
criterion enforcement "属于行政执法或行业监管" {
  when law_enforcement in needs or industry_supervision in needs
}

list admission "网格准入事项清单" {
  admission true
  batch b1 "第一批" { effective 2024-03-01 }
  batch b2 "第二批" { effective 2024-09-01 }
  matter M01 "矛盾纠纷调解" {
    aliases "纠纷调解"
    batch b1
    handlers grid_leader, grid_worker
    owner zhengfawei
  }
  matter M02 "流动人口信息收集" {
    batch b2
    handlers grid_worker
    owner minzheng
    expires 2025-09-01
    assumption "临时准入一年：示例"
  }
  matter M03 "文明创建" {
    batch b2
    handlers grid_worker
    owner minzheng
  }
}

exit X01 "文明创建退出网格" {
  matter M03
  date 2025-06-30
  approved_by "区委政法委"
  ref "屯政法〔2025〕1号"
  reason "示例"
}

route emergency "突发紧急事件立即上报" {
  when urgency == emergency
  tier street
  handlers grid_leader
  limit 1 hour
  escalate 2 hours -> district
}
route department_duty "部门主体责任" {
  when has(responsible_department)
  department responsible_department
  limit 5 workdays
  escalate 2 workdays -> city
}
route beyond_grid "超出网格" {
  when scope > grid
  tier above(grid)
  limit 3 workdays
  escalate 2 workdays -> above
}
route grid "网格内解决" {
  tier grid
  handlers matter
  limit 3 workdays
  escalate 1 workday -> community, 3 workdays -> street
}
