# fish completion for wcompose (wkit)
complete -c wcompose -f
complete -c wcompose -n '__fish_use_subcommand' -a new -d 'Build a component from a core module with WIT metadata'
complete -c wcompose -n '__fish_use_subcommand' -s h -l help -d 'Show help'
complete -c wcompose -n '__fish_use_subcommand' -s V -l version -d 'Show the version'
complete -c wcompose -n '__fish_seen_subcommand_from new' -F -a '(__fish_complete_suffix .wasm)'
complete -c wcompose -n '__fish_seen_subcommand_from new' -s o -l output -r -F -d 'Output component'
complete -c wcompose -n '__fish_seen_subcommand_from new' -l adapt -r -F -d 'NAME=ADAPTER.wasm'
complete -c wcompose -n '__fish_seen_subcommand_from new' -s h -l help -d 'Show help'
