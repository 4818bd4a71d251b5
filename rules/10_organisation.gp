# 组织体系：部门、“1+9+X”网格力量、五级党组织等参考资料
# Organisation: departments, the "1+9+X" grid staff and reference catalogs.

# ---- 区委工作机关 District party-committee bodies -------------------------------------------
department zhengfawei "区委政法委" {
  tier district
  kind party
  short "政法委"
  source "原文：“区委政法委会同区民政局研究确定网格准入事项”"
  note "网格化治理的牵头部门：制定准入事项清单、批准退出、统筹“三评”。"
}
department zuzhibu "区委组织部" {
  tier district
  kind party
  source "原文：“组织部门牵头抓总、职能部门齐抓共管”"
}
department xuanchuanbu "区委宣传部（区文明办）" {
  tier district
  kind party
  assumption "文明创建、政策宣传的主管部门为区委宣传部（区文明办）；原文未写明。"
}
department jiguan "区直机关工委" {
  tier district
  kind party
  assumption "结对共建单位联系人由区直机关工委选配；原文未写明。"
}
department duchashi "区委区政府督查室" {
  tier district
  kind party
  short "督查室"
  source "原文：“对高质量党建引领基层网格化治理工作落实情况跟踪督查”"
  assumption "逾期未办结、经催办仍未办结的，由督查室书面通报批评，参照某市局 12345 规定“催办后逾期 5 个工作日仍未办结的书面通报批评”（practice.md §2.6）。"
}

# ---- 区政府工作部门 District government departments ------------------------------------------
department xiaoneng "区政务服务便民热线中心（区效能办）" {
  tier district
  short "区12345中心"
  assumption "区 12345 热线中心与区效能办合署：受理、派单、催办、回访，对承办单位考核；参照蚌埠 12345 二级承办单位与“催办通知书”规定（practice.md §2.4、§2.6）。原文未写明区级受理机构。"
}
department minzheng "区民政局" {
  tier district
  source "原文：准入事项清单由区委政法委会同区民政局确定"
}
department xinfang "区信访局" {
  tier district
  assumption "信访维稳并入网格后，业务主管部门为区信访局；原文只说“引导信访维稳……融入网格”。"
}
department chengguan "区城市管理局（综合执法）" {
  tier district
  short "区城管局"
  assumption "城管执法队员、环卫保洁人员由区城市管理局选配，数字城管的市容环境、街面秩序类事件由其承担主体责任；原文未写明具体部门。"
}
department sifa "区司法局" {
  tier district
  assumption "司法行政干警由区司法局选配；人民调解由其业务指导。原文未写明具体部门。"
}
department shichang "区市场监督管理局" {
  tier district
  short "区市场监管局"
  assumption "市场监管人员由区市场监督管理局选配；食品安全、特种设备（电梯）等行业监管由其承担主体责任。"
}
department zhujian "区住房和城乡建设局" {
  tier district
  short "区住建局"
  assumption "物管员、物业公司负责人由区住建局（物业管理主管部门）选配；原文提到“成立屯溪区物业行业党委”，未写明选配部门。"
}
department renshe "区人力资源和社会保障局" {
  tier district
  short "区人社局"
  assumption "社保服务、欠薪投诉的主管部门。"
}
department yingji "区应急管理局" {
  tier district
  assumption "突发事件发现报告、安全隐患排查的主管部门；区应急指挥中心设在该局。"
}
department shuju "区数据资源局（政务服务中心）" {
  tier district
  assumption "“一体通办”政务服务清单的主管部门；原文只说“街道统筹梳理政务服务清单事项”。"
}
department weijian "区卫生健康委员会" {
  tier district
  short "区卫健委"
  assumption "公共卫生事件、病媒生物、120 急救协调的主管部门；原文未写明。"
}
department shuili "区水利局（区河长办）" {
  tier district
  short "区河长办"
  assumption "河道、水域不洁与防汛的主管部门，区河长办设在该局；参照济源“水域不洁 15 工作日，住建局、水利局”（practice.md §2.5）。"
}
department jiaotong "区交通运输局" {
  tier district
  assumption "道路、公交站点等交通设施的主管部门；参照济源“暴露垃圾……交通局、街道”（practice.md §2.5）。"
}
department jiaoyu "区教育局" {
  tier district
  assumption "学校及周边安全、校外培训的主管部门。"
}
department tongji "区统计局" {
  tier district
  assumption "统计调查任务的主管部门；统计调查不在准入清单，不得直接下派网格。"
}

