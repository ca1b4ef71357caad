#!/usr/bin/env bash
# release-check.sh — verifies on this (Linux x86-64) machine that the release
# builds of scripts/release.sh really work on the clerks' PCs (issue #7).
# Not part of CI; run it before a release. Takes a long time (three release
# builds, two cross test builds; tests under wine and qemu).
#
# usage: scripts/release-check.sh [--no-build] [--no-tests]
#   --no-build   use dist/ and the binaries already built (no release.sh build)
#   --no-tests   skip the test suites under wine and qemu
# env: DJTZ_NATIVE=path   native release binary to compare with (default:
#                         `cargo build --release`, $CARGO_TARGET_DIR/release/djtz)
#      WINEPREFIX         wine prefix with the ProcessPrng shim (default ~/.wine-djtz)
#
# Items (each PASS or FAIL, summary at the end; exit 1 if any failed):
#  1. the test suite for x86_64-pc-windows-gnu under wine (runner in
#     .cargo/config.toml) and for aarch64-unknown-linux-musl under qemu-aarch64.
#     Not built for these targets: tests/tui_e2e.rs and tests/tui_work_e2e.rs,
#     which drive the real binary in tmux (`#![cfg(all(unix, not(target_env =
#     "musl")))]`: no tmux for a Windows console; tmux cannot start a foreign-
#     architecture binary under qemu-user). The PDF text checks of
#     tests/report_formats.rs skip themselves where pdftotext cannot be run
#     (under wine). Item 5 drives the ARM64 TUI in tmux instead. Snapshots
#     are only compared (INSTA_UPDATE=no: no .snap.new files in tests/).
#  2. the archives: 使用说明.txt with BOM and CRLF, SHA256SUMS verify.
#  3. each of the three release binaries (wine / native / qemu-aarch64) runs
#     --version, demo --scale small --seed 1, check, export, import of that
#     export into a new ledger, report --month 2026-09 --format json; the JSON
#     reports equal the native binary's, except generated_at (the
#     re-imported ledger too: the export carries the 设置 sheet). The Windows binary does all of it in C:\Users\张三\文档
#     (inside the wine prefix), plus a PDF report, a backup and --print
#     there, and the default ledger under %APPDATA%.
#  4. the Linux binaries are static: `file` says statically linked (or
#     static-pie linked), no program interpreter, no GLIBC symbol versions.
#  5. the ARM64 binary draws its first screen under qemu-aarch64 in tmux at
#     80x24 (../shared/tools/tmux-drive.sh) and quits with F10.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/../shared/tools

BUILD=1 TESTS=1
for a in "$@"; do
  case $a in
    --no-build) BUILD=0 ;;
    --no-tests) TESTS=0 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/!p}' "$0"; exit 0 ;;
    *) echo "未知参数 / unknown argument: $a" >&2; exit 2 ;;
  esac
done

ZIGVENV=${ZIGVENV:-/opt/zigvenv}
if [ -x "$ZIGVENV/bin/cargo-zigbuild" ]; then
  export PATH="$ZIGVENV/bin:$PATH"
  export CARGO_ZIGBUILD_PYTHON_PATH=${CARGO_ZIGBUILD_PYTHON_PATH:-$ZIGVENV/bin/python3}
fi
export WINEPREFIX=${WINEPREFIX:-$HOME/.wine-djtz}
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset DJTZ_DB
TD=${CARGO_TARGET_DIR:-$ROOT/target}

