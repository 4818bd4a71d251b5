# 编写错误金样的基准规则（每个用例只改其中一处）
# The base rules of the authoring golden cases (each case changes one place).
policy demo "示例规则集" {
  version "1.0"
  authority "示例区委政法委"
  effective 2024-01-01
}

tier grid "网格" { level 1 }
tier community "社区" { level 2 }
tier street "街道" { level 3 }
tier district "区直部门" { level 4 }
tier city "市直部门" { level 5 }

department zfw "区委政法委" {
  tier district
}
department tuiyi "区退役军人事务局" {
  tier district
  short "退役军人局"
}

role leader "网格长" { category leader }
role worker "网格员" { category staff }
role volunteer "志愿者" { category staff }

field urgency "紧急程度" {
  type enum
  values normal "一般", urgent "紧急", emergency "特急"
  default normal
}
field scope "范围" {
  type tier
  default grid
}
field veteran "涉及退役军人" {
  type bool
  default false
}

list grid_items "准入事项清单" {
  admission true
  batch b1 "第一批" { effective 2024-03-01 }
  batch b3 "第三批" { effective 2025-01-01 }
  matter M01 "矛盾纠纷调解" {
    batch b1
    handlers leader, worker, volunteer
    owner zfw
  }
  matter M02 "退役军人走访" {
    batch b3
    handlers worker
    owner tuiyi
  }
}

route emergency "突发事件" {
  when urgency == emergency
  tier street
  handlers leader
  limit 1 hour
  escalate 2 hours -> district
}
route veterans "退役军人事务" {
  when veteran
  department tuiyi
  limit 5 workdays
}
route wide "超出社区范围" {
  when scope > community
  tier street
  limit 3 workdays
}
route default "网格先行处置" {
  tier grid
  handlers leader, worker
  limit 3 days
}
