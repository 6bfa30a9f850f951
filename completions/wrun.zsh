#compdef wrun
# zsh completion for wrun (wkit)
_arguments -S \
  '*--dir[preopen HOST[::GUEST][::ro]]:directory:_directories' \
  '*--env[guest environment variable NAME=VALUE or NAME]:variable:_parameters' \
  '--argv0[guest argv0]:name:' \
  '--invoke[call an export instead of _start]:function:' \
  '--trap-unknown-imports[components: undefined imports trap when called]' \
  '--fuel[instruction budget]:count:' \
  '--timeout[wall-clock limit (50ms, 2s)]:duration:' \
  '--max-memory[linear memory cap (4MiB)]:size:' \
  '--max-stack[value stack cap]:size:' \
  '--max-call-depth[nested call cap]:count:' \
  '--cache[AOT cache directory]:directory:_directories' \
  '*-S[WASI 0.2 grants]:grant:(inherit-network allow-ip-name-lookup)' \
  '(- *)'{-h,--help}'[show help]' \
  '(- *)'{-V,--version}'[show version]' \
  '1:module or serve:{_alternative "commands:command:(serve)" "files:module:_files -g \"*.wasm\""}' \
  '*::guest arguments:_files'
