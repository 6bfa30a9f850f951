# bash completion for winspect (wkit)
_winspect() {
  local cur prev
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  case $prev in
    -o) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -f|--features) COMPREPLY=($(compgen -W "cm-map cm-fixed-length-lists wasm2" -- "$cur")); return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "--sections --json --wit --validate --roundtrip -f --features -o -h --help -V --version" -- "$cur"))
  elif [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "print" -- "$cur") $(compgen -f -X '!*.wasm' -- "$cur") $(compgen -d -- "$cur"))
  else
    COMPREPLY=($(compgen -f -X '!*.wasm' -- "$cur") $(compgen -d -- "$cur"))
  fi
}
complete -F _winspect winspect
