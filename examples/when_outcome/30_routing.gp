# 分流 Routing: redirects first, then staged and working-hour clocks.

referral fire_119 "火警 119" { kind emergency contact "119" }
referral court "人民法院诉讼服务中心" { kind court contact "12368" }
referral repair_market "家政维修市场服务" {
  kind market
  note "私事由群众自行委托市场服务"
}
referral online_repair "线上家政维修平台" { kind market contact "12345 网站便民服务栏目" }

route command "指挥中心应急指令" {
  when kind == task and source == command_centre
  tier grid
  handlers grid_leader, grid_worker
  limit 2 hours
  dispatch "立即传达落实"
}
route fire "火情转 119" {
  when category == fire
  outcome redirect
  refer fire_119
  reason "火情请立即拨打 119，网格员协助疏散"
}
route judgment "要求改判" {
  when category == judgment
  outcome redirect
  refer court
  reason "对生效裁判不服，应依法申请再审"
}
route tap "家中水龙头维修" {
  when category == tap
  outcome redirect
  refer if(channel == online, online_repair, repair_market)  # 去向随受理渠道而定
  reason "属于个人私事，可联系维修服务"
}
route backlog "历史遗留问题挂账" {
  when category == backlog
  outcome hold
  tier street
  review 30 days
}
route water_main "供水管道破裂" {
  when category == water_main
  department water
  stages 3 urgent_hours -> fence "围挡",
      8 urgent_hours -> repair "抢修",
      5 workdays -> restore "恢复路面"
  escalate 1 workday -> supervise(zhengfawei) "区委政法委督办"
  source "practice.md §2.5：围挡 3 紧急工作时 → 抢修 8 紧急工作时 → 恢复 5 工作日"
}
route garbage "暴露垃圾" {
  when category == garbage
  department chengguan
  limit 4 workhours
  escalate 4 workhours -> remind(zhengfawei) "催办",
      2 workdays -> bulletin(zhengfawei) "通报批评",
      5 workdays -> transfer(city_office) "提交市级协调"
}
route hotline "12345 工单" {
  when category == hotline
  tier community
  limit if(channel == online, 3 workdays, 5 workdays) + extra_days * 1 workday
  assumption "电话工单 5 个工作日、网络工单 3 个工作日，参照蚌埠 12345（practice.md §2.6）。"
}
route grid "网格内办理" {
  tier grid
  handlers grid_worker
  limit 3 workdays
  escalate 1 workday -> community
}
