#compdef wcompose
# zsh completion for wcompose (wkit)
_wcompose() {
  local -a cmds
  cmds=('new:build a component from a core module with WIT metadata')
  if (( CURRENT == 2 )); then
    _describe 'command' cmds
    _arguments '(- *)'{-h,--help}'[show help]' '(- *)'{-V,--version}'[show the version]'
    return
  fi
  case $words[2] in
    new)
      _arguments \
        '(-o --output)'{-o,--output}'[output component]:file:_files' \
        '*--adapt[adapter NAME=FILE]:adapter:_files' \
        '(- *)'{-h,--help}'[show help]' \
        '*:core module:_files -g "*.wasm"' ;;
  esac
}
_wcompose "$@"
