#!/usr/bin/env bash
# CI only: as root on Linux, reserve a few 2 MiB huge pages and mount hugetlbfs so the huge-page
# tests run instead of being skipped. Best effort: prints what it did, never fails the build.
# (make test does not call this: it changes system settings.)
set -u
[ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ] || { echo "hugepages: skipped (needs root on Linux)"; exit 0; }
want=${NAUTILUS_CI_HUGEPAGES:-16}
have=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
if [ "$have" -lt "$want" ]; then
  echo "$want" > /proc/sys/vm/nr_hugepages 2>/dev/null || echo "hugepages: could not set nr_hugepages"
fi
if ! grep -q ' hugetlbfs ' /proc/mounts; then
  mkdir -p /dev/hugepages && mount -t hugetlbfs none /dev/hugepages 2>/dev/null \
    || echo "hugepages: could not mount hugetlbfs"
fi
echo "hugepages: $(grep -E 'HugePages_(Total|Free)' /proc/meminfo | tr -s ' ' | tr '\n' ' ') mount: $(awk '$3=="hugetlbfs"{print $2}' /proc/mounts | head -n1)"
exit 0
