# bash completion for wrun (wkit)
_wrun() {
  local cur prev
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  case $prev in
    --dir|--cache) compopt -o nospace 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --env) COMPREPLY=($(compgen -e -- "$cur")); return ;;
    -S) # WASI 0.2 grants, NAME[,NAME...]
      local pre=""; [[ $cur == *,* ]] && pre=${cur%,*},
      COMPREPLY=($(compgen -P "$pre" -W "inherit-network tcp udp allow-ip-name-lookup http" -- "${cur##*,}")); return ;;
    --argv0|--invoke|--fuel|--timeout|--max-memory|--max-stack|--max-call-depth|--addr|--allow-outbound|--max-body|--max-header|--threads) return ;;
  esac
  # wrun oci / runc's words: commands, their options, container ids from the state root
  local i w root=/run/wrun
  [ "$(id -u)" != 0 ] && root=${XDG_RUNTIME_DIR:+$XDG_RUNTIME_DIR/wrun}
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    case $w in
      oci|--root|--log|--log-format|--delegate|create|start|state|kill|delete|run|ps|features)
        case $prev in
          --root|--bundle|-b) compopt -o nospace 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return ;;
          --log|--pid-file|--console-socket|--delegate) COMPREPLY=($(compgen -f -- "$cur")); return ;;
          --log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
          --format) COMPREPLY=($(compgen -W "table json" -- "$cur")); return ;;
        esac
        local j cmd=""
        for ((j = 1; j < COMP_CWORD; j++)); do
          case ${COMP_WORDS[j]} in
            --root) root=${COMP_WORDS[j+1]} ;;
            create|start|state|kill|delete|run|ps) cmd=${COMP_WORDS[j]} ;;
          esac
        done
        case $cmd in
          "") COMPREPLY=($(compgen -W "create start state kill delete run ps features --root --log --log-format --delegate --debug --systemd-cgroup --help --version" -- "$cur")) ;;
          create|run) COMPREPLY=($(compgen -W "--bundle --pid-file --console-socket --detach" -- "$cur")) ;;
          kill) [[ $prev != kill && $prev != --all && $prev != -a ]] && COMPREPLY=($(compgen -W "TERM KILL INT HUP USR1 USR2" -- "$cur")) ||
                COMPREPLY=($(compgen -W "--all $(ls "$root" 2>/dev/null)" -- "$cur")) ;;
          delete) COMPREPLY=($(compgen -W "--force $(ls "$root" 2>/dev/null)" -- "$cur")) ;;
          *) COMPREPLY=($(compgen -W "$(ls "$root" 2>/dev/null)" -- "$cur")) ;;
        esac
        return ;;
      -*) ;;
      *) break ;;
    esac
  done
  # options only before the module
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --dir|--env|--argv0|--invoke|--fuel|--timeout|--max-memory|--max-stack|--max-call-depth|--cache|--allow-outbound|-S) ((i++)) ;;
      serve) COMPREPLY=($(compgen -W "--addr --dir --env --allow-outbound --fuel --timeout --max-memory --max-body --max-header --threads --quiet --help" -- "$cur") $(compgen -f -X '!*.wasm' -- "$cur")); return ;;
      -*) ;;
      *) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
  done
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "--dir --env --argv0 --invoke --fuel --timeout --max-memory --max-stack --max-call-depth --cache --trap-unknown-imports --allow-outbound -S -h --help -V --version" -- "$cur"))
  else
    COMPREPLY=($( ((COMP_CWORD == 1)) && compgen -W "serve oci" -- "$cur") $(compgen -f -X '!*.wasm' -- "$cur") $(compgen -d -- "$cur"))
  fi
}
complete -F _wrun wrun
