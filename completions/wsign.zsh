#compdef wsign
# zsh completion for wsign (wkit)
_wsign() {
  local -a cmds
  cmds=(
    'keygen:generate a key pair (ecdsa-p256 or ed25519, PEM)'
    'sign:add a signature (embedded, or --detached)'
    'verify:verify a signature against public keys'
    'show:print signatures, key ids, algorithms and signed ranges'
    'split:insert signature_delimiter sections for partial verification'
    'help:show help for a command'
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'wsign command' cmds
    _arguments '(-h --help)'{-h,--help}'[show help]' '(-V --version)'{-V,--version}'[show version]'
    return
  fi
  local cmd=$words[2]
  shift words; (( CURRENT-- ))
  local common=('(-q --quiet)'{-q,--quiet}'[print nothing on success]' '(-h --help)'{-h,--help}'[show help]')
  case $cmd in
    keygen) _arguments $common \
      '(-a --algorithm)'{-a,--algorithm}'[algorithm]:algorithm:(ecdsa-p256 ed25519)' \
      '(-o --output)'{-o,--output}'[private key file]:file:_files' \
      '(-p --pub)'{-p,--pub}'[public key file]:file:_files' \
      '--json[JSON output]' ;;
    sign) _arguments $common \
      '(-k --key)'{-k,--key}'[private key]:key:_files -g "*.(pem|key|der)"' \
      '(-o --output)'{-o,--output}'[signed output]:file:_files' \
      '(-d --detached)'{-d,--detached}'[detached signature file]:file:_files' \
      '--json[JSON output]' '1:input:_files -g "*.wasm"' ;;
    verify) _arguments $common \
      '*'{-K,--key}'[public key]:key:_files -g "*.(pub|pem|der)"' \
      '(-d --detached)'{-d,--detached}'[detached signature file]:file:_files' \
      '(-s --split)'{-s,--split}'[partial verification]' \
      '--json[JSON output]' '1:input:_files -g "*.wasm"' ;;
    show) _arguments $common \
      '*'{-K,--key}'[public key]:key:_files -g "*.(pub|pem|der)"' \
      '(-d --detached)'{-d,--detached}'[detached signature file]:file:_files' \
      '--json[JSON output]' '1:input:_files -g "*.wasm"' ;;
    split) _arguments $common \
      '*'{-p,--pattern}'[custom section name regex]:regex:' \
      '(-o --output)'{-o,--output}'[output]:file:_files' '1:input:_files -g "*.wasm"' ;;
    help) _describe -t commands 'wsign command' cmds ;;
  esac
}
_wsign "$@"
