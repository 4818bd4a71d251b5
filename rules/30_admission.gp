# 网格准入：四条排除标准、准入事项清单（三批承接）、临时准入、退出，以及负面清单
# Admission: the four exclusion criteria, the admission list in three batches, a temporary
# admission, an exit, and a negative list of work that never goes to grids.

# ---- 排除标准：符合任一条的事项“一律不得下放到网格” ----------------------------------------
# 既用于新事项准入审查（admit），也用于部门下派网格的任务（kind: task）。
criterion professional "专业性较强" {
  when professional in needs
  basis "原文：“对专业性较强……的事项，一律不得下放到网格”"
  source "屯溪区准入事项清单制度（原文“建立准入事项清单”一节）"
}
criterion beyond_autonomy "超出社区自治能力范围" {
  when scope > community or funding in needs or coordination in needs
  basis "原文：“超出社区自治能力范围……的事项，一律不得下放到网格”"
  assumption "以“涉及范围超出本社区、需要专项经费物资、需要跨部门协调”判断是否超出社区自治能力；原文未给出判断方法（参照“权随责走、费随事转”，practice.md §1.3）。"
}
criterion not_grid_duty "与网格责任不相符" {
  when law_enforcement in needs or industry_supervision in needs
  basis "原文：网格承接“除行政执法和行业监管之外的相关工作”；“与网格责任不相符……的事项，一律不得下放到网格”"
  note "行政执法和行业监管由派出部门行使，网格人员只做发现、劝导、报告（practice.md §1.4）。"
}
criterion beyond_ability "与网格员工作能力不相匹配" {
  when certification in needs or special_equipment in needs
  basis "原文：“与网格员工作能力不相匹配的事项，一律不得下放到网格”"
  assumption "以“需要执业资格或持证作业、需要专用设备”判断是否超出网格员工作能力；原文未给出判断方法。"
}

# ---- 准入审查：部门下派网格的任务逐项审查，突发事件应急指令豁免 ----------------------------------------
gate grid_admission "网格准入审查" {
  applies kind == task
  lists admission
  refer admission_office
  reason "未列入准入清单（或尚未承接、已退出、临时准入到期）的工作不得下派网格；确需网格承担的，请向区委政法委申请准入"
  source "原文：“区委政法委会同区民政局研究确定网格准入事项，并建立准入事项清单；对专业性较强……的事项，一律不得下放到网格”"
  exemption emergency_order "突发事件应急指令" {
    when urgency == emergency
    period 72 hours
    basis "原文：疫情防控中“及时把疫情防控应急指挥部相关指令传达落实到最基层”"
    assumption "张家口对危及生命财产、公共安全、公共卫生等突发事件豁免准入（practice.md §1.3）；舟山条例第二十四条临时纳入须写明期限（practice.md §1.1），豁免期 72 小时为假设。"
  }
}

