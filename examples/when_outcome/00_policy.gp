# 示例：时限与处理结果 — a demonstration of clocks and outcomes (not a real district's rules).
# 分段时限、工作时与紧急工作时、随事项而定的时限、转介与挂账、准入审查与豁免、移交与督促。
# Staged limits, working and round-the-clock hours, item-dependent limits, redirects and holds,
# the admission gate with an exemption, transfers and notices.

policy when_outcome "时限与处理结果示例" {
  version "1.0"
  authority "示例区委政法委"
  effective 2026-01-01
  timezone "Asia/Shanghai"
  note "演示规则集：时限数值参照 practice.md 中其他地区的公开规定，均为假设。"
}

tier grid "网格" { level 1 }
tier community "社区" { level 2 }
tier street "街道（镇）" { level 3 }
tier district "区直部门" { level 4 }
tier city "市直部门" { level 5 }

department zhengfawei "区委政法委" { tier district }
department chengguan "区城管执法局" { tier district }
department water "区供水公司" { tier district }
department city_office "市网格化服务管理中心" { tier city }

role grid_leader "网格长" { category leader }
role grid_worker "综治网格员" { category staff }

calendar {
  office_hours "08:30-12:00", "14:30-17:30"
  assumption "办公时间 08:30–12:00、14:30–17:30 为假设（各地作息不一）。"
}
