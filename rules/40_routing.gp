# 分流（“三办”）：按先匹配先得的顺序排列，第一条适用的规则决定去向。
# Routing ("three ways of handling"). Routes are tried top to bottom; the first that
# applies decides. Time limits run from the report time; escalation steps run from the
# deadline (how long overdue). 时限从上报时间起算；升级从时限届满起算。
#
# 部门下派的任务（kind: task）先过准入关：不在准入清单、未到批次日期、已退出或临时准入到期、
# 或触及任一排除标准的，一律拒绝下派，不进入下面的分流。

# 1. 突发事件：立即上报，不在网格停留
route emergency "突发事件立即上报" {
  when urgency == emergency
  tier street
  handlers grid_leader, grid_worker
  dispatch "网格长立即电话报告街道（镇）并启动网格应急响应，网格人员协助先期处置、传达落实指挥部指令"
  limit 20 minutes
  escalate 40 minutes -> district "书面报告区应急指挥中心", 2 hours -> city "报告市级"
  source "原文：疫情防控中“及时把疫情防控应急指挥部相关指令传达落实到最基层”"
  assumption "时限参照某县“20 分钟内电话报告、40 分钟内书面报告”与兰州“2 小时内报市”的规定（practice.md §2.7）；原文未给出时限。"
}

# 2. 回访不满意：在原办理层级的上一级重新办理
route reopen_dissatisfied "回访不满意，上一级重办" {
  when followup == dissatisfied and has(handled_tier)
  tier above(handled_tier)
  dispatch "上一级重新受理，原办理层级配合"
  limit 5 workdays
  escalate 2 workdays -> above "再上一级督办"
  source "原文：“办结回访问效”“全程跟踪督办”"
  assumption "不满意即在上一级重办、时限 5 个工作日，参照 12345“因承办单位原因不满意的重新办理”（practice.md §2.6）；原文未写明重办规则。"
}
route reopen_unknown_tier "回访不满意（未注明原办理层级）" {
  when followup == dissatisfied
  tier community
  dispatch "原办理层级不明时，由社区重新受理"
  limit 5 workdays
  escalate 2 workdays -> street "街道督办"
  assumption "未注明原办理层级的，视为在网格办理，交社区重办。"
}

# 3. 回访满意或基本满意：在原办理层级办结归档
route closed "回访满意，办结归档" {
  when (followup == satisfied or followup == basically_satisfied) and has(handled_tier)
  tier handled_tier
  dispatch "办结归档，计入满意度评价"
  source "原文：“根据‘三办’情况，组织居民(企业)对问题办理情况进行满意度评价”"
}

# 4. 市直部门承担主体责任：五级联动
route city_department "市直部门主体责任（五级联动）" {
  when tier_of(responsible_department) == city
  department responsible_department
  handlers grid_leader
  dispatch "经社区、街道、区逐级推送市直主责部门；网格长跟踪反馈"
  limit 15 workdays
  escalate 5 workdays -> shi_zhengfawei "提交市区联席会议协调"
  source "原文：“市、区直单位承担主体责任的问题(诉求)，通过市区街居网格‘五级联动’等联动办理”"
  assumption "时限 15 个工作日参照徐州住建局 12345 投诉件时限（practice.md §2.6）；原文未给出。"
}

# 5. 区直部门承担主体责任：五级联动
route district_department "区直部门主体责任（五级联动）" {
  when has(responsible_department)
  department responsible_department
  handlers grid_leader
  dispatch "推送区直主责部门办理；网格长跟踪反馈，办结后组织回访"
  limit 5 workdays
  escalate 1 workday -> zhengfawei "区委政法委催办",
      5 workdays -> shi_zhengfawei "提交市区联席会议协调"
  source "原文：“市、区直单位承担主体责任的问题(诉求)，通过市区街居网格‘五级联动’等联动办理”"
  assumption "时限 5 个工作日、逾期次日催办、再逾期 5 个工作日通报，参照蚌埠 12345 与某市局 12345 规定（practice.md §2.6）；原文未给出。"
}

