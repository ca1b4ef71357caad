#!/usr/bin/env bash
# release.sh — builds djtz for the clerks' PCs into dist/:
#   djtz-windows-x86_64.zip    djtz.exe (Windows 10, x86-64; mingw-w64)
#   djtz-linux-x86_64.tar.gz   djtz, static musl (Kylin V10 / UOS 20, any glibc)
#   djtz-linux-arm64.tar.gz    djtz, static musl (Phytium, Kunpeng)
#   SHA256SUMS                 of the three archives
# Each archive also holds 使用说明.txt (from scripts/使用说明.txt, written as
# UTF-8 with BOM and CRLF so that Notepad shows it) and a SHA256SUMS of its files.
#
# usage: scripts/release.sh [--no-build]
#   --no-build   package the binaries already built (no cargo run)
# Needs what ../shared/tools/setup-cross.sh installs (rust targets, mingw-w64,
# cargo-zigbuild with zig in $ZIGVENV, default /opt/zigvenv). Binaries are
# built in $CARGO_TARGET_DIR (default target/), release profile.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BUILD=1
for a in "$@"; do
  case $a in
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/!p}' "$0"; exit 0 ;;
    *) echo "未知参数 / unknown argument: $a" >&2; exit 2 ;;
  esac
done

ZIGVENV=${ZIGVENV:-/opt/zigvenv}
if [ -x "$ZIGVENV/bin/cargo-zigbuild" ]; then
  export PATH="$ZIGVENV/bin:$PATH"
  export CARGO_ZIGBUILD_PYTHON_PATH=${CARGO_ZIGBUILD_PYTHON_PATH:-$ZIGVENV/bin/python3}
fi

WIN=x86_64-pc-windows-gnu
LX64=x86_64-unknown-linux-musl
LA64=aarch64-unknown-linux-musl
TD=${CARGO_TARGET_DIR:-$ROOT/target}

# --- what is missing ---------------------------------------------------------
missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$1 ($2)"); }
need_cmd python3 "打包 zip / zip packaging"
need_cmd sha256sum "校验和 / checksums"
need_cmd tar "打包 / packaging"
if [ "$BUILD" = 1 ]; then
  need_cmd cargo "Rust"
  need_cmd x86_64-w64-mingw32-gcc "mingw-w64, Windows 链接器 / Windows linker"
  need_cmd cargo-zigbuild "cargo-zigbuild + zig, 静态 musl 构建 / static musl builds"
  if command -v rustup >/dev/null 2>&1; then
    installed=$(rustup target list --installed)
    for t in $WIN $LX64 $LA64; do
      grep -qx "$t" <<<"$installed" || missing+=("rustup target $t")
    done
  fi
fi
if [ ${#missing[@]} -gt 0 ]; then
  {
    echo "缺少以下工具，无法构建发行版 / missing tools, cannot build the release:"
    printf '  - %s\n' "${missing[@]}"
    echo "请先运行 / please run first (as root):  sh ../shared/tools/setup-cross.sh"
  } >&2
  exit 1
fi

# --- build --------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  echo "== 构建 / building $WIN"
  cargo build --release --locked --target $WIN
  for t in $LX64 $LA64; do
    echo "== 构建 / building $t"
    cargo zigbuild --release --locked --target $t
  done
fi
for f in "$TD/$WIN/release/djtz.exe" "$TD/$LX64/release/djtz" "$TD/$LA64/release/djtz"; do
  [ -f "$f" ] || { echo "找不到 / not found: $f（先不带 --no-build 运行 / run without --no-build first）" >&2; exit 1; }
done

# --- package ------------------------------------------------------------------
DIST=$ROOT/dist
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$DIST"
rm -f "$DIST"/djtz-windows-x86_64.zip "$DIST"/djtz-linux-*.tar.gz "$DIST"/SHA256SUMS

# 使用说明.txt: UTF-8 with BOM, CRLF line endings (Notepad on Windows 10).
readme() {
  python3 - "$ROOT/scripts/使用说明.txt" "$1" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read().replace("\r\n", "\n")
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="\r\n") as f:
    f.write(text)
PY
}

stage() { # name binary-src binary-name
  local d=$STAGE/$1
  mkdir -p "$d"
  cp "$2" "$d/$3"
  chmod 755 "$d/$3"
  readme "$d/使用说明.txt"
  (cd "$d" && sha256sum "$3" 使用说明.txt > SHA256SUMS)
}

stage djtz-windows-x86_64 "$TD/$WIN/release/djtz.exe" djtz.exe
stage djtz-linux-x86_64 "$TD/$LX64/release/djtz" djtz
stage djtz-linux-arm64 "$TD/$LA64/release/djtz" djtz

# zip with the UTF-8 name flag (Python's zipfile sets it for non-ASCII
# names), so Explorer on a Chinese Windows shows 使用说明.txt correctly.
python3 - "$STAGE/djtz-windows-x86_64" "$DIST/djtz-windows-x86_64.zip" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name in ["djtz.exe", "使用说明.txt", "SHA256SUMS"]:
        z.write(os.path.join(src, name), name)
PY
for n in djtz-linux-x86_64 djtz-linux-arm64; do
  tar -C "$STAGE" --owner=0 --group=0 --numeric-owner -czf "$DIST/$n.tar.gz" "$n"
done
(cd "$DIST" && sha256sum djtz-windows-x86_64.zip djtz-linux-x86_64.tar.gz djtz-linux-arm64.tar.gz > SHA256SUMS)

echo "== 完成 / done: $DIST"
(cd "$DIST" && ls -l djtz-windows-x86_64.zip djtz-linux-x86_64.tar.gz djtz-linux-arm64.tar.gz SHA256SUMS)
