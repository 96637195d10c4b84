#!/usr/bin/env bash
# Installs the system packages nautilus-accel needs to build and test. Idempotent: does nothing
# when everything is present. As root with apt-get it installs what is missing; otherwise it
# prints the command to run and fails.
set -euo pipefail

# Debian package -> a command or file that proves it is installed.
declare -A NEED=(
  [make]=make
  [gcc]=gcc
  [libc6-dev]=/usr/include/stdint.h
  [maven]=mvn
  [pkg-config]=pkg-config
)
# Optional modules: installed when possible, never fatal (their modules report "unavailable").
declare -A OPTIONAL=(
  [libdpdk-dev]=/usr/include/dpdk/rte_eal.h
)

present() { case "$1" in /*) [ -e "$1" ] ;; *) command -v "$1" >/dev/null 2>&1 ;; esac; }

missing=(); optional_missing=()
for p in "${!NEED[@]}"; do present "${NEED[$p]}" || missing+=("$p"); done
for p in "${!OPTIONAL[@]}"; do present "${OPTIONAL[$p]}" || optional_missing+=("$p"); done

if [ "$(uname -s)" = Darwin ]; then
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: missing tools: ${missing[*]} (install Xcode command line tools and Maven, e.g. 'brew install maven')" >&2
    exit 1
  fi
  exit 0
fi

[ ${#missing[@]} -eq 0 ] && [ ${#optional_missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  stamp=/var/lib/apt/lists/.nautilus-updated
  if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +720 2>/dev/null)" ]; then
    echo "setup: apt-get update"
    apt-get update -qq && touch "$stamp"
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if [ ${#optional_missing[@]} -gt 0 ]; then
    echo "setup: installing optional ${optional_missing[*]}"
    apt-get install -y -qq --no-install-recommends "${optional_missing[@]}" >/dev/null \
      || echo "setup: warning: could not install ${optional_missing[*]}; those modules will be unavailable" >&2
  fi
  exit 0
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "setup: optional packages not installed: ${optional_missing[*]} (sudo apt-get install ${optional_missing[*]})" >&2
