# 分流（“三办”）：按先匹配先得的顺序排列，第一条适用的规则决定去向。
# Routing ("three ways of handling"). Routes are tried top to bottom; the first that
# applies decides. Time limits run from the report time; escalation steps run from the
# deadline (how long overdue). 时限从上报时间起算；升级从时限届满起算。
#
# 部门下派的任务（kind: task）先过准入关（30_admission.gp 的 gate）：不在准入清单、未到批次日期、
# 已退出或临时准入到期、或触及任一排除标准的，一律拒绝下派，不进入下面的分流；
# 突发事件中指挥部的应急指令豁免准入，立即执行。
#
# 顺序 Order：转介（110/119/120/122、法院、复议、信访、私事）→ 应急指令 → 较大及跨街道突发事件
# → 公用设施与供应（小类的分段时限）→ 一般突发事件 → 回访（重办、办结）
# → 准入任务 → 主责部门 → 非网格事项 → 分类小类（按时限分组）
# → 紧急事项（按范围）→ 执法、监管 → 按范围（跨区、跨街道、跨社区、跨网格）→ 网格内。
# 紧急程度在每个层级都保留 4 小时时限：紧急事项不因范围扩大或需要执法而改按工作日计时。

# ---- 0. 转介：不是网格或 12345 工单 Redirects -----------------------------------------------------
# 国务院整合政务热线时保留 110、119、120、122 紧急热线；12345 不受理应通过诉讼、仲裁、行政复议解决
# 和已进入信访渠道的事项（practice.md §2.6）；私事由个人或市场服务解决（三事分流，practice.md §2.4）。
route redirect_119 "火情、被困人员转 119" {
  when matter.class in [火灾, 电梯困人]
  outcome redirect
  refer fire_119
  reason "火情、被困人员请立即拨打 119；网格员协助疏散群众、引导救援车辆"
  source "practice.md §2.6：政务热线整合时保留 110、119、120、122 紧急热线"
}
route redirect_110 "治安警情转 110" {
  when matter.class == 治安警情
  outcome redirect
  refer police_110
  reason "正在发生的治安、刑事警情请立即拨打 110；网格员不得自行处置"
  source "practice.md §2.6、§2.9"
}
route redirect_120 "急救转 120" {
  when matter.class == 急救
  outcome redirect
  refer ambulance_120
  reason "急病、受伤请立即拨打 120；网格员可协助联系家属"
  source "practice.md §2.6、§2.9"
}
route redirect_122 "交通事故转 122" {
  when matter.class == 交通事故
  outcome redirect
  refer traffic_122
  reason "道路交通事故请拨打 122"
  source "practice.md §2.6"
}
route redirect_court "要求改判转法院" {
  when matter.class == 要求改判
  outcome redirect
  refer court
  reason "对生效裁判不服的，可以依法向人民法院申请再审；12345 和网格不受理"
  source "practice.md §2.6：12345 不受理应通过诉讼解决的事项（芜湖）"
}
route redirect_procuratorate "执行监督申诉转检察院" {
  when matter.class == 执行监督申诉
  outcome redirect
  refer procuratorate_appeal
  reason "对法院执行活动有异议的，可以向人民检察院申请监督"
  source "practice.md §2.6：不受理清单中的法院、检察院事项"
}
route redirect_review "要求撤销行政处罚转行政复议" {
  when matter.class == 要求撤销行政处罚
  outcome redirect
  refer admin_review
  reason "对行政处罚不服的，可以依法申请行政复议或提起行政诉讼"
  source "practice.md §2.6：12345 不受理行政复议事项（芜湖）"
}
route redirect_petition "已在信访渠道的事项转信访" {
  when matter.class == 信访事项
  outcome redirect
  refer petition
  reason "已进入信访渠道的事项，请向区信访局查询办理进度"
  source "practice.md §2.6：12345 不受理已进入信访渠道的事项（芜湖）"
}
route redirect_private "私事引导市场服务" {
  when matter.major == 私人事务
  outcome redirect
  refer repair_market
  reason "属于个人私事，请自行联系物业或家政维修服务；网格员可提供服务信息"
  source "practice.md §2.4：三事分流，私事由个人或市场服务解决"
}
# ---- 1. 应急指令：豁免准入，网格立即执行 ------------------------------------------------------------
route emergency_order "指挥部应急指令网格立即执行" {
  when kind == task and urgency == emergency
  tier grid
  handlers grid_leader, grid_worker, building_leader
  dispatch "网格长接令即传达，党员楼栋长、网格员逐户落实，完成情况随时报指挥部"
  limit 1 hour
  source "原文：疫情防控中“第一时间发动2000余名党员楼栋长、网格党员、党员志愿者……及时把疫情防控应急指挥部相关指令传达落实到最基层”"
  assumption "应急指令 1 小时内传达落实到户为假设；原文只说“第一时间”“及时”。"
}