# ---- 垂直管理单位 Vertically managed units (在区设立，上级部门管理) -------------------------
department gongan "屯溪公安分局" {
  tier district
  kind vertical
  short "公安分局"
  assumption "社区民警由公安分局选配，人口信息收集的主管部门为公安分局；原文只说“各类人员由区直相关职能部门选配”。公安分局属市公安局垂直管理，按街道设派出所。"
}
department pcs_yudong "昱东派出所" {
  tier street
  kind vertical
  parent gongan
  area "昱东街道"
  assumption "屯溪公安分局按街道设派出所，派出所名称与辖区按网格台账中的街道写出（示例）；原文未写明。公安分局主管的事项由事项所在街道的派出所承办（辖区 area）。"
}
department pcs_yuzhong "昱中派出所" {
  tier street
  kind vertical
  parent gongan
  area "昱中街道"
  assumption "同上：按街道设置的派出所（示例）。"
}
department pcs_laojie "老街派出所" {
  tier street
  kind vertical
  parent gongan
  area "老街街道"
  assumption "同上：按街道设置的派出所（示例）。"
}
department jiaojing "市公安局交警支队屯溪大队" {
  tier district
  kind vertical
  short "交警大队"
  assumption "机动车乱停放、道路交通事故由交警大队处置；参照大营县“机动车乱停放 3 紧急工作时，县公安局、交警大队”（practice.md §2.5）。"
}
department xiaofang "屯溪区消防救援大队" {
  tier district
  kind vertical
  short "消防救援大队"
  assumption "火灾扑救与应急救援（119），消防安全检查；消防救援队伍实行垂直管理。原文未写明。"
}
department shengtai "市生态环境局屯溪分局" {
  tier district
  kind vertical
  short "生态环境分局"
  assumption "工业噪声、废气废水等环境污染投诉的主管部门（市局派出机构）。原文未写明。"
}
department ziran "市自然资源和规划局屯溪分局" {
  tier district
  kind vertical
  short "自然资源分局"
  assumption "规划许可、地质灾害隐患的主管部门（市局派出机构）。原文未写明。"
}

# ---- 街道（镇）层面 Street units ------------------------------------------------------------
department zf_yudong "昱东街道综合行政执法中队" {
  tier street
  short "昱东执法中队"
  assumption "街道综合执法中队承担占道经营、私搭乱建制止等街面执法，按街道设置，名称为示例；参照北京“吹哨报到”街道综合执法（practice.md §1.4、§2.4）。"
}
department zf_yuzhong "昱中街道综合行政执法中队" {
  tier street
  short "昱中执法中队"
  assumption "同上：按街道设置的综合执法中队（示例）。"
}
department zf_laojie "老街街道综合行政执法中队" {
  tier street
  short "老街执法中队"
  assumption "同上：按街道设置的综合执法中队（示例）。"
}

# ---- 公共服务企业 Public-service companies (部件权属单位，先属主) ---------------------------------
department water_co "黄山市供水公司（示例）" {
  tier district
  kind utility
  short "供水公司"
  assumption "供水管网及设施的权属与维修单位；参照大营县“供水管道破裂：水务局、供水公司”（practice.md §2.5）。名称为示例。"
}
department gas_co "黄山市燃气公司（示例）" {
  tier district
  kind utility
  short "燃气公司"
  assumption "燃气管网及设施的权属与抢修单位；参照大营县“燃气管道破裂：住建局、燃气公司”（practice.md §2.5）。名称为示例。"
}
department power_co "国网黄山供电公司屯溪供电中心（示例）" {
  tier district
  kind utility
  short "供电公司"
  assumption "供电设施的权属与抢修单位；蚌埠 12345 把公用企业列为二级承办单位（practice.md §2.4）。名称为示例。"
}

