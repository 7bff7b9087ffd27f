#!/usr/bin/env bash
# Shell completion generated from the act table: `warroom completion bash|zsh` is what contrib/completion/
# holds (test_docs checks the bytes); here the bash script is loaded in a real bash and asked for words.
. "$(dirname "$0")/lib.sh"
expect_rc "completion bash" 0 "$WR_BIN" completion bash
check_contains "bash script registers" "$OUT" "complete -o default -F _warroom warroom"
expect_rc "completion zsh" 0 "$WR_BIN" completion zsh
check_contains "zsh script is a compdef" "$OUT" "#compdef warroom"
expect_rc "completion fish refused" 2 "$WR_BIN" completion fish
# Ask bash: COMP_WORDS as it would set them, then the words it offers.
ask() { # ask WORD... (the last one is being completed)
  bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _warroom
    printf "%s\n" "${COMPREPLY[@]}"' ask "$WR_SRC/contrib/completion/warroom.bash" "$@"
}
check_contains "commands" "$(ask warroom de)" "declare"
check_contains "commands after a global option" "$(ask warroom --db x.db sta)" "status"
check_contains "an act's options" "$(ask warroom status --i)" "--into"
check_contains "subcommands" "$(ask warroom runbook s)" "suggest"
check_contains "severities" "$(ask warroom declare --severity SEV)" "SEV5"
check_contains "help names commands" "$(ask warroom help dri)" "drill"
if command -v zsh >/dev/null 2>&1; then
  check "zsh parses the script" zsh -n "$WR_SRC/contrib/completion/_warroom"
fi
finish