# ---- 1. 突发事件：立即上报，不在网格停留 ----------------------------------------------------------
# 时限与升级按出处换算：升级从时限届满起算，所以“40 分钟内书面报告”写作 20 分钟 + 20 分钟，
# “2 小时内报市”写作 20 分钟 + 100 分钟。
# 一般（Ⅳ级）事件由区级处置和掌握；较大（Ⅲ级）及以上 2 小时内报市（兰州规定只对较大及以上）。
route emergency_major "较大及以上突发事件，区应急管理局牵头，2 小时内报市" {
  when urgency == emergency and emergency_level in [serious, major, extraordinary]
  department yingji
  handlers grid_leader, grid_worker, building_leader
  dispatch "网格长立即电话报告街道（镇）和区应急指挥中心，启动微网格应急响应；区应急管理局牵头，网格人员协助疏散群众、传达落实指挥部指令"
  limit 20 minutes
  escalate 100 minutes -> city "2 小时内报告市级"
  source "原文：疫情防控中“第一时间发动2000余名党员楼栋长、网格党员、党员志愿者……及时把疫情防控应急指挥部相关指令传达落实到最基层”"
  assumption "较大、重大、特别重大事件“立即、最迟 2 小时内”报市，参照兰州规定；20 分钟电话报告参照某县规定（practice.md §2.7）；原文未给出时限。重大、特别重大事件还须报省，本规则集没有省级层级。"
}
route emergency_wide "跨街道的一般突发事件，区应急管理局牵头" {
  when urgency == emergency and scope > street
  department yingji
  handlers grid_leader, grid_worker
  dispatch "网格长立即电话报告街道（镇）和区应急指挥中心；区应急管理局牵头，网格人员协助先期处置、传达落实指挥部指令"
  limit 20 minutes
  source "原文：疫情防控中“及时把疫情防控应急指挥部相关指令传达落实到最基层”"
  assumption "跨街道的突发事件由区应急管理局（区应急指挥中心）牵头，20 分钟内电话报告参照某县规定（practice.md §2.7）；对跨行政区域的突发事件由上级部门汇总信息（无锡，practice.md §2.7）。"
}
# ---- 1b. 公用设施与供应：先属主，权属单位按小类的分段时限处置 -----------------------------------------
# 特急的也由权属单位抢修，不落到街道；回访（followup）仍走下面的重办、办结规则。
route water_main "供水管道破裂：供水公司围挡、抢修、恢复" {
  when matter.class == 供水设施 and not has(followup)
  department matter.owner

  handlers grid_worker
  dispatch "供水公司抢修；网格员现场警戒、引导绕行，停水的通知住户"
  escalate 1 hour -> supervise(zhujian) "区住建局督办"
  source "practice.md §2.5：供水管道破裂“围挡 3 紧急工作时 → 抢修 8 紧急工作时 → 恢复 5 工作日”（大营县）；部件先属主（practice.md §2.3）"
  assumption "“紧急工作时”按全天候计时（practice.md §2.5 注：名称推断，未见定义）。"
}
route gas_main "燃气泄漏：燃气公司围挡、抢修、恢复，119 协办" {
  when matter.class == 燃气设施 and not has(followup)
  department matter.owner

  handlers grid_leader, grid_worker
  dispatch "燃气公司立即抢修，消防救援大队到场；网格员疏散群众、严禁明火"
  escalate 1 hour -> supervise(zhujian) "区住建局督办"
  source "practice.md §2.5：燃气管道破裂“围挡 3 紧急工作时 → 抢修 2 紧急工作日 → 恢复 5 工作日”（大营县）"
  assumption "“紧急工作时、紧急工作日”按全天候计时（practice.md §2.5 注）。"
}
route supply_outage "停水、停电、停气：供应单位 20 分钟反馈、24 小时恢复" {
  when matter.class in [停水, 停电, 停气] and not has(followup)
  department matter.owner
  handlers grid_worker
  dispatch "供应单位 20 分钟内反馈原因和预计恢复时间；网格员通知住户、关照独居老人"
  escalate 1 hour -> supervise(xiaoneng) "区12345中心督办"
  source "practice.md §2.6：蚌埠 12345 水电气热供应异常属一般应急、20 分钟反馈；北京 12345 水电气热紧急诉求 24 小时"
  assumption "24 小时恢复取北京 12345 的一般做法（practice.md §2.6 标为仅可作参考）；原文未给出。"
}

