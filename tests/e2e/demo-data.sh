#!/usr/bin/env bash
# Fills a registry with a handful of realistic members through the CLI, for screenshots and
# for trying the app by hand:  bash tests/e2e/demo-data.sh DATA_DIR [path/to/cceaa]
# The codes are either public (real licences) or made up with valid check characters.
set -euo pipefail
dir=${1:?usage: demo-data.sh DATA_DIR [cceaa]}
cceaa=${2:-target/debug/cceaa}
add() { "$cceaa" --data-dir "$dir" member add "$@" >/dev/null; }

add --name "华为技术有限公司" --name-en "Huawei Technologies Co., Ltd." --uscc 914403001922038216 \
    --kind enterprise --founding --joined 2015-01-01 --city 深圳 --region 广东 \
    --liaison 王小明 --liaison-phone "138 0013 8000" --liaison-email wang.xm@example.com
add --name "中兴通讯股份有限公司" --name-en "ZTE Corporation" --uscc 91440300708461136T \
    --kind enterprise --founding --joined 2015-01-01 --city 深圳 --region 广东 \
    --liaison 李娜 --liaison-phone "0755-2677 0000"
add --name "上海跨境电子商务公共服务有限公司" --uscc 9131000052601815X4 --kind enterprise \
    --tier presidium --joined 2015-06-18 --city 上海 --liaison 陈静 --liaison-phone 13916001234
add --name "杭州综合试验区跨境电商产业园" --uscc 91330100908301663H --kind industrial_park \
    --joined 2016-03-01 --city 杭州 --region 浙江 --liaison 周杰
add --name "厦门市跨境电子商务协会" --uscc 913502001318609168 --kind industry_organisation \
    --joined 2017-09-12 --city 厦门 --region 福建 --liaison 黄敏
add --name "中国电子商务协会跨境电子商务研究中心" --uscc 51110000390996033U --kind research_institute \
    --joined 2015-01-01 --city 北京 --liaison 刘洋
add --name "黑龙江省对俄经贸服务中心" --uscc 12230000082462814H --kind public_institution \
    --joined 2018-05-20 --city 哈尔滨 --region 黑龙江 --liaison 赵磊
add --name "南宁东盟跨境物流有限公司" --uscc 914501009482199398 --kind enterprise \
    --joined 2019-11-02 --city 南宁 --region 广西 --liaison 吴艳
add --name "ООО «Росэкспорт Онлайн»" --name-en "Rosexport Online LLC" --origin overseas \
    --region 俄罗斯 --city Москва --registration-no 1027700132195 --joined 2020-07-15 \
    --liaison "Иван Петров" --liaison-phone "+7 495 123-45-67"
add --name "PT Nusantara Digital Niaga" --origin overseas --region 印度尼西亚 --city Jakarta \
    --registration-no AHU-0012345.AH.01.01 --joined 2021-04-08 --liaison "Siti Rahma"
add --name "𠮷祥跨境供应链（深圳）有限公司" --kind enterprise --joined 2023-02-14 --city 深圳 \
    --liaison 㐀明

# The workflows: activities with attendance (so the watch-list has a unit at each level),
# two applications (one approved, one waiting) and a member that left by written notice.
c() { "$cceaa" --data-dir "$dir" "$@"; }
meeting=$(c activity add --kind annual_meeting --title "2026年度工作会议" --date 2026-03-20 --place 上海国际会议中心)
c attendance add "$meeting" 1 --person 王小明 >/dev/null
for m in 2 3 4 5 6; do c attendance add "$meeting" "$m" >/dev/null; done
training=$(c activity add --kind training --title "跨境电商海外仓运营培训" --date 2026-02-10 --place 杭州)
c attendance add "$training" 7 --person 赵磊 >/dev/null
exchange=$(c activity add --kind international_cooperation --title "中俄跨境电商对接交流会" \
  --date 2025-12-05 --place 哈尔滨)
c attendance add "$exchange" 9 --person "Иван Петров" >/dev/null
c attendance add "$exchange" 8 --person 吴艳 >/dev/null
c activity add --kind exhibition --title "第五届中国—东盟跨境电商博览会" --date 2026-09-16 \
  --place 南宁 >/dev/null
approved=$(c application add --name "宁波保税区跨境电商服务有限公司" --kind enterprise --city 宁波 \
  --region 浙江 --head-name 张伟 --head-email zhangwei@example.cn --recommender 4 \
  --received 2026-10-08)
c application approve "$approved" --date 2026-10-20 >/dev/null
c application add --name "Mercado Digital Brasil Ltda." --origin overseas --region 巴西 \
  --city "São Paulo" --registration-no 12.345.678/0001-90 --head-name "Ana Souza" \
  --head-email ana.souza@example.com.br --recommender 1 --recommender 3 --received 2026-11-18 \
  >/dev/null

# Certificates for the founding members, so the certificate screens have something to show.
c certificate 1 2 -o "$dir/founding-certificates.pdf" >/dev/null
