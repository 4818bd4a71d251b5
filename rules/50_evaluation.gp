# 评价（“三评”）与年度评选。
# 取消对社区工作的“一票否决”：本规则集没有任何一票否决项，任何单项只按权重计入总分，
# 不会单独决定等级（原文：“取消对社区工作的‘一票否决’事项”）。
# The three evaluations and the yearly awards. One-vote veto was abolished: no single item
# here caps or decides a grade on its own.

# ---- 一评：居民（企业）满意度 ---------------------------------------------------------------
grade satisfaction_grade "满意度等级" {
  band 95 -> high "满意度高", 85 -> pass "达标", 0 -> below "低于底线，须整改"
  assumption "分数线 95 / 85 参照大营县“满意率低于 85% 须立即整改”与热线考核“满意率 ≥98%”（practice.md §3.3）；原文未给出。"
}

formula satisfaction "居民（企业）满意率" {
  input visits "回访记录" {
    type records
    fields grid, department, at -> date, result -> followup, reasonable -> bool
    time at
    note "每条记录是一次回访，result 为 satisfied（满意）、basically_satisfied（基本满意）或 dissatisfied（不满意）；reasonable 为 false 表示不满意经核实为不合理诉求。"
  }
  input basic_weight "“基本满意”的权重" {
    range 0 .. 1
    default 1
    assumption "默认 1（基本满意按满意计）：原文与各地公开规定均未给出官方权重，practice.md §3.4 建议把各档权重设为参数；调用时可另给，如 --set basic_weight=0.8。"
  }
  value 100 * (count(visits, result == satisfied) + basic_weight * count(visits, result == basically_satisfied)) / count(where(visits, not (result == dissatisfied and reasonable == false)))
  round 1
  range 0 .. 100
  by grid
  grade satisfaction_grade
  source "原文：“组织居民(企业)对问题办理情况进行满意度评价”"
  assumption "满意率 =（满意 + 权重 × 基本满意）÷ 计入的回访数 × 100；经核实不合理的不满意不计入分母，也不算作不满意（practice.md §3.4；issue 23 回访：不合理诉求不重办、不计入承办单位）。"
}

# ---- 案件数据：三率、退单率、重办率、按期办结率（按部门或网格分组） ----------------------------
# 每条记录是一件案件在评价时点的状态：由 gridpolicy evaluate 从案件文件（Policy.step）或决策日志
# 计算，或由业务系统按 docs/guide/evaluation.md 所列的列导出。
# Case records: one per case, from case states or a host's export (columns in docs/guide/evaluation.md).

formula response_rate "响应率" {
  input cases "案件记录" {
    type records
    fields grid, department, reported_at -> datetime, due -> bool, responded -> bool
    time reported_at
  }
  value 100 * rate(where(cases, due), responded)
  round 1
  range 0 .. 100
  by department
  source "practice.md §3.3：北京“三率”（响应率、解决率、满意率）纳入政府绩效考核"
  assumption "响应 = 承办单位在首个期限内有办理动作（办结、申请延期、退回或挂账）；分母为应结案件。北京口径未公开，此为假设。"
}

formula resolution_rate "解决率" {
  input cases "案件记录" {
    type records
    fields grid,
        department,
        reported_at -> datetime,
        due -> bool,
        held -> bool,
        closed -> bool,
        followup -> followup,
        reasonable -> bool
    time reported_at
  }
  value 100 * rate(where(cases, due and not held), closed and not (followup == dissatisfied and reasonable == true))
  round 1
  range 0 .. 100
  by department
  source "practice.md §3.3：北京“三率”"
  assumption "解决 = 已办结且回访没有合理的不满意；分母为应结案件减去挂账（缓办）案件，参照金华“应结案数 − 缓办数”（practice.md §3.2）。"
}

formula case_satisfaction "案件回访满意率" {
  input cases "案件记录" {
    type records
    fields grid, department, reported_at -> datetime, followup -> followup, reasonable -> bool
    time reported_at
  }
  input basic_weight "“基本满意”的权重" {
    range 0 .. 1
    default 1
    assumption "与居民满意率相同：默认基本满意按满意计（practice.md §3.4）。"
  }
  value 100 * (count(cases, followup == satisfied) + basic_weight * count(cases, followup == basically_satisfied)) / count(where(cases, followup != none and not (followup == dissatisfied and reasonable == false)))
  round 1
  range 0 .. 100
  by department
  grade satisfaction_grade
  source "practice.md §3.3：北京“三率”之满意率；原文“办结回访问效”"
  assumption "只计有回访结果的案件；不合理的不满意不计入（practice.md §3.4）。"
}