route emergency "一般突发事件，属地街道（镇）先期处置" {
  when urgency == emergency
  tier street
  handlers grid_leader, grid_worker
  assisting matter.owner
  dispatch "网格长立即电话报告街道（镇）并启动网格应急响应，网格人员协助先期处置、传达落实指挥部指令"
  limit 20 minutes
  escalate 20 minutes -> district "40 分钟内书面报告区应急指挥中心"
  source "原文：疫情防控中“及时把疫情防控应急指挥部相关指令传达落实到最基层”"
  assumption "时限参照某县“20 分钟内电话报告、40 分钟内书面报告”的规定（practice.md §2.7），从上报时起算；属地为主，街道（镇）牵头先期处置（无锡，practice.md §2.7）；原文未给出时限。"
}

# ---- 2. 回访不满意：重新办理 -------------------------------------------------------------------
route reopen_department "回访不满意，原承办部门重办" {
  when followup == dissatisfied and has(responsible_department)
  department responsible_department
  dispatch "原承办部门重新办理，区 12345 中心跟踪督办"
  limit 5 workdays
  escalate 1 workday -> supervise(xiaoneng) "区12345中心督办"
  assumption "部门办理后不满意的，由原承办部门重新办理（某市局 12345“因承办单位原因不满意的重新办理”，practice.md §2.6）；时限 5 个工作日；原文未写明重办规则。"
}
route reopen_district "回访不满意（区级办理，未注明部门），区 12345 中心重新派单" {
  when followup == dissatisfied and handled_tier == district
  department xiaoneng
  dispatch "区 12345 中心核实原承办部门并重新派单"
  limit 5 workdays
  escalate 2 workdays -> shi12345 "市12345督办"
  assumption "区级办理后不满意、工单未注明承办部门的，由区 12345 中心重新派单，不直接上交市级；时限 5 个工作日。"
}
route reopen_city "回访不满意（市级办理），市 12345 重新派单" {
  when followup == dissatisfied and handled_tier == city
  department shi12345
  dispatch "市 12345 核实原承办部门并重新派单"
  limit 5 workdays
  assumption "市级为最高层级：由市 12345 重新派单；时限 5 个工作日。"
}
route reopen_dissatisfied "回访不满意，上一级重办" {
  when followup == dissatisfied and has(handled_tier)
  tier above(handled_tier)
  dispatch "上一级重新受理，原办理层级配合"
  limit 5 workdays
  escalate 2 workdays -> above "再上一级督办"
  source "原文：“网格党组织内无法解决的问题，提交社区、街道(镇)协调办理”；“办结回访问效”"
  assumption "网格、社区、街道办理后不满意的，在上一级重办、时限 5 个工作日，参照 12345“因承办单位原因不满意的重新办理”（practice.md §2.6）；原文未写明重办规则。"
}
route reopen_unknown_tier "回访不满意（未注明原办理层级）" {
  when followup == dissatisfied
  tier community
  dispatch "原办理层级不明时，由社区重新受理"
  limit 5 workdays
  escalate 2 workdays -> street "街道督办"
  assumption "未注明原办理层级的，视为在网格办理，交社区重办。"
}

