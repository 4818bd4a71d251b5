# 事项字段 Item fields.

field category "问题类别" {
  type enum
  values garbage "暴露垃圾",
      water_main "供水管道破裂",
      fire "火情",
      judgment "要求改判",
      tap "家中水龙头维修",
      backlog "历史遗留问题",
      hotline "12345 工单",
      other "其他"
  default other
}
field channel "来源渠道" {
  type enum
  values phone "电话", online "网络"
  default phone
}
field extra_days "批准延期（工作日）" {
  type number
  range 0 .. 30
  default 0
}
field source "来源" {
  type enum
  values patrol "巡查", hotline "12345", command_centre "指挥中心"
  default patrol
}
field urgency "紧急程度" {
  type enum
  values normal "一般", emergency "特急"
  default normal
}