formula return_rate "退单率" {
  input cases "案件记录" {
    type records
    fields grid, department, reported_at -> datetime, returned -> number
    time reported_at
  }
  value 100 * rate(cases, returned > 0)
  round 1
  range 0 .. 100
  by department
  source "practice.md §3.3：玉林每月自动考核“回退率”"
  assumption "退单率 = 被退回过至少一次的案件 ÷ 全部案件；玉林未公开口径，此为假设。"
}

formula redo_rate "重办率" {
  input cases "案件记录" {
    type records
    fields grid, department, reported_at -> datetime, closed -> bool, reopened -> number
    time reported_at
  }
  value 100 * rate(where(cases, closed or reopened > 0), reopened > 0)
  round 1
  range 0 .. 100
  by department
  source "practice.md §3.3：玉林“重办率”；§3.2 郑州“返工率 = 返工 ÷ 应结案”"
  assumption "重办率 = 重办过的案件 ÷ 已办结或重办过的案件。"
}

formula on_time_rate "按期办结率" {
  input cases "案件记录" {
    type records
    fields grid, department, reported_at -> datetime, due -> bool, held -> bool, on_time -> bool
    time reported_at
  }
  value 100 * rate(where(cases, due and not held), on_time)
  round 1
  range 0 .. 100
  by department
  source "practice.md §3.2：金华“按期结案率 = 按期结案数 ÷（应结案数 − 缓办数）× 100%”"
  assumption "缓办按挂账（held）计。"
}

formula closing_rate "结案率" {
  input cases "案件记录" {
    type records
    fields grid, department, reported_at -> datetime, due -> bool, held -> bool, closed -> bool
    time reported_at
  }
  value 100 * rate(where(cases, due and not held), closed)
  round 1
  range 0 .. 100
  by department
  source "practice.md §3.2：金华“结案率 = 结案数 ÷（应结案数 − 缓办数）× 100%”"
  assumption "缓办按挂账（held）计。"
}

# ---- 金华式部门办理考核（换算为百分制） ------------------------------------------------------
formula urgent_points "紧急问题得分（满分 10）" {
  input cases "案件记录" {
    type records
    fields grid,
        department,
        reported_at -> datetime,
        urgent -> bool,
        due -> bool,
        held -> bool,
        closed -> bool,
        on_time -> bool
    time reported_at
  }
  value if(count(where(cases, urgent and due and not held)) == 0, 10, max(0, 10 - 0.5 * (100 - 100 * rate(where(cases, urgent and due and not held), closed)) - 0.5 * max(0, 95 - 100 * rate(where(cases, urgent and due and not held), on_time))))
  round 2
  range 0 .. 10
  by department
  source "practice.md §3.2 金华：紧急问题 10 分，紧急结案率每低于 100% 一个百分点扣 0.5 分，紧急按期结案率每低于 95% 一个百分点扣 0.5 分"
  assumption "没有应结的紧急案件时得满分 10 分（原文未说明）。"
}

formula rework_points "返工与推诿扣分后得分（满分 5）" {
  input cases "案件记录" {
    type records
    fields grid,
        department,
        reported_at -> datetime,
        special -> bool,
        reopened -> number,
        falsified -> number,
        refused -> number
    time reported_at
  }
  value max(0, 5 - sum(where(cases, not special), if(reopened >= 3, 0.5, 0.2 * reopened) + falsified + refused))
  round 2
  range 0 .. 5
  by department
  source "practice.md §3.2 金华：核查不通过返回一次扣 0.2 分，三次及以上扣 0.5 分，弄虚作假每次扣 1 分，推诿扯皮每件扣 1 分（满分 5）"
  assumption "重办一次即核查不通过一次；一件重办 3 次及以上的按 0.5 分扣（不再按次扣）；推诿按退回未被接受计。"
}