# ---- 外部渠道 External channels (不是网格或 12345 工单) ----------------------------------------
department court "屯溪区人民法院" {
  tier district
  kind channel
  short "区法院"
  assumption "涉法涉诉诉求（要求改判、执行等）走诉讼、申诉渠道；12345 不受理应通过诉讼、仲裁解决的事项（芜湖，practice.md §2.6）。"
}
department procuratorate "屯溪区人民检察院" {
  tier district
  kind channel
  short "区检察院"
  assumption "对生效裁判、执法活动的申诉控告走检察监督渠道（practice.md §2.6“12345 不受理”所列）。"
}

department market_service "家政维修等市场服务" {
  tier district
  kind channel
  assumption "私事由居民自行委托家政、维修等市场服务（三事分流，practice.md §2.4）；不是政府部门，只作为“私事”类别的去向。"
}

# ---- 市直部门 City departments (五级联动的最高一级) --------------------------------------------
department shi12345 "黄山市12345政务服务便民热线" {
  tier city
  short "市12345"
  assumption "跨区诉求与区级办理后仍不满意的诉求，由市 12345 协调派单、督办；参照国办发〔2020〕53号 12345 分级负责（practice.md §2.1、§2.3）。"
}
department shi_zuzhibu "市委组织部" {
  tier city
  kind party
  source "原文：联席会议“联动市委组织部等12个市直部门”"
}
department shi_zhengfawei "市委政法委" {
  tier city
  kind party
  assumption "区级督办后仍未办结的，提交市区“党建引领基层治理”联席会议协调，由市委政法委督办。"
}
department shi_zhujian "市住房和城乡建设局" {
  tier city
  assumption "跨区的供水、燃气等市政设施问题的主体责任部门（示例）。"
}
department shi_shichang "市市场监督管理局" {
  tier city
  assumption "跨区的市场监管问题的主体责任部门（示例）。"
}

# ---- 转介渠道 Referral channels (不是网格或 12345 工单时，告诉群众去哪里) ---------------------------------
referral fire_119 "火警 119（屯溪区消防救援大队）" {
  kind emergency
  contact "119"
  source "practice.md §2.6：政务热线整合时保留 110、119、120、122 紧急热线"
}
referral police_110 "报警 110（屯溪公安分局指挥中心）" {
  kind emergency
  contact "110"
  source "practice.md §2.6"
}
referral ambulance_120 "急救 120" {
  kind emergency
  contact "120"
  source "practice.md §2.6"
}
referral traffic_122 "交通事故报警 122" {
  kind emergency
  contact "122"
  source "practice.md §2.6"
}
referral court "屯溪区人民法院诉讼服务中心" {
  kind court
  contact "12368"
  source "practice.md §2.6：12345 不受理应通过诉讼、仲裁解决的事项（芜湖）"
}
referral procuratorate_appeal "屯溪区人民检察院控告申诉" {
  kind appeal
  contact "12309"
  source "practice.md §2.6：不受理清单中的法院、检察院事项"
}
referral admin_review "屯溪区人民政府行政复议（区司法局受理）" {
  kind appeal
  source "practice.md §2.6：12345 不受理行政复议事项（芜湖）"
  assumption "行政复议由区司法局受理为假设；原文未写明。"
}
referral petition "屯溪区信访局" {
  kind petition
  source "practice.md §2.6：12345 不受理已进入信访渠道的事项（芜湖）"
}
referral repair_market "家政维修等市场服务" {
  kind market
  source "practice.md §2.4：三事分流，私事由个人或市场服务解决"
}
referral admission_office "区委政法委（网格准入申请）" {
  kind department
  source "原文：“区委政法委会同区民政局研究确定网格准入事项”"
  note "需要网格承担清单外工作的部门，向区委政法委申请准入。"
}

# ---- “1”：网格长 The grid leader ----------------------------------------------------------
role grid_leader "网格长（网格党组织书记）" {
  category leader
  tier grid
  source "原文：“选优配强网格党组织书记并担任网格长”"
  note "网格长召集网格党群议事会议，网格党组织派单。"
}

