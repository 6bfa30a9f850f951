# Sourced by tests/wasi/suite-wasi.sh (preview1) and suite-wasi2.sh (WASI 0.2):
# the tree the sandbox program (tests/wasi/progs/sandbox.c) tries to escape,
# and the refusal checks both ABIs must pass. The caller defines
# check NAME STATUS [WHY].

# A listing of a tree: path, type, size, md5 (no times).
tree_sig() {
  (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while read -r p; do
    if [ -L "$p" ]; then echo "$p link $(readlink "$p")"
    elif [ -d "$p" ]; then echo "$p dir"
    else echo "$p file $(md5sum <"$p" | cut -c1-32)"; fi
  done)
}

# DIR/box is preopened; everything else in DIR must stay out of reach.
sandbox_setup() {
  local d=$1
  mkdir -p "$d/box/deep"
  printf 'hello file\n' >"$d/box/in.txt"
  echo TOPSECRET >"$d/secret.txt"
  ln -s /etc "$d/box/to_etc"
  ln -s .. "$d/box/to_parent"
  ln -s ../secret.txt "$d/box/to_secret"
  ln -s ../.. "$d/box/deep/up"
  ln -s in.txt "$d/box/inside"
  mkdir "$d/emptydir"
  ln -s secret.txt "$d/outlink"
  touch -d '2001-02-03 04:05:06' "$d/secret.txt"
}

# The checks of one run: NAME, its stdout, stderr and the directory it ran in.
sandbox_refusals() {
  local n=$1 f=$2 err=$3 dir=$4
  grep -q 'preopen found' "$f"
  check "$n: ran" $? "$(head -3 "$err" | tr '\n' '|')"
  ! grep -q 'LEAKED\|OPENED.*\(secret\|etc\|parent\|up\)\|libc fopen.*OPENED' "$f"
  check "$n: nothing outside was read" $? "$(grep 'OPENED' "$f" | tr '\n' '|')"
  grep -qE '^open inside +follow=1 creat=0: OPENED \(read 11 bytes\)$' "$f" &&
    grep -qE '^open deep/\.\./in\.txt +follow=1 creat=0: OPENED \(read 11 bytes\)$' "$f"
  check "$n: in-sandbox symlink and .. still work" $?
  # nothing was created, moved or changed outside the preopen
  local want
  want=$(printf '%s\n' "./box dir" "./emptydir dir" "./outlink link secret.txt" "./secret.txt file $(echo TOPSECRET | md5sum | cut -c1-32)")
  [ "$(tree_sig "$dir" | grep -v '^\./box/')" = "$want" ]
  check "$n: nothing created outside the preopen" $? "$(tree_sig "$dir" | grep -v '^\./box/' | tr '\n' '|')"
  [ "$(stat -c %Y "$dir/secret.txt")" = "$(date -d '2001-02-03 04:05:06' +%s)" ]
  check "$n: times of the file outside unchanged" $?
  [ ! -e /tmp/wk-newdir ]
  check "$n: absolute mkdir did not reach the host" $?
}
