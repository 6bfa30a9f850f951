# bash completion for wit-gen (wkit)
_wit_gen() {
  local cur prev cmd
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  cmd=${COMP_WORDS[1]}
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "json wit c embed help -h --help -V --version" -- "$cur"))
    return
  fi
  case $prev in
    -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --out-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --features|--world|--rename|--rename-world|--type-section-suffix) return ;;
    --string-encoding) COMPREPLY=($(compgen -W "utf8 utf16 compact-utf16" -- "$cur")); return ;;
    --autodrop-borrows) COMPREPLY=($(compgen -W "yes no" -- "$cur")); return ;;
    --async) COMPREPLY=($(compgen -W "all -all" -- "$cur")); return ;;
  esac
  local opts
  case $cmd in
    json) opts="-o --output --features --all-features --time -h --help" ;;
    wit) opts="--wasm -o --output --features --all-features --time -h --help" ;;
    c) opts="--world --out-dir --no-sig-flattening --autodrop-borrows --async --rename --string-encoding --type-section-suffix --rename-world --check --features --all-features --time -h --help" ;;
    embed) opts="--world -o --output --string-encoding --features --all-features --time -h --help" ;;
    help) COMPREPLY=($(compgen -W "json wit c embed" -- "$cur")); return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -X '!*.@(wit|wasm)' -- "$cur") $(compgen -d -- "$cur"))
  fi
}
shopt -s extglob
complete -F _wit_gen wit-gen
