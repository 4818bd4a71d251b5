# 事件部件分类：数字城管标准（GB/T 30428.2、CJ/T 214）的常见小类与 12345 常见诉求类别，写明主管（权属）部门、
# 协办部门与承办角色，使只写了类别名称的 12345 工单或巡查上报也能分流正确。
# The event catalogue: the common classes of the digital city-management standards and of 12345
# practice, with owners, assisting departments and handler roles, so that an item carrying only a
# category name routes right. 小类写明自己的（分段）时限：分流规则未写时限的，按小类的时限派单。
# Classes carry their own (staged) limits; a route without one uses the class's.
#
# 事件“先属地、后属主”，部件“先属主、后属地”（CJ/T 214、常熟细则，practice.md §2.3）。
# 小类的代码按标准的“大类 2 位 + 小类 2 位”写法；本区扩展的大类从 07 编起，部件代码加前缀 B，
# 非受理与转介类加前缀 R，使每个代码只指向一个小类。
# 各小类的主管部门除注明出处的外，均为本规则集按部门职责所作的假设。

classification events "城市管理事件与 12345 诉求" {
  type event
  standard "GB/T 30428.2-2013、CJ/T 214-2007（常见小类节选）与 12345 常见诉求类别"
  source "practice.md §4.2：事件大类“市容环境、宣传广告、施工管理、街面秩序、突发事件”及小类示例"

  major E01 "市容环境" {
    code "01"
    class E0101 "私搭乱建" {
      code "0101"
      aliases "违章搭建", "违法建设", "违建"
      owner chengguan
      assisting ziran
      handlers urban_enforcer
      traits { needs [law_enforcement] }
      register "未取得建设工程规划许可证或未按许可搭建的建（构）筑物"
      close "停止施工，依法查处，限期拆除或补办手续"
      stages 4 workhours -> stop "制止",
          7 workdays -> penalty "查处",
          20 workdays -> demolish "拆除"
      source "practice.md §2.5：私搭乱建“制止 4 工作时、处罚 7 工作日、拆除 20 工作日”，区城管执法、公安、街道"
    }
    class E0102 "暴露垃圾" {
      code "0102"
      aliases "垃圾堆放", "乱倒垃圾", "垃圾满溢"
      owner chengguan
      handlers sanitation_worker
      close "垃圾清理干净"
      limit 4 workhours
      source "practice.md §2.5：暴露垃圾 4 工作时，区环卫"
    }
    class E0103 "积存渣土" {
      code "0103"
      aliases "渣土堆积", "建筑垃圾"
      owner chengguan
      traits { needs [special_equipment] }
      limit 2 workdays
      source "practice.md §2.5：建筑垃圾 4 工作时、渣土 2 工作日，环卫与执法"
    }
    class E0104 "道路保洁" {
      code "0104"
      aliases "道路不洁", "路面不洁"
      owner chengguan
      handlers sanitation_worker
      register "08:00 以后路面仍有明显垃圾"
      limit 2 workhours
      source "practice.md §2.5：道路保洁 2 工作时，环卫"
    }
    class E0105 "绿地脏乱" {
      code "0105"
      aliases "绿地保洁", "绿地垃圾"
      owner chengguan
      limit 4 workhours
      source "practice.md §2.5：绿地保洁 4 工作时，园林部门"
      assumption "本区园林绿化由区城市管理局负责；原文未写明。"
    }
    class E0106 "水域不洁" {
      code "0106"
      aliases "河道漂浮物", "河道垃圾", "水面漂浮物"
      owner shuili
      assisting chengguan
      limit 15 workdays
      source "practice.md §2.5：水域不洁 15 工作日，住建局、水利局（济源）"
    }
    class E0107 "餐饮油烟" {
      code "0107"
      aliases "油烟扰民", "油烟直排"
      owner chengguan
      assisting shengtai
      assumption "餐饮服务业油烟由区城市管理局执法、生态环境分局协办；原文未写明。"
    }
  }
  major E02 "宣传广告" {
    code "02"
    class E0201 "非法小广告" {
      code "0201"
      aliases "小广告", "牛皮癣"
      owner chengguan
      handlers sanitation_worker
      limit 4 workhours
      assumption "时限 4 工作时同暴露垃圾（practice.md §2.5 市容类 4 工作时）；原文未给出。"
      source "practice.md §4.2：宣传广告类“非法小广告”"
    }
  }
  major E03 "施工管理" {
    code "03"
    class E0301 "施工扰民" {
      code "0301"
      aliases "施工噪声", "夜间施工"
      owner zhujian
      assisting chengguan
      traits { urgency urgent }
      source "practice.md §4.2：施工管理类“施工扰民”；蚌埠 12345 把噪声扰民列为一般应急（practice.md §2.9）"
      assumption "建筑施工噪声由区住建局主管；原文未写明。"
    }
    class E0302 "工地扬尘" {
      code "0302"
      owner zhujian
      assisting shengtai
      source "practice.md §4.2：施工管理类“工地扬尘”"
    }
  }
  major E04 "街面秩序" {
    code "04"
    class E0401 "占道经营" {
      code "0401"
      aliases "流动摊贩", "马路市场", "出店经营"
      owner chengguan
      handlers urban_enforcer
      traits { needs [law_enforcement] }
      limit 4 workhours
      assumption "时限 4 工作时参照同类街面事件（practice.md §2.5）；原文未给出。"
      source "practice.md §4.2：街面秩序类“占道经营”"
    }
    class E0402 "无照经营" {
      code "0402"
      owner shichang
      handlers market_officer
      traits { needs [industry_supervision] }
      source "practice.md §4.2：街面秩序类“无照经营”"
    }
    class E0403 "机动车乱停放" {
      code "0403"
      aliases "违停", "乱停车", "占用消防通道停车"
      owner jiaojing
      limit 3 urgent_hours
      source "practice.md §2.5：机动车乱停放 3 紧急工作时，县公安局、交警大队（大营县）"
    }
    class E0404 "非机动车乱停放" {
      code "0404"
      aliases "共享单车乱停", "电动车乱停"
      owner chengguan
      limit 3 urgent_hours
      source "practice.md §2.5：非机动车乱停放 3 紧急工作时，县执法局（大营县）"
    }
  }
  major E05 "突发事件" {
    code "05"
    class E0501 "路面塌陷" {
      code "0501"
      aliases "道路塌陷", "地面塌陷"
      owner jiaotong
      assisting zhujian
      traits { urgency urgent needs [special_equipment] }
      limit 4 hours
      assumption "时限 4 小时（全天候）：北京“应急哨”事件按紧急事项处置（practice.md §2.4）；原文未给出。"
      source "practice.md §2.4：北京“应急哨”用于管道破裂、路面塌陷、停水停电"
    }
    class E0502 "道路积水" {
      code "0502"
      aliases "路面积水"
      owner chengguan
      register "非降雨原因、影响通行的路面积水"
      limit 4 workhours
      source "practice.md §2.5：路面积水 4 工作时，环卫"
    }
  }
  major E07 "社会管理（本区扩展）" {
    code "07"
    class E0701 "社会生活噪声" {
      code "0701"
      aliases "噪声扰民", "广场舞噪声", "娱乐场所噪声"
      owner gongan
      traits { urgency urgent }
      source "practice.md §2.9：蚌埠 12345 把噪声扰民列为一般应急"
      assumption "社会生活噪声由公安派出所处理；原文未写明。"
    }
    class E0702 "工业噪声" {
      code "0702"
      aliases "工厂噪声"
      owner shengtai
      assumption "工业噪声由生态环境分局监管；原文未写明。"
    }
    class E0703 "不文明养犬" {
      code "0703"
      aliases "遛狗不牵绳", "犬只扰民"
      owner gongan
      assumption "犬只管理由公安派出所负责；原文未写明。"
    }
    class E0704 "飞线充电" {
      code "0704"
      aliases "电动车飞线充电", "楼道充电"
      owner xiaofang
      handlers grid_worker, property_clerk
      limit 1 workday
      assumption "时限 1 个工作日为假设；原文未给出。"
      assumption "飞线充电属消防安全隐患：网格劝导、物业整改，消防救援大队协办；原文未写明。"
    }
    class E0705 "拖欠工资" {
      code "0705"
      aliases "讨薪", "欠薪"
      owner renshe
      source "practice.md §1.4：网格“重点事件”含工资纠纷"
    }
    class E0706 "食品安全" {
      code "0706"
      aliases "餐馆卫生", "过期食品", "后厨卫生"
      owner shichang
      traits { needs [industry_supervision] }
      source "原文：网格不承接行业监管"
    }
    class E0707 "电梯故障" {
      code "0707"
      aliases "电梯停运"
      owner shichang
      assisting zhujian
      traits { needs [industry_supervision] }
      assumption "电梯属特种设备，由区市场监管局督促维保单位；原文未写明。"
    }
  }
  major E08 "公用事业（本区扩展）" {
    code "08"
    class E0801 "停水" {
      code "0801"
      aliases "供水异常", "水压不足"
      owner water_co
      traits { urgency urgent }
      stages 20 minutes -> feedback "反馈", 24 hours -> restore "恢复供应"
      assumption "分段时限：20 分钟反馈取蚌埠 12345 一般应急（practice.md §2.6）；24 小时恢复取北京 12345 水电气热紧急诉求的一般做法（practice.md §2.6 标为仅可作参考）；原文未给出。"
      source "practice.md §2.6：蚌埠 12345“水、电、气、热供应异常”属一般应急"
    }
    class E0802 "停电" {
      code "0802"
      aliases "供电异常"
      owner power_co
      traits { urgency urgent }
      stages 20 minutes -> feedback "反馈", 24 hours -> restore "恢复供应"
      assumption "分段时限：20 分钟反馈取蚌埠 12345 一般应急（practice.md §2.6）；24 小时恢复取北京 12345 水电气热紧急诉求的一般做法（practice.md §2.6 标为仅可作参考）；原文未给出。"
      source "practice.md §2.6：同上"
    }
    class E0803 "停气" {
      code "0803"
      aliases "燃气停供"
      owner gas_co
      traits { urgency urgent }
      stages 20 minutes -> feedback "反馈", 24 hours -> restore "恢复供应"
      assumption "分段时限：20 分钟反馈取蚌埠 12345 一般应急（practice.md §2.6）；24 小时恢复取北京 12345 水电气热紧急诉求的一般做法（practice.md §2.6 标为仅可作参考）；原文未给出。"
      source "practice.md §2.6：同上"
    }
  }
}