formula special_points "领导交办、部门转办、媒体曝光案件得分（满分 5）" {
  input cases "案件记录" {
    type records
    fields grid,
        department,
        reported_at -> datetime,
        special -> bool,
        reopened -> number,
        falsified -> number,
        refused -> number
    time reported_at
  }
  value max(0, 5 - 2 * sum(where(cases, special), if(reopened >= 3, 0.5, 0.2 * reopened) + falsified + refused))
  round 2
  range 0 .. 5
  by department
  source "practice.md §3.2 金华：领导交办、部门转办、媒体曝光案件（5 分）按同样规则加倍扣分"
  assumption "本规则集的来源字段没有“领导交办”“媒体曝光”，由案件状态计算时以“部门下派”计；业务系统导出时可直接填写 special 列。"
}

formula department_handling "区直部门办理考核得分" {
  value 100 * (points(on_time_rate, 70, 50, 1) + points(closing_rate, 90, 20, 1) + urgent_points + rework_points + special_points) / 90
  round 1
  range 0 .. 100
  by department
  grade department_grade
  source "practice.md §3.2 金华市区数字化城市管理工作考核细则：按期结案率 ≥70% 得 50 分、每低 1 个百分点扣 1 分；结案率 ≥90% 得 20 分、每低 1 个百分点扣 1 分"
  assumption "组织保障 5 分需人工评定、原文其余部分缺失，不计入；其余 90 分换算为百分制后按部门等级评定（practice.md §3.2、§3.3）。"
  note "不设一票否决：任何单项只按分值计入，不单独决定等级。"
}

# ---- 二评：网格党组织评价网格人员、评价区直部门 --------------------------------------------
grade staff_grade "网格人员履职等级" {
  band 95 -> excellent "优秀", 80 -> pass "合格", 70 -> basic "基本合格", 0 -> fail "不合格"
  assumption "分数线 95 / 80 / 70 参照某街道《网格员考核办法》（practice.md §3.1）；该办法以 60 分以下为不合格、未规定 60–69 分，本规则集把 70 分以下都列为不合格。"
}

formula staff_by_grid "网格党组织对网格人员履职评价" {
  input contact "联系服务群众和企业情况" { range 0 .. 100 }
  input tasks "任务完成情况" { range 0 .. 100 }
  input patrol "日常巡查情况" { range 0 .. 100 }
  input cooperation "工作配合情况" { range 0 .. 100 }
  value weighted(contact: 0.3, tasks: 0.3, patrol: 0.2, cooperation: 0.2)
  round 1
  range 0 .. 100
  grade staff_grade
  source "原文：“对网格人员联系服务群众和企业情况、任务完成情况、日常巡查情况、工作配合情况等，由各相关职能部门会同街道(镇)研究制定……考核方案”"
  assumption "四个维度的权重 0.3 / 0.3 / 0.2 / 0.2 为假设；原文只列出维度，由部门会同街道（镇）制定。"
  note "不设一票否决：原文“取消对社区工作的‘一票否决’事项”，本公式任何单项只按权重计入，不单独决定等级。"
}

grade department_grade "区直部门作用发挥等级" {
  band 90 -> excellent "好", 80 -> good "较好", 60 -> pass "一般", 0 -> fail "差"
  assumption "分数线 90 / 80 / 60 参照蚌埠市长热线考核（practice.md §3.3）；原文未给出。"
}

formula department_by_grid "网格党组织对区直部门作用发挥评价" {
  input response "响应及时（按期签收、到场）" { range 0 .. 100 }
  input resolution "问题解决成效" { range 0 .. 100 }
  input cooperation "配合网格工作情况" { range 0 .. 100 }
  value weighted(response: 0.3, resolution: 0.5, cooperation: 0.2)
  round 1
  range 0 .. 100
  grade department_grade
  source "原文：“网格党组织对网格人员履职和区直相关职能部门作用发挥进行评价”"
  assumption "三个维度与权重为假设，参照扬州广陵“社区评部门响应”（practice.md §2.4）。"
}

# ---- 三评：区直部门对网格人员的总体评价 -----------------------------------------------------
formula staff_by_departments "区直部门对网格人员总体评价" {
  input ratings "各部门评分" {
    type records
    fields department, score -> 0 .. 100
    note "每条记录是一个区直部门给出的 0–100 分。"
  }
  value avg(ratings, score)
  round 1
  range 0 .. 100
  grade staff_grade
  source "原文：“区直相关职能部门对网格人员进行总体评价”"
  assumption "多个部门评分取算术平均；原文未规定合成方法。"
}

