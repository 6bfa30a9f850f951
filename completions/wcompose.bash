# bash completion for wcompose (wkit). wcompose is not built yet: it takes only these flags.
_wcompose() {
  COMPREPLY=($(compgen -W "--help --version" -- "${COMP_WORDS[COMP_CWORD]}"))
}
complete -F _wcompose wcompose
