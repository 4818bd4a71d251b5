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

department zfw "区委政法委" { tier district }
department scj "区市场监管局" { tier district }
department city_hall "市政府" { tier city }

role leader "网格长" { category leader }
role worker "网格员" { category staff; assigned_by zfw }

field urgency "紧急程度" { type enum; values normal "一般", urgent "紧急", emergency "特急"; default normal }
field scope "范围" { type tier; default grid }
field needs "所需能力" { type set; values law "行政执法", pro "专业技术" }
field owner "主责部门" { type department }
field people "涉及人数" { type number; range 0 .. 100000; default 1 }
field verified "已核实" { type bool; default false }
field handled_tier "原处理层级" { type tier }
field followup "回访" { type enum; values satisfied "满意", dissatisfied "不满意" }

criterion professional "专业性较强" { when pro in needs }
criterion enforcement "行政执法" { when law in needs }

calendar { holidays 2027-01-01 .. 2027-01-03; workdays 2027-01-09 }

list grid_items "准入事项清单" {
  admission true
  batch b1 "第一批" { effective 2024-03-01 }
  batch b2 "第二批" { effective 2024-09-01 }
  matter M01 "矛盾纠纷调解" { aliases "纠纷调解", "调解"; batch b1; handlers leader, worker; owner zfw }
  matter M02 "流动人口信息收集" { batch b2; handlers worker; owner zfw; expires 2025-09-01 }
  matter M03 "文明创建" { batch b2; handlers worker; owner zfw }
  matter M04 "独立生效事项" { effective 2025-01-15; handlers worker }
}
list duties "社区依法履职事项" {
  matter D01 "居民会议组织" { }
}

exit X01 "文明创建退出" {
  matter M03; date 2025-06-30; approved_by "区委政法委"; ref "示政法〔2025〕1号"; reason "改由部门办理"
}

route emergency "紧急上报" {
  when urgency == emergency
  tier street
  handlers leader
  limit 1 hour
  escalate 2 hours -> district
}
route reopen "不满意重办" {
  when followup == dissatisfied and has(handled_tier)
  tier above(handled_tier)
  limit 2 workdays
}
route dept "部门主体责任" {
  when has(owner)
  department owner
  limit 5 workdays
  escalate 2 workdays -> city
}
route wide "超出网格" {
  when scope > grid
  tier scope
  limit 3 workdays
  escalate 2 workdays -> above
}
route notify "多人事件同时告知社区" {
  when people >= 50
  handlers leader
  continue true
}
route local "网格内办理" {
  tier grid
  handlers matter
  limit 3 workdays
  escalate 1 workday -> community, 3 workdays -> street
}

formula score "网格员综合评分" {
  input contact "联系服务" { range 0 .. 100 }
  input tasks "任务完成" { range 0 .. 100 }
  value round(weighted(contact: 0.4, tasks: 0.6), 1)
  range 0 .. 100
  grade stars
}
formula satisfaction "满意率" {
  input cases "回访记录" { type records; fields result }
  value round(rate(cases, result == "satisfied") * 100, 1)
  range 0 .. 100
}
grade stars "星级" {
  band 90 -> five "五星", 80 -> four "四星", 0 -> unrated "未评星"
}
