#!/usr/bin/env bash
# Debian packages the test suite needs: LibreOffice 25.2 (bookworm-backports;
# bookworm's own 7.4 strips content-control tags), python3-uno to drive it,
# fonts for Arabic and Chinese rendering, poppler for PDF->PNG, gettext for
# msgfmt --check. Idempotent; run as root (or with sudo available).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Add bookworm-backports from the same mirror the machine already uses.
if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  mirror=$(grep -rhoE 'https?://[^ ]+/debian/?$|https?://[^ ]+/debian ' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
    | grep -v security | head -n1 | tr -d ' ' || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$mirror" | $SUDO tee /etc/apt/sources.list.d/backports.sources >/dev/null
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports \
  libreoffice-writer-nogui libreoffice-calc-nogui python3-uno >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends \
  fonts-noto-core fonts-noto-cjk poppler-utils gettext >/dev/null
soffice --version
