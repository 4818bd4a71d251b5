# 全程跟踪督办：案件分流之后的生命周期——退回与审定、延期、逾期督办、办结回访、重办、挂账、重复件合并。
# Case lifecycle ("tracking and supervision throughout"): what happens after the first routing.
# Hosts send the case's events (Policy.step / gridpolicy case / POST /v1/case); these rules say
# what each event does. 原文只写了闭环的环节，时限、次数与督办对象均参照他地做法，逐条标注为假设。
#
# 两套规则：部门承办的案件由区 12345 中心审定退回、批准延期、催办，督查室通报，重办由原承办部门负责；
# 网格、社区、街道办理的案件由街道（镇）审定退回，社区催办、街道督办，重办由上一级负责（“三办”）。

lifecycle department_cases "部门承办案件的跟踪督办" {
  routes emergency_major,
      emergency_wide,
      reopen_department,
      reopen_district,
      reopen_city,
      closed_department,
      water_main,
      gas_main,
      supply_outage,
      urgent_department,
      city_department,
      district_department,
      owner_department,
      parking,
      city_appearance_4h,
      spoil,
      waterway,
      police,
      components,
      class_owner,
      urgent_city,
      urgent_district,
      beyond_district,
      beyond_street
  source "原文：“前端发现报告—网上分级分流—部门联动办理—全程跟踪督办—办结回访问效”"

  on returned "退回与审定" {
    reasons wrong_locality "属地不符",
        unclear_ownership "权属不清",
        overlapping_functions "职能交叉",
        not_our_remit "非本部门职责"
    within 2 days
    arbiter xiaoneng
    limit 1 workday
    clock continue
    source "practice.md §2.3：承办部门对非本部门职责的案件“说明理由退回指挥中心”；北京接诉即办首接负责制"
    assumption "2 日内说明理由退回参照徐州住建局（practice.md §2.6）；退回理由取 12345 常见的属地不符、权属不清、职能交叉（practice.md §2.3）及“非本部门职责”。"
    assumption "区 12345 中心 1 个工作日内审定，审定期间原时限继续计算（首接负责，不因退回停表）；原文未给出。"
  }

  on extension "延期" {
    approver xiaoneng
    max 10 workdays
    times 1
    before 1 workday
    source "practice.md §2.6：延期须在时限届满前提出，说明理由和依据（某市局 12345）"
    assumption "时限届满前 1 个工作日申请，参照徐州住建局（practice.md §2.6）；最长 10 个工作日、限 1 次，参照天阙平台按工作日记延期（practice.md §2.8）；原文未给出。"
  }

  on overdue "逾期督办" {
    remind 1 workday -> xiaoneng "逾期次日区 12345 中心发催办通知书"
    bulletin 5 workdays -> duchashi "逾期 5 个工作日仍未办结的，区委区政府督查室书面通报批评"
    source "practice.md §2.6：某市局 12345“逾期次日发催办通知书；催办后仍逾期 5 个工作日的书面通报批评”"
    assumption "催办由区 12345 中心、通报由区委区政府督查室发出，区委政法委不在这一环；原文未给出。"
  }

  on completed "办结回访" {
    followup 1 workday
    source "原文：“办结回访问效”；practice.md §2.6“办结次日回访”"
  }

  on followup "回访问效" {
    redo dissatisfied
    source "原文：“组织居民(企业)对问题办理情况进行满意度评价”"
    assumption "只有“因承办单位原因不满意”（诉求合理）的才重办，诉求不合理的不重办、不计入承办单位，参照 12345 重新办理规则（practice.md §2.6）；基本满意视为办结。"
  }

  on reopened "重办" {
    by same
    limit 5 workdays
    bulletin 2 -> duchashi "两次重办仍不满意的，在工作通报中批评"
    source "practice.md §2.8：“两次催办仍未办理、两次重办仍不满意（承办单位原因）的，在工作通报中批评”"
    assumption "部门办理的由原承办部门重办、时限 5 个工作日，与分流规则 reopen_department 一致；原文未写明。"
  }

  on held "挂账" {
    review 30 days
    reviewer xiaoneng
    source "practice.md §2.3：延期后仍不能在时限内解决的，书面说明，由中心“挂账”"
    assumption "每 30 天由区 12345 中心复核一次为本规则集的选择；原文与参照资料均未给出。"
  }

  on merged "重复件合并" {
    source "practice.md §4.3：应急指挥平台事件核实状态“3 合并”与合并理由；12345 不受理“无新情况的重复诉求”（practice.md §2.6）"
    assumption "重复件并入主案件后不单独计时、不单独考核；原文未给出。"
  }
}

lifecycle grid_cases "网格、社区、街道办理案件的跟踪督办" {
  source "原文：“网格党组织内能解决的问题，由网格党组织派单……网格党组织内无法解决的问题，提交社区、街道(镇)协调办理”"

  on returned "退回与审定" {
    reasons wrong_locality "属地不符", not_grid_duty "不属网格职责"
    within 1 workday
    arbiter street
    limit 1 workday
    clock continue
    source "原文：网格承接“除行政执法和行业监管之外的相关工作”"
    assumption "网格、社区认为属地不符或不属网格职责的，1 个工作日内退回，由街道（镇）审定；原文未给出。"
  }

  on extension "延期" {
    approver zhengfawei
    max 5 workdays
    times 1
    before 1 workday
    source "practice.md §1.1：舟山条例第五条，网格化工作机构负责跟踪反馈、督促检查"
    assumption "网格、社区、街道的事项由区委政法委（区网格化工作机构）批准延期，最长 5 个工作日、限 1 次；原文未给出。"
  }

  on overdue "逾期督办" {
    remind 1 workday -> community "社区催办"
    supervise 3 workdays -> street "街道（镇）督办"
    source "原文：“全程跟踪督办”"
    assumption "逾期 1 个工作日社区催办、3 个工作日街道督办，与分流规则的升级时间一致；原文未给出。"
  }

  on completed "办结回访" {
    followup 1 workday
    source "原文：“办结回访问效”"
  }

  on followup "回访问效" {
    redo dissatisfied
    source "原文：“组织居民(企业)对问题办理情况进行满意度评价”"
    assumption "诉求不合理的不重办、不计入网格人员考核；原文未给出。"
  }

  on reopened "重办" {
    by above
    limit 5 workdays
    bulletin 2 -> street "两次重办仍不满意的，街道（镇）通报"
    source "原文：“网格党组织内无法解决的问题，提交社区、街道(镇)协调办理”"
    assumption "由上一级重办、时限 5 个工作日，与分流规则 reopen_dissatisfied 一致；原文未写明重办规则。"
  }

  on held "挂账" {
    review 30 days
    reviewer street
    assumption "网格、社区无法在时限内解决的，书面说明后由街道（镇）挂账、每 30 天复核；原文未给出。"
  }

  on merged "重复件合并" {
    assumption "同一问题多次反映的，并入主案件，不再单独计时；原文未给出。"
  }
}