# ---- 3. 回访满意或基本满意：办结归档，不再派单 ----------------------------------------------------
route closed_department "回访满意，原承办部门办结" {
  when (followup == satisfied or followup == basically_satisfied) and has(responsible_department)
  department responsible_department
  dispatch "办结归档，计入承办部门满意度评价"
  source "原文：“根据‘三办’情况，组织居民(企业)对问题办理情况进行满意度评价”"
}
route closed "回访满意，办结归档" {
  when (followup == satisfied or followup == basically_satisfied) and has(handled_tier)
  tier handled_tier
  dispatch "办结归档，计入满意度评价"
  source "原文：“根据‘三办’情况，组织居民(企业)对问题办理情况进行满意度评价”"
}
route closed_unrecorded "回访满意（未注明原办理层级），办结归档" {
  when followup == satisfied or followup == basically_satisfied
  tier grid
  dispatch "办结归档；原办理层级不明的，记在受理网格"
  assumption "未注明原办理层级的，视为在网格办理（同“回访不满意”）；满意的回访只归档，不重新派单。"
}

# ---- 4. 部门下派的准入任务：在网格办理，不退回下派部门 -------------------------------------------
# 能走到这里的任务都已通过准入关（在清单内、已生效、未触及排除标准）；任务写明的部门是下派部门。
route urgent_task "紧急准入任务网格即办" {
  when kind == task and urgency == urgent
  tier grid
  handlers matter
  dispatch "网格党组织立即派单，网格人员认领即办，办结后向下派部门反馈"
  limit 4 hours
  escalate 4 hours -> community "社区督办", 1 day -> street "街道督办"
  source "原文：“网格党组织内能解决的问题，由网格党组织派单，网格人员认领立即自主办理”"
  assumption "紧急时限 4 小时同“紧急事项网格即办”；原文未给出。"
}
route admitted_task "准入任务网格办理" {
  when kind == task
  tier grid
  handlers matter
  dispatch "网格党组织派单，网格人员认领办理，办结后向下派部门反馈"
  limit 3 workdays
  escalate 1 workday -> community "社区督办", 3 workdays -> street "街道督办"
  source "原文：网格承接区直部门“需要在社区落实的……相关工作”；“网格党组织派单，网格人员认领立即自主办理”"
  assumption "时限 3 个工作日参照 12345“求助类 3 个工作日内办结”（practice.md §2.6）；原文未给出。"
}