# ---- 准入事项清单 ----------------------------------------------------------------------------
list admission "屯溪区网格准入事项清单" {
  admission true
  authority "区委政法委", "区民政局"
  source "原文：“区委政法委会同区民政局研究确定网格准入事项，并建立准入事项清单”"
  note "未列入本清单的工作，不得下派网格；不再适宜由网格承担的事项，按程序批准退出。"

  batch b1 "第一批" {
    effective 2024-03-01
    source "原文：七项工作“分3个批次由网格逐步承接”"
    assumption "第一批 2024-03-01 起承接基层党建、矛盾纠纷调解、信访维稳及政策宣传、突发事件发现报告；原文未写明各批次的事项与日期。"
  }
  batch b2 "第二批" {
    effective 2024-07-01
    assumption "第二批 2024-07-01 起承接户籍人口、流动人口信息收集、重点人员管控、社情民意收集、安全隐患排查报告；原文未写明。"
  }
  batch b3 "第三批" {
    effective 2025-01-01
    assumption "第三批 2025-01-01 起承接社保民政服务、文明创建、特殊人群关爱、代办帮办；原文未写明。"
  }

  # 原文列明的七项工作 The seven duties named in the article
  matter G01 "基层党建" {
    aliases "网格党建"
    batch b1
    handlers grid_leader, building_leader, party_volunteer, cobuild_contact, cobuild_enterprise
    owner zuzhibu
    source "原文：梳理“基层党建……等工作，分3个批次由网格逐步承接”"
  }
  matter G02 "户籍人口信息收集" {
    aliases "户籍人口采集"
    batch b2
    handlers grid_worker, community_police
    owner gongan
    source "原文七项工作之一"
  }
  matter G03 "流动人口信息收集" {
    aliases "流动人口采集", "流动人口登记"
    batch b2
    handlers grid_worker, community_police, property_clerk
    owner gongan
    source "原文七项工作之一"
  }
  matter G04 "社保民政服务" {
    aliases "社保服务", "民政服务"
    batch b3
    handlers grid_worker
    owner minzheng
    source "原文七项工作之一"
    assumption "主管部门写区民政局；社保部分由区人社局业务指导。"
  }
  matter G05 "重点人员管控" {
    aliases "重点人员服务管理"
    batch b2
    handlers grid_worker, community_police, judicial_officer
    owner zhengfawei
    source "原文七项工作之一"
    note "网格负责走访、发现和报告；采取强制措施属于执法，不在网格办理。"
  }
  matter G06 "矛盾纠纷调解" {
    aliases "纠纷调解", "矛盾调解"
    batch b1
    handlers grid_leader, grid_worker, judicial_officer, community_police
    owner zhengfawei
    source "原文七项工作之一；“红色物业”化解矛盾纠纷 1021 起"
  }
  matter G07 "文明创建" {
    aliases "文明城市创建"
    batch b3
    handlers grid_leader, grid_worker, sanitation_worker, party_volunteer
    owner xuanchuanbu
    source "原文七项工作之一；“引导信访维稳、文明创建等重点工作融入网格”"
  }
  matter G08 "信访维稳" {
    aliases "信访稳定", "矛盾风险排查"
    batch b1
    handlers grid_leader, grid_worker, community_police
    owner xinfang
    source "原文：“引导信访维稳、文明创建等重点工作融入网格”"
    note "网格排查信访、矛盾纠纷等不稳定因素，限时化解或报告。"
  }

  # 参照其他地区网格条例列出的具体事项 Concrete matters from comparable regulations
  matter P01 "政策法规宣传" {
    aliases "政策宣讲"
    batch b1
    handlers grid_leader, grid_worker, social_org
    owner xuanchuanbu
    assumption "参照《舟山市网格化服务管理条例》第二十三条第（一）项“宣传党的理论和国家政策法规”（practice.md §1.1）；原文提到社会组织“政策宣讲”。"
  }
  matter P02 "社情民意收集" {
    aliases "民意收集"
    batch b2
    handlers grid_worker, deputies
    owner zhengfawei
    assumption "参照舟山条例第二十三条第（二）项“收集社情民意”。"
  }
  matter P03 "安全隐患排查报告" {
    aliases "隐患排查", "安全隐患报告"
    batch b2
    handlers grid_worker, property_clerk
    owner yingji
    assumption "参照舟山条例第二十三条第（四）项“协助排查公共安全、治安隐患，限时处置或报告”；网格只发现报告，整改执法由主管部门承担。"
  }
  matter P04 "特殊人群关爱帮扶" {
    aliases "特殊人群关爱"
    batch b3
    handlers grid_worker, party_volunteer, mass_org
    owner minzheng
    assumption "参照舟山条例第二十三条第（五）项“协助开展志愿服务和特殊人群关爱”。"
  }
  matter P05 "政务服务代办帮办" {
    aliases "代办帮办", "一体通办"
    batch b3
    handlers grid_worker
    owner shuju
    source "原文：“一体通办”，“辖区居民可以根据清单，就近选择网格人员在家门口社区代办帮办相关政务服务事项”"
    assumption "参照舟山条例第二十三条第（六）项“协办、代办、代跑”。"
  }
  matter P06 "突发事件发现报告" {
    aliases "突发事件报告", "应急先期处置"
    batch b1
    handlers grid_leader, grid_worker, building_leader
    owner yingji
    source "原文：疫情防控中“及时把疫情防控应急指挥部相关指令传达落实到最基层”"
    assumption "参照舟山条例第二十三条第（七）项：网格发现报告突发事件、启动微网格应急响应、协助部门处置，不牵头处置。"
  }

  matter P08 "物业矛盾协调（红色物业）" {
    aliases "物业纠纷协调", "红色物业"
    batch b1
    handlers grid_leader, property_head, owners_committee, property_clerk
    owner zhujian
    source "原文：“构建社区党委、业委会及物业企业三方联动运行机制”；“推行网格党支部成员与业委会成员双向兼职”；“红色物业”化解矛盾纠纷 1021 起"
    assumption "列入第一批；网格只协调物业企业、业委会与居民的矛盾，物业服务质量的监管仍属区住建局。原文未写明批次。"
  }

  # 临时准入：须写明准入期限 A temporary admission must state its period
  matter T01 "燃气安全入户宣传与隐患报告（临时）" {
    aliases "燃气安全入户宣传"
    effective 2025-04-01
    expires 2025-09-30
    handlers grid_worker, property_clerk
    owner zhujian
    assumption "临时准入示例：参照舟山条例第二十四条，紧急需要临时纳入的事项须经同级网格工作机构同意并写明纳入期限；事项、日期均为示例。"
    note "网格只做入户宣传和发现报告；燃气设施检测、维修需持证作业，不在网格办理。"
  }

  # 将退出的事项（见下方 exit）
  matter P07 "自建房安全隐患排查" {
    aliases "自建房排查"
    batch b2
    handlers grid_worker
    owner zhujian
    assumption "示例事项：列入第二批，后因专业性较强按程序退出（见退出 X01）。"
  }
}

