# fish completion for wcompose (wkit)
complete -c wcompose -f
complete -c wcompose -n '__fish_use_subcommand' -a new -d 'Build a component from a core module with WIT metadata'
complete -c wcompose -n '__fish_use_subcommand' -s h -l help -d 'Show help'
complete -c wcompose -n '__fish_use_subcommand' -s V -l version -d 'Show the version'
complete -c wcompose -n '__fish_seen_subcommand_from new' -F -a '(__fish_complete_suffix .wasm)'
complete -c wcompose -n '__fish_seen_subcommand_from new' -s o -l output -r -F -d 'Output component'
complete -c wcompose -n '__fish_seen_subcommand_from new' -l adapt -r -F -d 'NAME=ADAPTER.wasm'
complete -c wcompose -n '__fish_seen_subcommand_from new' -l optimize -r -a '0 1 2 3 4 s z' -d 'Optimize with binaryen'
complete -c wcompose -n '__fish_seen_subcommand_from new' -s h -l help -d 'Show help'
# wcompose opt
complete -c wcompose -n '__fish_use_subcommand' -a opt -d 'Optimize the core modules of a component with binaryen'
complete -c wcompose -n '__fish_seen_subcommand_from opt' -F -a '(__fish_complete_suffix .wasm)'
complete -c wcompose -n '__fish_seen_subcommand_from opt' -s o -l output -r -F -d 'Output file'
complete -c wcompose -n '__fish_seen_subcommand_from opt' -a '-O -O0 -O1 -O2 -O3 -O4 -Os -Oz' -d 'Optimize level'
complete -c wcompose -n '__fish_seen_subcommand_from opt' -l pass -r -d 'Binaryen pass to run'
complete -c wcompose -n '__fish_seen_subcommand_from opt' -l stats -d 'Print module sizes'
complete -c wcompose -n '__fish_seen_subcommand_from opt' -s h -l help -d 'Show help'
