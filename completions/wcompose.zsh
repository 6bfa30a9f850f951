#compdef wcompose
# zsh completion for wcompose (wkit). wcompose is not built yet: it takes only these flags.
_arguments '(- *)'{-h,--help}'[show help]' '(- *)'{-V,--version}'[show the version]'