# --- what is missing -------------------------------------------------------------
missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$1 ($2)"); }
need_cmd cargo "Rust"
need_cmd wine "运行 Windows 版 / runs the Windows build"
need_cmd qemu-aarch64 "运行 ARM64 版 / runs the ARM64 build (qemu-user)"
need_cmd tmux "界面测试 / TUI check"
need_cmd file "静态链接检查 / static check"
need_cmd readelf "静态链接检查 / static check (binutils)"
need_cmd python3 "比较月报 / compares reports"
need_cmd cargo-zigbuild "cargo-zigbuild + zig"
need_cmd x86_64-w64-mingw32-gcc "mingw-w64"
[ -x "$TOOLS/tmux-drive.sh" ] || missing+=("$TOOLS/tmux-drive.sh")
[ -f "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ] ||
  missing+=("wine prefix $WINEPREFIX with the ProcessPrng shim (bcryptprimitives.dll)")
if [ ${#missing[@]} -gt 0 ]; then
  {
    echo "缺少以下工具，无法检查发行版 / missing tools, cannot check the release:"
    printf '  - %s\n' "${missing[@]}"
    echo "请先运行 / please run first (as root):  sh ../shared/tools/setup-cross.sh"
  } >&2
  exit 1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
RESULTS=()
FAILED=0
# step NAME FUNCTION: runs FUNCTION under set -e in a subshell, records the result.
step() {
  local name=$1; shift
  echo
  echo "=== $name"
  set +e
  ( set -e; "$@" )
  local rc=$?
  set -e
  if [ $rc -eq 0 ]; then
    RESULTS+=("PASS  $name")
  else
    RESULTS+=("FAIL  $name (exit $rc)")
    FAILED=1
  fi
}

# --- builds ---------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  echo "=== scripts/release.sh"
  scripts/release.sh
fi
[ -f dist/SHA256SUMS ] || { echo "dist/ 为空，请先运行 scripts/release.sh / dist/ is empty, run scripts/release.sh" >&2; exit 1; }
if [ -n "${DJTZ_NATIVE:-}" ]; then
  NATIVE=$DJTZ_NATIVE
else
  echo "=== native build (cargo build --release)"
  cargo build --release --locked
  NATIVE=$TD/release/djtz
fi
[ -x "$NATIVE" ] || { echo "找不到本机版 / native binary not found: $NATIVE" >&2; exit 1; }

# --- 1. test suites -------------------------------------------------------------------
summarize_tests() { # log file: the per-binary result lines and the totals
  grep -E '^(test result:|     Running|error|failures:|    [a-z_:]+$)' "$1" || true
  python3 - "$1" <<'PY'
import re, sys
passed = failed = ignored = 0
for m in re.finditer(r"test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored", open(sys.argv[1], errors="replace").read()):
    passed += int(m[1]); failed += int(m[2]); ignored += int(m[3])
print(f"total: {passed} passed, {failed} failed, {ignored} ignored")
PY
}
tests_windows() {
  local log=$WORK/test-windows.log rc=0
  INSTA_UPDATE=no cargo test --locked --no-fail-fast --target x86_64-pc-windows-gnu > "$log" 2>&1 || rc=$?
  summarize_tests "$log"
  [ $rc -eq 0 ] || { tail -40 "$log"; return 1; }
}
# The tests start the djtz binary themselves (assert_cmd); cargo's runner
# covers only the test programs, so the kernel must hand ARM64 programs to
# qemu-aarch64 too (binfmt_misc). Registered here when run as root.
ensure_binfmt_aarch64() {
  local bf=/proc/sys/fs/binfmt_misc
  [ -e "$bf/qemu-aarch64" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "需要 root 才能登记 binfmt_misc（让测试启动的 ARM64 程序由 qemu-aarch64 运行） / binfmt_misc registration needs root" >&2
    return 1
  fi
  [ -e "$bf/register" ] || mount -t binfmt_misc binfmt_misc "$bf" || return 1
  printf ':qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:%s:F\n' \
    "$(command -v qemu-aarch64)" > "$bf/register"
}
tests_arm64() {
  local log=$WORK/test-arm64.log rc=0
  ensure_binfmt_aarch64 || return 1
  INSTA_UPDATE=no cargo-zigbuild test --locked --no-fail-fast --target aarch64-unknown-linux-musl > "$log" 2>&1 || rc=$?
  summarize_tests "$log"
  [ $rc -eq 0 ] || { tail -40 "$log"; return 1; }
}
if [ "$TESTS" = 1 ]; then
  step "cargo test, x86_64-pc-windows-gnu under wine" tests_windows
  step "cargo test, aarch64-unknown-linux-musl under qemu-aarch64" tests_arm64
fi

# --- 2. the archives --------------------------------------------------------------------
archives() {
  (cd dist && sha256sum -c SHA256SUMS)
  mkdir -p "$WORK/win" "$WORK/unpack"
  python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print("zip:", [(i.filename, bool(i.flag_bits & 0x800)) for i in z.infolist()]); z.extractall(sys.argv[2])' \
    dist/djtz-windows-x86_64.zip "$WORK/win"
  tar -C "$WORK/unpack" -xzf dist/djtz-linux-x86_64.tar.gz
  tar -C "$WORK/unpack" -xzf dist/djtz-linux-arm64.tar.gz
  for d in "$WORK/win" "$WORK/unpack/djtz-linux-x86_64" "$WORK/unpack/djtz-linux-arm64"; do
    (cd "$d" && sha256sum -c SHA256SUMS)
    python3 - "$d/使用说明.txt" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
assert b.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM"
assert b.count(b"\n") == b.count(b"\r\n") > 10, "not CRLF"
t = b.decode("utf-8-sig")
for want in ["djtz.exe", "./djtz", "djtz demo", r"%APPDATA%\djtz\data\djtz.db",
             "~/.local/share/djtz/djtz.db", "djtz backup", "备份", "F9", "--print"]:
    assert want in t, want
print(sys.argv[1].split("/")[-2], "使用说明.txt: BOM, CRLF,", len(t.splitlines()), "lines")
PY
  done
}
step "archives: SHA256SUMS, 使用说明.txt (BOM, CRLF)" archives
WIN_EXE=$WORK/win/djtz.exe
LX64=$WORK/unpack/djtz-linux-x86_64/djtz
LA64=$WORK/unpack/djtz-linux-arm64/djtz

# --- 3. the commands of each binary -------------------------------------------------
# run_set LABEL DIR-as-the-program-sees-it DIR-here SEP PROGRAM...  (DIR-here exists, empty)
# Writes DIR-here/月报.json (and 导入后月报.json from the re-imported ledger).
run_set() {
  local label=$1 dir=$2 here=$3 sep=$4; shift 4
  local db="${dir}${sep}台账.db" db2="${dir}${sep}导入台账.db"
  echo "-- $label: $*"
  "$@" --version
  "$@" --db "$db" demo --scale small --seed 1
  "$@" --db "$db" check
  "$@" --db "$db" export "${dir}${sep}台账导出.xlsx"
  "$@" --db "$db" report --month 2026-09 --format json -o "${dir}${sep}月报.json"
  "$@" --db "$db2" import "${dir}${sep}台账导出.xlsx"
  "$@" --db "$db2" report --month 2026-09 --format json -o "${dir}${sep}导入后月报.json"
  ls "$here"
}
same_json() { # A B [KEY...]: equal except generated_at (and KEYs)
  python3 - "$@" <<'PY'
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
for r in (a, b):
    for k in ["generated_at", *sys.argv[3:]]:
        r.pop(k, None)
if a != b:
    ka = {k for k in a if a.get(k) != b.get(k)} | {k for k in b if a.get(k) != b.get(k)}
    sys.exit(f"differ: {sys.argv[1]} vs {sys.argv[2]}, keys {sorted(ka)}")
print(f"same as native: {sys.argv[2]}" + (f" (except {sys.argv[3:]})" if sys.argv[3:] else ""))
PY
}
NATIVE_DIR=$WORK/native
fresh() { rm -rf "$1" && mkdir -p "$1"; }
cmds_native() { fresh "$NATIVE_DIR"; run_set native "$NATIVE_DIR" "$NATIVE_DIR" / "$NATIVE"; same_json "$NATIVE_DIR/月报.json" "$NATIVE_DIR/导入后月报.json"; }
cmds_linux_x64() { fresh "$WORK/lx64"; run_set linux-x86_64 "$WORK/lx64" "$WORK/lx64" / "$LX64"; same_json "$NATIVE_DIR/月报.json" "$WORK/lx64/月报.json"; same_json "$NATIVE_DIR/月报.json" "$WORK/lx64/导入后月报.json"; }
cmds_linux_arm64() { fresh "$WORK/la64"; run_set linux-arm64 "$WORK/la64" "$WORK/la64" / qemu-aarch64 "$LA64"; same_json "$NATIVE_DIR/月报.json" "$WORK/la64/月报.json"; same_json "$NATIVE_DIR/月报.json" "$WORK/la64/导入后月报.json"; }
WIN_HERE="$WINEPREFIX/drive_c/users/张三/文档"
WIN_DIR='C:\Users\张三\文档'
cmds_windows() {
  # The program is copied into the Chinese folder too, and runs from there.
  fresh "$WIN_HERE"
  cp "$WIN_EXE" "$WIN_HERE/djtz.exe"
  WIN_EXE="$WIN_DIR\\djtz.exe"
  run_set windows "$WIN_DIR" "$WIN_HERE" '\' wine "$WIN_EXE"
  same_json "$NATIVE_DIR/月报.json" "$WIN_HERE/月报.json"
  same_json "$NATIVE_DIR/月报.json" "$WIN_HERE/导入后月报.json"
  local db="$WIN_DIR\\台账.db"
  wine "$WIN_EXE" --db "$db" report --month 2026-09 --format pdf -o "$WIN_DIR\\党建工作月报.pdf"
  head -c 5 "$WIN_HERE/党建工作月报.pdf" | grep -q '%PDF-'
  wine "$WIN_EXE" --db "$db" backup "$WIN_DIR\\备份"
  ls "$WIN_HERE/备份"
  ls "$WIN_HERE/备份" | grep -q .
  echo "-- --print (shell print verb; wine has no PDF application, so the program opens the file or says why):"
  local rc=0
  wine "$WIN_EXE" --db "$db" report --month 2026-09 --print -o "$WIN_DIR\\打印.pdf" || rc=$?
  echo "exit $rc"
  [ $rc -le 1 ]
  # The default ledger: %APPDATA%\djtz\data\djtz.db
  local appdata
  appdata=$(wine cmd /c echo %APPDATA% | tr -d '\r')
  echo "%APPDATA% = $appdata"
  local unix
  unix=$(winepath -u "$appdata\\djtz\\data\\djtz.db" 2>/dev/null)
  echo "default ledger: $unix"
  # Without --db: demo data into the default ledger of this (test) prefix
  # when there is none yet, then check it.
  [ -f "$unix" ] || wine "$WIN_EXE" demo --scale small --seed 1
  [ -f "$unix" ]
  wine "$WIN_EXE" check
}
step "native binary: --version demo check export import report" cmds_native
step "djtz-linux-x86_64: same commands, report = native" cmds_linux_x64
step "djtz-linux-arm64 (qemu-aarch64): same commands, report = native" cmds_linux_arm64
step "djtz.exe (wine) in C:\\Users\\张三\\文档: same commands, report = native; pdf, backup, print, %APPDATA%" cmds_windows

# --- 4. static --------------------------------------------------------------------------
static_check() {
  for b in "$LX64" "$LA64"; do
    local f
    f=$(file -b "$b")
    echo "$(basename "$(dirname "$b")"): $f"
    grep -Eq 'statically linked|static-pie linked' <<<"$f"
    if readelf -lW "$b" | grep -q 'Requesting program interpreter'; then
      echo "has a program interpreter"; return 1
    fi
    if readelf -W --dyn-syms -V "$b" 2>/dev/null | grep -q GLIBC; then
      echo "GLIBC symbol versions found"; return 1
    fi
    echo "  no interpreter, no GLIBC symbol versions; size $(stat -c %s "$b") bytes"
  done
}
step "Linux binaries are static (file, readelf)" static_check

# --- 5. the ARM64 TUI under qemu in tmux ---------------------------------------------
tui_arm64() {
  printf 'wait 党建台账\nsleep 2\nsnap\nkey F10\nsleep 1\n' |
    bash "$TOOLS/tmux-drive.sh" -x 80 -y 24 -t 60 - qemu-aarch64 "$LA64" --db "$WORK/la64/台账.db" |
    tee "$WORK/tui-arm64.txt"
  grep -q 'pane: exited 0' "$WORK/tui-arm64.txt"
}
step "ARM64 TUI under qemu-aarch64 in tmux (80x24): first screen, F10 quits" tui_arm64

echo
echo "=== summary"
printf '%s\n' "${RESULTS[@]}"
exit $FAILED
