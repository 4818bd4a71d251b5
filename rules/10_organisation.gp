# 组织体系：部门、“1+9+X”网格力量、五级党组织等参考资料
# Organisation: departments, the "1+9+X" grid staff and reference catalogs.

# ---- 区直部门 District departments --------------------------------------------------------
department zhengfawei "区委政法委" {
  tier district
  short "政法委"
  source "原文：“区委政法委会同区民政局研究确定网格准入事项”"
}
department minzheng "区民政局" {
  tier district
  source "原文：准入事项清单由区委政法委会同区民政局确定"
}
department zuzhibu "区委组织部" {
  tier district
  source "原文：“组织部门牵头抓总、职能部门齐抓共管”"
}
department xuanchuanbu "区委宣传部（区文明办）" {
  tier district
  assumption "文明创建、政策宣传的主管部门为区委宣传部（区文明办）；原文未写明。"
}
department xinfang "区信访局" {
  tier district
  assumption "信访维稳并入网格后，业务主管部门为区信访局；原文只说“引导信访维稳……融入网格”。"
}
department gongan "屯溪公安分局" {
  tier district
  assumption "社区民警由公安分局选配，人口信息收集的主管部门为公安分局；原文只说“各类人员由区直相关职能部门选配”。"
}
department chengguan "区城市管理局（综合执法）" {
  tier district
  assumption "城管执法队员、环卫保洁人员由区城市管理局选配；原文未写明具体部门。"
}
department sifa "区司法局" {
  tier district
  assumption "司法行政干警由区司法局选配；原文未写明具体部门。"
}
department shichang "区市场监督管理局" {
  tier district
  assumption "市场监管人员由区市场监督管理局选配；食品安全等行业监管由其承担主体责任。"
}
department zhujian "区住房和城乡建设局" {
  tier district
  assumption "物管员、物业公司负责人由区住建局（物业管理主管部门）选配；原文提到“成立屯溪区物业行业党委”，未写明选配部门。"
}
department renshe "区人力资源和社会保障局" {
  tier district
  assumption "社保服务的主管部门。"
}
department yingji "区应急管理局" {
  tier district
  assumption "突发事件发现报告、安全隐患排查的主管部门。"
}
department shuju "区数据资源局（政务服务中心）" {
  tier district
  assumption "“一体通办”政务服务清单的主管部门；原文只说“街道统筹梳理政务服务清单事项”。"
}
department jiguan "区直机关工委" {
  tier district
  assumption "结对共建单位联系人由区直机关工委选配；原文未写明。"
}

# ---- 市直部门 City departments (五级联动的最高一级) --------------------------------------------
department shi_zuzhibu "市委组织部" {
  tier city
  source "原文：联席会议“联动市委组织部等12个市直部门”"
}
department shi_zhengfawei "市委政法委" {
  tier city
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
}
role sanitation_worker "环卫保洁人员" {
  category staff
  assigned_by chengguan
  tier grid
}
role judicial_officer "司法行政干警" {
  category staff
  assigned_by sifa
  tier grid
}
role market_officer "市场监管人员" {
  category staff
  assigned_by shichang
  tier grid
  note "行业监管权属于派出部门：网格内只做发现、宣传、报告。"
}
role property_clerk "物管员" {
  category staff
  assigned_by zhujian
  tier grid
}
role community_police "社区民警" {
  category staff
  assigned_by gongan
  tier grid
}
role property_head "物业公司负责人" {
  category staff
  assigned_by zhujian
  tier grid
}
role cobuild_contact "结对共建单位联系人" {
  category staff
  assigned_by jiguan
  tier grid
}

# ---- “X”：辅助力量，在网格党组织统筹领导下发挥作用 Auxiliary forces -----------------------------
role deputies "“两代表一委员”" {
  category auxiliary
  source "原文：“广泛吸收‘两代表一委员’、群团组织、业委会、共建企业、党员志愿者等X种力量进入网格”"
  note "党代表、人大代表和政协委员。"
}
role mass_org "群团组织" { category auxiliary }
role owners_committee "业委会" { category auxiliary }
role cobuild_enterprise "共建企业" { category auxiliary }
role party_volunteer "党员志愿者" { category auxiliary }
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
  entry star_grid "星级网格", outstanding_worker "优秀网格员", best_building_leader "最美楼栋长"
  source "原文：“每年评选‘星级网格’‘优秀网格员’‘最美楼栋长’等，并将……评价结果作为街道(镇)、区直单位相关工作绩效评定和评优评先的重要依据”"
}
catalog meetings "议事与联席制度" {
  entry street_meeting "街道党工委、镇党委每半年至少召开 1 次专题会议研究网格党建工作",
      joint_meeting "市区“党建引领基层治理”联席会议：联动 12 个市直部门、5 个区直部门、7 个镇街和 10 个社区，协商解决问题 100 个",
      deliberation "社区、网格党群议事会议：网格长任召集人，解决治理难题 904 件",
      red_property "“红色物业”：协调解决难题 765 个，化解矛盾纠纷 1021 起"
  source "原文“压实党建工作职责”“建立联动机制”“推行‘红色物业’”各节"
}
catalog figures "规模数字" {
  entry grid_orgs "92 个城市社区网格党组织",
      staff "2000 余名 9 类网格人员",
      inspection "从全区 20 个城市社区随机抽取 40 个网格党组织全面评价打分",
      cross_community "昱中街道跨社区受理办结各类事项 180 余件，服务居民 742 人次（“一体通办”）",
      emergency_posts "疫情防控中 2000 余名党员认领防控岗位 5719 个"
  source "原文各节"
}
