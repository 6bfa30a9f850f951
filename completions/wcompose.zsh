#compdef wcompose
# zsh completion for wcompose (wkit)
_wcompose() {
  local -a cmds
  cmds=('new:build a component from a core module with WIT metadata'
        'opt:optimize the core modules of a component with binaryen')
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
        '--optimize[optimize with binaryen]:level:(0 1 2 3 4 s z)' \
        '(- *)'{-h,--help}'[show help]' \
        '*:core module:_files -g "*.wasm"' ;;
    opt)
      _arguments \
        '(-o --output)'{-o,--output}'[output file]:file:_files' \
        '(-O -O0 -O1 -O2 -O3 -O4 -Os -Oz)'{-O,-O0,-O1,-O2,-O3,-O4,-Os,-Oz}'[optimize level]' \
        '*--pass[binaryen pass to run]:pass:' \
        '--stats[print module sizes]' \
        '(- *)'{-h,--help}'[show help]' \
        '*:component or module:_files -g "*.wasm"' ;;
  esac
}
_wcompose "$@"
