#!/usr/bin/env bash
# Installs the Debian packages the tests and the kiosk need, when they are missing.
# As root on Debian: apt-get installs them. Otherwise: says exactly what to install.
set -euo pipefail

# command-or-file to check -> Debian package
declare -A NEEDS=(
  [/usr/bin/Xvfb]=xvfb
  [/usr/bin/xauth]=xauth
  [/usr/bin/chromium]=chromium
  [/usr/lib/chromium/locales/ja.pak]=chromium-l10n
  [/usr/bin/pdftotext]=poppler-utils
  [/usr/bin/espeak-ng]=espeak-ng
  [/usr/bin/sox]=sox
  [/usr/bin/soxi]=sox
  [/usr/bin/pdftoppm]=poppler-utils
  [/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Regular.ttf]=fonts-morisawa-bizud-gothic
  [/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]=fonts-noto-cjk
)

missing=()
for path in "${!NEEDS[@]}"; do
  [ -e "$path" ] || missing+=("${NEEDS[$path]}")
done
# the mp3 handler for sox (gTTS clips) has no file of its own to look for
dpkg -s libsox-fmt-mp3 >/dev/null 2>&1 || missing+=(libsox-fmt-mp3)
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | sed '/^$/d')

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "system packages: installed"
else
  echo "system packages missing: ${missing[*]}" >&2
  echo "install them with:  sudo apt-get install ${missing[*]}" >&2
  echo "(on a system without apt, install the equivalents: Xvfb, Chromium, espeak-ng, sox," >&2
  echo " poppler's pdftoppm, the BIZ UD Gothic and Noto CJK fonts)" >&2
  exit 1
fi
