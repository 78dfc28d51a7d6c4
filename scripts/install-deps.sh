#!/usr/bin/env bash
# Installs the Debian packages fdyno needs to build, test and benchmark.
# Idempotent and quick when everything is present (it only asks dpkg).
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-context1.81-dev libsimdjson-dev librocksdb-dev libssl-dev zlib1g-dev
  libcli11-dev libtomlplusplus-dev
  # The shared store: libpq to build, a PostgreSQL server for its tests.
  libpq-dev postgresql
  libgtest-dev libgmock-dev libbenchmark-dev
  # The sanitizer and fuzzing build (build-san): clang, and its runtimes for
  # ASan, UBSan, LSan and libFuzzer (libclang_rt.*).
  clang-14 libclang-rt-14-dev
  python3 python3-pytest python3-pytest-timeout python3-boto3
  wrk curl
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The AWS CLI: any `aws` on PATH will do; otherwise Debian's package.
if ! command -v aws >/dev/null 2>&1; then
  dpkg-query -W -f='${Status}' awscli 2>/dev/null | grep -q 'install ok installed' || missing+=(awscli)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
