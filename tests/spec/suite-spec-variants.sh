#!/usr/bin/env bash
# The WebAssembly 2.0 spec suite (tests/spec/suite-spec.sh: every command, none
# skipped, SIMD included) over each way lib/interp can be built or configured,
# besides the default run (guard pages, lazy translation, threaded dispatch):
#   checked        explicit bounds checks instead of guard pages (--checked)
#   eager          every function translated before instantiation (--eager)
#   cache-store    through the AOT cache: translated code written (--cache=DIR)
#   cache-load     the same run again: every module must come from the cache
#   switch         the interpreter built with switch dispatch (WK_SWITCH_DISPATCH,
#                  $BUILD/tests/spec-runner-switch), guard pages
#   switch-checked the same with explicit bounds checks
# One line per variant, then "N passed, N failed, N skipped" (the sum).
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
export BUILD
P=0 F=0 S=0
cache=$(mktemp -d "${TMPDIR:-/tmp}/spec-cache.XXXXXX") || exit 1
trap 'rm -rf "$cache"' EXIT
for v in checked eager cache-store cache-load switch switch-checked; do
  runner=$BUILD/tests/spec-runner flags=
  case $v in
    checked) flags=--checked ;;
    eager) flags=--eager ;;
    cache-*) flags=--cache=$cache ;;
    switch) runner=$BUILD/tests/spec-runner-switch ;;
    switch-checked) runner=$BUILD/tests/spec-runner-switch flags=--checked ;;
  esac
  out=$(SPEC_RUNNER=$runner SPEC_RUNNER_FLAGS=$flags bash tests/spec/suite-spec.sh 2>&1)
  last=$(tail -1 <<<"$out")
  if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
    p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
  else
    echo "suite-spec-variants: $v: no count: $last"
    p=0 f=1 s=0
  fi
  if [ $v = cache-load ]; then
    # every module with code (what the cache holds) must have come from the cache the store run wrote
    read -r hits coded < <(grep -o 'cache: [0-9]* of [0-9]* modules loaded from the cache ([0-9]* with code)' <<<"$out" |
      tr -d '(' | awk '{h += $2; c += $10} END {print h + 0, c + 0}')
    echo "spec 2.0 [cache-load]: $hits of the $coded modules with code loaded from the cache"
    if [ "$coded" -eq 0 ] || [ "$hits" -ne "$coded" ]; then f=$((f + 1)); fi
  fi
  [ "$f" -ne 0 ] && grep -E 'FAIL|error' <<<"$out" | head -5
  echo "spec 2.0 [$v]: $p passed, $f failed, $s skipped"
  P=$((P + p)) F=$((F + f)) S=$((S + s))
done
echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
