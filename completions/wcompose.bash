# bash completion for wcompose (wkit)
_wcompose() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "new opt --help --version" -- "$cur"))
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
    opt)
      case $prev in
        -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --pass) return ;;
      esac
      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "-o --output -O -O0 -O1 -O2 -O3 -O4 -Os -Oz --pass --stats --help" -- "$cur"))
      else COMPREPLY=($(compgen -f -X '!*.wasm' -- "$cur") $(compgen -d -- "$cur")); fi ;;
  esac
}
complete -F _wcompose wcompose