# 6. 不由网格承担的事项（负面清单、已退出、临时准入到期、尚未承接）：交主管部门
route owner_department "非网格事项交主管部门" {
  when matter.list == negative or matter.status in [exited, expired, not_yet_in_force]
  department matter.owner
  dispatch "网格发现报告后，推送事项主管部门办理"
  limit 5 workdays
  escalate 1 workday -> zhengfawei "区委政法委催办"
  source "原文：“对不再适宜由网格承担的事务，按程序批准退出”"
  assumption "群众反映的此类问题仍要有去处：交事项主管部门，时限同区直部门。"
}

# 7. 需要行政执法或行业监管：不在网格办理
route enforcement "需执法或监管，报街道（镇）吹哨" {
  when law_enforcement in needs or industry_supervision in needs
  tier street
  handlers urban_enforcer, market_officer
  dispatch "网格人员发现、劝导并报告；街道（镇）协调综合执法或行业监管部门到场"
  limit 3 workdays
  escalate 2 workdays -> district "区直执法、监管部门报到"
  source "原文：网格承接“除行政执法和行业监管之外的相关工作”"
  assumption "时限参照南京鼓楼“吹哨报到”3 个工作日报到（practice.md §2.4）；原文未给出。"
}

# 8. 跨社区：提交街道（镇）协调
route beyond_community "跨社区问题，街道（镇）协调" {
  when scope > community
  tier street
  dispatch "社区提交街道（镇）协调相关社区和部门"
  limit 5 workdays
  escalate 3 workdays -> district "五级联动：区直相关部门"
  source "原文：“网格党组织内无法解决的问题，提交社区、街道(镇)协调办理”"
  assumption "时限 5 个工作日；原文未给出。"
}

# 9. 网格内无法解决：提交社区协调
route beyond_grid "网格内无法解决，社区协调" {
  when scope == community or professional in needs or coordination in needs or funding in needs
  tier community
  handlers grid_leader, property_head, owners_committee
  dispatch "网格长提交社区党委协调；涉及小区的，社区党委、业委会、物业企业三方联动"
  limit 3 workdays
  escalate 2 workdays -> street "提交街道（镇）协调", 5 workdays -> district "五级联动"
  source "原文：“网格党组织内无法解决的问题，提交社区、街道(镇)协调办理”"
  assumption "时限 3 个工作日；原文未给出。"
}

# 10. 紧急但可在网格解决：当天处置
route urgent_in_grid "紧急事项网格即办" {
  when urgency == urgent
  tier grid
  handlers grid_leader, matter
  dispatch "网格党组织立即派单，网格人员认领即办"
  limit 4 hours
  escalate 4 hours -> community "社区督办", 1 day -> street "街道督办"
  assumption "时限 4 小时参照数字城管“4 工作时”类事件（practice.md §2.5），按自然时计算；原文未给出。"
}

# 11. 准入清单内事项：网格党组织派单、网格人员认领办理
route grid_listed "准入事项网格办理" {
  when matter.status == in_force
  tier grid
  handlers matter
  dispatch "网格党组织派单，网格人员认领立即自主办理"
  limit 3 workdays
  escalate 1 workday -> community "社区督办", 3 workdays -> street "街道督办"
  source "原文：“网格党组织内能解决的问题，由网格党组织派单，网格人员认领立即自主办理”"
  assumption "时限 3 个工作日参照 12345“求助类 3 个工作日内办结”（practice.md §2.6）；原文未给出。"
}

# 12. 兜底：其余在网格内发现、可在网格解决的问题
route grid "网格内解决" {
  tier grid
  handlers grid_leader, grid_worker
  dispatch "网格党组织派单，网格人员认领立即自主办理"
  limit 3 workdays
  escalate 1 workday -> community "社区督办", 3 workdays -> street "街道督办"
  source "原文：“网格党组织内能解决的问题，由网格党组织派单，网格人员认领立即自主办理”"
  assumption "时限同准入事项；原文未给出。"
}
