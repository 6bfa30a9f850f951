#!/usr/bin/env bash
# Every long option a tool's --help names (the tool's and each subcommand's) is known to its man
# page and to its bash, zsh and fish completions (man/TOOL.1, completions/TOOL.{bash,zsh,fish}), so
# the docs follow the options the tools actually take. A man page may leave a subcommand's options
# to that subcommand's --help when it says so (`TOOL CMD --help`). Prose mentions that are no
# options of the tool (wit-gen's "wasm-tools component wit --json") are listed below with why.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
pass=0; fail=0; skip=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }
skp() { skip=$((skip+1)); echo "skip $*"; }

# TOOL:SUBCOMMANDS (as `TOOL SUB --help` takes them; "oci run" is wrun oci's)
SPECS=("wit-gen:json wit c embed" "wcompose:new plug compose oci opt" "wsign:keygen sign verify show split"
       "winspect:" "wrun:serve oci")
# not options: wit-gen json's help cites wasm-tools' `--json`
ignore() { [ "$1:$2" = "wit-gen:--json" ]; }
opts() { grep -oE -- '--[a-z][a-z0-9-]+' | sort -u; }

for spec in "${SPECS[@]}"; do
  t=${spec%%:*}; subs=${spec#*:}
  if [ ! -x "$BUILD/bin/$t" ]; then skp "$t: $BUILD/bin/$t not built"; continue; fi
  man=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "man/$t.1")
  for sub in "" $subs; do
    h=$("$BUILD/bin/$t" $sub --help 2>&1 | opts)
    label="$t${sub:+ $sub}"
    if [ -z "$h" ]; then bad "$label --help names no option"; continue; fi
    # the man page: each option, unless it sends the reader to `TOOL SUB --help`
    if [ -n "$sub" ] && grep -qF -- "$t $sub --help" <<<"$man"; then
      ok "$label: man page refers to \`$t $sub --help\`"
    else
      miss=""
      for o in $h; do ignore "$t" "$o" || grep -qF -- "$o" <<<"$man" || miss="$miss $o"; done
      if [ -z "$miss" ]; then ok "$label: man page names every option"; else bad "$label: man/$t.1 lacks$miss"; fi
    fi
    for sh in bash zsh fish; do
      f=completions/$t.$sh
      if [ $sh = fish ]; then c=$(sed -E 's/-l ([a-z])/--\1/g' "$f" | opts); else c=$(opts < "$f"); fi
      miss=""
      for o in $h; do ignore "$t" "$o" || grep -qxF -- "$o" <<<"$c" || miss="$miss $o"; done
      if [ -z "$miss" ]; then ok "$label: $sh completion has every option"; else bad "$label: $f lacks$miss"; fi
    done
  done
  # the short options of the tool's own --help (-h, -V, ...): every completion offers them too
  hs=$("$BUILD/bin/$t" --help 2>&1 | grep -oE -- '(^|[ ,])-[A-Za-z]\b' | tr -d ' ,' | sort -u)
  for sh in bash zsh fish; do
    f=completions/$t.$sh; miss=""
    for o in $hs; do
      if [ $sh = fish ]; then grep -qE -- "-s ${o#-}( |$)" "$f" || miss="$miss $o"
      else grep -qE -- "(^|[^A-Za-z0-9-])$o([^A-Za-z0-9-]|$)" "$f" || miss="$miss $o"; fi
    done
    if [ -z "$miss" ]; then ok "$t: $sh completion has every short option ($(echo $hs))"; else bad "$t: $f lacks$miss"; fi
  done
done
# wrun -S takes the WASI 0.2 grants its --help names: each completion offers them (bash: run it)
grants=$("$BUILD/bin/wrun" --help 2>&1 | sed -nE 's/^ *-S ([a-z-]+).*/\1/p' | sort | tr '\n' ' ')
got=$(bash -c 'source completions/wrun.bash; COMP_WORDS=(wrun -S ""); COMP_CWORD=2; _wrun; printf "%s\n" "${COMPREPLY[@]}"' | sort | tr '\n' ' ')
if [ -n "$grants" ] && [ "$got" = "$grants" ]; then ok "wrun -S: bash completion offers $grants"; else bad "wrun -S: bash completion offers '$got', --help names '$grants'"; fi
for sh in zsh fish; do
  pat=-S; [ $sh = fish ] && pat="-s S"
  miss=""; for g in $grants; do grep -q -- "$pat.*$g" "completions/wrun.$sh" || miss="$miss $g"; done
  if [ -n "$grants" ] && [ -z "$miss" ]; then ok "wrun -S: $sh completion offers $grants"; else bad "wrun -S: completions/wrun.$sh lacks$miss"; fi
done
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