# ---- 5. 市、区直部门承担主体责任：五级联动 --------------------------------------------------------
route urgent_department "紧急事项，主责部门 4 小时处置" {
  when urgency == urgent and has(responsible_department)
  department responsible_department
  handlers grid_leader
  dispatch "推送主责部门立即处置；网格长现场跟踪反馈"
  limit 4 hours
  escalate 4 hours -> supervise(xiaoneng) "区12345中心督办"
  source "原文：“市、区直单位承担主体责任的问题(诉求)，通过市区街居网格‘五级联动’等联动办理”"
  assumption "紧急事项在部门层级同样 4 小时（按自然时），参照蚌埠 12345“一般应急”类与数字城管紧急工作时（practice.md §2.5、§2.9）；原文未给出。"
}
route city_department "市直部门主体责任（五级联动）" {
  when tier_of(responsible_department) == city
  department responsible_department
  handlers grid_leader
  dispatch "经社区、街道、区逐级推送市直主责部门；网格长跟踪反馈"
  limit 15 workdays
  escalate 1 workday -> remind(shi12345) "市12345催办",
      5 workdays -> transfer(shi_zhengfawei) "提交市区联席会议协调"
  source "原文：“市、区直单位承担主体责任的问题(诉求)，通过市区街居网格‘五级联动’等联动办理”；联席会议“联动市委组织部等12个市直部门”"
  assumption "时限 15 个工作日参照徐州住建局 12345 投诉件时限（practice.md §2.6）；原文未给出。"
}
route district_department "区直部门主体责任（五级联动）" {
  when has(responsible_department)
  department responsible_department
  handlers grid_leader
  dispatch "推送区直主责部门办理；网格长跟踪反馈，办结后组织回访"
  limit if(channel == online, 3 workdays, 5 workdays)
  escalate 1 workday -> remind(xiaoneng) "区12345中心发催办通知书",
      5 workdays -> bulletin(duchashi) "区委区政府督查室书面通报批评"
  source "原文：“市、区直单位承担主体责任的问题(诉求)，通过市区街居网格‘五级联动’等联动办理”"
  assumption "电话工单 5 个工作日、网络和省平台工单 3 个工作日，逾期次日催办、逾期 5 个工作日仍未办结的书面通报批评，参照蚌埠 12345 与某市局 12345 规定（practice.md §2.6）；原文未给出。"
}

# ---- 6. 不由网格承担的事项（负面清单、已退出、临时准入到期、尚未承接）：交主管部门 ---------------------
route owner_department "非网格事项交主管部门" {
  when matter.list == negative or matter.status in [exited, expired, not_yet_in_force]
  department matter.owner
  dispatch "网格发现报告后，推送事项主管部门办理"
  limit 5 workdays
  escalate 1 workday -> remind(xiaoneng) "区12345中心发催办通知书",
      5 workdays -> bulletin(duchashi) "区委区政府督查室书面通报批评"
  source "原文：“对不再适宜由网格承担的事务，按程序批准退出”"
  assumption "群众反映的此类问题仍要有去处：交事项主管部门，时限同区直部门。"
}