# ---- “9”：9 类网格人员，均由区直相关职能部门选配 The 9 kinds of staff ---------------------------
role grid_worker "综治网格员" {
  category staff
  assigned_by zhengfawei
  tier grid
  source "原文：“整合综治网格员、城管执法队员……等9类人员力量充实至网格，各类人员由区直相关职能部门选配”"
  assumption "综治网格员由区委政法委选配。"
}
role urban_enforcer "城管执法队员" {
  category staff
  assigned_by chengguan
  tier grid
  note "执法权属于派出部门：网格内只做发现、劝导、报告，执法事项不在网格办理。"
  source "原文：“整合综治网格员、城管执法队员、环卫保洁人员、司法行政干警、市场监管人员、物管员、社区民警、物业公司负责人、结对共建单位联系人等9类人员力量充实至网格，各类人员由区直相关职能部门选配”"
  assumption "由区城市管理局选配；原文只说“由区直相关职能部门选配”。"
}
role sanitation_worker "环卫保洁人员" {
  category staff
  assigned_by chengguan
  tier grid
  source "原文：“整合综治网格员、城管执法队员、环卫保洁人员、司法行政干警、市场监管人员、物管员、社区民警、物业公司负责人、结对共建单位联系人等9类人员力量充实至网格，各类人员由区直相关职能部门选配”"
  assumption "由区城市管理局选配；原文只说“由区直相关职能部门选配”。"
}
role judicial_officer "司法行政干警" {
  category staff
  assigned_by sifa
  tier grid
  source "原文：“整合综治网格员、城管执法队员、环卫保洁人员、司法行政干警、市场监管人员、物管员、社区民警、物业公司负责人、结对共建单位联系人等9类人员力量充实至网格，各类人员由区直相关职能部门选配”"
  assumption "由区司法局选配；原文只说“由区直相关职能部门选配”。"
}
role market_officer "市场监管人员" {
  category staff
  assigned_by shichang
  tier grid
  note "行业监管权属于派出部门：网格内只做发现、宣传、报告。"
  source "原文：“整合综治网格员、城管执法队员、环卫保洁人员、司法行政干警、市场监管人员、物管员、社区民警、物业公司负责人、结对共建单位联系人等9类人员力量充实至网格，各类人员由区直相关职能部门选配”"
  assumption "由区市场监督管理局选配；原文只说“由区直相关职能部门选配”。"
}
role property_clerk "物管员" {
  category staff
  assigned_by zhujian
  tier grid
  source "原文：“整合综治网格员、城管执法队员、环卫保洁人员、司法行政干警、市场监管人员、物管员、社区民警、物业公司负责人、结对共建单位联系人等9类人员力量充实至网格，各类人员由区直相关职能部门选配”"
  assumption "由区住建局选配；原文只说“由区直相关职能部门选配”。"
}
role community_police "社区民警" {
  category staff
  assigned_by gongan
  tier grid
  source "原文：“整合综治网格员、城管执法队员、环卫保洁人员、司法行政干警、市场监管人员、物管员、社区民警、物业公司负责人、结对共建单位联系人等9类人员力量充实至网格，各类人员由区直相关职能部门选配”"
  assumption "由屯溪公安分局选配；原文只说“由区直相关职能部门选配”。"
}
role property_head "物业公司负责人" {
  category staff
  assigned_by zhujian
  tier grid
  source "原文：“整合综治网格员、城管执法队员、环卫保洁人员、司法行政干警、市场监管人员、物管员、社区民警、物业公司负责人、结对共建单位联系人等9类人员力量充实至网格，各类人员由区直相关职能部门选配”"
  assumption "由区住建局（物业行业党委）选配；原文只说“由区直相关职能部门选配”。"
}
role cobuild_contact "结对共建单位联系人" {
  category staff
  assigned_by jiguan
  tier grid
  source "原文：“整合综治网格员、城管执法队员、环卫保洁人员、司法行政干警、市场监管人员、物管员、社区民警、物业公司负责人、结对共建单位联系人等9类人员力量充实至网格，各类人员由区直相关职能部门选配”"
  assumption "由区直机关工委选配；原文只说“由区直相关职能部门选配”。"
}

