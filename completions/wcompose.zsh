#compdef wcompose
# zsh completion for wcompose (wkit)
_wcompose() {
  local -a cmds
  cmds=('new:build a component from a core module with WIT metadata'
        'plug:wire a socket component'"'"'s imports to plugs'"'"' exports'
        'compose:compose as a WAC document says'
        'oci:package a component as an OCI artifact or image tar'
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
    # ---- h-wac: composition subcommands ----
    plug)
      _arguments \
        '*--plug[plug component]:plug:_files -g "*.wasm(-.) *.wat(-.)"' \
        '(-o --output)'{-o,--output}'[output component]:file:_files' \
        '--json[print the wiring as JSON]' \
        '--optimize[optimize with binaryen]:level:(0 1 2 3 4 s z)' \
        '(- *)'{-h,--help}'[show help]' \
        '*:socket component:_files -g "*.wasm(-.) *.wat(-.)"' ;;
    compose)
      _arguments \
        '*--dep[package NS:NAME=PATH]:package:' \
        '(-o --output)'{-o,--output}'[output component]:file:_files' \
        '--json[print the wiring as JSON]' \
        '--no-imports[an unsatisfied import is an error]' \
        '--ast[only parse; print the document as JSON]' \
        '--optimize[optimize with binaryen]:level:(0 1 2 3 4 s z)' \
        '(- *)'{-h,--help}'[show help]' \
        '*:WAC document:_files -g "*.wac(-.)"' ;;
    oci)
      _arguments \
        '(-o --output)'{-o,--output}'[output archive]:file:_files' \
        '--ref[reference name NAME:TAG]:reference:' \
        '*--annotation[manifest annotation K=V]:annotation:' \
        '--world[target world NS:PKG/W@V]:world:' \
        '--image[a runnable scratch image]' \
        '--name[file name of the .wasm in the image]:name:' \
        '--optimize[optimize with binaryen]:level:(0 1 2 3 4 s z)' \
        '(- *)'{-h,--help}'[show help]' \
        '*:component or module:_files -g "*.wasm"' ;;
    opt)
      _arguments \
        '(-o --output)'{-o,--output}'[output file]:file:_files' \
        '(-O -O0 -O1 -O2 -O3 -O4 -Os -Oz)'{-O,-O0,-O1,-O2,-O3,-O4,-Os,-Oz}'[optimize level]' \
        '*--pass[binaryen pass to run]:pass:' \
        '--stats[print module sizes]' \
        '--dce[drop exports nothing in the component uses]' \
        '(- *)'{-h,--help}'[show help]' \
        '*:component or module:_files -g "*.wasm"' ;;
    *)
      _arguments \
        '(-o --output)'{-o,--output}'[output component]:file:_files' \
        '--json[print the wiring as JSON]' \
        '--no-imports[an unsatisfied import is an error]' \
        '--optimize[optimize with binaryen]:level:(0 1 2 3 4 s z)' \
        '*:component:_files -g "*.wasm(-.) *.wat(-.)"' ;;
    # ---- end h-wac ----
  esac
}
_wcompose "$@"
