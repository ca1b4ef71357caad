#!/usr/bin/env bash
# measure-tui.sh — the figures of README's "发行版与低配电脑" table, from the
# real binary: sizes of the release binaries, the TUI's start to first frame
# and idle memory (RSS) on the large demo ledger, and RSS after paging
# through 10,000 rows of each list (screens 2 单位, 3 党组织, 4 党员,
# 5 指导员), twice over, to show whether memory grows.
#
# usage: scripts/measure-tui.sh [BINARY] [LEDGER]
#   BINARY  default target/release/djtz ($CARGO_TARGET_DIR honoured; build it
#           with `cargo build --release`)
#   LEDGER  default /tmp/djtz-large.db, made with `BINARY --db LEDGER demo
#           --scale large` when missing (about 25 s)
# The TUI runs in a private tmux server at 80x24; RSS is VmRSS of
# /proc/PID/status, peak is VmHWM. A first start of the day makes the daily
# backup of the ledger before the first frame, so one warm-up start (which
# quits at once) comes first; then the measured start.
set -euo pipefail
cd "$(dirname "$0")/.."
TD=${CARGO_TARGET_DIR:-$PWD/target}
BIN=$(realpath "${1:-$TD/release/djtz}")
DB=${2:-/tmp/djtz-large.db}
ROWS=10000
# The overview once the month's figures are computed.
READY="本月待办|本月没有待办事项"
for c in tmux python3; do
  command -v $c >/dev/null 2>&1 || { echo "缺少 / missing: $c" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "找不到程序 / binary not found: $BIN（先运行 / run: cargo build --release）" >&2; exit 1; }
if [ ! -f "$DB" ]; then
  echo "== 生成大型演示台账 / making the large demo ledger: $DB"
  "$BIN" --db "$DB" demo --scale large
fi

echo "== binary sizes (bytes)"
for f in "$BIN" \
  "$TD/x86_64-pc-windows-gnu/release/djtz.exe" \
  "$TD/x86_64-unknown-linux-musl/release/djtz" \
  "$TD/aarch64-unknown-linux-musl/release/djtz"; do
  [ -f "$f" ] && printf '%10d  %s\n' "$(stat -c %s "$f")" "$f"
done
ls -l dist/*.zip dist/*.tar.gz 2>/dev/null || true

T="tmux -u -L measure$$ -f /dev/null"
cleanup() { $T kill-server 2>/dev/null || true; }
trap cleanup EXIT
screen() { $T capture-pane -p -t s; }
now_ms() { date +%s%3N; }
wait_for() { # REGEX TIMEOUT_S
  local end=$(( $(now_ms) + $2 * 1000 ))
  until screen | grep -qE -- "$1"; do
    [ "$(now_ms)" -lt "$end" ] || { echo "TIMEOUT waiting for '$1'" >&2; screen >&2; return 1; }
    sleep 0.01
  done
}
start() {
  $T kill-server 2>/dev/null || true
  $T start-server \; set-option -g status off \; \
    new-session -d -s s -x 80 -y 24 -e TERM=xterm-256color -e LANG=C.UTF-8 \
    "exec $(printf '%q ' "$BIN" --db "$DB")"
  PID=$($T display -p -t s '#{pane_pid}')
}
rss() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$PID/status"; }
hwm() { awk '/^VmHWM/ {printf "%.1f", $2/1024}' "/proc/$PID/status"; }
quit() {
  $T send-keys -t s F10
  local i
  for i in $(seq 100); do kill -0 "$PID" 2>/dev/null || return 0; sleep 0.05; done
  echo "did not quit on F10" >&2; return 1
}

echo "== warm-up start (daily backup, page cache)"
start
wait_for "$READY" 120
quit

echo "== measured start"
t0=$(now_ms)
start
wait_for "党建台账" 60
t1=$(now_ms)
wait_for "$READY" 120
t2=$(now_ms)
sleep 3
echo "first frame: $((t1 - t0)) ms; overview with the month's figures: $((t2 - t0)) ms"
echo "idle RSS: $(rss) MB (peak so far $(hwm) MB)"
IDLE=$(rss)

# Page through ROWS rows of the list on screen KEY: PgDn in batches, reading
# the status line's 第 i/n 条; at the end of a shorter list, Home and on.
page_list() { # KEY NAME
  $T send-keys -t s "$1"
  wait_for "条" 30 >/dev/null
  local seen=0 prev=1 i n stuck=0
  while [ "$seen" -lt "$ROWS" ]; do
    $T send-keys -t s PageDown PageDown PageDown PageDown PageDown PageDown PageDown PageDown PageDown PageDown
    sleep 0.05
    read -r i n < <(screen | python3 -c 'import re,sys; m=re.search(r"第 (\d+)/(\d+) 条", sys.stdin.read()); print(*(m.groups() if m else (0, 0)))')
    if [ "$i" -gt "$prev" ]; then seen=$((seen + i - prev)); prev=$i; stuck=0; else stuck=$((stuck + 1)); fi
    if [ "$n" -gt 0 ] && [ "$i" -ge "$n" ]; then
      $T send-keys -t s Home
      wait_for "第 1/" 10 >/dev/null
      prev=1
    fi
    [ "$stuck" -lt 100 ] || { echo "list on screen $1 does not move" >&2; screen >&2; return 1; }
  done
  printf '  screen %s %-6s (%s rows): paged %s rows, RSS %s MB\n' "$1" "$2" "$n" "$seen" "$(rss)"
}
for round in 1 2; do
  echo "== paging, round $round"
  page_list 2 单位
  page_list 3 党组织
  page_list 4 党员
  page_list 5 指导员
  R[$round]=$(rss)
done
$T send-keys -t s 1
sleep 3
echo "== summary"
echo "idle RSS ${IDLE} MB; after paging round 1 ${R[1]} MB, round 2 ${R[2]} MB; back on the overview $(rss) MB; peak $(hwm) MB"
quit
