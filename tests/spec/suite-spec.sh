#!/usr/bin/env bash
# WebAssembly 2.0 core spec tests on lib/interp.
#
# Converts ../shared/corpora/spec-core-2.0/*.wast into $BUILD/spec-json
# (cached; tests/spec/convert.sh), runs $BUILD/tests/spec-runner over every
# file and prints its per-file lines and totals. Each failing command (with
# its line and why) goes to $BUILD/spec-failures.log. A file that does not
# convert counts as one failure. Last line: "N passed, N failed, N skipped"
# (SIMD included: nothing may be skipped, a skipped command is a failure;
# text-format assert_malformed cases run through lib/encode's text parser).
# SPEC_RUNNER_ARGS: extra runner options (--checked, --cache=DIR: the build
# variants, see the runner's header); SPEC_RUNNER: another runner binary
# (tests/spec/suite-spec-variants.sh runs them all).
# Exit status: non-zero on any failure.
set -u
BUILD=${BUILD:-build}
runner=${SPEC_RUNNER:-$BUILD/tests/spec-runner}
json="$BUILD/spec-json"
log="$BUILD/spec-failures.log"

conv_failed=0
if ! conv_out=$(bash tests/spec/convert.sh "$json" 2>&1); then
  conv_failed=$(printf '%s\n' "$conv_out" | sed -n 's/.* \([0-9]*\) failed$/\1/p' | tail -1)
  [ -n "$conv_failed" ] && [ "$conv_failed" -gt 0 ] || conv_failed=1
fi
printf '%s\n' "$conv_out" | grep -E 'error|convert:' | tail -12

if [ ! -x "$runner" ]; then
  echo "suite-spec: error: $runner not built"
  echo "0 passed, $((conv_failed + 1)) failed"
  exit 1
fi

# SPEC_RUNNER_FLAGS (or SPEC_RUNNER_ARGS): e.g. --checked (explicit bounds checks), --eager (no lazy
# translation), --cache=DIR (AOT cache)
"$runner" --verbose ${SPEC_RUNNER_FLAGS:-} ${SPEC_RUNNER_ARGS:-} "$json" >"$log.tmp" 2>&1
rc=$?
grep ': FAIL: ' "$log.tmp" >"$log"
out=$(grep -v ': FAIL: ' "$log.tmp")
rm -f "$log.tmp"
closing=$(printf '%s\n' "$out" | tail -1)
printf '%s\n' "$out" | sed '$d'
nf=$(wc -l <"$log")
if [ "$nf" -gt 0 ]; then
  echo "failing commands are listed in $log ($nf); the first ones:"
  head -5 "$log"
fi
if ! [[ $closing =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?$ ]]; then
  echo "suite-spec: error: the runner did not finish (status $rc); last line: $closing"
  echo "0 passed, $((conv_failed + 1)) failed"
  exit 1
fi
p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[4]:-0}
f=$((f + conv_failed))
# Independent tally of the commands (from the JSON, not the runner): the
# runner must have run every one of them, none skipped (SIMD included).
eall=$(node -e '
const fs = require("fs"), path = require("path");
const dir = process.argv[1]; let all = 0;
for (const n of fs.readdirSync(dir)) {
  const f = path.join(dir, n, n + ".json");
  if (fs.existsSync(f)) all += JSON.parse(fs.readFileSync(f, "utf8")).commands.length;
}
console.log(all);' "$json")
if [ -z "$eall" ] || [ "$s" -ne 0 ] || [ $((p + f - conv_failed + s)) -ne "$eall" ]; then
  echo "suite-spec: error: runner counted $p+$((f - conv_failed))+$s commands with $s skipped; the JSON has ${eall:-?}, none may be skipped"
  f=$((f + 1))
fi
[ "$conv_failed" -gt 0 ] && echo "($conv_failed file(s) failed to convert: counted as failed)"
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ] && [ "$rc" -eq 0 ]
