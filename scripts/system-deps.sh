#!/usr/bin/env bash
# Install the Debian packages the browser and PDF tests need, if they are missing.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v pdffonts >/dev/null || need+=(poppler-utils)  # the PDF test reads fonts and text
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "missing Debian packages: ${need[*]}; install them as root: apt-get install ${need[*]}" >&2
  exit 1
fi
echo "installing ${need[*]} ..."
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
