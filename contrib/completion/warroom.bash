# SPDX-License-Identifier: MIT
# bash completion for warroom. Generated from the act table by `warroom completion bash`.
_warroom()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local cmd='' i w at=0 g=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case " --db --as --json --wait --read-only --theme --config --help --version " in *" $w "*) g+=("$w"); [[ " --db --as --wait --theme --config " == *" $w "* ]] && { ((i++)); g+=("${COMP_WORDS[i]}"); }; continue ;; esac
        cmd=$w; at=$i; break
    done
    case $prev in
        --db|--config|--rules|--oncall|--token-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --severity) COMPREPLY=($(compgen -W 'SEV1 SEV2 SEV3 SEV4 SEV5' -- "$cur")); return ;;
        --theme) COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" completion words -- theme "$cur" 2>/dev/null)" -- "$cur")); return ;;
    esac
    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W 'declare list show note set severity status milestone decision asset indicator roles who update action postmortem report assign unassign pin unpin tail export run attach evidence verify runbook step oncall alert alerts drill replay init doctor migrate demo help completion version --db --as --json --wait --read-only --theme --config --help --version' -- "$cur"))
        return
    fi
    local opts='' subs=''
    case $cmd in
        declare) opts='--severity --type --new-type --drill --started --detected' subs='' ;;
        list) opts='--all' subs='' ;;
        show) opts='' subs='' ;;
        note) opts='--tag' subs='' ;;
        set) opts='--expect --force --reason --new-type' subs='title summary impact type' ;;
        severity) opts='--expect --force --reason' subs='' ;;
        status) opts='--into --expect --force --reason' subs='' ;;
        milestone) opts='--reason' subs='' ;;
        decision) opts='--reason' subs='clear complicated complex chaotic' ;;
        asset) opts='' subs='add remove list' ;;
        indicator) opts='--note' subs='add remove list' ;;
        roles) opts='--history' subs='' ;;
        who) opts='' subs='' ;;
        update) opts='--audience --send' subs='' ;;
        action) opts='--owner --due --type --reason' subs='add done wontdo reopen list' ;;
        postmortem) opts='--json' subs='' ;;
        report) opts='--since --drills --json' subs='' ;;
        assign) opts='--expect --new-user --force --reason' subs='' ;;
        unassign) opts='--force --reason' subs='' ;;
        pin) opts='' subs='' ;;
        unpin) opts='' subs='' ;;
        tail) opts='--follow --lines --all' subs='' ;;
        export) opts='--json' subs='' ;;
        run) opts='--note' subs='' ;;
        attach) opts='--note' subs='' ;;
        evidence) opts='--raw' subs='' ;;
        verify) opts='--against --json' subs='' ;;
        runbook) opts='' subs='lint list show attach suggest' ;;
        step) opts='--expect --force --reason' subs='' ;;
        oncall) opts='--at --team --oncall' subs='' ;;
        alert) opts='--source --rules --no-rules --batch --http --timeout --max-body --token-file --severity --type --drill --reason' subs='declare attach dismiss rules' ;;
        alerts) opts='--all --incident' subs='' ;;
        drill) opts='--speed' subs='list lint run' ;;
        replay) opts='--speed' subs='' ;;
        init) opts='' subs='' ;;
        doctor) opts='--full --rebuild' subs='' ;;
        migrate) opts='--to --json' subs='' ;;
        demo) opts='--reset' subs='' ;;
        help) opts='--man --keys' subs='declare list show note set severity status milestone decision asset indicator roles who update action postmortem report assign unassign pin unpin tail export run attach evidence verify runbook step oncall alert alerts drill replay init doctor migrate demo help completion version' ;;
        completion) opts='' subs='bash zsh words' ;;
        version) opts='' subs='' ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
    else
        # incidents, roles, people, runbooks, steps, themes: asked of warroom itself
        local dyn
        dyn=$("${COMP_WORDS[0]}" "${g[@]}" completion words -- "${COMP_WORDS[@]:at:COMP_CWORD-at}" "$cur" 2>/dev/null)
        COMPREPLY=($(compgen -W "$subs $dyn" -- "$cur"))
    fi
}
complete -o default -F _warroom warroom
