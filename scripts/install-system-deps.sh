#!/usr/bin/env bash
# Debian packages selfassess needs, on Debian 12 (bookworm), Debian 13 (trixie)
# or Ubuntu 24.04. Idempotent; run as root, or as a user with sudo.
#
#   scripts/install-system-deps.sh --python   # only what installing needs: python3 with venv
#                                             # (nothing at all when `python3 -m venv` works)
#   scripts/install-system-deps.sh            # also what the tests need: LibreOffice 25.2
#                                             # and python3-uno to drive it, fonts for Arabic
#                                             # and Chinese, poppler (PDF->PNG), gettext
#                                             # (msgfmt --check), and a Java runtime for
#                                             # ODK Validate, which judges the XLSForm
#
# LibreOffice must be 7.5 or later (7.4, bookworm's own, strips content-control
# tags): on bookworm it comes from bookworm-backports (25.2), added from the
# mirror the machine already uses; trixie's own is 25.2.
set -euo pipefail

only_python=false
case "${1:-}" in
  --python) only_python=true ;;
  "") ;;
  *) echo "usage: $0 [--python]" >&2; exit 2 ;;
esac

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# True when python3 can make a virtual environment with pip in it (on Debian
# that takes python3-venv; a pyenv or other Python has it built in).
can_make_venv() {
  local tmp ok=1
  command -v python3 >/dev/null || return 1
  tmp=$(mktemp -d)
  if python3 -m venv "$tmp/venv" >/dev/null 2>&1; then ok=0; fi
  rm -rf "$tmp"
  return "$ok"
}

if $only_python; then
  if can_make_venv; then exit 0; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
  exit 0
fi

# shellcheck disable=SC1091  # a system file, present on every Debian and Ubuntu
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
office_suite=()
if [ "$codename" = "bookworm" ]; then
  # Add bookworm-backports from the same mirror the machine already uses.
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    mirror=$(grep -rhoE 'https?://[^ ]+/debian/?$|https?://[^ ]+/debian ' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
      | grep -v security | head -n1 | tr -d ' ' || true)
    mirror=${mirror:-http://deb.debian.org/debian}
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$mirror" | $SUDO tee /etc/apt/sources.list.d/backports.sources >/dev/null
  fi
  office_suite=(-t bookworm-backports)
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${office_suite[@]}" \
  libreoffice-writer-nogui libreoffice-calc-nogui python3-uno >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends \
  python3 python3-venv fonts-noto-core fonts-noto-cjk poppler-utils gettext \
  default-jre-headless >/dev/null
soffice --version
