#!/usr/bin/env bash
# One command for each way of starting on a fresh Debian 12 machine:
#   bash packaging/setup.sh run [-- ARGS]   install, build, run the console (ARGS go to it)
#   bash packaging/setup.sh test            install, build, run everything CI runs: the test
#                                           suite, then the suite again built with clang,
#                                           AddressSanitizer and UndefinedBehaviorSanitizer, then
#                                           each fuzz target for FUZZ_SECONDS (default 60)
# Installs only missing packages, so running it again is quick.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-"$root/build"}
sanitize_dir=${SANITIZE_BUILD_DIR:-"$root/build-sanitize"}
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

# One clang build serves both the sanitized suite and the fuzz targets (their coverage hooks cost
# the tests little), so CI compiles the project twice, not three times. -O1 with line tables:
# quick to build, and every report names its source line.
sanitize_build() {
    CC=clang CXX=clang++ cmake -S "$root" -B "$sanitize_dir" -G Ninja \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
        -DSUPPORT_CONSOLE_FUZZ=ON -DSUPPORT_CONSOLE_WERROR=ON
    cmake --build "$sanitize_dir" --parallel "$(nproc)"
}

run_tests() { # run_tests BUILD_DIR
    (cd "$1" && ctest --output-on-failure --parallel "$(nproc)")
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
    run_tests "$build_dir"
    sanitize_build
    # Any report fails the test that caused it: leaks at exit, and UBSan aborts (the build makes
    # every check fatal); a stack for each. tests/lsan.supp says which third-party leaks are not
    # ours.
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        LSAN_OPTIONS="suppressions=$root/tests/lsan.supp" run_tests "$sanitize_dir"
    bash "$root/tests/fuzz/run.sh" "$sanitize_dir" "${FUZZ_SECONDS:-60}"
    ;;
*)
    echo "usage: bash packaging/setup.sh run [-- support-console arguments] | test" >&2
    exit 2
    ;;
esac