# ---- “X”：辅助力量，在网格党组织统筹领导下发挥作用 Auxiliary forces -----------------------------
role deputies "“两代表一委员”" {
  category auxiliary
  source "原文：“广泛吸收‘两代表一委员’、群团组织、业委会、共建企业、党员志愿者等X种力量进入网格”"
  note "党代表、人大代表和政协委员。"
}
role mass_org "群团组织" {
  category auxiliary
  source "原文：“广泛吸收‘两代表一委员’、群团组织、业委会、共建企业、党员志愿者等X种力量进入网格，在网格党组织的统筹领导下发挥作用”"
}
role owners_committee "业委会" {
  category auxiliary
  source "原文：“广泛吸收‘两代表一委员’、群团组织、业委会、共建企业、党员志愿者等X种力量进入网格，在网格党组织的统筹领导下发挥作用”"
}
role cobuild_enterprise "共建企业" {
  category auxiliary
  source "原文：“广泛吸收‘两代表一委员’、群团组织、业委会、共建企业、党员志愿者等X种力量进入网格，在网格党组织的统筹领导下发挥作用”"
}
role party_volunteer "党员志愿者" {
  category auxiliary
  source "原文：“广泛吸收‘两代表一委员’、群团组织、业委会、共建企业、党员志愿者等X种力量进入网格，在网格党组织的统筹领导下发挥作用”"
}
role social_org "社区社会组织" {
  category auxiliary
  source "原文：水心亭社区“协商确定矛盾调解、政策宣讲、文艺汇演等8个孵化类型30支特色社区社会组织”"
}
role building_leader "党员楼栋长（中心户）" {
  category other
  source "原文：组织体系第五级“党员楼栋长(中心户)”；年度评选“最美楼栋长”"
}