classification components "城市管理部件" {
  type component
  standard "GB/T 30428.2-2013、CJ/T 214-2007（常见部件节选）"
  source "practice.md §4.2：部件大类“公用设施、道路交通、市容环境、园林绿化、房屋土地、其它设施”"

  major B01 "公用设施" {
    code "B01"
    class B0101 "供水设施" {
      code "B0101"
      aliases "供水管道破裂", "水管爆裂", "爆管"
      owner water_co
      assisting zhujian
      stages 3 urgent_hours -> fence "围挡",
          8 urgent_hours -> repair "抢修",
          5 workdays -> restore "恢复路面"
      source "practice.md §2.5：供水管道破裂“围挡 3 紧急工作时 → 抢修 8 紧急工作时 → 恢复 5 工作日”，水务局、供水公司"
    }
    class B0102 "燃气设施" {
      code "B0102"
      aliases "燃气泄漏", "燃气管道破裂", "闻到燃气味"
      owner gas_co
      assisting xiaofang, zhujian
      stages 3 urgent_hours -> fence "围挡",
          2 urgent_days -> repair "抢修",
          5 workdays -> restore "恢复"
      source "practice.md §2.5：燃气管道破裂“围挡 3 紧急工作时 → 抢修 2 紧急工作日 → 恢复 5 工作日”，住建局、燃气公司"
    }
    class B0103 "路灯" {
      code "B0103"
      aliases "路灯不亮", "路灯损坏"
      owner chengguan
      assumption "路灯由区城市管理局（路灯管理）维护；原文未写明。"
    }
    class B0104 "井盖" {
      code "B0104"
      aliases "井盖缺失", "井盖破损"
      owner chengguan
      assisting water_co, gas_co, power_co
      traits { urgency urgent }
      assumption "井盖先由区城市管理局处置、权属单位修复；原文未写明。"
    }
  }
  major B02 "道路交通" {
    code "B02"
    class B0201 "公交站亭" {
      code "B0201"
      aliases "公交站牌", "候车亭"
      owner jiaotong
    }
  }
}

