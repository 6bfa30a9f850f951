#compdef winspect
# zsh completion for winspect (wkit)
_arguments \
  '(- *)'{-h,--help}'[show the help]' \
  '(- *)'{-V,--version}'[show the version]' \
  '(--json --wit --validate --roundtrip)--sections[offsets and sizes of every section]' \
  '(--sections --wit --validate --roundtrip)--json[everything as JSON]' \
  '(--sections --json --validate --roundtrip)--wit[the component world as WIT]' \
  '(--sections --json --wit --roundtrip)--validate[validate the component]' \
  '(--sections --json --wit --validate)--roundtrip[decode and re-encode byte-exactly]' \
  '(-f --features)'{-f,--features}'[features --validate accepts]:features:(cm-map cm-fixed-length-lists wasm2)' \
  '-o[output file for print]:output file:_files' \
  '1:command or file:{_alternative "cmd:command:(print)" "file:wasm file:_files -g \"*.wasm\""}' \
  '*:wasm file:_files -g "*.wasm"'
