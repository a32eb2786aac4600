#!/usr/bin/env bash
# Debian packages the test suite drives (headless Chromium, nginx, haproxy, duktape, openssl, and Redis for the
# multi-node tests, which start it when it does not answer); each is installed only when its command is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v duk >/dev/null 2>&1 || need+=(duktape)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || need+=(redis-server)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" -ne 0 ]; then echo "need root to apt-get install ${need[*]}" >&2; exit 1; fi
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
