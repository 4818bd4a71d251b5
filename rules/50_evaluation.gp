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
    fields result -> followup
    note "每条记录是一次回访，result 为 satisfied（满意）、basically_satisfied（基本满意）或 dissatisfied（不满意）。"
  }
  value rate(visits, result == "satisfied" or result == "basically_satisfied") * 100
  round 1
  range 0 .. 100
  grade satisfaction_grade
  source "原文：“组织居民(企业)对问题办理情况进行满意度评价”"
  assumption "满意率 =（满意 + 基本满意）÷ 有效回访数 × 100；“基本满意”按满意计，原文与各地公开规定均未给出官方权重（practice.md §3.4）。"
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