# ---- 6b. 分类小类：按出处的时限分组 Catalogue classes, grouped by their cited limits ---------------------
route sanitation "暴露垃圾、小广告：网格环卫保洁人员 4 工作时" {
  when matter.class in [暴露垃圾, 非法小广告] and scope == grid
  tier grid
  handlers matter
  assisting matter.owner
  dispatch "网格党组织派单，网格内环卫保洁人员认领清理"
  escalate 4 workhours -> remind(chengguan) "区城管局（环卫）催办",
      1 workday -> transfer(street) "街道督办"
  source "practice.md §2.5：暴露垃圾 4 工作时；原文“1+9+X”中环卫保洁人员在网格"
}
route street_cleaning "道路保洁：网格环卫保洁人员 2 工作时" {
  when matter.class == 道路保洁 and scope == grid
  tier grid
  handlers matter
  assisting matter.owner
  dispatch "网格内环卫保洁人员认领清扫"
  escalate 2 workhours -> remind(chengguan) "区城管局（环卫）催办",
      1 workday -> transfer(street) "街道督办"
  source "practice.md §2.5：道路保洁 2 工作时"
}
route illegal_building "私搭乱建：街道综合执法，制止、查处、拆除" {
  when matter.class == 私搭乱建
  tier street
  handlers matter
  assisting matter.owner
  dispatch "网格人员发现即劝阻并报告；街道综合执法中队 4 工作时内制止，区城管局依法查处、拆除"
  escalate 1 workday -> supervise(duchashi) "区委区政府督查室督办"
  source "practice.md §2.5：私搭乱建“制止 4 工作时、处罚 7 工作日、拆除 20 工作日”；§1.4 网格员发现报告、执法属部门"
}
route street_vending "占道经营：街道综合执法 4 工作时" {
  when matter.class == 占道经营
  tier street
  handlers matter
  assisting matter.owner
  dispatch "城管执法队员劝导，街道综合执法中队到场处置"
  escalate 1 workday -> transfer(district) "区城管局"
  source "practice.md §4.2：街面秩序类“占道经营”"
  assumption "时限 4 工作时参照同类街面事件（practice.md §2.5）；原文未给出。"
}
route road_collapse "路面塌陷：事件先属地，街道应急吹哨 4 小时" {
  when matter.class == 路面塌陷
  tier street
  handlers grid_leader
  assisting matter.owner
  dispatch "网格员现场警戒；街道（镇）吹“应急哨”，交通、住建和管线权属单位到场"
  escalate 4 hours -> transfer(district) "五级联动：区直相关部门"
  source "practice.md §2.4：北京“应急哨”用于管道破裂、路面塌陷；§2.3 事件“先属地、后属主”"
}
route parking "乱停放：3 紧急工作时" {
  when matter.class in [机动车乱停放, 非机动车乱停放]
  department matter.owner
  dispatch "主管部门现场处置；网格员协助联系车主"
  escalate 3 urgent_hours -> supervise(xiaoneng) "区12345中心督办"
  source "practice.md §2.5：机动车、非机动车乱停放 3 紧急工作时（大营县）"
}
route city_appearance_4h "路面积水、绿地脏乱：主管部门 4 工作时" {
  when matter.class in [道路积水, 绿地脏乱]
  department matter.owner
  escalate 1 workday -> remind(xiaoneng) "区12345中心催办"
  source "practice.md §2.5：路面积水、绿地保洁 4 工作时"
}
route spoil "积存渣土：区城管局 2 工作日" {
  when matter.class == 积存渣土
  department matter.owner
  escalate 1 workday -> remind(xiaoneng) "区12345中心催办"
  source "practice.md §2.5：渣土堆积 2 工作日"
}
route waterway "水域不洁：区河长办 15 工作日，跨街道也由其主办" {
  when matter.class == 水域不洁
  department matter.owner

  escalate 1 workday -> remind(xiaoneng) "区12345中心催办",
      5 workdays -> bulletin(duchashi) "督查室通报"
  source "practice.md §2.5：水域不洁 15 工作日（济源）；跨街道由区级主管部门牵头（§2.3 责任主体唯一）"
}
route wiring "飞线充电：网格劝导、物业整改，1 个工作日" {
  when matter.class == 飞线充电 and scope == grid
  tier grid
  handlers matter
  assisting matter.owner
  dispatch "网格员当场劝导，物管员督促物业拆除飞线；拒不整改的报消防救援大队"
  escalate 1 workday -> transfer(community) "社区督办"
  source "原文：准入事项 P03“安全隐患排查报告”（舟山条例第二十三条第四项）"
  assumption "1 个工作日为假设；原文未给出。"
}
# 公安分局主管的事项由事项所在街道的派出所承办：派出所的辖区（area）写在 10_organisation.gp，
# 事项只需写网格；没写网格、网格不在台账或跨街道的，由公安分局承办并指派（理由写明）。
# The street's police station takes the police's work: each station's `area` is in
# 10_organisation.gp, so an item only needs its grid.
route police "公安事项：属地派出所" {
  when matter.status == classified and matter.owner == gongan
  department gongan
  limit if(urgency == urgent, 4 hours, 5 workdays)
  escalate 1 workday -> remind(xiaoneng) "区12345中心催办"
  assumption "派出所按街道设置，由事项所在街道的派出所承办（示例）；紧急 4 小时、一般 5 个工作日同其他部门。"
}
route components "其他部件：先属主，权属单位 3 个工作日（紧急 4 小时）" {
  when matter.type == component
  department matter.owner

  handlers grid_worker
  dispatch "权属单位维修，网格员现场核实"
  limit if(urgency == urgent, 4 hours, 3 workdays)
  escalate 1 workday -> remind(xiaoneng) "区12345中心催办"
  source "practice.md §2.3：部件“先属主、后属地”；12345 求助类 3 个工作日（practice.md §2.6）"
}
route class_owner "其他分类事件：主管部门办理（五级联动）" {
  when matter.status == classified and matter.owner != none and matter.class not in [暴露垃圾, 非法小广告, 道路保洁, 飞线充电]
  department matter.owner

  handlers grid_leader
  dispatch "推送主管部门办理；网格长跟踪反馈"
  limit if(urgency == urgent, 4 hours, if(channel == online, 3 workdays, 5 workdays))
  escalate 1 workday -> remind(xiaoneng) "区12345中心发催办通知书",
      5 workdays -> bulletin(duchashi) "区委区政府督查室书面通报批评"
  source "原文：“市、区直单位承担主体责任的问题(诉求)，通过市区街居网格‘五级联动’等联动办理”"
  assumption "电话工单 5 个工作日、网络工单 3 个工作日、紧急 4 小时，参照蚌埠 12345（practice.md §2.6、§2.9）；原文未给出。"
}

