# 分流：只凭类别、网格、时间、紧急程度、来源和描述（12345 工单或巡查上报所知道的）即可分流，宿主不写分流逻辑。
# Routing from what a 12345 ticket or a patrol report knows: category, grid, time, urgency,
# source, description. The host writes no routing logic.

route emergency "突发事件：属地街道立即处置，主管部门协办" {
  when urgency == emergency
  tier street
  assisting matter.owner
  handlers grid_leader
  limit 20 minutes
  dispatch "网格长立即报告街道，主管部门、专业力量同步到场"
}

# 时限取各小类自己的（分段）时限（10_catalogue.gp），本规则不另写。
route component_owner "部件：先属主，由权属单位按小类的分段时限主办" {
  when matter.type == component
  department matter.owner
  handlers grid_worker
  dispatch "权属单位维修，网格员现场核实"
}

route outside_district "涉及外区网格：报市级协调" {
  when scope == city
  tier city
  department 市住建局
  limit 10 workdays
}

route cross_street "跨街道：区直主管部门牵头" {
  when scope == district
  tier district
  limit 5 workdays
  dispatch "主管部门牵头，相关街道配合"
}

# 公安分局主管的事项：由事项所在街道的派出所承办（部门辖区 area），宿主只写网格。
route police "公安事项：属地派出所" {
  when matter.owner == 公安分局
  department matter.owner
  handlers grid_worker
}

route enforcement "需要执法：街道吹哨，执法部门报到" {
  when law_enforcement in needs
  tier street
  handlers urban_enforcer
  limit 3 workdays
}

route cross_community "跨社区：街道协调" {
  when scope == street
  tier street
  limit 3 workdays
}

route sanitation "暴露垃圾、道路不洁：网格即办" {
  when matter.class in [暴露垃圾, A0104] and scope == grid
  tier grid
  handlers matter
  limit 4 hours
}

route appearance "其他市容环境问题：社区协调" {
  when matter.major == 市容环境
  tier community
  limit 2 workdays
}

route department_duty "主责部门明确：部门主办" {
  when has(responsible_department)
  department responsible_department
  limit 5 workdays
}

route listed "准入事项：网格办理" {
  when matter in [M01] and matter.status == in_force
  tier grid
  handlers matter
  limit 3 workdays
}

route fallback "兜底：网格核实" {
  tier grid
  handlers grid_worker
  limit 3 workdays
  dispatch "网格员核实情况；类别不明的，核实后补充类别"
}
