# bash completion for wsign (wkit)
_wsign() {
  local cur prev cmd
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  cmd=${COMP_WORDS[1]}
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "keygen sign verify show split help -h --help -V --version" -- "$cur"))
    return
  fi
  case $prev in
    -a|--algorithm) COMPREPLY=($(compgen -W "ecdsa-p256 ed25519" -- "$cur")); return ;;
    -k|-K|--key|--pub) COMPREPLY=($(compgen -f -X '!*.@(pem|pub|der|key)' -- "$cur") $(compgen -d -- "$cur")); return ;;
    -o|--output|-d|--detached) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -p|--pattern) [ "$cmd" = keygen ] && COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  local opts
  case $cmd in
    keygen) opts="-a --algorithm -o --output -p --pub --json -q --quiet -h --help" ;;
    sign) opts="-k --key -o --output -d --detached --json -q --quiet -h --help" ;;
    verify) opts="-K --key -d --detached -s --split --json -q --quiet -h --help" ;;
    show) opts="-K --key -d --detached --json -q --quiet -h --help" ;;
    split) opts="-p --pattern -o --output -q --quiet -h --help" ;;
    help) COMPREPLY=($(compgen -W "keygen sign verify show split" -- "$cur")); return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    shopt -s extglob
    COMPREPLY=($(compgen -f -X '!*.wasm' -- "$cur") $(compgen -d -- "$cur"))
  fi
}
complete -F _wsign wsign
