# 准入清单与准入审查 The admission list and the gate.

referral admission_office "区委政法委（准入申请）" {
  kind department
  department zhengfawei
  contact "区委政法委综治科"
}

list admission "网格准入事项清单" {
  admission true
  matter M01 "矛盾纠纷调解" {
    effective 2026-01-01
    handlers grid_worker
  }
}

gate grid_admission "网格准入审查" {
  applies kind == task
  lists admission
  refer admission_office
  reason "未列入准入清单的工作不得下派网格，请向区委政法委申请准入"
  exemption emergency_order "指挥中心应急指令" {
    when source == command_centre and urgency == emergency
    period 72 hours
    basis "紧急状态下指挥中心的指令传达落实到最基层（原文：疫情防控）"
    assumption "豁免期 72 小时为假设。"
  }
}
