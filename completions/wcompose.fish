# fish completion for wcompose (wkit). wcompose is not built yet: it takes only these flags.
complete -c wcompose -f
complete -c wcompose -s h -l help -d 'Show help'
complete -c wcompose -s V -l version -d 'Show the version'
