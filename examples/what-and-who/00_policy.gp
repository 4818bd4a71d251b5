# 演示规则集：“管什么、谁来管” — 事件部件分类、事项解析、部门类别与层级、主办与协办、属地单位、所涉网格推算范围。
# A demonstration of the what-and-who constructs of the language: the event catalogue, matter
# resolution, departments with kinds and hierarchy, the lead and assisting departments, the
# concrete unit from the grid registry, and the scope computed from the grids an item touches.
# 数值均为演示用假设（参照 shared/domain/practice.md），不是任何地区的规定。

policy what_and_who "“管什么、谁来管”演示规则集" {
  version "1"
  authority "示例区委政法委"
  effective 2026-01-01
  routing first
  district_code "341002"
  unknown_grid reason
  assumption "区划代码 341002 与示例台账一致；未知网格作为理由写入决定，不拒收事项。"
}

tier grid "网格" { level 1 locality grid }
tier community "社区" { level 2 locality community }
tier street "街道（镇）" { level 3 locality street }
tier district "区直部门" { level 4 locality district }
tier city "市直部门" { level 5 locality city }

# ---- 部门：类别、上级、简称 Departments: kinds, parents, short names -------------------------
department zhengfawei "区委政法委" {
  tier district
  short "政法委"
  kind party
}
department chengguan "区城市管理局" {
  tier district
  short "城管局"
  kind government
}
department shichang "区市场监督管理局" {
  tier district
  short "市场监管局"
  kind government
}
department zhujian "区住房和城乡建设局" {
  tier district
  short "住建局"
  kind government
}
department gongan "示例公安分局" {
  tier district
  short "公安分局"
  kind vertical
}
# 派出所按街道设置：辖区（area）写台账中的街道名称或编码；公安分局的工作按事项所在街道交给该街道的派出所。
department pcs_yudong "昱东派出所" {
  tier street
  kind vertical
  parent 公安分局
  area "昱东街道"
  note "公安分局的派出机构，按街道设置。"
}
department pcs_yuzhong "昱中派出所" {
  tier street
  kind vertical
  parent gongan
  area "002"
}
department water "供水公司" { tier district kind utility }
department gas "燃气公司" { tier district kind utility }
department fire119 "119 消防救援" { tier city kind channel }
department shi_zhujian "市住房和城乡建设局" { tier city short "市住建局" }

# ---- 角色 Roles ---------------------------------------------------------------------------
role grid_leader "网格长" { category leader tier grid }
role grid_worker "综治网格员" {
  category staff
  assigned_by 政法委
  tier grid
}
role sanitation_worker "环卫保洁人员" {
  category staff
  assigned_by 城管局
  tier grid
}
role urban_enforcer "城管执法队员" {
  category staff
  assigned_by chengguan
  tier grid
}

# ---- 字段 Fields ----------------------------------------------------------------------------
field urgency "紧急程度" {
  type enum
  values normal "一般", urgent "紧急", emergency "特急"
  default normal
}
field needs "所需能力" { type set values law_enforcement "行政执法", professional "专业技术" }
field scope "涉及范围" {
  type tier
  from grids
  default grid
  note "事项未填写时，由所涉网格（grids）推算；填写的值优先。"
}
field responsible_department "主责部门" { type department }
field source "来源" { type enum values patrol "网格巡查", hotline "12345 热线" }
field summary "问题描述" { type text }

list admission "示例网格准入事项清单" {
  admission true
  matter M01 "矛盾纠纷调解" {
    aliases "纠纷调解"
    effective 2026-01-01
    handlers grid_leader, grid_worker
    owner zhengfawei
  }
}
