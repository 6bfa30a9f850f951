# fish completion for wcompose (wkit)
complete -c wcompose -f
complete -c wcompose -n '__fish_use_subcommand' -a new -d 'Build a component from a core module with WIT metadata'
complete -c wcompose -n '__fish_use_subcommand' -s h -l help -d 'Show help'
complete -c wcompose -n '__fish_use_subcommand' -s V -l version -d 'Show the version'
complete -c wcompose -n '__fish_seen_subcommand_from new' -F -a '(__fish_complete_suffix .wasm)'
complete -c wcompose -n '__fish_seen_subcommand_from new' -s o -l output -r -F -d 'Output component'
complete -c wcompose -n '__fish_seen_subcommand_from new' -l adapt -r -F -d 'NAME=ADAPTER.wasm'
complete -c wcompose -n '__fish_seen_subcommand_from new' -s h -l help -d 'Show help'
# ---- h-wac: composition subcommands ----
complete -c wcompose -n '__fish_use_subcommand' -a plug -d 'Wire a socket component to plugs'
complete -c wcompose -n '__fish_use_subcommand' -a compose -d 'Compose as a WAC document says'
complete -c wcompose -n '__fish_seen_subcommand_from plug' -F -a '(__fish_complete_suffix .wasm)'
complete -c wcompose -n '__fish_seen_subcommand_from plug' -l plug -r -F -d 'Plug component'
complete -c wcompose -n '__fish_seen_subcommand_from compose' -F -a '(__fish_complete_suffix .wac)'
complete -c wcompose -n '__fish_seen_subcommand_from compose' -l dep -r -d 'Package NS:NAME=PATH'
complete -c wcompose -n '__fish_seen_subcommand_from compose' -l ast -d 'Only parse; print the document as JSON'
complete -c wcompose -n '__fish_seen_subcommand_from plug compose' -s o -l output -r -F -d 'Output component'
complete -c wcompose -n '__fish_seen_subcommand_from plug compose' -l json -d 'Print the wiring as JSON'
complete -c wcompose -n '__fish_seen_subcommand_from compose' -l no-imports -d 'An unsatisfied import is an error'
# ---- end h-wac ----
