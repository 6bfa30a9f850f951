# bash completion for wcompose (wkit)
_wcompose() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "new plug compose oci opt -h --help -V --version" -- "$cur") $(compgen -f -X '!*.wasm' -- "$cur"))
    return
  fi
  case ${COMP_WORDS[1]} in
    new)
      case $prev in
        -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --adapt) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --optimize) COMPREPLY=($(compgen -W "0 1 2 3 4 s z" -- "$cur")); return ;;
      esac
      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "-o --output --adapt --optimize --help" -- "$cur"))
      else COMPREPLY=($(compgen -f -X '!*.wasm' -- "$cur") $(compgen -d -- "$cur")); fi ;;
    oci)
      case $prev in
        -o|--output|--name) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --ref|--annotation|--world) return ;;
        --optimize) COMPREPLY=($(compgen -W "0 1 2 3 4 s z" -- "$cur")); return ;;
      esac
      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "-o --output --ref --annotation --world --image --name --optimize --help" -- "$cur"))
      else COMPREPLY=($(compgen -f -X '!*.wasm' -- "$cur") $(compgen -d -- "$cur")); fi ;;
    opt)
      case $prev in
        -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --pass) return ;;
      esac
      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "-o --output -O -O0 -O1 -O2 -O3 -O4 -Os -Oz --dce --pass --stats --help" -- "$cur"))
      else COMPREPLY=($(compgen -f -X '!*.wasm' -- "$cur") $(compgen -d -- "$cur")); fi ;;
    # ---- h-wac: composition subcommands ----
    plug|compose|*.wasm|*.wat|--no-imports|--json|--optimize)
      case $prev in
        -o|--output|--plug) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --dep) return ;;
        --optimize) COMPREPLY=($(compgen -W "0 1 2 3 4 s z" -- "$cur")); return ;;
      esac
      if [[ $cur == -* ]]; then
        case ${COMP_WORDS[1]} in
          plug) COMPREPLY=($(compgen -W "--plug -o --output --json --optimize --help" -- "$cur")) ;;
          compose) COMPREPLY=($(compgen -W "--dep -o --output --json --no-imports --ast --optimize --help" -- "$cur")) ;;
          *) COMPREPLY=($(compgen -W "-o --output --json --no-imports --optimize" -- "$cur")) ;;
        esac
      elif [ "${COMP_WORDS[1]}" = compose ]; then COMPREPLY=($(compgen -f -X '!*.wac' -- "$cur") $(compgen -d -- "$cur"))
      else COMPREPLY=($(compgen -f -X '!*.wasm' -- "$cur") $(compgen -d -- "$cur")); fi ;;
    # ---- end h-wac ----
  esac
}
complete -F _wcompose wcompose