# ---- 7. 紧急事项：按范围和所需能力定层级，时限一律 4 小时 ------------------------------------------
route urgent_city "跨区紧急事项，市 12345 协调" {
  when urgency == urgent and scope == city
  department shi12345
  handlers grid_leader
  dispatch "报市 12345 协调相关区和市直部门立即处置；网格长现场跟踪"
  limit 4 hours
  assumption "跨区事项由市 12345 协调（分级负责，practice.md §2.3）；紧急时限 4 小时同上。"
}
route urgent_district "跨街道紧急事项，区 12345 中心协调" {
  when urgency == urgent and scope == district
  department xiaoneng
  handlers grid_leader
  dispatch "报区 12345 中心协调相关街道和区直部门立即处置；网格长现场跟踪"
  limit 4 hours
  escalate 4 hours -> city "市级协调"
  assumption "跨街道事项由区 12345 中心协调派单（分级负责，practice.md §2.3）；紧急时限 4 小时同上。"
}
route urgent_enforcement "紧急事项需执法或监管，街道（镇）吹哨" {
  when urgency == urgent and (law_enforcement in needs or industry_supervision in needs)
  tier street
  handlers grid_leader
  dispatch "网格人员现场劝导并报告；街道（镇）立即吹哨，综合执法或行业监管部门到场"
  limit 4 hours
  escalate 4 hours -> district "区直执法、监管部门报到"
  source "原文：网格承接“除行政执法和行业监管之外的相关工作”"
  assumption "紧急时限 4 小时同上；街道吹哨参照北京“吹哨报到”（practice.md §2.4）。"
}
route urgent_beyond_grid "紧急事项超出社区能力，街道（镇）应急吹哨" {
  when urgency == urgent and (scope == street or professional in needs or certification in needs or special_equipment in needs or coordination in needs or funding in needs)
  tier street
  handlers grid_leader
  dispatch "网格长报告社区并由街道（镇）吹哨，专业单位、相关部门到场处置"
  limit 4 hours
  escalate 4 hours -> district "五级联动：区直相关部门"
  assumption "需要专业力量、设备或协调的紧急事项（如管道破裂、路面塌陷、停水停电）由街道吹“应急哨”，参照北京“吹哨报到”（practice.md §2.4、§2.9）；时限 4 小时同上。"
}
route urgent_community "跨网格紧急事项，社区协调" {
  when urgency == urgent and scope == community
  tier community
  handlers grid_leader
  dispatch "网格长立即报告社区党委，社区协调相关网格即办"
  limit 4 hours
  escalate 4 hours -> street "街道督办"
  source "原文：“网格党组织内无法解决的问题，提交社区、街道(镇)协调办理”"
  assumption "紧急时限 4 小时同上；原文未给出。"
}