# ---- 年度综合：网格人员 ------------------------------------------------------------------------
grade outstanding_worker "优秀网格员" {
  band 95 -> outstanding "优秀网格员（候选）", 0 -> regular "未达优秀网格员分数线"
  assumption "分数线 95 参照“优秀 ≥95”（practice.md §3.1）；原文只说每年评选，未给出条件。"
}

formula staff_annual "网格人员年度综合评价" {
  input by_departments "区直部门总体评价" { range 0 .. 100 }
  input by_grid "网格党组织履职评价" { range 0 .. 100 }
  input satisfaction "居民（企业）满意率" { range 0 .. 100 }
  value weighted(by_departments: 0.6, by_grid: 0.3, satisfaction: 0.1)
  round 1
  range 0 .. 100
  grade outstanding_worker
  source "原文：“三评”；评价结果“作为……评优评先的重要依据”"
  assumption "权重 0.6 / 0.3 / 0.1 参照某街道“街道部门 60、社区 30、服务对象 10”的三方评分（practice.md §3.1）；原文未给出。"
  note "不设一票否决：原文“取消对社区工作的‘一票否决’事项”，本公式任何单项只按权重计入，不单独决定等级。"
}

# ---- 年度综合：最美楼栋长 -----------------------------------------------------------------------
grade best_building_leader "最美楼栋长" {
  band 90 -> best "最美楼栋长（候选）", 0 -> regular "未达最美楼栋长分数线"
  assumption "分数线 90 为假设；各地均未公开最美楼栋长评选标准（practice.md §3.5）。"
}

formula building_leader_annual "党员楼栋长（中心户）年度评价" {
  input residents "楼栋居民评议" { range 0 .. 100 }
  input reporting "发现报告问题、传达落实指令情况" { range 0 .. 100 }
  input by_grid "网格党组织评价" { range 0 .. 100 }
  value weighted(residents: 0.4, reporting: 0.3, by_grid: 0.3)
  round 1
  range 0 .. 100
  grade best_building_leader
  source "原文：组织体系第五级“党员楼栋长(中心户)”；每年评选“最美楼栋长”；疫情防控中党员楼栋长“及时把……指令传达落实到最基层”"
  assumption "三个维度与权重 0.4 / 0.3 / 0.3 为假设；原文只说每年评选，未给出条件。"
  note "不设一票否决：任何单项只按权重计入，不单独决定等级。"
}

# ---- 年度综合：网格（星级网格） ---------------------------------------------------------------
grade star_grid "星级网格" {
  band 95 -> five "五星网格", 90 -> four "四星网格", 80 -> three "三星网格", 0 -> none_star "未评星"
  assumption "星级分数线 95 / 90 / 80 为假设；各地均未公开星级网格标准（practice.md §3.5）。"
}

formula grid_annual "网格年度综合评分" {
  input operation "网格运作成效" { range 0 .. 100 }
  input duty "网格履职绩效" { range 0 .. 100 }
  input staff "网格人员绩效" { range 0 .. 100 }
  input bonus "加分（创新做法、表彰等）" { range 0 .. 20 }
  value min(weighted(operation: 0.5, duty: 0.3, staff: 0.2) + min(bonus, 10), 100)
  round 1
  range 0 .. 100
  grade star_grid
  source "原文：每年评选“星级网格”"
  assumption "结构 50 / 30 / 20 与加分上限 10 分参照江山市贺村镇网格考核细则（practice.md §3.1）；原文未给出。"
  note "不设一票否决：原文“取消对社区工作的‘一票否决’事项”，本公式任何单项只按权重计入，不单独决定等级。"
}

# ---- 随机抽查：街道（镇）考核依据 -------------------------------------------------------------
formula street_inspection "街道（镇）网格抽查得分" {
  input sampled "抽中网格党组织的评分" {
    type records
    fields grid, score -> 0 .. 100
    note "用 gridpolicy sample 抽取（全区 20 个城市社区随机抽取 40 个网格党组织），每条记录是一个抽中网格的得分。"
  }
  value avg(sampled, score)
  round 1
  range 0 .. 100
  source "原文：“从全区20个城市社区随机抽取40个网格党组织对优化调整情况、作用发挥情况进行全面评价，并进行相应打分，作为对应街道(镇)重要考核评价依据”"
  assumption "街道得分取其辖区内抽中网格得分的算术平均；原文未规定合成方法。"
  note "不设一票否决：原文“取消对社区工作的‘一票否决’事项”，本公式任何单项只按权重计入，不单独决定等级。"
}
