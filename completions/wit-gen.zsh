#compdef wit-gen
# zsh completion for wit-gen (wkit)
_wit_gen() {
  local -a cmds
  cmds=(
    'json:print the resolved packages as JSON (wasm-tools component wit --json schema)'
    'wit:print the resolved packages as normalized WIT (--wasm: binary form)'
    'c:generate C guest bindings for a world'
    'embed:embed a component-type custom section into a core module'
    'help:show help'
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'wit-gen command' cmds
    _arguments '(-h --help)'{-h,--help}'[show help]' '(-V --version)'{-V,--version}'[show version]'
    return
  fi
  local cmd=$words[2]
  shift words; (( CURRENT-- ))
  case $cmd in
    json|wit) _arguments \
      '(-o --output)'{-o,--output}'[output file]:file:_files' \
      '--wasm[write the package in binary form (wit only)]' \
      '*--features[enable @unstable features]:features:' \
      '--all-features[enable every @unstable feature]' \
      '--time[print parse+resolve time]' \
      '(-h --help)'{-h,--help}'[show help]' \
      '1:WIT file or package directory:_files -g "*.wit(-.) *(-/)"' ;;
    c) _arguments \
      '--world[world]:world:' '--out-dir[output directory]:dir:_files -/' \
      '--no-sig-flattening[do not flatten signatures]' \
      '--autodrop-borrows[drop borrows automatically]:value:(yes no)' \
      '*--async[async filters]:filters:(all -all)' \
      '--string-encoding[string encoding]:encoding:(utf8 utf16 compact-utf16)' \
      '--type-section-suffix[suffix]:suffix:' '*--rename[name interface K V in C identifiers]:K=V:' '--rename-world[name]:name:' '--check[generate in memory only]' \
      '*--features[enable @unstable features]:features:' \
      '--all-features[enable every @unstable feature]' \
      '--time[print parse+resolve time]' \
      '(-h --help)'{-h,--help}'[show help]' \
      '1:WIT file or package directory:_files -g "*.wit(-.) *(-/)"' ;;
    embed) _arguments \
      '--world[world]:world:' '-o[output module]:file:_files' \
      '--string-encoding[string encoding]:encoding:(utf8 utf16 compact-utf16)' \
      '*--features[enable @unstable features]:features:' \
      '--all-features[enable every @unstable feature]' \
      '--time[print parse+resolve time]' \
      '(-h --help)'{-h,--help}'[show help]' \
      '1:WIT file or package directory:_files -g "*.wit(-.) *(-/)"' \
      '2:core module:_files -g "*.wasm"' ;;
    help) _describe -t commands 'wit-gen command' cmds ;;
  esac
}
_wit_gen "$@"
