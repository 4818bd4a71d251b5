#!/bin/sh
# 用 curl 调用 gridpolicy 决定服务 — call the gridpolicy decision service with curl.
# Start it first:  gridpolicy serve rules/ --log decisions.sqlite
# Usage: sh examples/http/call.sh [BASE_URL]     (default http://127.0.0.1:8181)
set -eu
BASE=${1:-http://127.0.0.1:8181}
JSON='Content-Type: application/json'

echo "== 存活 health"
curl -fsS "$BASE/healthz"; echo

echo "== 当前规则 the serving policy"
curl -fsS "$BASE/v1/policy"; echo

echo "== 分流一个事项 route one item (the decision id is also in the X-Decision-Id header)"
curl -fsS -X POST "$BASE/v1/route" -H "$JSON" -d '{
  "id": "12345-0001", "kind": "issue", "matter": "矛盾纠纷调解",
  "reported_at": "2026-09-30T10:00:00+08:00"
}'; echo

echo "== 批量分流 route a batch (a bad item gets its own error entry)"
curl -fsS -X POST "$BASE/v1/route:batch" -H "$JSON" -d '{"items": [
  {"id": "b-1", "kind": "task", "matter": "矛盾纠纷调解", "reported_at": "2026-03-02T09:00:00+08:00"},
  {"id": "b-2", "kind": "incident"}
]}'; echo

echo "== 准入审查 may this proposed matter be delegated to grids?"
curl -fsS -X POST "$BASE/v1/admit" -H "$JSON" -d '{"name": "燃气管道安全检测", "needs": ["professional"]}'; echo

echo "== 输入无效时 invalid input: HTTP 422 with the field path, Chinese and English"
curl -sS -o /dev/stdout -w '\nHTTP %{http_code}\n' -X POST "$BASE/v1/route" -H "$JSON" \
  -d '{"id": "x", "kind": "issue", "urgncy": "urgent"}'