# ---- 8. 需要行政执法或行业监管：不在网格办理 -----------------------------------------------------
route enforcement "需执法，报街道（镇）吹哨" {
  when law_enforcement in needs
  tier street
  handlers urban_enforcer
  dispatch "城管执法队员等网格人员发现、劝导并报告；街道（镇）协调综合执法到场"
  limit 3 workdays
  escalate 2 workdays -> district "区直执法部门报到"
  source "原文：网格承接“除行政执法和行业监管之外的相关工作”"
  assumption "时限参照南京鼓楼“吹哨报到”3 个工作日报到（practice.md §2.4）；原文未给出。"
}
route supervision "需行业监管，报街道（镇）吹哨" {
  when industry_supervision in needs
  tier street
  handlers market_officer
  dispatch "市场监管人员等网格人员发现、宣传并报告；街道（镇）协调行业监管部门到场"
  limit 3 workdays
  escalate 2 workdays -> district "区直监管部门报到"
  source "原文：网格承接“除行政执法和行业监管之外的相关工作”"
  assumption "时限参照南京鼓楼“吹哨报到”3 个工作日报到（practice.md §2.4）；原文未给出。"
}

# ---- 9. 按涉及范围：跨区、跨街道、跨社区、跨网格 --------------------------------------------------
route beyond_district "跨区问题，市 12345 协调（五级联动）" {
  when scope == city
  department shi12345
  handlers grid_leader
  dispatch "报市 12345 协调相关区和市直部门；网格长跟踪反馈"
  limit 15 workdays
  escalate 5 workdays -> supervise(shi_zhengfawei) "提交市区联席会议协调"
  source "原文：“市区街居网格‘五级联动’”"
  assumption "跨区问题由市 12345 分级派单协调，时限同市直部门 15 个工作日（practice.md §2.3、§2.6）。"
}
route beyond_street "跨街道问题，区 12345 中心协调（五级联动）" {
  when scope == district
  department xiaoneng
  handlers grid_leader
  dispatch "报区 12345 中心协调相关街道和区直部门；网格长跟踪反馈"
  limit 5 workdays
  escalate 3 workdays -> city "五级联动：市直相关部门"
  source "原文：“市区街居网格‘五级联动’”"
  assumption "跨街道问题由区 12345 中心派单协调，时限同区直部门 5 个工作日（practice.md §2.3、§2.6）。"
}
route beyond_community "跨社区问题，街道（镇）协调" {
  when scope == street
  tier street
  dispatch "社区提交街道（镇）协调相关社区和部门"
  limit 5 workdays
  escalate 3 workdays -> district "五级联动：区直相关部门"
  source "原文：“网格党组织内无法解决的问题，提交社区、街道(镇)协调办理”"
  assumption "时限 5 个工作日；原文未给出。"
}
route beyond_grid "网格内无法解决，社区协调" {
  when scope == community or professional in needs or certification in needs or special_equipment in needs or coordination in needs or funding in needs
  tier community
  handlers grid_leader
  dispatch "网格长提交社区党委协调；涉及小区物业的，社区党委、业委会、物业企业三方联动"
  limit 3 workdays
  escalate 2 workdays -> street "提交街道（镇）协调", 5 workdays -> district "五级联动"
  source "原文：“网格党组织内无法解决的问题，提交社区、街道(镇)协调办理”；“构建社区党委、业委会及物业企业三方联动运行机制”"
  assumption "时限 3 个工作日；原文未给出。"
}

# ---- 10. 网格内 ----------------------------------------------------------------------------
route urgent_in_grid "紧急事项网格即办" {
  when urgency == urgent
  tier grid
  handlers grid_leader, matter
  dispatch "网格党组织立即派单，网格人员认领即办"
  limit 4 hours
  escalate 4 hours -> community "社区督办", 1 day -> street "街道督办"
  assumption "时限 4 小时参照数字城管“4 工作时”类事件（practice.md §2.5），按自然时计算；原文未给出。"
}
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
route grid "网格内解决" {
  tier grid
  handlers grid_leader, grid_worker
  dispatch "网格党组织派单，网格人员认领立即自主办理"
  limit 3 workdays
  escalate 1 workday -> community "社区督办", 3 workdays -> street "街道督办"
  source "原文：“网格党组织内能解决的问题，由网格党组织派单，网格人员认领立即自主办理”"
  assumption "时限同准入事项；原文未给出。"
}
