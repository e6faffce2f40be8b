#!/usr/bin/env bash
# One command for each way of starting on a fresh Debian 12 machine:
#   bash packaging/setup.sh run [-- ARGS]   install, build, run the console (ARGS go to it)
#   bash packaging/setup.sh test            install, build, run the whole test suite
# Installs only missing packages, so running it again is quick.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-"$root/build"}
mode=${1:-}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift

install_packages() {
    local wanted missing=()
    wanted=$(grep -v '^\s*#' "$root/packaging/debian-packages.txt" | grep -v '^\s*$')
    for package in $wanted; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return
    echo "Installing: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
}

build() {
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSUPPORT_CONSOLE_WERROR=ON
    cmake --build "$build_dir" --parallel "$(nproc)"
}

case "$mode" in
run)
    install_packages
    build
    exec "$build_dir/src/app/support-console" "$@"
    ;;
test)
    install_packages
    build
    cd "$build_dir"
    exec ctest --output-on-failure --parallel "$(nproc)"
    ;;
*)
    echo "usage: bash packaging/setup.sh run [-- support-console arguments] | test" >&2
    exit 2
    ;;
esac
