# bash completion for wrun (wkit)
_wrun() {
  local cur prev
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  case $prev in
    --dir|--cache) compopt -o nospace 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --env) COMPREPLY=($(compgen -e -- "$cur")); return ;;
    --argv0|--invoke|--fuel|--timeout|--max-memory|--max-stack|--max-call-depth|-S|--addr|--allow-outbound|--max-body|--max-header|--threads) return ;;
  esac
  # options only before the module
  local i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --dir|--env|--argv0|--invoke|--fuel|--timeout|--max-memory|--max-stack|--max-call-depth|--cache|-S) ((i++)) ;;
      serve) COMPREPLY=($(compgen -W "--addr --dir --env --allow-outbound --fuel --timeout --max-memory --max-body --max-header --threads --quiet --help" -- "$cur") $(compgen -f -X '!*.wasm' -- "$cur")); return ;;
      -*) ;;
      *) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
  done
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "--dir --env --argv0 --invoke --fuel --timeout --max-memory --max-stack --max-call-depth --cache --trap-unknown-imports -S --help --version" -- "$cur"))
  else
    COMPREPLY=($( ((COMP_CWORD == 1)) && compgen -W "serve" -- "$cur") $(compgen -f -X '!*.wasm' -- "$cur") $(compgen -d -- "$cur"))
  fi
}
complete -F _wrun wrun
