# 全程跟踪督办：案件分流之后的生命周期——退回与审定、延期、逾期督办、办结回访、重办、挂账、重复件合并。
# Case lifecycle ("tracking and supervision throughout"): what happens after the first routing.
# Hosts send the case's events (Policy.step / gridpolicy case / POST /v1/case); these rules say
# what each event does. 原文只写了闭环的环节，时限、次数与督办对象均参照他地做法，逐条标注为假设。

lifecycle tracking "全程跟踪督办" {
  source "原文：“前端发现报告→网上分级分流→部门联动办理→全程跟踪督办→办结回访问效”"

  # 退回：承办单位认为不属本单位职责的，说明理由退回，由区委政法委（网格化服务管理中心）审定。
  on returned "退回与审定" {
    reasons wrong_locality "属地不符",
        unclear_ownership "权属不清",
        overlapping_functions "职能交叉",
        not_our_remit "非本部门职责"
    within 2 days
    arbiter zhengfawei
    limit 1 workday
    clock continue
    source "出处：承办部门对非本部门职责的案件“说明理由退回指挥中心”（practice.md §2.3）"
    assumption "退回理由取 12345 常见的属地不符、权属不清、职能交叉（practice.md §2.3，仅作取值参考）及“非本部门职责”。"
    assumption "2 日内退回参照徐州住建局“非本单位职责的 2 日内说明理由退回”（practice.md §2.6）；原文未给出。"
    assumption "审定机构为区委政法委、1 个工作日内审定、审定期间原时限继续计算（首接负责，不因退回停表），参照北京接诉即办首接负责制（practice.md §2.3）；原文未给出。"
  }

  # 延期：时限内确实办不完的，在时限届满前申请，由区委政法委批准。
  on extension "延期" {
    approver zhengfawei
    max 10 workdays
    times 1
    before 1 workday
    source "出处：12345 规定“延期须在时限届满前提出，说明理由和依据”（practice.md §2.6）"
    assumption "时限届满前 1 个工作日申请，参照徐州住建局（practice.md §2.6）；最长 10 个工作日、限 1 次，参照天阙平台按工作日记延期（delayWorkday，practice.md §2.8）；原文未给出。"
  }

  # 逾期督办：逾期次日催办，逾期 5 个工作日仍未办结的书面通报批评。
  on overdue "逾期督办" {
    remind 1 workday -> zhengfawei "逾期次日发催办通知书"
    bulletin 5 workdays -> zhengfawei "逾期 5 个工作日仍未办结的，书面通报批评"
    source "出处：某市局 12345 规定“逾期次日发催办通知书；催办后仍逾期 5 个工作日且无说明的书面通报批评”（practice.md §2.6）"
    assumption "督办单位为区委政法委，原文未给出；阶梯时间按蚌埠、某市局 12345 规定（practice.md §2.6）。"
  }

  # 办结回访：办结次日回访。
  on completed "办结回访" {
    followup 1 workday
    source "原文：“办结回访问效”"
    assumption "办结后 1 个工作日内回访，参照 12345“办结次日回访”（practice.md §2.6）；原文未给出。"
  }

  # 回访问效：不满意且诉求合理的重办；诉求不合理的不重办、不计入承办单位。
  on followup "回访问效" {
    redo dissatisfied
    source "原文：“组织居民(企业)对问题办理情况进行满意度评价”"
    assumption "只有“因承办单位原因不满意”的才重办，参照 12345 重新办理规则（practice.md §2.6）；基本满意视为办结。"
  }

  # 重办：由原办理层级的上一级重新办理；两次重办仍不满意的通报批评。
  on reopened "重办" {
    by above
    limit 5 workdays
    bulletin 2 -> zhengfawei "两次重办仍不满意的，在工作通报中批评"
    source "出处：“两次催办仍未办理、两次重办仍不满意（承办单位原因）的，在工作通报中批评”（practice.md §2.8）"
    assumption "上一级重办、时限 5 个工作日，与分流规则 reopen_dissatisfied 一致（practice.md §2.6）；原文未写明重办规则。"
  }

  # 挂账：延期后仍无法在时限内解决的，书面说明后挂账，定期复核。
  on held "挂账" {
    review 30 days
    reviewer zhengfawei
    source "出处：“延期后仍不能在时限内解决的，书面说明，由中心挂账”（practice.md §2.3）"
    assumption "每 30 天复核一次、由区委政法委复核，原文与参照资料均未给出，为本规则集的选择。"
  }

  # 重复件：同一问题多次反映的，并入主案件，不再单独计时。
  on merged "重复件合并" {
    source "出处：应急指挥平台事件核实状态“3 合并”与合并理由（emercmdplat Event.verifyStatus、mergeReason，practice.md §4.3）"
    assumption "重复件并入主案件后不单独计时、不单独考核，原文未给出。"
  }
}
