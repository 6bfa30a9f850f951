# bash completion for wcompose (wkit)
_wcompose() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "new --help --version" -- "$cur"))
    return
  fi
  case ${COMP_WORDS[1]} in
    new)
      case $prev in
        -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --adapt) COMPREPLY=($(compgen -f -- "$cur")); return ;;
      esac
      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "-o --output --adapt --help" -- "$cur"))
      else COMPREPLY=($(compgen -f -X '!*.wasm' -- "$cur") $(compgen -d -- "$cur")); fi ;;
  esac
}
complete -F _wcompose wcompose