# ---- 参考资料 Reference catalogs ----------------------------------------------------------
catalog party_levels "五级党组织体系" {
  entry street_committee "街道党工委 / 镇党委",
      community_committee "社区党委",
      grid_branch "网格党（总）支部",
      party_group "党小组（小区）",
      building_head "党员楼栋长（中心户）"
  source "原文：“构建‘街道党工委—社区党委—网格党(总)支部—党小组(小区)—党员楼栋长(中心户)’的组织体系”"
}
catalog closed_loop "网格事项闭环运行" {
  entry discover "前端发现报告",
      triage "网上分级分流",
      handle "部门联动办理",
      supervise "全程跟踪督办",
      revisit "办结回访问效"
  source "原文：“前端发现报告—网上分级分流—部门联动办理—全程跟踪督办—办结回访问效”"
}
catalog four_lists "“四清单”" {
  entry problem "问题清单", measure "措施清单", responsibility "责任清单", outcome "成效清单"
  source "原文：对网格党组织内摸排发现的问题和收集的诉求，分类建立“问题、措施、责任、成效”“四清单”"
}
catalog three_ways "“三办”" {
  entry in_grid "网格党组织内能解决的：网格党组织派单，网格人员认领立即自主办理",
      up "网格党组织内无法解决的：提交社区、街道（镇）协调办理",
      linkage "市、区直单位承担主体责任的：市区街居网格“五级联动”办理"
  source "原文“四单三办三评”工作法"
}
catalog three_evaluations "“三评”" {
  entry residents "居民（企业）对问题办理情况的满意度评价",
      grid_org "网格党组织对网格人员履职和区直职能部门作用发挥的评价",
      departments "区直职能部门对网格人员的总体评价"
  source "原文“四单三办三评”工作法"
}
catalog community_lists "社区居委会“两个清单”" {
  entry statutory "19 项依法履行职责主要事项",
      assisting "75 项依法协助政府工作主要事项",
      plaques "清理规范对外挂牌和证明事项 17 个",
      veto "取消对社区工作的“一票否决”事项"
  source "原文：“明确社区居委会19项依法履行职责主要事项、75项依法协助政府工作主要事项‘两个清单’并公示；清理规范对外挂牌和证明事项17个，取消对社区工作的‘一票否决’事项”"
  note "原文只给出数量，未列出具体事项，因此本规则集不逐项编码这两个清单。"
}
catalog awards "年度评选" {
  entry star_grid "星级网格：网格年度综合评分（公式 grid_annual）按等级表 star_grid 评星",
      outstanding_worker "优秀网格员：网格人员年度综合评价（公式 staff_annual）达到等级表 outstanding_worker 的分数线",
      best_building_leader "最美楼栋长：楼栋长年度评价（公式 building_leader_annual）达到等级表 best_building_leader 的分数线"
  source "原文：“每年评选‘星级网格’‘优秀网格员’‘最美楼栋长’等，并将……评价结果作为街道(镇)、区直单位相关工作绩效评定和评优评先的重要依据”"
}
catalog meetings "议事与联席制度" {
  entry street_meeting "街道党工委、镇党委每半年至少召开 1 次专题会议研究网格党建工作",
      joint_meeting "市区“党建引领基层治理”联席会议：联动 12 个市直部门、5 个区直部门、7 个镇街和 10 个社区，协商解决问题 100 个",
      community_deliberation "社区党群议事会议：联系社区的市、区领导任召集人，共建共驻单位、辖区物业公司党员代表等为常任委员，区相关职能部门列席",
      grid_deliberation "网格党群议事会议：网格长任召集人，各类网格人员为常任议事委员，党员群众代表为公众议事成员；社区、网格两级共解决治理难题 904 件",
      red_property "“红色物业”：协调解决难题 765 个，化解矛盾纠纷 1021 起"
  source "原文“压实党建工作职责”“建立联动机制”“推行‘红色物业’”各节"
}
catalog one_network "“一张网”：一网统筹、多网融合" {
  entry one_network "整合现有各类城乡网格成为“一张网”",
      integration "实现“一网统筹、多网融合”",
      grouping "将 1 个或多个现有的综治网格集成组团，由 1 个网格党组织统筹引领",
      setting "网格设置原则：规模适当、边界清楚、便于管理、责任明确",
      coverage "网格“整体覆盖、便于管理、无缝衔接”",
      notice_board "统一设置公示牌：网格涵盖的区域、四至边界、网格人员信息（见网格台账 registry/grids.yaml）"
  source "原文：“整合现有各类城乡网格成为‘一张网’，实现‘一网统筹、多网融合’”；“遵循‘规模适当、边界清楚、便于管理、责任明确’的原则”"
}
catalog principles "网格运行机制五项要求" {
  entry discovery "发现及时",
      handling "处置快速",
      resolution "解决有效",
      supervision "监督有力",
      operation "运转高效"
  source "原文：“建立‘发现及时、处置快速、解决有效、监督有力、运转高效’的网格运行机制”"
  note "分流规则的时限和升级（40_routing.gp）是“处置快速、监督有力”的可执行写法。"
}
catalog service_model "全科社工与“一体通办”" {
  entry all_round "“全科社工”：一人多岗、一专多能",
      one_window "前台一窗受理、后台协同办理，推动更多人员下沉网格",
      cross_community "“一体通办”：街道统筹梳理政务服务清单事项，打破社区间行政壁垒，居民可就近选择网格人员在家门口社区代办帮办；跨社区受理的事项在受理网格照常办结，不退回居民户籍所在社区",
      yuzhong "昱中街道跨社区受理办结各类事项 180 余件，服务居民 742 人次"
  source "原文：“全面推行‘全科社工’，实现‘一人多岗、一专多能’，做到‘前台一窗受理、后台协同办理’”；“探索实施‘一体通办’服务模式”"
  note "准入事项 P05“政务服务代办帮办”不限定居民所在社区：任何网格受理的都在受理网格办理（见 rules/tests/practice.yaml）。"
}
catalog rating_use "评价结果运用" {
  entry street "网格党组织、网格人员的评价结果作为街道（镇）相关工作绩效评定和评优评先的重要依据",
      district_units "同时作为区直单位相关工作绩效评定和评优评先的重要依据",
      sampling "随机抽查 40 个网格党组织的得分作为对应街道（镇）重要考核评价依据（公式 street_inspection）",
      party_review "工作开展情况纳入各级党组织书记抓基层党建述职评议考核，纳入区改革攻坚项目和“党建引领社区治理”擂台比武",
      no_veto "取消对社区工作的“一票否决”：任何单项只按权重计入总分"
  source "原文“强化管理评价”“健全长效管理机制”“落实基础工作保障”各节"
}
catalog figures "规模数字" {
  entry grid_orgs "92 个城市社区网格党组织",
      staff "2000 余名 9 类网格人员",
      inspection "从全区 20 个城市社区随机抽取 40 个网格党组织全面评价打分",
      cross_community "昱中街道跨社区受理办结各类事项 180 余件，服务居民 742 人次（“一体通办”）",
      emergency_posts "疫情防控中 2000 余名党员认领防控岗位 5719 个"
  source "原文各节"
}
