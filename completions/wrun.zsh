#compdef wrun
# zsh completion for wrun (wkit)
if (( CURRENT > 2 )) && [[ ${words[2]} == oci ]]; then
  local -a ocicmds
  ocicmds=(create:'create a container from a bundle' start:'start a created container' state:'print the state JSON'
           kill:'send a signal' delete:'remove a container' run:'create and start' ps:'the container process' features:'the features JSON')
  _arguments -S \
    '--root[state directory]:directory:_directories' \
    '--log[also write errors to FILE]:file:_files' \
    '--log-format[format of --log lines]:format:(text json)' \
    '--delegate[runtime for non-wasm bundles]:runtime:_files' \
    '--debug[also print the warnings on stderr]' \
    '--systemd-cgroup[accepted (passed on to the delegate)]' \
    '--bundle[bundle directory]:directory:_directories' \
    '--pid-file[write the pid to FILE]:file:_files' \
    '--console-socket[socket receiving the pty master]:socket:_files' \
    '--detach[run: do not wait]' '--force[delete: kill first]' '--all[kill: all processes]' \
    '--format[ps output]:format:(table json)' \
    '1:command:(oci)' '2:command:{_describe command ocicmds}' '*:container id:'
  return
fi
if (( CURRENT > 2 )) && [[ ${words[2]} == serve ]]; then
  _arguments -S \
    '--addr[listen address HOST:PORT]:address:' \
    '*--dir[preopen HOST[::GUEST]]:directory:_directories' \
    '*--env[environment variable NAME[=VALUE]]:variable:_parameters' \
    '*--allow-outbound[allow outgoing requests to HOST[:PORT]]:host:' \
    '--fuel[fuel per request]:count:' \
    '--timeout[time per request (2s, 500ms)]:duration:' \
    '--max-memory[linear memory limit per instance]:size:' \
    '--max-body[request body limit]:size:' \
    '--max-header[request header section limit]:size:' \
    '--threads[worker threads]:count:' \
    '--trap-unknown-imports[imports the host lacks trap when called]' \
    '--quiet[no access log]' \
    '(- *)'{-h,--help}'[show help]' \
    '1:command:(serve)' '2:component:_files -g "*.wasm"'
  return
fi
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
  '*-S[WASI 0.2 grants]:grant:(inherit-network tcp udp allow-ip-name-lookup http)' \
  '*--allow-outbound[with -S http: allow outgoing requests to HOST[:PORT]]:host:' \
  '(- *)'{-h,--help}'[show help]' \
  '(- *)'{-V,--version}'[show version]' \
  '1:module or serve:{_alternative "commands:command:(serve oci)" "files:module:_files -g \"*.wasm\""}' \
  '*::guest arguments:_files'