classification referrals "非网格、非 12345 工单事项（转介）" {
  type event
  source "practice.md §2.6：12345 不受理的事项（诉讼、仲裁、行政复议、已进入信访渠道的事项、110/119/120/122 紧急事项）；§2.4 三事分流"

  major R01 "紧急警情" {
    code "R01"
    class R0101 "火灾" {
      code "R0101"
      aliases "起火", "冒烟"
      owner xiaofang
    }
    class R0102 "电梯困人" {
      code "R0102"
      owner xiaofang
      assisting shichang
    }
    class R0103 "治安警情" {
      code "R0103"
      aliases "打架斗殴", "持械斗殴"
      owner gongan
    }
    class R0104 "急救" {
      code "R0104"
      aliases "人员晕倒", "急病"
      owner weijian
    }
    class R0105 "交通事故" {
      code "R0105"
      aliases "车辆相撞"
      owner jiaojing
    }
  }
  major R02 "涉法涉诉" {
    code "R02"
    class R0201 "要求改判" {
      code "R0201"
      aliases "不服判决"
      owner court
    }
    class R0202 "执行监督申诉" {
      code "R0202"
      aliases "申请检察监督"
      owner procuratorate
    }
    class R0203 "要求撤销行政处罚" {
      code "R0203"
      aliases "行政复议"
      owner sifa
    }
  }
  major R03 "信访" {
    code "R03"
    class R0301 "信访事项" {
      code "R0301"
      aliases "已在信访渠道的事项"
      owner xinfang
    }
  }
  major R04 "私人事务" {
    code "R04"
    class R0401 "家中水龙头维修" {
      code "R0401"
      aliases "户内维修"
      owner market_service
    }
    class R0402 "户内管道疏通" {
      code "R0402"
      aliases "下水道疏通（户内）"
      owner market_service
    }
  }
}