# ---- 退出：按程序批准退出 ----------------------------------------------------------------------
exit X01 "自建房安全隐患排查退出网格" {
  matter P07
  list admission
  date 2025-07-01
  approved_by "区委政法委、区民政局"
  ref "屯政法〔2025〕示例1号"
  reason "房屋结构安全排查需要专业技术人员和检测设备，专业性较强、与网格员工作能力不相匹配，改由区住建局委托专业机构开展"
  source "原文：“对不再适宜由网格承担的事务，按程序批准退出”"
  assumption "退出事项、日期、文号均为示例，用于说明退出的写法；原文未列出具体退出事项。"
}

# ---- 负面清单：明确不得下派网格的工作（不是准入清单） ----------------------------------------
list negative "不得下派网格事项（负面清单）" {
  admission false
  authority "区委政法委", "区民政局"
  assumption "负面清单的做法参照“依法履职 / 协助办理 / 负面事项”三清单（practice.md §1.3）；具体事项为示例，均由原文四条排除标准推出。"
  matter N01 "行政处罚与强制执行" {
    aliases "行政处罚"
    owner chengguan
    traits { needs [law_enforcement] }
  }
  matter N02 "市场主体监督检查" {
    aliases "食品安全检查", "市场监管检查"
    owner shichang
    traits { needs [industry_supervision, professional] }
  }
  matter N03 "违法建设查处拆除" {
    aliases "违建拆除"
    owner chengguan
    traits { needs [law_enforcement, special_equipment] }
  }
  matter N04 "房屋安全鉴定" {
    owner zhujian
    traits { needs [professional, certification] }
  }
  matter N05 "各类创建评比台账填报" {
    aliases "台账填报"
    owner minzheng
    traits { needs [coordination] }
    assumption "参照张家口等地“台账报表、评比达标须经准入”的规定（practice.md §1.3）。"
  }
}
